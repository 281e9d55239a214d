package dev.adjoint.processor.ir;

import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.FieldRead;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Neg;
import dev.adjoint.processor.ir.Expr.Read;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** Walks and rebuilds expression trees and statements: the one traversal every stage shares. */
public final class Rewrite {
  private Rewrite() {}

  /** The expression with every variable read replaced by {@code f}'s answer. */
  public static Expr reads(Expr e, Function<Read, Expr> f) {
    return bottomUp(e, x -> x instanceof Read r ? f.apply(r) : x);
  }

  /** Rebuilds the tree children first, then gives each rebuilt node to {@code f}. */
  public static Expr bottomUp(Expr e, UnaryOperator<Expr> f) {
    Expr rebuilt;
    if (e instanceof Read || e instanceof Literal || e instanceof FieldRead fr && fr.receiver() == null) {
      rebuilt = e;
    } else if (e instanceof FieldRead fr) {
      rebuilt = new FieldRead(bottomUp(fr.receiver(), f), fr.owner(), fr.name(), fr.type());
    } else if (e instanceof Neg n) {
      rebuilt = new Neg(bottomUp(n.operand(), f), n.type());
    } else if (e instanceof Binary b) {
      rebuilt = new Binary(b.op(), bottomUp(b.left(), f), bottomUp(b.right(), f), b.type());
    } else if (e instanceof Call c) {
      rebuilt = new Call(c.owner(), c.name(), c.args().stream().map(a -> bottomUp(a, f)).toList(), c.type());
    } else if (e instanceof Cast c) {
      rebuilt = new Cast(c.target(), bottomUp(c.operand(), f));
    } else if (e instanceof Conditional c) {
      rebuilt = new Conditional(bottomUp(c.cond(), f), bottomUp(c.then(), f), bottomUp(c.otherwise(), f), c.type());
    } else {
      throw new IllegalArgumentException("unknown expression " + e);
    }
    return f.apply(rebuilt);
  }

  /** The statement with {@code f} applied bottom-up to its expression. */
  public static Stmt exprs(Stmt s, UnaryOperator<Expr> f) {
    if (s instanceof Stmt.Declare d) {
      return new Stmt.Declare(d.var(), d.init() == null ? null : bottomUp(d.init(), f), d.pos(), d.source());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(a.var(), bottomUp(a.value(), f), a.compound(), a.pos(), a.source());
    }
    if (s instanceof Stmt.Return r) {
      return new Stmt.Return(bottomUp(r.value(), f), r.pos(), r.source());
    }
    return s;
  }

  /** The statement with every variable read in it replaced by {@code f}'s answer. */
  public static Stmt reads(Stmt s, Function<Read, Expr> f) {
    return exprs(s, x -> x instanceof Read r ? f.apply(r) : x);
  }

  /** Calls {@code action} for every variable read in the statement. */
  public static void forEachRead(Stmt s, Consumer<Read> action) {
    reads(s, r -> {
      action.accept(r);
      return r;
    });
  }
}
