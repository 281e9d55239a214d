package dev.adjoint.processor.ir;

import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Neg;
import java.util.List;

/**
 * Builds the expressions of generated code, folding the trivial cases ({@code g * 1}, {@code -(-g)},
 * {@code g * (c ? 1 : 0)}) so that adjoint statements read like a person would write them.
 */
public final class Exprs {
  public static final RefType MATH = new RefType("java.lang", List.of("Math"));
  public static final RefType SCALAR_RULES = new RefType("dev.adjoint.rules", List.of("ScalarRules"));

  private Exprs() {}

  public static Literal num(double v) {
    return Literal.ofDouble(v);
  }

  public static Expr mul(Expr a, Expr b) {
    if (isNumber(a, 1)) {
      return b;
    }
    if (isNumber(b, 1)) {
      return a;
    }
    if (isNumber(a, -1)) {
      return neg(b);
    }
    if (isNumber(b, -1)) {
      return neg(a);
    }
    // g * (c ? 1 : 0) is the adjoint that flows only when c holds: c ? g : 0
    if (b instanceof Conditional c && isNumber(c.then(), 1) && isNumber(c.otherwise(), 0)) {
      return new Conditional(c.cond(), a, num(0), wider(a, b));
    }
    if (b instanceof Conditional c && isNumber(c.then(), 0) && isNumber(c.otherwise(), 1)) {
      return new Conditional(c.cond(), num(0), a, wider(a, b));
    }
    if (a instanceof Neg n) {
      return neg(mul(n.operand(), b));
    }
    if (b instanceof Neg n) {
      return neg(mul(a, n.operand()));
    }
    return new Binary(BinOp.MUL, a, b, wider(a, b));
  }

  public static Expr div(Expr a, Expr b) {
    if (isNumber(b, 1)) {
      return a;
    }
    if (a instanceof Neg n) {
      return neg(div(n.operand(), b));
    }
    return new Binary(BinOp.DIV, a, b, wider(a, b));
  }

  public static Expr add(Expr a, Expr b) {
    if (b instanceof Neg n) {
      return sub(a, n.operand());
    }
    return new Binary(BinOp.ADD, a, b, wider(a, b));
  }

  public static Expr sub(Expr a, Expr b) {
    if (b instanceof Neg n) {
      return add(a, n.operand());
    }
    return new Binary(BinOp.SUB, a, b, wider(a, b));
  }

  public static Expr neg(Expr a) {
    if (a instanceof Neg n) {
      return n.operand();
    }
    if (a instanceof Literal l && l.value() instanceof Double d) {
      return num(-d);
    }
    return new Neg(a, a.type() instanceof Prim p ? p.promoteUnary() : a.type());
  }

  public static Expr compare(BinOp op, Expr a, Expr b) {
    return new Binary(op, a, b, Prim.BOOLEAN);
  }

  public static Expr cond(Expr c, Expr then, Expr otherwise) {
    return new Conditional(c, then, otherwise, wider(then, otherwise));
  }

  /** A call of a {@code java.lang.Math} function that returns double. */
  public static Expr math(String name, Expr... args) {
    return new Call(MATH, name, List.of(args), Prim.DOUBLE);
  }

  /** A call of one of the runtime's guarded derivative helpers. */
  public static Expr helper(String name, Expr... args) {
    return new Call(SCALAR_RULES, name, List.of(args), Prim.DOUBLE);
  }

  public static boolean isNumber(Expr e, double v) {
    return e instanceof Literal l && l.isNumber(v);
  }

  /** The type of an arithmetic result; adjoints are always double, so anything else widens to it. */
  private static Type wider(Expr a, Expr b) {
    if (a.type() instanceof Prim p && b.type() instanceof Prim q && p.isNumeric() && q.isNumeric()) {
      return Prim.promote(p, q);
    }
    return Prim.DOUBLE;
  }
}
