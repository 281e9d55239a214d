package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Length;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which values the forward sweep saves before overwriting them: only those that the
 * reverse sweep will read. Works from what a previous build of the reverse sweep read, per
 * top-level statement; the builder iterates until that no longer changes.
 */
final class SaveAnalysis {
  private final List<Stmt> body;
  /** The primal variables the reverse sweep reads; null for the first (dry) build, which saves nothing. */
  private final Set<Var> needed;
  private final Map<Stmt, Set<Var>> topReads;
  private final VarFacts facts;

  SaveAnalysis(List<Stmt> body, Set<Var> needed, Map<Stmt, Set<Var>> topReads, VarFacts facts) {
    this.body = body;
    this.needed = needed;
    this.topReads = topReads;
    this.facts = facts;
  }

  boolean isNeeded(Var v) {
    return needed != null && needed.contains(v) && !facts.loopIndexes.contains(v);
  }

  /**
   * Whether the value that top-level statement {@code s} overwrites in {@code v} is read by the
   * reverse sweep: by s's own adjoint, or by the adjoint of a statement between the previous
   * unconditional write of v and s. (A simple statement that wrote v earlier reads only the value
   * it overwrote itself, which its own save restores.)
   * Array elements are not told apart: for an array, any read before s counts.
   */
  boolean isNeededAt(Var v, Stmt s) {
    if (!isNeeded(v)) {
      return false;
    }
    int at = indexOf(s);
    if (topReadsOf(s).contains(v)) {
      return true;
    }
    for (int t = at - 1; t >= 0; t--) {
      Stmt before = body.get(t);
      // an unconditional write of v ends the search: it and what came before read older values
      // (which its own save puts back). A write inside a branch or loop may not run, so the
      // search goes on past it.
      boolean simple = before instanceof Stmt.Declare || before instanceof Stmt.Assign;
      if (simple && !(v.type() instanceof ArrayType) && writes(before, v)) {
        return false;
      }
      if (topReadsOf(before).contains(v)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a statement nested in top-level statement {@code top} must save {@code v}: the
   * reverse code of that top-level statement reads v, or the reverse code of one before it does.
   */
  boolean isNeededNested(Var v, Stmt top) {
    if (!isNeeded(v)) {
      return false;
    }
    if (topReadsOf(top).contains(v)) {
      return true;
    }
    for (int t = indexOf(top) - 1; t >= 0; t--) {
      if (topReadsOf(body.get(t)).contains(v)) {
        return true;
      }
    }
    return false;
  }

  /** Whether statement {@code s} (at {@code depth}, inside top-level {@code top}) saves v. */
  boolean mustSave(Var v, Stmt s, Stmt top, int depth) {
    return depth == 0 ? isNeededAt(v, s) : isNeededNested(v, top);
  }

  private int indexOf(Stmt s) {
    for (int i = 0; i < body.size(); i++) {
      if (body.get(i) == s) {
        return i;
      }
    }
    throw new IllegalStateException("not a top-level statement: " + s);
  }

  private static boolean writes(Stmt s, Var v) {
    boolean[] found = {false};
    Rewrite.forEachStmt(List.of(s), x -> found[0] |= Activity.target(x) == v);
    return found[0];
  }

  /** Equal per statement (an IdentityHashMap's own equals compares the sets by reference). */
  static boolean sameReads(Map<Stmt, Set<Var>> a, Map<Stmt, Set<Var>> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<Stmt, Set<Var>> e : a.entrySet()) {
      if (!e.getValue().equals(b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Per top-level statement, what its reverse code read when {@code topReads} was empty. */
  private Set<Var> topReadsOf(Stmt s) {
    return topReads.getOrDefault(s, Set.of());
  }

  /** The primal variables ({@code primal}) that reverse code reads, array lengths aside. */
  static Set<Var> readsOf(List<Stmt> reverse, Set<Var> primal) {
    Set<Var> reads = new HashSet<>();
    Rewrite.forEachStmt(reverse, s -> Rewrite.exprs(s, e -> {
      collectReads(e, reads);
      return e;
    }));
    reads.retainAll(primal);
    return reads;
  }

  private static void collectReads(Expr e, Set<Var> out) {
    if (e instanceof Read r) {
      out.add(r.var());
    } else if (e instanceof Length l) {
      // a length never changes, so it needs no saved elements; only the row index matters
      if (l.array() instanceof ArrayRead a) {
        Rewrite.forEachRead(a.index(), r -> out.add(r.var()));
      }
    }
  }

}
