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

/** Walks and rebuilds expression trees and statements: the one traversal every stage shares. */
public final class Rewrite {
  private Rewrite() {}

  /** The expression with every variable read replaced by {@code f}'s answer. */
  public static Expr reads(Expr e, Function<Read, Expr> f) {
    if (e instanceof Read r) {
      return f.apply(r);
    }
    if (e instanceof Literal || e instanceof FieldRead fr && fr.receiver() == null) {
      return e;
    }
    if (e instanceof FieldRead fr) {
      return new FieldRead(reads(fr.receiver(), f), fr.owner(), fr.name(), fr.type());
    }
    if (e instanceof Neg n) {
      return new Neg(reads(n.operand(), f), n.type());
    }
    if (e instanceof Binary b) {
      return new Binary(b.op(), reads(b.left(), f), reads(b.right(), f), b.type());
    }
    if (e instanceof Call c) {
      return new Call(c.owner(), c.name(), c.args().stream().map(a -> reads(a, f)).toList(), c.type());
    }
    if (e instanceof Cast c) {
      return new Cast(c.target(), reads(c.operand(), f));
    }
    if (e instanceof Conditional c) {
      return new Conditional(reads(c.cond(), f), reads(c.then(), f), reads(c.otherwise(), f), c.type());
    }
    throw new IllegalArgumentException("unknown expression " + e);
  }

  /** The statement with every variable read in it replaced by {@code f}'s answer. */
  public static Stmt reads(Stmt s, Function<Read, Expr> f) {
    if (s instanceof Stmt.Declare d) {
      return new Stmt.Declare(d.var(), d.init() == null ? null : reads(d.init(), f), d.pos(), d.source());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(a.var(), reads(a.value(), f), a.compound(), a.pos(), a.source());
    }
    if (s instanceof Stmt.Return r) {
      return new Stmt.Return(reads(r.value(), f), r.pos(), r.source());
    }
    return s;
  }

  /** Calls {@code action} for every variable read in the statement. */
  public static void forEachRead(Stmt s, Consumer<Read> action) {
    reads(s, r -> {
      action.accept(r);
      return r;
    });
  }
}
