package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.num;

import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In the reverse sweep, an adjoint array element that a loop only adds into, at an index the
 * loop does not change ({@code xBar[i] += ...} in a loop over j), is summed in a local while the
 * loop runs and added once after it, as one writes such a loop by hand: the element would
 * otherwise be loaded and stored back on every iteration, since the JIT cannot tell that no other
 * array in the loop is the same array. The sum is added only if it is not zero, so an element
 * that the loop never reached is not touched (its index may not even be valid then).
 */
final class Accumulators {
  private Accumulators() {}

  /** The reverse sweep with such loops rewritten; {@code adjoints} are the adjoint arrays. */
  static List<Stmt> promote(List<Stmt> block, Set<Var> adjoints, Names names) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block) {
      Stmt inner = Rewrite.withBlocks(s, b -> promote(b, adjoints, names)); // innermost loops first
      if (inner instanceof Stmt.Loop l) {
        out.addAll(promoteLoop(l, adjoints, names));
      } else {
        out.add(inner);
      }
    }
    return out;
  }

  private static List<Stmt> promoteLoop(Stmt.Loop loop, Set<Var> adjoints, Names names) {
    Set<Var> assigned = new HashSet<>();
    Rewrite.forEachStmt(List.of(loop), s -> {
      if (s instanceof Stmt.Declare d) {
        assigned.add(d.var());
      } else if (s instanceof Stmt.Assign a) {
        assigned.add(a.var());
      }
    });
    // per adjoint array: the one index it is added into at, or null once anything else happens to it
    Map<Var, Expr> index = new LinkedHashMap<>();
    Set<Var> disqualified = new HashSet<>();
    Rewrite.forEachStmt(List.of(loop), s -> {
      ArrayRead into = accumulation(s, adjoints);
      if (into != null) {
        Var a = ((Read) into.array()).var();
        Expr previous = index.putIfAbsent(a, into.index());
        if (previous != null && !previous.equals(into.index()) || !invariant(into.index(), assigned)) {
          disqualified.add(a);
        }
        Rewrite.forEachRead(((Binary) ((Stmt.ArrayStore) s).value()).right(), r -> disqualified.add(r.var()));
        Rewrite.forEachRead(into.index(), r -> disqualified.add(r.var()));
      } else if (!(s instanceof Stmt.Loop || s instanceof Stmt.If || s instanceof Stmt.Breakable)) {
        Rewrite.forEachRead(s, r -> disqualified.add(r.var()));
      } else {
        ownReads(s, disqualified);
      }
    });
    List<Stmt> before = new ArrayList<>();
    List<Stmt> after = new ArrayList<>();
    Map<Var, Var> sums = new LinkedHashMap<>();
    for (Map.Entry<Var, Expr> e : index.entrySet()) {
      Var a = e.getKey();
      if (disqualified.contains(a)) {
        continue;
      }
      Var sum = new Var(names.of(a) + "Sum", Prim.DOUBLE, Var.Kind.SYNTHETIC);
      names.generated(sum);
      sums.put(a, sum);
      before.add(new Stmt.Declare(sum, num(0), Pos.NONE, null));
      ArrayRead element = new ArrayRead(new Read(a), e.getValue(), Prim.DOUBLE);
      after.add(new Stmt.If(new Binary(BinOp.NE, new Read(sum), num(0), Prim.BOOLEAN),
          List.of(StatementAdjoint.increment(element, new Read(sum))), List.of(), Pos.NONE, null));
    }
    if (sums.isEmpty()) {
      return List.of(loop);
    }
    List<Stmt> out = new ArrayList<>(before);
    out.add(rewrite(loop, sums, adjoints));
    out.addAll(after);
    return out;
  }

  /** {@code a[e] += rest} (or {@code -=}) into an adjoint array a: the place, else null. */
  private static ArrayRead accumulation(Stmt s, Set<Var> adjoints) {
    if (s instanceof Stmt.ArrayStore st && st.compound() && st.target().array() instanceof Read r
        && adjoints.contains(r.var()) && st.value() instanceof Binary b
        && (b.op() == BinOp.ADD || b.op() == BinOp.SUB) && b.left().equals(st.target())) {
      return st.target();
    }
    return null;
  }

  /** The variables read by a compound statement's own parts (conditions), not its nested statements. */
  private static void ownReads(Stmt s, Set<Var> out) {
    Expr cond = s instanceof Stmt.If i ? i.cond() : s instanceof Stmt.Loop l ? l.cond() : null;
    if (cond != null) {
      Rewrite.forEachRead(cond, r -> out.add(r.var()));
    }
  }

  /** An index made of literals, arithmetic and variables the loop never assigns. */
  private static boolean invariant(Expr index, Set<Var> assigned) {
    boolean[] ok = {true};
    Rewrite.bottomUp(index, x -> {
      ok[0] &= x instanceof Literal || x instanceof Binary || x instanceof Read r && !assigned.contains(r.var())
          && !(r.type() instanceof ArrayType);
      return x;
    });
    return ok[0];
  }

  private static Stmt rewrite(Stmt.Loop loop, Map<Var, Var> sums, Set<Var> adjoints) {
    return Rewrite.withBlocks(loop, b -> rewriteAll(b, sums, adjoints));
  }

  /** Each promoted {@code a[e] += rest} becomes {@code aSum += rest}. */
  private static List<Stmt> rewriteAll(List<Stmt> block, Map<Var, Var> sums, Set<Var> adjoints) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block) {
      ArrayRead into = accumulation(s, adjoints);
      if (into != null && sums.containsKey(((Read) into.array()).var())) {
        Binary b = (Binary) ((Stmt.ArrayStore) s).value();
        Var sum = sums.get(((Read) into.array()).var());
        out.add(new Stmt.Assign(sum, new Binary(b.op(), new Read(sum), b.right(), Prim.DOUBLE), true, Pos.NONE, null));
      } else {
        out.add(Rewrite.withBlocks(s, inner -> rewriteAll(inner, sums, adjoints)));
      }
    }
    return out;
  }
}
