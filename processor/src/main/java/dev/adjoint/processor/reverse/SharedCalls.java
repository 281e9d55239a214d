package dev.adjoint.processor.reverse;

import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.Rules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * At top level, a {@code Math} call that a statement evaluates and its adjoint evaluates again
 * ({@code Math.exp(-x)} in {@code 1 / (1 + Math.exp(-x))} and in its derivative) is computed once,
 * into a local of the forward sweep that the reverse sweep reads. Both evaluate it on the values
 * the statement saw (the reverse sweep puts overwritten values back first), so the result is the
 * same; a top-level local is assigned once, so nothing needs saving. Inside loops and branches
 * the local would have to go on a tape, which costs about what the call saves: not done there.
 */
final class SharedCalls {
  /** Calls cheaper than a local's line in the forward sweep: left where they are. */
  private static final Set<String> CHEAP = Set.of("abs", "max", "min", "signum", "floor", "ceil", "rint", "round",
      "copySign", "toRadians", "toDegrees");

  private SharedCalls() {}

  /**
   * Rewrites a top-level statement's code: {@code fwd} ends with the statement (after any saves),
   * {@code rev} is its adjoint.
   */
  static void hoist(List<Stmt> fwd, List<Stmt> rev, Names names) {
    if (fwd.isEmpty() || rev.isEmpty()) {
      return;
    }
    int at = fwd.size() - 1;
    Stmt stmt = fwd.get(at);
    Expr value = valueOf(stmt);
    if (value == null) {
      return;
    }
    Set<Expr> always = new LinkedHashSet<>();
    collectUnconditionalCalls(value, always);
    // the adjoint's calls, innermost first, that the statement evaluates too
    Set<Expr> shared = new LinkedHashSet<>();
    for (Stmt r : rev) {
      if (!(r instanceof Stmt.If)) { // a call inside a chosen operand must stay there
        Rewrite.exprs(r, e -> {
          if (e instanceof Call c && always.contains(c)) {
            shared.add(c);
          }
          return e;
        });
      }
    }
    Map<Expr, Expr> replacements = new LinkedHashMap<>();
    UnaryOperator<Expr> replace = e -> replacements.getOrDefault(e, e);
    for (Expr call : shared) {
      Expr computed = Rewrite.bottomUp(call, replace);
      Var found = boundIn(rev, computed);
      Var bound = found != null ? found : boundIn(rev, call);
      Var local = bound != null ? bound : new Var(((Call) call).name(), call.type(), Var.Kind.SYNTHETIC);
      if (bound != null) {
        rev.removeIf(r -> r instanceof Stmt.Declare d && d.var() == bound);
      } else {
        names.generated(local);
      }
      fwd.add(at++, new Stmt.Declare(local, computed, stmt.pos(), null));
      replacements.put(call, new Read(local));
      // an enclosing call is looked up after its inner calls were replaced: by that form too
      replacements.put(computed, new Read(local));
    }
    if (replacements.isEmpty()) {
      return;
    }
    fwd.set(at, Rewrite.exprs(stmt, replace));
    rev.replaceAll(r -> r instanceof Stmt.If ? r : Rewrite.exprs(r, replace));
  }

  private static Expr valueOf(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return d.init();
    }
    if (s instanceof Stmt.Assign a) {
      return a.value();
    }
    return s instanceof Stmt.ArrayStore a ? a.value() : null;
  }

  /** The local that the adjoint already binds the call to ({@code double exp = Math.exp(-x);}), or null. */
  private static Var boundIn(List<Stmt> rev, Expr call) {
    for (Stmt r : rev) {
      if (r instanceof Stmt.Declare d && d.init().equals(call)) {
        return d.var();
      }
    }
    return null;
  }

  /** Math calls that evaluating {@code e} always evaluates: not under {@code ?:}, {@code &&}, {@code ||}. */
  private static void collectUnconditionalCalls(Expr e, Set<Expr> out) {
    out.addAll(alwaysEvaluated(e,
        x -> x instanceof Call c && Rules.isMathClass(c.owner().qualifiedName()) && !CHEAP.contains(c.name())));
  }

  /**
   * The subexpressions of {@code e} that {@code wanted} picks and that every evaluation of e
   * evaluates: none under {@code ?:}, or right of {@code &&} / {@code ||}, nor containing such a part.
   * Innermost first.
   */
  static List<Expr> alwaysEvaluated(Expr e, Predicate<Expr> wanted) {
    Set<Expr> all = new LinkedHashSet<>();
    Rewrite.bottomUp(e, x -> {
      all.add(x);
      return x;
    });
    // drop what may not be evaluated; a node with such a part inside is rebuilt, so no longer
    // equals one of the original nodes, and is left out
    Expr evaluated = Rewrite.bottomUp(e, x -> x instanceof Conditional c ? c.cond()
        : x instanceof Binary b && (b.op() == BinOp.AND || b.op() == BinOp.OR) ? b.left() : x);
    List<Expr> out = new ArrayList<>();
    Rewrite.bottomUp(evaluated, x -> {
      if (wanted.test(x) && all.contains(x) && !containsChoice(x)) {
        out.add(x);
      }
      return x;
    });
    return out;
  }

  private static boolean containsChoice(Expr e) {
    boolean[] found = {false};
    Rewrite.bottomUp(e, x -> {
      found[0] |= x instanceof Conditional || x instanceof Binary b && (b.op() == BinOp.AND || b.op() == BinOp.OR);
      return x;
    });
    return found[0];
  }
}
