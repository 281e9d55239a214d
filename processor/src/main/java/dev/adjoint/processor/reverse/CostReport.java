package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Checkpointing;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.MethodCall;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a pullback costs, read from its sweeps ({@code -Aadjoint.report}): per loop of the forward
 * sweep, what one iteration puts on each tape (values and bytes) and, per loop of the reverse
 * sweep, which values one iteration recomputes instead of saving; outside loops, the same once.
 */
public final class CostReport {
  private static final Pattern LINE = Pattern.compile("line (\\d+): (.*)", Pattern.DOTALL);

  /** Values pushed on one tape, by one pass over a block (or at most, where branches push). */
  private static final class Pushes {
    final Map<String, Integer> count = new LinkedHashMap<>();
    /** Arrays pushed whole on the double tape ({@code doubleTape.pushAll(u)}), by name. */
    final List<String> arrays = new ArrayList<>();
    boolean conditional;

    void add(String tape) {
      count.merge(tape, 1, Integer::sum);
    }

    boolean isEmpty() {
      return count.isEmpty() && arrays.isEmpty();
    }

    String describe() {
      StringJoiner j = new StringJoiner(" + ");
      long bytes = 0;
      boolean exact = true;
      for (Map.Entry<String, Integer> e : count.entrySet()) {
        int n = e.getValue();
        switch (e.getKey()) {
          case "DoubleStack" -> {
            j.add(n + (n == 1 ? " double" : " doubles"));
            bytes += 8L * n;
          }
          case "IntStack" -> {
            j.add(n + (n == 1 ? " int" : " ints"));
            bytes += 4L * n;
          }
          case "TensorStack" -> {
            j.add(n + (n == 1 ? " tensor" : " tensors") + " (kept alive, not copied)");
            exact = false;
          }
          default -> {
            j.add(n + (n == 1 ? " callee record" : " callee records") + " (its residuals)");
            exact = false;
          }
        }
      }
      StringJoiner size = new StringJoiner(" + ");
      if (bytes > 0 || arrays.isEmpty()) {
        size.add(Long.toString(bytes));
      }
      for (String a : arrays) {
        j.add(a + ".length doubles");
        size.add("8 × " + a + ".length");
      }
      return (conditional ? "up to " : "") + j + " = " + (exact ? "" : "at least ") + size + " bytes";
    }
  }

  private final StringBuilder out = new StringBuilder();
  private final Names names;
  /** Loops labelled checkpoint:, which the forward sweep runs untaped: reported with their second run. */
  private final Set<Pos> checkpointed;

  private CostReport(Set<Pos> checkpointed, Names names) {
    this.checkpointed = checkpointed;
    this.names = names;
  }

  /** The report of one pullback, several lines; {@code millis} is the time the processor took for it. */
  public static String of(GradMethod g, double millis) {
    CostReport r = new CostReport(Checkpointing.labelled(g.primal().body()), g.names());
    String where = g.primal().owner().simpleNames().get(g.primal().owner().simpleNames().size() - 1) + "."
        + g.primal().name();
    r.out.append(String.format("adjoint.report: %s, built in %.1f ms", where, millis));
    Pushes once = new Pushes();
    r.forward(g.forward(), once, false);
    r.out.append("\n  outside loops: ").append(once.isEmpty() ? "tapes nothing" : "tapes " + once.describe());
    r.reverse(g.reverse());
    return r.out.toString();
  }

  /** Counts the pushes of a block into {@code into}; reports each loop's own per iteration. */
  private void forward(List<Stmt> block, Pushes into, boolean underBranch) {
    for (Stmt s : block) {
      if (s instanceof Stmt.Eval e && e.expr() instanceof MethodCall m && m.name().equals("push")
          && m.receiver() instanceof Read r && r.var().type() instanceof RefType t) {
        into.add(t.simpleNames().get(t.simpleNames().size() - 1));
        into.conditional |= underBranch;
      } else if (s instanceof Stmt.Eval e && e.expr() instanceof MethodCall m && m.name().equals("pushAll")) {
        into.arrays.add(arrayName(m.args().get(0))); // an array saved whole, or a callee's array partial
        into.conditional |= underBranch;
      } else if (s instanceof Stmt.Loop l && (checkpointed.contains(l.pos()) || keepsCopies(l))) {
        continue;
      } else if (s instanceof Stmt.Loop l) {
        Pushes iteration = new Pushes();
        forward(l.body(), iteration, false);
        forward(l.update(), iteration, false);
        String header = l.source() == null ? "a loop" : "loop at line " + l.pos().line() + " `" + l.source() + "`";
        boolean atOnce = l.body().contains(ReverseBuilder.ITERATION_BACKWARDS);
        out.append("\n  ").append(header).append(atOnce ? ": reversed iteration by iteration, each right after it"
            + " runs (nothing is kept for the reverse sweep); tapes per iteration, used up by the iteration itself, "
            : ": tapes per iteration ").append(iteration.isEmpty() ? "nothing" : iteration.describe());
      } else if (s instanceof Stmt.If i) {
        forward(i.then(), into, true);
        forward(i.otherwise(), into, true);
      } else {
        for (List<Stmt> inner : Rewrite.children(s)) {
          forward(inner, into, underBranch);
        }
      }
    }
  }

  /** How the report names an array pushed whole: {@code u}, or a record's component {@code dot.x()}. */
  private String arrayName(Expr array) {
    if (array instanceof Read r) {
      return names.of(r.var());
    }
    if (array instanceof MethodCall m && m.receiver() instanceof Read r && m.args().isEmpty()) {
      return names.of(r.var()) + "." + m.name() + "()";
    }
    return "an array's";
  }

  /** Whether the loop is the untaped run of a loop checkpointed past the tape budget. */
  private static boolean keepsCopies(Stmt.Loop l) {
    return l.pos() == Pos.NONE && !l.body().isEmpty() && l.body().get(0) instanceof Stmt.If i
        && i.cond() instanceof MethodCall m && m.name().equals("keeps");
  }

  /** Per loop of the reverse sweep (named by the comment before it), the values each iteration recomputes. */
  private void reverse(List<Stmt> block) {
    String last = null;
    boolean checkpointed = false;
    for (Stmt s : block) {
      if (s instanceof Stmt.Comment c) {
        Matcher m = LINE.matcher(c.text());
        last = m.matches() ? "line " + m.group(1) : null;
        checkpointed = m.matches() && m.group(2).contains(", checkpointed: ");
      } else if (s instanceof Stmt.Loop l && checkpointed) {
        // the schedule's actions: the iteration the forward sweep ran without a tape runs again here, taped
        Pushes iteration = new Pushes();
        Rewrite.forEachStmt(l.body(), inner -> {
          if (inner instanceof Stmt.If i && i.cond() instanceof MethodCall m && m.name().equals("tapes")) {
            forward(i.then(), iteration, false);
          }
        });
        out.append("\n  loop at ").append(last).append(" (checkpoint:): tapes per iteration ")
            .append(iteration.isEmpty() ? "nothing" : iteration.describe())
            .append(", for one iteration at a time, and keeps copies of its state where the binomial schedule"
                + " (revolve) says");
        checkpointed = false;
        reverse(l.body());
      } else if (s instanceof Stmt.Loop l) {
        List<String> recomputed = new ArrayList<>();
        for (Stmt b : l.body()) {
          if (b instanceof Stmt.Declare d && d.var().kind() == Var.Kind.LOCAL && d.var().type() instanceof Prim
              && !(d.init() instanceof MethodCall)) {
            recomputed.add(d.var().name());
          }
        }
        if (!recomputed.isEmpty()) {
          out.append("\n  reversing the loop at ").append(last == null ? "(generated)" : last)
              .append(": recomputes per iteration ").append(recomputed.size())
              .append(recomputed.size() == 1 ? " value (" : " values (").append(String.join(", ", recomputed))
              .append(") instead of taping them");
        }
        reverse(l.body());
      } else {
        for (List<Stmt> inner : Rewrite.children(s)) {
          reverse(inner);
        }
      }
    }
  }
}
