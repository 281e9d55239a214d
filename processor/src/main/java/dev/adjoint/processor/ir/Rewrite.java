package dev.adjoint.processor.ir;

import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.Invoke;
import dev.adjoint.processor.ir.Expr.Length;
import dev.adjoint.processor.ir.Expr.MethodCall;
import dev.adjoint.processor.ir.Expr.NewArray;
import dev.adjoint.processor.ir.Expr.FieldRead;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Neg;
import dev.adjoint.processor.ir.Expr.Read;
import java.util.List;
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
    } else if (e instanceof Expr.New n) {
      rebuilt = new Expr.New(n.type(), all(n.args(), f), n.pos());
    } else if (e instanceof FieldRead fr) {
      rebuilt = new FieldRead(bottomUp(fr.receiver(), f), fr.owner(), fr.name(), fr.type());
    } else if (e instanceof Neg n) {
      rebuilt = new Neg(bottomUp(n.operand(), f), n.type());
    } else if (e instanceof Expr.Not n) {
      rebuilt = new Expr.Not(bottomUp(n.operand(), f));
    } else if (e instanceof Binary b) {
      rebuilt = new Binary(b.op(), bottomUp(b.left(), f), bottomUp(b.right(), f), b.type());
    } else if (e instanceof Call c) {
      rebuilt = c.withArgs(all(c.args(), f));
    } else if (e instanceof Cast c) {
      rebuilt = new Cast(c.target(), bottomUp(c.operand(), f));
    } else if (e instanceof Conditional c) {
      rebuilt = new Conditional(bottomUp(c.cond(), f), bottomUp(c.then(), f), bottomUp(c.otherwise(), f), c.type());
    } else if (e instanceof ArrayRead a) {
      rebuilt = new ArrayRead(bottomUp(a.array(), f), bottomUp(a.index(), f), a.type());
    } else if (e instanceof Length l) {
      rebuilt = new Length(bottomUp(l.array(), f));
    } else if (e instanceof NewArray n) {
      rebuilt = new NewArray(n.element(), all(n.dims(), f), n.type());
    } else if (e instanceof Invoke i) {
      rebuilt = new Invoke(i.callee(), i.receiver() == null ? null : bottomUp(i.receiver(), f), all(i.args(), f), i.pos());
    } else if (e instanceof Expr.Op o) {
      rebuilt = new Expr.Op(o.owner(), o.name(), o.receiver() == null ? null : bottomUp(o.receiver(), f),
          all(o.args(), f), o.type(), o.rules(), o.tangents(), o.pos());
    } else if (e instanceof Expr.Update u) {
      rebuilt = new Expr.Update(bottomUp(u.target(), f), bottomUp(u.value(), f), u.post(), u.type());
    } else if (e instanceof MethodCall m) {
      rebuilt = new MethodCall(bottomUp(m.receiver(), f), m.name(), all(m.args(), f), m.type());
    } else {
      throw new IllegalArgumentException("unknown expression " + e);
    }
    return f.apply(rebuilt);
  }

  private static List<Expr> all(List<Expr> es, UnaryOperator<Expr> f) {
    return es.stream().map(x -> bottomUp(x, f)).toList();
  }

  private static List<Stmt> allStmts(List<Stmt> ss, UnaryOperator<Expr> f) {
    return ss.stream().map(x -> exprs(x, f)).toList();
  }

  /**
   * The statement with {@code f} applied bottom-up to its expressions, and to those of the
   * statements nested in it.
   */
  public static Stmt exprs(Stmt s, UnaryOperator<Expr> f) {
    if (s instanceof Stmt.ArrayStore a) {
      return new Stmt.ArrayStore((ArrayRead) bottomUp(a.target(), f), bottomUp(a.value(), f),
          a.compound(), a.pos(), a.source());
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(bottomUp(i.cond(), f), allStmts(i.then(), f), allStmts(i.otherwise(), f),
          i.pos(), i.source());
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(allStmts(l.init(), f), l.cond() == null ? null : bottomUp(l.cond(), f),
          allStmts(l.update(), f), allStmts(l.body(), f), l.testFirst(), l.pos(), l.source());
    }
    if (s instanceof Stmt.Breakable b) {
      return new Stmt.Breakable(allStmts(b.body(), f), b.label(), b.pos(), b.source());
    }
    if (s instanceof Stmt.Eval e) {
      return new Stmt.Eval(bottomUp(e.expr(), f));
    }
    if (s instanceof Stmt.Effect e) {
      return new Stmt.Effect(bottomUp(e.expr(), f), e.pos(), e.source());
    }
    if (s instanceof Stmt.Throw t) {
      return new Stmt.Throw(t.parts(), all(t.holes(), f), t.pos(), t.source());
    }
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

  /** The statement lists nested in a statement (branches, loop parts). */
  public static List<List<Stmt>> children(Stmt s) {
    if (s instanceof Stmt.If i) {
      return List.of(i.then(), i.otherwise());
    }
    if (s instanceof Stmt.Loop l) {
      return List.of(l.init(), l.body(), l.update());
    }
    if (s instanceof Stmt.Breakable b) {
      return List.of(b.body());
    }
    return List.of();
  }

  /**
   * The statement with each block it holds (branch arms, a loop's body, a breakable's body)
   * replaced by {@code f}'s answer; a loop's init and update stay; a simple statement is returned as is.
   */
  public static Stmt withBlocks(Stmt s, UnaryOperator<List<Stmt>> f) {
    if (s instanceof Stmt.If i) {
      return new Stmt.If(i.cond(), f.apply(i.then()), f.apply(i.otherwise()), i.pos(), i.source());
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(l.init(), l.cond(), l.update(), f.apply(l.body()), l.testFirst(), l.pos(), l.source());
    }
    if (s instanceof Stmt.Breakable b) {
      return new Stmt.Breakable(f.apply(b.body()), b.label(), b.pos(), b.source());
    }
    return s;
  }

  /** Calls {@code action} for every statement of the block, nested ones included, in order. */
  public static void forEachStmt(List<Stmt> block, Consumer<Stmt> action) {
    for (Stmt s : block) {
      action.accept(s);
      for (List<Stmt> inner : children(s)) {
        forEachStmt(inner, action);
      }
    }
  }

  /** Calls {@code action} for every variable read in the expression. */
  public static void forEachRead(Expr e, Consumer<Read> action) {
    reads(e, r -> {
      action.accept(r);
      return r;
    });
  }

  /** Calls {@code action} for every variable read in the statement. */
  public static void forEachRead(Stmt s, Consumer<Read> action) {
    reads(s, r -> {
      action.accept(r);
      return r;
    });
  }
}
