package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependence test for reversing a loop iteration by iteration: a top-level counted loop whose
 * iterations meet only in one summed accumulator. Then the adjoint of that sum is the same for
 * every iteration, and the local Jacobian of the loop is a single row, so the forward sweep can
 * run each iteration and at once its reverse with the sum's adjoint taken as 1, gathering what
 * flows to the values the loop reads into partials; the reverse sweep scales the partials by the
 * sum's real adjoint. Each iteration's tape is used up before the next (it stays in cache), and
 * nothing the loop computed is kept for the reverse sweep.
 *
 * <p>The loop qualifies when every variable with an adjoint that its body writes is one of:
 * <ul>
 *   <li>the accumulator {@code s}: a number declared before the loop, written only as
 *       {@code s = s + e} or {@code s = s - e} (also {@code +=}, {@code -=}) with {@code e} not
 *       reading it, and read nowhere else in the loop;
 *   <li>a local declared in the body (each iteration has its own); an array so declared must be
 *       created there ({@code new double[n]}), never a view of another array;
 *   <li>a scratch array: declared before the loop as {@code new double[B]} and used nowhere outside
 *       the loop, that each iteration fills whole before reading it. "Fills whole" is a counted
 *       loop {@code for (int v = 0; v < B; v++)} (the same {@code B}, whose variables are never
 *       assigned) whose body's first statement touching the array is {@code a[v] = e} with
 *       {@code e} not reading it, and which names no other element than {@code a[v]} (nor the whole
 *       array: a call given {@code a} would read the elements not filled yet); or a loop
 *       each of whose iterations does so before reading;
 *   <li>a scratch number: declared before the loop, named nowhere else outside it, and set by a
 *       top-level statement of the body before anything reads it (the flag {@code continue} becomes).
 * </ul>
 * The loop's condition reads no scratch array or number: it is tested after the iteration's reverse,
 * which may have put back values they had earlier in the iteration.
 * The loop must also compute something with an adjoint besides the sum (a local, a scratch
 * array, a call): a loop that only adds, {@code s += w[j] * x[j]}, tapes nothing anyway and is
 * cheaper reversed whole, without partials.
 *
 * <p>Nothing else declared before the loop may be written in it (ints included: a counter carried
 * from iteration to iteration would be undone by each iteration's reverse). Loops with tensors,
 * calls made for their effect, or a {@code checkpoint:} label are left to the usual reversal. The
 * builder checks after building that an iteration's reverse writes nothing but its own locals,
 * scratch arrays and adjoints, and falls back to the usual reversal otherwise.
 */
final class IndependentIterations {
  /**
   * A loop reversed iteration by iteration: its accumulator, the variables declared in its body,
   * the scratch arrays and numbers declared before it that each iteration sets before reading, and
   * the stores that fill a scratch array first in an iteration.
   */
  record Fused(Var sum, Set<Var> declared, Set<Var> scratch, Set<Stmt> firstFills) {}

  private IndependentIterations() {}

  /** The top-level loops that qualify, keyed by identity; a loop checkpointed (label, tape budget) does not. */
  static Map<Stmt, Fused> find(List<Stmt> body, Activity activity, VarFacts facts,
      java.util.function.Predicate<Pos> checkpointed) {
    Map<Stmt, Fused> out = new IdentityHashMap<>();
    for (int i = 0; i < body.size(); i++) {
      if (body.get(i) instanceof Stmt.Loop l && !checkpointed.test(l.pos())) {
        Fused f = check(l, i, body, activity, facts);
        if (f != null) {
          out.put(l, f);
        }
      }
    }
    return out;
  }

  private static Fused check(Stmt.Loop l, int at, List<Stmt> body, Activity activity, VarFacts facts) {
    Var index = CountedLoops.countedIndex(l, facts);
    if (index == null || !plainValues(l)) {
      return null;
    }
    Set<Var> declaredInside = declared(l.body());
    Set<Var> written = new LinkedHashSet<>();
    // effects, returns, array views: left to the usual reversal
    boolean[] refused = {false};
    Rewrite.forEachStmt(l.body(), s -> {
      Var t = Activity.target(s);
      if (t != null && !(s instanceof Stmt.Declare)) {
        written.add(t);
      }
      if (s instanceof Stmt.Effect || s instanceof Stmt.Return) {
        refused[0] = true;
      }
      // an array local must be an array of its own, not a view of another one
      if (s instanceof Stmt.Declare d && d.var().type() instanceof ArrayType
          && !(d.init() instanceof Expr.NewArray)) {
        refused[0] = true;
      }
      if (s instanceof Stmt.Assign a && a.var().type() instanceof ArrayType) {
        refused[0] = true;
      }
    });
    if (refused[0]) {
      return null;
    }
    Var sum = null;
    Set<Var> scratch = new LinkedHashSet<>();
    Set<Stmt> fills = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Var v : written) {
      if (declaredInside.contains(v)) {
        continue;
      }
      if (v.type() instanceof Prim && isScratchNumber(v, l, at, body)) {
        scratch.add(v);
        continue;
      }
      if (!activity.isActive(v)) {
        return null; // an int or other carried value: each iteration's reverse could undo it
      }
      if (v.type() instanceof ArrayType) {
        if (!isScratch(v, l, at, body, facts, fills)) {
          return null;
        }
        scratch.add(v);
      } else if (sum == null && v.type() instanceof Prim p && p.isFloating() && isSum(v, l, activity)) {
        sum = v;
      } else {
        return null;
      }
    }
    if (sum == null || !computesBesidesTheSum(l, sum, activity)) {
      return null;
    }
    // the condition is tested after the iteration's reverse, which may have put older values of them back
    for (Var v : scratch) {
      if (reads(l.cond(), v)) {
        return null;
      }
    }
    return new Fused(sum, declaredInside, scratch, fills);
  }

  /**
   * Whether the body computes values with adjoints besides adding to the sum: only then does the
   * usual reversal tape or recompute anything per iteration that reversing at once saves. A loop
   * that only adds ({@code s += w[j] * x[j]}) is cheaper reversed whole, with no partials.
   */
  private static boolean computesBesidesTheSum(Stmt.Loop l, Var sum, Activity activity) {
    boolean[] found = {false};
    Rewrite.forEachStmt(l.body(), s -> {
      Var t = Activity.target(s);
      found[0] |= t != null && t != sum && activity.isActive(t);
      // a call's partials would go on the tape, one record per iteration
      Rewrite.exprs(s, e -> {
        found[0] |= e instanceof Expr.Invoke i && activity.isVaried(i);
        return e;
      });
    });
    return found[0];
  }

  /** Every variable of the loop is a number or an array of numbers (no tensors, no objects). */
  private static boolean plainValues(Stmt.Loop l) {
    boolean[] ok = {true};
    Rewrite.forEachStmt(l.body(), s -> {
      if (s instanceof Stmt.Declare d && !plain(d.var())) {
        ok[0] = false;
      }
      Rewrite.forEachRead(s, r -> ok[0] &= plain(r.var()));
    });
    return ok[0];
  }

  private static boolean plain(Var v) {
    return v.type() instanceof Prim || v.type() instanceof ArrayType a && a.element() instanceof Prim;
  }

  private static Set<Var> declared(List<Stmt> block) {
    Set<Var> out = new HashSet<>();
    Rewrite.forEachStmt(block, s -> {
      if (s instanceof Stmt.Declare d) {
        out.add(d.var());
      }
    });
    return out;
  }

  /** {@code s} is only ever incremented in the loop, by values that do not read it. */
  private static boolean isSum(Var s, Stmt.Loop l, Activity activity) {
    boolean[] ok = {true};
    Rewrite.forEachStmt(l.body(), st -> {
      if (st instanceof Stmt.Assign a && a.var() == s) {
        Expr rest = increment(a.value(), s);
        if (rest == null || reads(rest, s)) {
          ok[0] = false;
        }
      } else if (!(st instanceof Stmt.Loop || st instanceof Stmt.If) && readsStmt(st, s)) {
        ok[0] = false;
      } else if (st instanceof Stmt.Loop inner && (reads(inner.cond(), s))) {
        ok[0] = false;
      } else if (st instanceof Stmt.If i && reads(i.cond(), s)) {
        ok[0] = false;
      }
    });
    return ok[0] && activity.isActive(s);
  }

  /** The rest of {@code s + rest}, {@code rest + s}, {@code s - rest} or a chain {@code s + e1 - e2}, or null. */
  private static Expr increment(Expr value, Var s) {
    Increments.Increment inc = Increments.of(value, new Read(s));
    return inc == null ? null : inc.rest();
  }

  private static boolean reads(Expr e, Var v) {
    if (e == null) {
      return false;
    }
    boolean[] found = {false};
    Rewrite.forEachRead(e, r -> found[0] |= r.var() == v);
    return found[0];
  }

  /** Whether the statement itself (not its nested statements) reads v. */
  private static boolean readsStmt(Stmt s, Var v) {
    boolean[] found = {false};
    Rewrite.forEachRead(s, r -> found[0] |= r.var() == v);
    return found[0];
  }

  /**
   * Array {@code a} is declared before the loop as {@code new double[B]}, is never assigned, is
   * named nowhere outside the loop but there, and each iteration fills it whole before reading it.
   */
  private static boolean isScratch(Var a, Stmt.Loop l, int at, List<Stmt> body, VarFacts facts, Set<Stmt> fills) {
    Expr bound = null;
    for (int i = 0; i < body.size(); i++) {
      Stmt s = body.get(i);
      if (i == at) {
        continue;
      }
      if (s instanceof Stmt.Declare d && d.var() == a) {
        if (i > at || !(d.init() instanceof Expr.NewArray n) || n.dims().size() != 1
            || !facts.isInvariant(n.dims().get(0))) {
          return false;
        }
        bound = n.dims().get(0);
      } else if (touches(List.of(s), a)) {
        return false;
      }
    }
    return bound != null && !facts.isAssigned(a) && filledBeforeRead(l.body(), a, bound, facts, fills);
  }

  /**
   * Number {@code v} is declared before the loop, named nowhere else outside it, and set by a
   * statement at the top of the loop's body before anything there reads it ({@code continued = false},
   * the flag a {@code continue} becomes, or {@code q = 0} before a sum over j).
   */
  private static boolean isScratchNumber(Var v, Stmt.Loop l, int at, List<Stmt> body) {
    boolean declared = false;
    for (int i = 0; i < body.size(); i++) {
      Stmt s = body.get(i);
      if (i == at) {
        continue;
      }
      if (s instanceof Stmt.Declare d && d.var() == v && i < at) {
        declared = !reads(d.init(), v);
      } else if (touches(List.of(s), v)) {
        return false;
      }
    }
    if (!declared) {
      return false;
    }
    for (Stmt s : l.body()) {
      if (touches(List.of(s), v)) {
        return s instanceof Stmt.Assign a && a.var() == v && !a.compound() && !reads(a.value(), v);
      }
    }
    return false;
  }

  /**
   * Each pass through {@code block} writes every element of {@code a} before it reads any. The
   * stores of the fills directly in the block go into {@code fills} (null: not wanted): what they
   * overwrite is the last iteration's, which no reverse code of this one reads.
   */
  private static boolean filledBeforeRead(List<Stmt> block, Var a, Expr bound, VarFacts facts, Set<Stmt> fills) {
    boolean filled = false;
    for (Stmt s : block) {
      if (filled || !touches(List.of(s), a)) {
        continue;
      }
      Stmt.ArrayStore store = fill(s, a, bound, facts);
      if (store != null) {
        filled = true;
        if (fills != null) {
          fills.add(store);
        }
      } else if (!(s instanceof Stmt.Loop inner && !touchesHeader(inner, a)
          && filledBeforeRead(inner.body(), a, bound, facts, null))) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code for (int v = 0; v < bound; v++) { ...; a[v] = e; ... }}: the store is the first statement
   * of the body to touch a, and the body names no element of a but a[v]. Returns the store, or null.
   */
  private static Stmt.ArrayStore fill(Stmt s, Var a, Expr bound, VarFacts facts) {
    if (!(s instanceof Stmt.Loop l) || touchesHeader(l, a)) {
      return null;
    }
    Var v = CountedLoops.countedIndex(l, facts);
    if (v == null || !(((Stmt.Declare) l.init().get(0)).init() instanceof Literal z)
        || !Integer.valueOf(0).equals(z.value()) || CountedLoops.step(l.update().get(0), v) != 1
        || !(l.cond() instanceof Binary c) || c.op() != BinOp.LT || !(c.left() instanceof Read r) || r.var() != v
        || !unversioned(c.right()).equals(unversioned(bound))) {
      return null;
    }
    // every element the body names is a[v]: an element not yet filled (a[v + 1]) would be last iteration's,
    // and so would some of those a call given the whole array reads (dot(a, x)); a.length is no element
    int[] named = {0};
    int[] own = {0};
    for (Stmt st : l.body()) {
      Rewrite.forEachRead(st, read -> named[0] += read.var() == a ? 1 : 0);
      Rewrite.exprs(st, e -> {
        if (e instanceof Expr.ArrayRead element && element.array() instanceof Read arr && arr.var() == a
            && element.index() instanceof Read i && i.var() == v
            || e instanceof Expr.Length n && n.array() instanceof Read arr2 && arr2.var() == a) {
          own[0]++;
        }
        return e;
      });
    }
    if (own[0] != named[0]) {
      return null;
    }
    for (Stmt st : l.body()) {
      if (!touches(List.of(st), a)) {
        continue;
      }
      return st instanceof Stmt.ArrayStore store && !store.compound()
          && store.target().array() instanceof Read arr && arr.var() == a
          && store.target().index() instanceof Read i && i.var() == v
          && !reads(store.value(), a) ? store : null;
    }
    return null;
  }

  private static Expr unversioned(Expr e) {
    return Rewrite.reads(e, r -> new Read(r.var()));
  }

  private static boolean touchesHeader(Stmt.Loop l, Var a) {
    return touches(l.init(), a) || touches(l.update(), a) || reads(l.cond(), a);
  }

  /** Whether the block reads or writes {@code a} anywhere. */
  private static boolean touches(List<Stmt> block, Var a) {
    boolean[] found = {false};
    Rewrite.forEachStmt(block, s -> {
      found[0] |= Activity.target(s) == a;
      if (s instanceof Stmt.If i) {
        found[0] |= reads(i.cond(), a);
      } else if (s instanceof Stmt.Loop l) {
        found[0] |= reads(l.cond(), a);
      } else {
        found[0] |= readsStmt(s, a);
      }
    });
    return found[0];
  }
}
