package dev.adjoint.processor.reverse;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Invoke;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * In an iteration reversed as soon as it has run, a call whose pullback runs right after it
 * ({@code s = s + f(v)}, the iteration's last statement, then {@code fVjpInto(v, 1.0, vBar)}): one
 * call of {@code fValueVjpInto(v, 1.0, vBar)} gives the value and adds the pullback, so that the
 * callee's forward sweep runs once instead of twice.
 *
 * <p>Valid when nothing runs between the two calls that either reads or writes: the call is the
 * last statement of the iteration's forward half, evaluated once and unconditionally, and the
 * reverse code before its pullback touches none of the variables the pullback reads or writes;
 * the pullback's seed is then known when the call runs (the sum's adjoint is taken as 1), provided
 * it reads only variables that statement does not write and calls nothing but Math functions.
 */
final class ValuePullbacks {
  private ValuePullbacks() {}

  /** The iteration (forward half, then {@code marker}, then reverse half), with such a call merged. */
  static List<Stmt> merge(List<Stmt> forward, Stmt marker, List<Stmt> reverse) {
    List<Stmt> out = new ArrayList<>(forward);
    out.add(marker);
    if (forward.isEmpty()) {
      out.addAll(reverse);
      return out;
    }
    Stmt last = forward.get(forward.size() - 1);
    Invoke call = onlyInvoke(last);
    int at = call == null ? -1 : pullbackOf(call, last, reverse);
    if (at < 0) {
      out.addAll(reverse);
      return out;
    }
    Call pullback = (Call) ((Stmt.Eval) reverse.get(at)).expr();
    Call merged = new Call(pullback.owner(), call.callee().name() + SUFFIX, pullback.args(),
        call.callee().result());
    out.set(forward.size() - 1, Rewrite.exprs(last, e -> e instanceof Invoke ? merged : e));
    // the statement's reverse block says where its call's pullback went
    int comment = at - 1;
    while (comment >= 0 && !(reverse.get(comment) instanceof Stmt.Comment)) {
      comment--;
    }
    for (int k = 0; k < reverse.size(); k++) {
      if (k == comment) {
        out.add(new Stmt.Comment(((Stmt.Comment) reverse.get(k)).text() + " (" + call.callee().method()
            + "'s pullback ran with the call: " + merged.name() + ")"));
      } else if (k != at) {
        out.add(reverse.get(k));
      }
    }
    return out;
  }

  /** Whether the statement (not its nested ones) calls a callee's {@code fValueVjpInto}. */
  static boolean runsPullback(Stmt s) {
    boolean[] found = {false};
    if (Rewrite.children(s).isEmpty()) {
      Rewrite.exprs(s, e -> {
        found[0] |= e instanceof Call c && c.name().endsWith(SUFFIX);
        return e;
      });
    }
    return found[0];
  }

  /** The suffix of the generated method that gives a callee's value and adds its pullback. */
  static final String SUFFIX = "ValueVjpInto";

  /**
   * The statement's one call of a callee with an accumulating pullback, if it writes a variable, the
   * call is its only user-method call and it is evaluated unconditionally; else null.
   */
  private static Invoke onlyInvoke(Stmt s) {
    Expr value = s instanceof Stmt.Assign a ? a.value() : s instanceof Stmt.Declare d ? d.init()
        : s instanceof Stmt.ArrayStore a ? a.value() : null;
    if (value == null) {
      return null;
    }
    List<Invoke> invokes = new ArrayList<>();
    boolean[] other = {false};
    Rewrite.bottomUp(value, e -> {
      if (e instanceof Invoke i) {
        invokes.add(i);
      } else if (e instanceof Expr.Conditional c && (contains(c.then()) || contains(c.otherwise()))) {
        other[0] = true; // run on one branch only
      } else if (e instanceof Expr.MethodCall || e instanceof Expr.Op || e instanceof Expr.Update
          || e instanceof Expr.New || e instanceof Call c && !ForwardPruning.pure(c)) {
        other[0] = true;
      }
      return e;
    });
    if (other[0] || invokes.size() != 1 || s instanceof Stmt.ArrayStore a && contains(a.target())) {
      return null;
    }
    Invoke i = invokes.get(0);
    Callee c = i.callee();
    return c.accumulates() && i.receiver() == null ? i : null;
  }

  private static boolean contains(Expr e) {
    boolean[] found = {false};
    Rewrite.bottomUp(e, x -> {
      found[0] |= x instanceof Invoke;
      return x;
    });
    return found[0];
  }

  /**
   * Where in the reverse half the call's accumulating pullback is, when it can run at the call
   * instead; else -1.
   */
  private static int pullbackOf(Invoke call, Stmt at, List<Stmt> reverse) {
    String name = call.callee().name() + "VjpInto";
    Set<Var> touched = new HashSet<>(); // what the reverse code before the pullback reads or writes
    for (int k = 0; k < reverse.size(); k++) {
      Stmt s = reverse.get(k);
      if (s instanceof Stmt.Comment) {
        continue;
      }
      if (s instanceof Stmt.Eval ev && ev.expr() instanceof Call p && p.name().equals(name)
          && p.owner().equals(call.callee().gradClass()) && p.args().size() > call.args().size()
          && p.args().subList(0, call.args().size()).equals(call.args())) {
        Set<Var> used = new HashSet<>();
        p.args().forEach(a -> Rewrite.forEachRead(a, r -> used.add(r.var())));
        Expr seed = p.args().get(call.args().size());
        boolean seedKnown = ForwardPruning.pure(seed) && !reads(seed, written(at));
        boolean argsKnown = call.args().stream().noneMatch(a -> reads(a, written(at)));
        return seedKnown && argsKnown && used.stream().noneMatch(touched::contains) ? k : -1;
      }
      if (!(s instanceof Stmt.Declare || s instanceof Stmt.Assign || s instanceof Stmt.ArrayStore)) {
        return -1; // anything with effects or nested code: not moved past
      }
      Rewrite.forEachRead(s, r -> touched.add(r.var()));
      if (s instanceof Stmt.Declare d) {
        touched.add(d.var());
      } else if (s instanceof Stmt.Assign a) {
        touched.add(a.var());
      }
    }
    return -1;
  }

  /** The variable a statement writes (an array's, for an element). */
  private static Var written(Stmt s) {
    return s instanceof Stmt.Assign a ? a.var() : s instanceof Stmt.Declare d ? d.var()
        : s instanceof Stmt.ArrayStore a ? dev.adjoint.processor.analysis.Activity.arrayVar(a.target()) : null;
  }

  private static boolean reads(Expr e, Var v) {
    boolean[] found = {false};
    Rewrite.forEachRead(e, r -> found[0] |= r.var() == v);
    return found[0];
  }
}
