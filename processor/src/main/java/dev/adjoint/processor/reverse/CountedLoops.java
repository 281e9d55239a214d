package dev.adjoint.processor.reverse;

import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * Counted loops, {@code for (int i = a; ...; i += c)} whose body never assigns i: the reverse sweep
 * runs them backwards by recomputing i from the iteration number, so i is never saved.
 */
final class CountedLoops {
  private CountedLoops() {}

  /**
   * {@code for (int i = start; ...; i += step)} whose body never assigns i: the reverse sweep can
   * recompute i from the iteration number instead of saving it. Returns i, or null.
   */
  static Var countedIndex(Stmt.Loop l, VarFacts facts) {
    if (l.init().size() != 1 || !(l.init().get(0) instanceof Stmt.Declare d) || d.var().type() != Prim.INT
        || d.init() == null || !facts.isInvariant(d.init()) || !l.testFirst()
        || l.update().size() != 1 || step(l.update().get(0), d.var()) == 0) {
      return null;
    }
    boolean[] assigned = {false};
    Rewrite.forEachStmt(l.body(), s -> assigned[0] |= s instanceof Stmt.Assign a && a.var() == d.var());
    return assigned[0] ? null : d.var();
  }

  /** The constant step of {@code i = i + c} / {@code i = i - c}, or 0. */
  static int step(Stmt s, Var i) {
    if (s instanceof Stmt.Assign a && a.var() == i && a.value() instanceof Binary b
        && b.left() instanceof Read r && r.var() == i && b.right() instanceof Literal c
        && c.value() instanceof Integer k && (b.op() == BinOp.ADD || b.op() == BinOp.SUB)) {
      return b.op() == BinOp.ADD ? k : -k;
    }
    return 0;
  }

  /**
   * The reverse of a counted loop: {@code for (int i = trips - 1; i >= 0; i--)} for the usual
   * {@code i = 0; i++}, else an iteration counter from which i is recomputed.
   */
  static Stmt reverse(Stmt.Loop l, Var index, Expr trips, List<Stmt> iteration, Names names) {
    Expr start = ((Stmt.Declare) l.init().get(0)).init();
    int step = step(l.update().get(0), index);
    Literal one = new Literal(1, "1", Prim.INT);
    if (start instanceof Literal s && Integer.valueOf(0).equals(s.value()) && step == 1) {
      return new Stmt.Loop(List.of(new Stmt.Declare(index, new Binary(BinOp.SUB, trips, one, Prim.INT), Pos.NONE, null)),
          new Binary(BinOp.GE, new Read(index), new Literal(0, "0", Prim.INT), Prim.BOOLEAN),
          List.of(decrement(index)), iteration, true, Pos.NONE, null);
    }
    Var k = new Var("iteration", Prim.INT, Var.Kind.SYNTHETIC);
    names.generated(k);
    List<Stmt> body = new ArrayList<>();
    Expr at = step == 1 || step == -1
        ? new Binary(step == 1 ? BinOp.ADD : BinOp.SUB, start, new Read(k), Prim.INT)
        : new Binary(BinOp.ADD, start,
            new Binary(BinOp.MUL, new Read(k), new Literal(step, String.valueOf(step), Prim.INT), Prim.INT), Prim.INT);
    body.add(new Stmt.Declare(index, at, Pos.NONE, null));
    body.addAll(iteration);
    return new Stmt.Loop(List.of(new Stmt.Declare(k, new Binary(BinOp.SUB, trips, one, Prim.INT), Pos.NONE, null)),
        new Binary(BinOp.GE, new Read(k), new Literal(0, "0", Prim.INT), Prim.BOOLEAN),
        List.of(decrement(k)), body, true, Pos.NONE, null);
  }

  static Expr positive(Var count) {
    return new Binary(BinOp.GT, new Read(count), new Literal(0, "0", Prim.INT), Prim.BOOLEAN);
  }

  static Stmt decrement(Var v) {
    return new Stmt.Assign(v, new Binary(BinOp.SUB, new Read(v), new Literal(1, "1", Prim.INT), Prim.INT),
        true, Pos.NONE, null);
  }


  /**
   * The reverse of a counted loop whose bound never changes and that nothing leaves early,
   * {@code for (int i = a; i < n; i++)}: {@code for (int i = n - 1; i >= a; i--)}, so neither a trip
   * count nor the index is recorded. Null when the loop has another shape (the condition then
   * carries a break or return flag, or the step is not 1).
   */
  static Stmt boundedReverse(Stmt.Loop l, Var index, List<Stmt> iteration, VarFacts facts) {
    if (!(l.cond() instanceof Binary c) || !(c.left() instanceof Read r) || r.var() != index
        || !facts.isInvariant(c.right())
        || !(c.right().type() instanceof Prim p && p.isNumeric() && !p.isFloating() && p != Prim.LONG)) {
      return null; // a double or long bound (i < a) has no int last index; the trip count is recorded instead
    }
    Expr start = ((Stmt.Declare) l.init().get(0)).init();
    Expr bound = c.right();
    int step = step(l.update().get(0), index);
    Literal one = new Literal(1, "1", Prim.INT);
    Expr first;
    BinOp test;
    if (step == 1 && (c.op() == BinOp.LT || c.op() == BinOp.LE)) {
      first = c.op() == BinOp.LT ? new Binary(BinOp.SUB, bound, one, Prim.INT) : bound;
      test = BinOp.GE;
    } else if (step == -1 && (c.op() == BinOp.GT || c.op() == BinOp.GE)) {
      first = c.op() == BinOp.GT ? new Binary(BinOp.ADD, bound, one, Prim.INT) : bound;
      test = BinOp.LE;
    } else {
      return null;
    }
    Stmt next = step == 1 ? decrement(index)
        : new Stmt.Assign(index, new Binary(BinOp.ADD, new Read(index), one, Prim.INT), true, Pos.NONE, null);
    return new Stmt.Loop(List.of(new Stmt.Declare(index, first, Pos.NONE, null)),
        new Binary(test, new Read(index), start, Prim.BOOLEAN), List.of(next), iteration, true, Pos.NONE, null);
  }
}
