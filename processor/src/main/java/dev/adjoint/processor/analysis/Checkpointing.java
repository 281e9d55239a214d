package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the loops labelled {@code checkpoint:} (or {@code checkpoint<n>:}, n copies of the state) and
 * checks that they can be reversed from copies of their state (the reverse builder then runs
 * iterations again by the binomial schedule instead of taping every one): a loop at the method's top level, {@code for (int t = a; t < b; t++)} with {@code a}
 * and {@code b} unchanged by the body, left only through its condition, whose state (what the body
 * assigns that was declared before it) is doubles, ints, {@code double[]} and {@code double[][]} written
 * element by element. Anything else is reported at the loop, never silently taped in full.
 */
public final class Checkpointing {
  /** The label that asks for checkpointing; digits after it give the number of copies of the state. */
  public static final String LABEL = "checkpoint";
  /** The most copies a label may ask for. */
  static final int MOST_SLOTS = 1_000_000;

  private Checkpointing() {}

  /**
   * The loops a gradient checkpoints: those labelled, and under {@code -Aadjoint.tapeBudget} the
   * other eligible top-level loops, which are taped while the tapes hold at most {@code budget} bytes and
   * checkpointed past that.
   */
  public record Plan(Set<Pos> labelled, Set<Pos> budgeted, long budget) {
    /** No loop checkpointed. */
    public static final Plan NONE = new Plan(Set.of(), Set.of(), -1);

    public Plan {
      labelled = Set.copyOf(labelled);
      budgeted = Set.copyOf(budgeted);
    }

    /** Whether the loop at {@code pos} is labelled or over the budget. */
    public boolean contains(Pos pos) {
      return labelled.contains(pos) || budgeted.contains(pos);
    }
  }

  /**
   * The bytes of {@code -Aadjoint.tapeBudget=<n>} ({@code n} bytes, or with a suffix K, M or G), -1 when the
   * text is none of these; null (no option) gives 0: no budget.
   */
  public static long budget(String option) {
    if (option == null) {
      return 0;
    }
    String t = option.trim().toUpperCase(java.util.Locale.ROOT);
    long unit = 1;
    if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
      unit = t.endsWith("K") ? 1L << 10 : t.endsWith("M") ? 1L << 20 : 1L << 30;
      t = t.substring(0, t.length() - 1);
    }
    if (t.isEmpty() || t.length() > 15 || !t.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      return -1;
    }
    long n = Long.parseLong(t) * unit;
    return n > 0 ? n : -1;
  }

  /**
   * What the gradient checkpoints: the labelled loops ({@link #loops}) and, with a budget (the
   * option's text, or null), the unlabelled top-level loops the label would fit; empty after reporting
   * (a labelled loop refused, or a budget that is not a number of bytes, at the first loop it would apply to).
   */
  public static Optional<Plan> plan(List<Stmt> body, String budgetOption, Reporter reporter) {
    Optional<Set<Pos>> labelled = loops(body, reporter);
    if (labelled.isEmpty()) {
      return Optional.empty();
    }
    long budget = budget(budgetOption);
    if (budget == 0) {
      return Optional.of(new Plan(labelled.get(), Set.of(), -1));
    }
    Set<Pos> budgeted = new LinkedHashSet<>();
    for (Stmt s : body) {
      if (s instanceof Stmt.Loop l && whyNot(l, LABEL, body) == null) {
        if (budget < 0) {
          reporter.report(Diag.TAPE_BUDGET, l.pos(), budgetOption);
          return Optional.empty();
        }
        budgeted.add(l.pos());
      }
    }
    return Optional.of(new Plan(labelled.get(), budgeted, budget));
  }

  /**
   * The positions of the checkpointed loops; empty after reporting each labelled loop that cannot be
   * (the method then gets no gradient).
   */
  public static Optional<Set<Pos>> loops(List<Stmt> body, Reporter reporter) {
    Set<Pos> out = new LinkedHashSet<>();
    boolean[] refused = {false};
    for (Stmt s : body) {
      Stmt.Loop l = labelledLoop(s);
      if (l != null) {
        String label = ((Stmt.Breakable) s).label();
        String why = whyNot(l, label, body);
        if (why == null && slots(label) < 0) {
          reporter.report(Diag.CHECKPOINT_SLOTS, l.pos(), label, label.substring(LABEL.length()));
          refused[0] = true;
        } else if (why == null) {
          out.add(l.pos());
        } else {
          reporter.report(Diag.CHECKPOINT, l.pos(), why);
          refused[0] = true;
        }
      } else {
        for (List<Stmt> inner : Rewrite.children(s)) {
          Rewrite.forEachStmt(inner, n -> {
            Stmt.Loop nested = labelledLoop(n);
            if (nested != null) {
              reporter.report(Diag.CHECKPOINT, nested.pos(), "is inside another statement; only a loop at the"
                  + " top level of the method is checkpointed");
              refused[0] = true;
            }
          });
        }
      }
    }
    return refused[0] ? Optional.empty() : Optional.of(out);
  }

  /** Whether a label asks for checkpointing: {@code checkpoint}, or {@code checkpoint} and digits. */
  public static boolean isLabel(String label) {
    if (label == null || !label.startsWith(LABEL)) {
      return false;
    }
    for (int i = LABEL.length(); i < label.length(); i++) {
      if (label.charAt(i) < '0' || label.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * The copies of the state a checkpoint label asks for: 0 for {@code checkpoint} (the schedule picks
   * them from the number of steps), n for {@code checkpoint<n>}, -1 when n is not from 1 to
   * {@link #MOST_SLOTS}.
   */
  static int slots(String label) {
    String digits = label.substring(LABEL.length());
    if (digits.isEmpty()) {
      return 0;
    }
    String significant = digits.replaceFirst("^0+", "");
    if (significant.isEmpty() || significant.length() > 7) {
      return -1;
    }
    int n = Integer.parseInt(significant);
    return n <= MOST_SLOTS ? n : -1;
  }

  /**
   * The copies of the state asked for by the label of the checkpointed loop at {@code loop} (a statement of
   * the method's top level): 0 when the schedule picks them.
   */
  public static int slots(List<Stmt> body, Pos loop) {
    for (Stmt s : body) {
      Stmt.Loop l = labelledLoop(s);
      if (l != null && l.pos().equals(loop)) {
        return Math.max(0, slots(((Stmt.Breakable) s).label()));
      }
    }
    return 0;
  }

  /** Whether the method has a loop labelled {@code checkpoint:} anywhere. */
  public static boolean labels(List<Stmt> body) {
    return !labelled(body).isEmpty();
  }

  /** The positions of the loops labelled {@code checkpoint:}, checked or not. */
  public static Set<Pos> labelled(List<Stmt> body) {
    Set<Pos> out = new LinkedHashSet<>();
    Rewrite.forEachStmt(body, s -> {
      Stmt.Loop l = labelledLoop(s);
      if (l != null) {
        out.add(l.pos());
      }
    });
    return out;
  }

  /**
   * Whether a statement of the block leaves the checkpointed loop other than by its condition: a
   * return or throw anywhere, a break or continue of the loop itself (not of a loop or switch inside it).
   */
  private static boolean leaves(List<Stmt> block, String label, boolean breaksInner, boolean continuesInner) {
    for (Stmt s : block) {
      if (s instanceof Stmt.Return || s instanceof Stmt.Throw) {
        return true;
      }
      if (s instanceof Stmt.Break b && (!breaksInner && b.label() == null || label.equals(b.label()))
          || s instanceof Stmt.Continue c && (!continuesInner && c.label() == null || label.equals(c.label()))) {
        return true;
      }
      // inside a loop both stay there; inside a switch (or a labelled block) a break does, a continue not
      boolean breaks = breaksInner || s instanceof Stmt.Loop || s instanceof Stmt.Breakable;
      boolean continues = continuesInner || s instanceof Stmt.Loop;
      for (List<Stmt> b : Rewrite.children(s)) {
        if (leaves(b, label, breaks, continues)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Stmt.Loop labelledLoop(Stmt s) {
    return s instanceof Stmt.Breakable b && isLabel(b.label()) && b.body().size() == 1
        && b.body().get(0) instanceof Stmt.Loop l ? l : null;
  }

  /** Why the loop cannot be checkpointed, or null. */
  static String whyNot(Stmt.Loop l, String label, List<Stmt> method) {
    if (l.init().size() != 1 || !(l.init().get(0) instanceof Stmt.Declare d) || d.var().type() != Prim.INT
        || d.init() == null || l.update().size() != 1 || !unitStep(l.update().get(0), d.var())
        || !(l.cond() instanceof Binary c) || c.op() != BinOp.LT || !(c.left() instanceof Read r)
        || r.var() != d.var() || !l.testFirst()) {
      return "is not of the form for (int t = a; t < b; t++)";
    }
    Var index = d.var();
    Set<Var> assigned = new LinkedHashSet<>();
    Set<Var> declared = new LinkedHashSet<>();
    String[] problem = {null};
    Rewrite.forEachStmt(l.body(), s -> {
      Rewrite.exprs(s, e -> {
        String arg = arrayArgument(e);
        if (arg != null) {
          problem[0] = "passes the array " + arg + " to a method that may change it where the copies of the"
              + " loop's state would not see it";
        }
        return e;
      });
      if (s instanceof Stmt.Effect) {
        problem[0] = "calls a method for its effect, which the copies of the loop's state would not see";
      } else if (s instanceof Stmt.Declare x) {
        declared.add(x.var());
      } else if (s instanceof Stmt.Assign a) {
        assigned.add(a.var());
        if (a.var().type() instanceof ArrayType) {
          problem[0] = "points the array " + a.var().name() + " at another array; its state must be written"
              + " element by element";
        }
      } else if (s instanceof Stmt.ArrayStore st) {
        assigned.add(Activity.arrayVar(st.target()));
        if (st.value().type() instanceof ArrayType) {
          problem[0] = "replaces a row of " + Activity.arrayVar(st.target()).name() + "; its state must be written"
              + " element by element";
        }
      }
    });
    if (leaves(l.body(), label, false, false)) {
      return "is left otherwise than through its condition (break, continue, return or throw)";
    }
    if (problem[0] != null) {
      return problem[0];
    }
    if (assigned.contains(index)) {
      return "assigns its counter " + index.name();
    }
    Set<Var> bounds = new LinkedHashSet<>();
    Rewrite.forEachRead(d.init(), x -> bounds.add(x.var()));
    Rewrite.forEachRead(c.right(), x -> bounds.add(x.var()));
    for (Var b : bounds) {
      // an array's length stays: the body only writes its elements (pointing it elsewhere is refused above)
      if (assigned.contains(b) && !(b.type() instanceof ArrayType)) {
        return "changes " + b.name() + ", which its bounds read";
      }
    }
    if (!(c.right().type() instanceof Prim p) || p != Prim.INT && p != Prim.SHORT && p != Prim.BYTE
        && p != Prim.CHAR) {
      return "has a bound that is not an int";
    }
    for (Var v : assigned) {
      if (!declared.contains(v) && v != index && !storable(v.type())) {
        return "changes " + v.name() + ", of type " + v.type().display() + ", which cannot be copied as its state"
            + " (double, int, double[] and double[][] can)";
      }
    }
    for (Var v : inputs(l, method)) {
      if (!storable(v.type())) {
        return "reads " + v.name() + ", of type " + v.type().display() + ", which the method changes elsewhere and"
            + " which cannot be copied (double, int, double[] and double[][] can)";
      }
    }
    return null;
  }

  /**
   * What the loop body reads, declared before the loop, that the body does not change but the method
   * changes elsewhere: its value at the loop is copied once, for the iterations that run again after
   * the statements following the loop have changed it.
   */
  public static List<Var> inputs(Stmt.Loop l, List<Stmt> method) {
    Set<Var> written = new LinkedHashSet<>();
    Rewrite.forEachStmt(method, s -> {
      if (s instanceof Stmt.Assign a) {
        written.add(a.var());
      } else if (s instanceof Stmt.ArrayStore st) {
        written.add(Activity.arrayVar(st.target()));
      }
    });
    Set<Var> local = new LinkedHashSet<>();
    Set<Var> read = new LinkedHashSet<>();
    Rewrite.forEachStmt(l.body(), s -> {
      if (s instanceof Stmt.Declare x) {
        local.add(x.var());
      }
      Rewrite.forEachRead(s, r -> read.add(r.var()));
    });
    for (Stmt i : l.init()) {
      if (i instanceof Stmt.Declare x) {
        local.add(x.var());
      }
    }
    read.removeAll(local);
    read.removeAll(state(l));
    read.retainAll(written);
    return List.copyOf(read);
  }

  /**
   * The array a call may write into: an argument of a method whose writes are not ruled out (a
   * differentiated callee's are: ADJ224 refuses them), or null.
   */
  private static String arrayArgument(Expr e) {
    List<Expr> args;
    if (e instanceof Expr.Invoke i) {
      if (!i.callee().plain()) {
        return null;
      }
      args = i.args();
    } else if (e instanceof Expr.Call c) {
      args = c.args();
    } else if (e instanceof Expr.MethodCall m) {
      args = m.args();
    } else {
      return null;
    }
    for (Expr a : args) {
      if (a.type() instanceof ArrayType && a instanceof Read r) {
        return r.var().name();
      }
      if (a.type() instanceof ArrayType) {
        return "argument";
      }
    }
    return null;
  }

  /** Whether a copy of the loop's state can hold a variable of this type: double, int, double[], double[][]. */
  public static boolean storable(Type t) {
    return t == Prim.DOUBLE || t == Prim.INT || t instanceof ArrayType a
        && (a.element() == Prim.DOUBLE || a.element() instanceof ArrayType b && b.element() == Prim.DOUBLE);
  }

  private static boolean unitStep(Stmt s, Var i) {
    return s instanceof Stmt.Assign a && a.var() == i && a.value() instanceof Binary b && b.op() == BinOp.ADD
        && b.left() instanceof Read r && r.var() == i && b.right() instanceof Literal k
        && Integer.valueOf(1).equals(k.value());
  }

  /** The variables the loop body assigns that were declared before it: what a copy of its state holds. */
  public static List<Var> state(Stmt.Loop l) {
    Set<Var> assigned = new LinkedHashSet<>();
    Set<Var> declared = new LinkedHashSet<>();
    Rewrite.forEachStmt(l.body(), s -> {
      if (s instanceof Stmt.Declare x) {
        declared.add(x.var());
      } else if (s instanceof Stmt.Assign a) {
        assigned.add(a.var());
      } else if (s instanceof Stmt.ArrayStore st) {
        assigned.add(Activity.arrayVar(st.target()));
      }
    });
    assigned.removeAll(declared);
    for (Stmt i : l.init()) {
      if (i instanceof Stmt.Declare x) {
        assigned.remove(x.var());
      }
    }
    return List.copyOf(assigned);
  }
}
