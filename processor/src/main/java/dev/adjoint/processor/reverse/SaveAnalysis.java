package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Length;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.MethodCall;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which values the forward sweep saves before overwriting them: only those that the
 * reverse sweep will read. Works from what the reverse code reads per statement, as
 * {@link AdjointReads} finds it for the previous decisions; {@link SavePlan} iterates the two until
 * they no longer change.
 */
final class SaveAnalysis {
  private final List<Stmt> body;
  /** The primal variables the reverse sweep reads; null for the first round, which saves nothing. */
  private final Set<Var> needed;
  /** The primal variables the reverse sweep names at all (a.length too): they must be in its scope. */
  private final Set<Var> mentioned;

  /** What the previous round found: the variables whose values, and those whose names, the reverse sweep uses. */
  record Inputs(Set<Var> read, Set<Var> mentioned) {}
  /** Per statement (any depth), what its reverse code reads after the previous round's decisions. */
  private final Map<Stmt, Set<Var>> reads;
  private final VarFacts facts;
  /** Per nested statement, the block that holds it and the statement that owns that block (null: the body). */
  private final Map<Stmt, Place> places = new IdentityHashMap<>();

  private record Place(List<Stmt> block, Stmt owner) {}

  /** Save every overwritten value ({@link ReverseBuilder.Saves#ALL}): the oracle of the others. */
  private final boolean all;

  SaveAnalysis(List<Stmt> body, Inputs previous, Map<Stmt, Set<Var>> reads, VarFacts facts, boolean all) {
    this.all = all;
    this.body = body;
    this.needed = previous == null ? null : previous.read();
    this.mentioned = previous == null ? Set.of() : previous.mentioned();
    this.reads = reads;
    this.facts = facts;
    locate(body, null);
  }

  private void locate(List<Stmt> block, Stmt owner) {
    for (Stmt s : block) {
      places.put(s, new Place(block, owner));
      for (List<Stmt> inner : Rewrite.children(s)) {
        locate(inner, s);
      }
    }
  }

  /** Whether the reverse sweep names v (its value or only its length): then v must be in its scope. */
  boolean isMentioned(Var v) {
    return isNeeded(v) || mentioned.contains(v);
  }

  boolean isNeeded(Var v) {
    if (all) {
      return !facts.loopIndexes.contains(v);
    }
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
    if (all || !isNeeded(v)) {
      return all && isNeeded(v); // saving everything: every write saves what it overwrites
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
      // (a stepped-back int increment is no such write: putting back its old value reads the new one)
      boolean simple = before instanceof Stmt.Declare
          || before instanceof Stmt.Assign a && undoneIncrement(a) == null;
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
    if (all || !isNeeded(v)) {
      return all && isNeeded(v); // saving everything: every write saves what it overwrites
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
    if (all) {
      return isNeeded(v);
    }
    if (isNeeded(v) && refilledBefore(v, s)) {
      return false;
    }
    Place at = places.get(s);
    if (at != null && at.owner() != null && isRecomputedFill(at.owner())) {
      return false; // the reverse sweep fills the array again instead
    }
    return depth == 0 ? isNeededAt(v, s) : isNeededNested(v, top);
  }

  /**
   * Whether a statement that overwrites all of {@code a} (a scalar's assignment, a loop filling an
   * array) comes before {@code s}, in the block around s or in an enclosing one, and no reverse
   * code between them reads a (nor that of the statements enclosing s). Then what s overwrites is
   * never read: in the reverse sweep, that statement puts all of a back before anything reads a
   * again. This is what keeps
   * {@code q[j] = q[j] + ...} after {@code for (i = 0; i < d; i++) q[i] = ...}, and {@code sum = sum +
   * e} in a loop after {@code sum = 0}, from saving anything.
   */
  private boolean refilledBefore(Var a, Stmt s) {
    for (Stmt cur = s; ; ) {
      Place at = places.get(cur);
      if (at == null || reverseReads(cur, a)) {
        return false;
      }
      for (int t = indexIn(at.block(), cur) - 1; t >= 0; t--) {
        Stmt before = at.block().get(t);
        // reads first: a write whose reverse code reads a before putting its value back needs
        // the value s overwrote
        if (reverseReads(before, a)) {
          return false;
        }
        if (overwritesWhole(before, a)) {
          return true;
        }
      }
      if (at.owner() == null) {
        return false;
      }
      // go out: the enclosing statement's reverse code as a whole (all iterations of a loop, both
      // arms of a branch) must not read a either, then on to what comes before it
      cur = at.owner();
    }
  }

  /**
   * Whether loop {@code w} is a fill that the reverse sweep runs again instead of saving what it
   * overwrites: {@code for (int i = 0; i < n; i++) a[i] = e;} directly in a loop body, where e
   * gives the same value whenever it is evaluated in that iteration (it reads loop indexes,
   * variables never assigned, arrays never written), nothing else writes a, and the only reverse
   * code that reads a belongs to statements after w in the same body. Each iteration of the
   * reverse sweep then starts by filling a again, and a needs no tape (xcentered[id] = x[...] -
   * means[...] in ADBench's GMM).
   */
  boolean isRecomputedFill(Stmt w) {
    if (all || needed == null || !(w instanceof Stmt.Loop l) || l.body().size() != 1
        || !(l.body().get(0) instanceof Stmt.ArrayStore store) || !(store.target().array() instanceof Read arr)) {
      return false;
    }
    Var a = arr.var();
    Place at = places.get(w);
    if (at == null || !(at.owner() instanceof Stmt.Loop owner) || at.block() != owner.body() || !fillsWhole(w, a)) {
      return false;
    }
    Var i = ((Stmt.Declare) l.init().get(0)).var();
    Expr value = Rewrite.bottomUp(store.value(), x -> x instanceof Read r && r.var() == i ? new Literal(0, "0", Prim.INT) : x);
    if (!facts.isRecomputable(value)) {
      return false;
    }
    boolean[] otherWrite = {false};
    Rewrite.forEachStmt(body, t -> otherWrite[0] |= t != store && t instanceof Stmt.ArrayStore st
        && Activity.arrayVar(st.target()) == a);
    if (otherWrite[0]) {
      return false;
    }
    int position = indexIn(at.block(), w);
    for (Map.Entry<Stmt, Set<Var>> e : reads.entrySet()) {
      if (e.getValue().contains(a) && !enclosesOrFollows(e.getKey(), w, at.block(), position)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The store of a loop that overwrites a whole {@code double[]}, {@code for (int i = 0; i < n; i++)
   * a[i] = e;} ({@link #fillsWhole}) with e not reading a, when that store must save what it
   * overwrites (the loop at {@code depth}, inside top-level {@code top}); else null. The forward sweep
   * then saves a in one piece before the loop ({@code doubleTape.pushAll(a)}) and the reverse sweep
   * puts it back in one piece after reversing the loop ({@code doubleTape.popInto(a)}), instead of an
   * element at a time: the loop's reverse code never reads a (e does not), so which of its elements
   * are back yet does not matter. (Not for the save-everything oracle, which keeps the element form.)
   */
  Stmt.ArrayStore savedWhole(Stmt.Loop l, Stmt top, int depth) {
    if (all || l.body().size() != 1 || !(l.body().get(0) instanceof Stmt.ArrayStore store)
        || !(store.target().array() instanceof Read arr) || !(arr.type() instanceof ArrayType at)
        || at.element() != Prim.DOUBLE || !fillsWhole(l, arr.var())) {
      return null;
    }
    boolean[] readsA = {false};
    Rewrite.forEachRead(store.value(), r -> readsA[0] |= r.var() == arr.var());
    return readsA[0] || !mustSave(arr.var(), store, top, depth + 1) ? null : store;
  }

  /** Whether {@code t} encloses {@code w}, or lies in {@code block} after position {@code after}. */
  private boolean enclosesOrFollows(Stmt t, Stmt w, List<Stmt> block, int after) {
    for (Stmt up = w; up != null; up = places.get(up).owner()) {
      if (up == t) {
        return true;
      }
    }
    for (Stmt cur = t; cur != null; cur = places.get(cur).owner()) {
      Place p = places.get(cur);
      if (p == null) {
        return false;
      }
      if (p.block() == block) {
        return indexIn(block, cur) > after;
      }
    }
    return false;
  }

  /**
   * Whether statement {@code s}, when it runs, gives all of v a new value and puts the old one
   * back itself: a declaration or assignment of a scalar (not a stepped-back increment, whose
   * undoing reads the newer value), or a loop that fills the whole array.
   */
  private boolean overwritesWhole(Stmt s, Var v) {
    if (v.type() instanceof ArrayType) {
      return fillsWhole(s, v);
    }
    return s instanceof Stmt.Declare d && d.var() == v && d.init() != null
        || s instanceof Stmt.Assign a && a.var() == v && undoneIncrement(a) == null;
  }

  /**
   * {@code for (int i = 0; i < n; i++) { a[i] = ...; ... }} where n is a's length (its
   * {@code .length}, or the size it was created with from values that never change) and nothing
   * else assigns i: every element of the 1-D array a is written.
   */
  private boolean fillsWhole(Stmt s, Var a) {
    if (!(s instanceof Stmt.Loop l) || l.body().isEmpty()
        || !(l.body().get(0) instanceof Stmt.ArrayStore store) || store.target().type() instanceof ArrayType
        || !(store.target().array() instanceof Read arr) || arr.var() != a) {
      return false;
    }
    Var i = CountedLoops.countedIndex(l, facts);
    if (i == null || !(store.target().index() instanceof Read idx) || idx.var() != i
        || CountedLoops.step(l.update().get(0), i) != 1
        || !(((Stmt.Declare) l.init().get(0)).init() instanceof Literal start) || !Integer.valueOf(0).equals(start.value())
        || !(l.cond() instanceof Binary c) || c.op() != BinOp.LT || !(c.left() instanceof Read ri) || ri.var() != i) {
      return false;
    }
    Expr created = createdLength(a);
    // (a length read once into a local holds for a only while a is the array it was read from)
    return c.right().equals(new Length(new Read(a))) || created != null && (c.right().equals(created)
        || facts.isSingleAssigned(a) && unchanging(c.right()).equals(unchanging(created)));
  }

  /**
   * The expression itself, or for a local declared once at top level and never assigned ({@code int n =
   * u0.length;}) its initial value, which it holds wherever it is read after.
   */
  private Expr unchanging(Expr e) {
    if (e instanceof Read r && facts.isSingleAssigned(r.var())) {
      for (Stmt s : body) {
        if (s instanceof Stmt.Declare d && d.var() == r.var() && d.init() != null) {
          return d.init();
        }
      }
    }
    return e;
  }

  /** The n of a top-level {@code double[] a = new double[n]} whose n reads only variables never assigned. */
  private Expr createdLength(Var a) {
    for (Stmt s : body) {
      if (s instanceof Stmt.Declare d && d.var() == a && d.init() instanceof Expr.NewArray na && na.dims().size() == 1) {
        boolean[] fixed = {true};
        Rewrite.forEachRead(na.dims().get(0), r -> fixed[0] &= facts.neverAssigned(r.var()));
        return fixed[0] ? na.dims().get(0) : null;
      }
    }
    return null;
  }

  /** Whether the reverse code of {@code s} reads v after the previous round (yes if s was not analysed). */
  private boolean reverseReads(Stmt s, Var v) {
    Set<Var> r = reads.get(s);
    return r == null || r.contains(v);
  }

  private int indexOf(Stmt s) {
    int i = indexIn(body, s);
    if (i < 0) {
      throw new IllegalStateException("not a top-level statement: " + s);
    }
    return i;
  }

  /** The position of {@code s} itself in a block (statements are records: equal is not the same). */
  private static int indexIn(List<Stmt> block, Stmt s) {
    for (int i = 0; i < block.size(); i++) {
      if (block.get(i) == s) {
        return i;
      }
    }
    return -1;
  }

  private static boolean writes(Stmt s, Var v) {
    boolean[] found = {false};
    Rewrite.forEachStmt(List.of(s), x -> found[0] |= Activity.target(x) == v);
    return found[0];
  }

  /**
   * For an integer step {@code i = i + c} / {@code i = i - c} whose c does not read i: the old
   * value, {@code i - c} / {@code i + c}, so nothing is saved. Exact, since int and long arithmetic
   * wraps around; c is evaluated again in the reverse sweep, which restores what it reads like any
   * other read. Null for any other assignment.
   */
  static Expr undoneIncrement(Stmt.Assign a) {
    Var v = a.var();
    if (!(v.type() == Prim.INT || v.type() == Prim.LONG) || !(a.value() instanceof Binary b)
        || !(b.op() == BinOp.ADD || b.op() == BinOp.SUB)) {
      return null;
    }
    Expr step;
    if (b.left() instanceof Read r && r.var() == v) {
      step = b.right();
    } else if (b.op() == BinOp.ADD && b.right() instanceof Read r && r.var() == v) {
      step = b.left();
    } else {
      return null;
    }
    boolean[] plain = {true};
    Rewrite.bottomUp(step, x -> {
      plain[0] &= !(x instanceof Read r && r.var() == v)
          && (x instanceof Read || x instanceof Literal || x instanceof Binary || x instanceof Expr.Neg
              || x instanceof Cast || x instanceof Length || x instanceof ArrayRead);
      return x;
    });
    return plain[0] ? new Binary(b.op() == BinOp.ADD ? BinOp.SUB : BinOp.ADD, new Read(v), step, v.type()) : null;
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

  /** Per top-level statement, what its reverse code reads (nothing before the first round). */
  private Set<Var> topReadsOf(Stmt s) {
    return reads.getOrDefault(s, Set.of());
  }

  /** The primal variables ({@code primal}) that reverse code reads, array lengths aside. */
  static Set<Var> readsOf(List<Stmt> reverse, Set<Var> primal) {
    Set<Var> reads = new HashSet<>();
    Rewrite.forEachStmt(reverse, s -> collectReads(s, reads));
    reads.retainAll(primal);
    return reads;
  }

  /**
   * The variables the statements read. Putting a saved element back into a 1-D array
   * ({@code a[i] = tape.pop()}) does not read a: an array that nothing else in the reverse sweep
   * reads needs no saving.
   */
  static void collectReads(Stmt s, Set<Var> out) {
    if (s instanceof Stmt.ArrayStore st && st.target().array() instanceof Read) {
      collectAll(st.target().index(), out);
      collectAll(st.value(), out);
    } else if (s instanceof Stmt.ArrayStore st) {
      collectAll(st.target(), out);
      collectAll(st.value(), out);
    } else if (s instanceof Stmt.If i) {
      collectAll(i.cond(), out); // the nested statements are visited on their own
    } else if (s instanceof Stmt.Loop l) {
      if (l.cond() != null) {
        collectAll(l.cond(), out);
      }
    } else if (s instanceof Stmt.Declare d) {
      if (d.init() != null) {
        collectAll(d.init(), out);
      }
    } else if (s instanceof Stmt.Assign a) {
      collectAll(a.value(), out);
    } else if (s instanceof Stmt.Eval e && e.expr() instanceof MethodCall m && m.name().equals("popInto")) {
      // putting a saved array back (doubleTape.popInto(a)) writes a, it does not read it
    } else if (s instanceof Stmt.Eval e) {
      collectAll(e.expr(), out);
    } else if (s instanceof Stmt.Effect e) {
      collectAll(e.expr(), out);
    } else if (s instanceof Stmt.Throw t) {
      t.holes().forEach(h -> collectAll(h, out));
    } else if (s instanceof Stmt.Return r) {
      collectAll(r.value(), out);
    }
  }

  /**
   * The variables an expression reads. A length never changes, so {@code a.length} reads nothing
   * that needs saving; {@code a[i].length} reads only the row index.
   */
  private static void collectAll(Expr e, Set<Var> out) {
    Expr withoutLengths = Rewrite.bottomUp(e, x -> x instanceof Length l ? rowIndexes(l.array()) : x);
    Rewrite.forEachRead(withoutLengths, r -> out.add(r.var()));
  }

  /** The row indexes of an array expression ({@code i} of {@code a[i]}), as one int expression. */
  private static Expr rowIndexes(Expr array) {
    Expr indexes = new Literal(0, "0", Prim.INT);
    for (Expr at = array; at instanceof ArrayRead a; at = a.array()) {
      indexes = new Binary(BinOp.ADD, indexes, a.index(), Prim.INT);
    }
    return indexes;
  }
}
