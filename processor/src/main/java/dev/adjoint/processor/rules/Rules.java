package dev.adjoint.processor.rules;

import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.compare;
import static dev.adjoint.processor.ir.Exprs.cond;
import static dev.adjoint.processor.ir.Exprs.div;
import static dev.adjoint.processor.ir.Exprs.helper;
import static dev.adjoint.processor.ir.Exprs.math;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.num;
import static dev.adjoint.processor.ir.Exprs.sub;

import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.FieldRead;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.rules.ScalarRule.Partial;
import dev.adjoint.processor.rules.ScalarRule.ResultType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one registry of derivative rules: one entry per primitive, keyed by name and arity. The
 * arithmetic operators' rules live in the reverse stage's operator switch; everything that is
 * called by name lives here. Partials are written with {@code a}, {@code b}, {@code c} for the
 * arguments and {@code v} for the function's value.
 */
public final class Rules {
  /**
   * Runtime ops (found by the {@code <op>Vjp<Input>} convention) whose result carries no
   * derivative, so they need no rule: comparison masks, factories, shapes, dropout masks.
   */
  private static final java.util.Set<String> ZERO_DERIVATIVE_OPS = java.util.Set.of(
      "dev.adjoint.tensor.Tensor#gt", "dev.adjoint.tensor.Tensor#lt", "dev.adjoint.tensor.Tensor#ge",
      "dev.adjoint.tensor.Tensor#le", "dev.adjoint.tensor.Tensor#eq", "dev.adjoint.tensor.Tensor#zerosLike",
      "dev.adjoint.tensor.Tensor#onesLike", "dev.adjoint.tensor.Tensor#zeros", "dev.adjoint.tensor.Tensor#ones",
      "dev.adjoint.tensor.Tensor#randn", "dev.adjoint.tensor.Tensor#shape", "dev.adjoint.tensor.Tensor#size",
      "dev.adjoint.tensor.Tensor#dim", "dev.adjoint.tensor.Tensor#argmax", "dev.adjoint.tensor.Tensor#requiresGrad",
      "dev.adjoint.tensor.Tensor#grad", "dev.adjoint.nn.Layers#dropoutMask");

  /**
   * Whether the runtime op {@code name} of class {@code owner} (qualified) has derivative zero:
   * keyed by the method, so a user's op that merely shares a name keeps its own rules.
   */
  public static boolean isZeroDerivativeOp(String owner, String name) {
    return ZERO_DERIVATIVE_OPS.contains(owner + "#" + name);
  }

  private static final Map<String, ScalarRule> MATH = new LinkedHashMap<>();

  static {
    // 1. Trigonometric
    unary("sin", ResultType.DOUBLE, (a, v) -> math("cos", a));
    unary("cos", ResultType.DOUBLE, (a, v) -> neg(math("sin", a)));
    unary("tan", ResultType.DOUBLE, (a, v) -> add(num(1), mul(v, v)));
    unary("asin", ResultType.DOUBLE, (a, v) -> div(num(1), math("sqrt", sub(num(1), mul(a, a)))));
    unary("acos", ResultType.DOUBLE, (a, v) -> neg(div(num(1), math("sqrt", sub(num(1), mul(a, a))))));
    unary("atan", ResultType.DOUBLE, (a, v) -> div(num(1), add(num(1), mul(a, a))));
    binary("atan2", ResultType.DOUBLE, (i, y, x, v) -> i == 0
        ? div(x, add(mul(x, x), mul(y, y)))
        : neg(div(y, add(mul(x, x), mul(y, y)))));
    unary("toRadians", ResultType.DOUBLE, (a, v) -> div(mathConstant("PI"), num(180)));
    unary("toDegrees", ResultType.DOUBLE, (a, v) -> div(num(180), mathConstant("PI")));

    // 2. Hyperbolic
    unary("sinh", ResultType.DOUBLE, (a, v) -> math("cosh", a));
    unary("cosh", ResultType.DOUBLE, (a, v) -> math("sinh", a));
    unary("tanh", ResultType.DOUBLE, (a, v) -> sub(num(1), mul(v, v)));

    // 3. Exponential and logarithmic
    unary("exp", ResultType.DOUBLE, (a, v) -> v);
    unary("expm1", ResultType.DOUBLE, (a, v) -> add(v, num(1)));
    unary("log", ResultType.DOUBLE, (a, v) -> div(num(1), a));
    unary("log10", ResultType.DOUBLE, (a, v) -> div(num(1), mul(a, constant("LN10"))));
    unary("log1p", ResultType.DOUBLE, (a, v) -> div(num(1), add(num(1), a)));

    // 4. Powers and roots
    unary("sqrt", ResultType.DOUBLE, (a, v) -> div(num(0.5), v));
    unary("cbrt", ResultType.DOUBLE, (a, v) -> div(num(1), mul(num(3), mul(v, v))));
    // pow never goes through log(base) for the base's partial, so a negative base with a constant
    // exponent (pow(-2, 3)) has its true derivative; the exponent's partial is guarded at base 0.
    binary("pow", ResultType.DOUBLE, (i, a, b, v) -> i == 0 ? powBasePartial(a, b) : helper("powExponentPartial", a, b, v));
    binary("hypot", ResultType.DOUBLE, (i, a, b, v) -> helper("hypotPartial", i == 0 ? a : b, v));

    // 5. Sign, magnitude and selection
    unary("abs", ResultType.SAME, (a, v) -> math("signum", a));
    binary("max", ResultType.SAME, (i, a, b, v) -> i == 0
        ? cond(compare(BinOp.GE, a, b), num(1), num(0))
        : cond(compare(BinOp.GE, a, b), num(0), num(1)));
    binary("min", ResultType.SAME, (i, a, b, v) -> i == 0
        ? cond(compare(BinOp.LE, a, b), num(1), num(0))
        : cond(compare(BinOp.LE, a, b), num(0), num(1)));
    // copySign(a, b) = |a| sgn(b): d/da = sgn(a) sgn(b) (0 at a = 0, as for abs); b only gives a sign
    binary("copySign", ResultType.FLOAT_OR_DOUBLE, (i, a, b, v) -> i == 0
        ? mul(math("signum", a), math("copySign", num(1), b))
        : num(0));
    // scalb(d, n) = d 2^n, n an int
    binary("scalb", ResultType.FLOAT_OR_DOUBLE, (i, a, b, v) -> i == 0 ? math("scalb", num(1), b) : num(0));
    // the neighbouring floating-point number: x moved by an ulp, whose derivative is that of x
    unary("nextUp", ResultType.FLOAT_OR_DOUBLE, (a, v) -> num(1));
    unary("nextDown", ResultType.FLOAT_OR_DOUBLE, (a, v) -> num(1));
    // IEEEremainder(a, b) = a - b rint(a / b), and rint has derivative 0 almost everywhere
    binary("IEEEremainder", ResultType.DOUBLE, (i, a, b, v) -> i == 0 ? num(1) : neg(math("rint", div(a, b))));
    put(new ScalarRule("fma", 3, ResultType.FLOAT_OR_DOUBLE, (i, args, v) -> switch (i) {
      case 0 -> args.get(1);
      case 1 -> args.get(0);
      default -> num(1);
    }));

    // 6. Piecewise constant: zero derivative wherever one exists
    for (String name : List.of("floor", "ceil", "rint")) {
      put(new ScalarRule(name, 1, ResultType.DOUBLE, null));
    }
    put(new ScalarRule("round", 1, ResultType.ROUND, null));
    put(new ScalarRule("signum", 1, ResultType.FLOAT_OR_DOUBLE, null));
    put(new ScalarRule("ulp", 1, ResultType.FLOAT_OR_DOUBLE, null));
  }

  private Rules() {}

  /** The classes whose static functions are looked up here. */
  /**
   * Whether a class's functions take the rules of {@code java.lang.Math}: Math, StrictMath, and the
   * FastMath of Commons Math and of Hipparchus, which compute the same functions (only the last
   * bits differ). Matched by name, so neither library needs to be on the processor's class path;
   * the generated forward sweep keeps calling the class the user called.
   */
  public static boolean isMathClass(String qualifiedName) {
    return MATH_CLASSES.contains(qualifiedName);
  }

  static final java.util.Set<String> MATH_CLASSES = java.util.Set.of("java.lang.Math", "java.lang.StrictMath",
      "org.apache.commons.math3.util.FastMath", "org.apache.commons.math4.core.jdkmath.AccurateMath",
      "org.apache.commons.math4.core.jdkmath.JdkMath", "org.hipparchus.util.FastMath");

  public static Optional<ScalarRule> lookup(String name, int arity) {
    ScalarRule rule = MATH.get(name + "/" + arity);
    return Optional.ofNullable(rule);
  }

  /** Every function with a rule, for documentation and tests. */
  public static List<ScalarRule> all() {
    return List.copyOf(MATH.values());
  }

  private static Expr powBasePartial(Expr base, Expr exponent) {
    if (exponent instanceof Literal lit && lit.value() instanceof Number n) {
      double c = n.doubleValue();
      if (c == 0) {
        return num(0);
      }
      if (c == 1) {
        return num(1);
      }
      if (c == 2) {
        return mul(num(2), base);
      }
      return mul(num(c), math("pow", base, num(c - 1)));
    }
    return helper("powBasePartial", base, exponent);
  }

  private static Expr mathConstant(String name) {
    return new FieldRead(null, Exprs.MATH, name, Prim.DOUBLE);
  }

  private static Expr constant(String name) {
    return new FieldRead(null, Exprs.SCALAR_RULES, name, Prim.DOUBLE);
  }

  private interface UnaryPartial {
    Expr of(Expr a, Expr v);
  }

  private interface BinaryPartial {
    Expr of(int i, Expr a, Expr b, Expr v);
  }

  private static void unary(String name, ResultType result, UnaryPartial p) {
    put(new ScalarRule(name, 1, result, (i, args, v) -> p.of(args.get(0), v)));
  }

  private static void binary(String name, ResultType result, BinaryPartial p) {
    put(new ScalarRule(name, 2, result, (i, args, v) -> p.of(i, args.get(0), args.get(1), v)));
  }

  private static void put(ScalarRule rule) {
    MATH.put(rule.name() + "/" + rule.arity(), rule);
  }
}
