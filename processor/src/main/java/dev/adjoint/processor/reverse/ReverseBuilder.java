package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.num;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.VarVersion;
import dev.adjoint.processor.analysis.Versioning;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the gradient of a straight-line method: the forward sweep (the primal statements, plus a
 * saved copy of each value that the reverse sweep needs after the forward sweep overwrote it) and
 * the reverse sweep (the statements' adjoints in reverse order).
 */
public final class ReverseBuilder {
  private final Method method;
  private final Versioning.Result versions;
  private final Activity activity;
  private final Names names;
  private final Map<Var, Var> adjoints = new LinkedHashMap<>();
  private final Var value;

  private ReverseBuilder(Method method) {
    this.method = method;
    this.versions = Versioning.run(method);
    this.activity = Activity.run(method, versions);
    this.names = new Names(method.identifiers());
    this.value = new Var("value", method.resultType(), Var.Kind.SYNTHETIC);
  }

  public static GradMethod build(Method method) {
    return new ReverseBuilder(method).build();
  }

  /** The parameters in wrt whose gradient is zero because the result does not depend on them. */
  private List<Integer> unusedParameters() {
    List<Integer> unused = new ArrayList<>();
    for (int i = 0; i < method.params().size(); i++) {
      Var p = method.params().get(i);
      if (method.wrt().contains(p) && !activity.isUseful(new VarVersion(p, 0))) {
        unused.add(i);
      }
    }
    return unused;
  }

  private GradMethod build() {
    if (method.self() != null) {
      names.generated(method.self());
    }
    method.params().forEach(names::user);
    for (Stmt s : method.body()) {
      if (s instanceof Stmt.Declare d) {
        names.user(d.var());
      }
    }
    names.generated(value);
    for (Var p : method.wrt()) {
      adjointOf(p);
    }
    List<Stmt> body = versions.body();
    for (int i = 0; i < body.size(); i++) {
      VarVersion target = Activity.target(body.get(i), versions.definedVersions().get(i));
      if (target != null && activity.isActive(target)) {
        adjointOf(target.var());
      }
    }

    List<Stmt> reverse = new ArrayList<>();
    for (Var adjoint : adjoints.values()) {
      reverse.add(new Stmt.Declare(adjoint, num(0), Pos.NONE, null));
    }
    for (int i = body.size() - 1; i >= 0; i--) {
      reverse.addAll(adjointOf(body.get(i), versions.definedVersions().get(i)));
    }

    Map<VarVersion, Var> saved = savedCopies(reverse);
    List<Stmt> forward = forward(body, saved);
    List<Stmt> renamed = new ArrayList<>();
    for (Stmt s : reverse) {
      renamed.add(Rewrite.reads(s, r -> {
        Var copy = saved.get(new VarVersion(r.var(), r.version()));
        return copy == null ? r : new Read(copy);
      }));
    }
    List<Var> gradients = method.wrt().stream().map(adjoints::get).toList();
    return new GradMethod(method, forward, renamed, value, gradients, unusedParameters(), names);
  }

  private Var adjointOf(Var v) {
    return adjoints.computeIfAbsent(v, k -> {
      Var adjoint = new Var(names.of(k) + "Bar", Prim.DOUBLE, Var.Kind.SYNTHETIC);
      names.generated(adjoint);
      return adjoint;
    });
  }

  /** The reverse-sweep statements for one primal statement (none if it is not active). */
  private List<Stmt> adjointOf(Stmt s, int definedVersion) {
    List<Stmt> out = new ArrayList<>();
    if (s instanceof Stmt.Return r) {
      if (activity.isVaried(r.value())) {
        out.add(comment(s, r.source()));
        out.addAll(new StatementAdjoint(activity, names, this::adjointOf, r.value(), new Read(value))
            .build(num(1)));
      }
      return out;
    }
    VarVersion target = Activity.target(s, definedVersion);
    if (target == null || !activity.isActive(target)) {
      return out;
    }
    Var v = target.var();
    Var adjoint = adjointOf(v);
    Expr rootValue = new Read(v, target.version());
    if (s instanceof Stmt.Declare d) {
      out.add(comment(s, d.source()));
      out.addAll(new StatementAdjoint(activity, names, this::adjointOf, d.init(), rootValue)
          .build(new Read(adjoint)));
      return out;
    }
    Stmt.Assign a = (Stmt.Assign) s;
    out.add(comment(s, a.source()));
    Expr valueExpr = a.value();
    int previous = target.version() - 1;

    // v = v + rest: the old v receives v's adjoint unchanged, so only rest needs code
    Increment increment = increment(valueExpr, v, previous);
    if (increment != null) {
      Expr seed = increment.negated() ? neg(new Read(adjoint)) : new Read(adjoint);
      List<Stmt> code = new StatementAdjoint(activity, names, this::adjointOf, increment.rest(),
          increment.rest()).build(seed);
      if (code.isEmpty()) {
        out.set(out.size() - 1, comment(s, a.source() + " (" + names.of(adjoint) + " passes through unchanged)"));
      }
      out.addAll(code);
      return out;
    }
    if (!readsVaried(valueExpr, v)) {
      // the new v's adjoint is used up here; the old v (overwritten) gets none
      out.addAll(new StatementAdjoint(activity, names, this::adjointOf, valueExpr, rootValue)
          .build(new Read(adjoint)));
      out.add(new Stmt.Assign(adjoint, num(0), false, Pos.NONE, null));
      return out;
    }
    // v = f(v, ...): take the new v's adjoint before the old v's contributions go into v's adjoint
    Var taken = new Var(names.of(v) + target.version() + "Bar", Prim.DOUBLE, Var.Kind.SYNTHETIC);
    names.generated(taken);
    out.add(new Stmt.Declare(taken, new Read(adjoint), Pos.NONE, null));
    out.add(new Stmt.Assign(adjoint, num(0), false, Pos.NONE, null));
    out.addAll(new StatementAdjoint(activity, names, this::adjointOf, valueExpr, rootValue)
        .build(new Read(taken)));
    return out;
  }

  private static Stmt comment(Stmt s, String source) {
    return new Stmt.Comment("line " + s.pos().line() + ": " + source);
  }

  /** The rest of {@code v = v + rest} or {@code v = v - rest}, when rest does not read v. */
  private record Increment(Expr rest, boolean negated) {}

  private Increment increment(Expr value, Var v, int previous) {
    Expr e = value instanceof Cast c && c.target().isFloating() ? c.operand() : value;
    if (!(e instanceof Binary b) || !(b.op() == BinOp.ADD || b.op() == BinOp.SUB)) {
      return null;
    }
    if (isVariedRead(b.left(), v, previous) && !readsVaried(b.right(), v)) {
      return new Increment(b.right(), b.op() == BinOp.SUB);
    }
    if (b.op() == BinOp.ADD && isVariedRead(b.right(), v, previous) && !readsVaried(b.left(), v)) {
      return new Increment(b.left(), false);
    }
    return null;
  }

  private boolean isVariedRead(Expr e, Var v, int version) {
    return e instanceof Read r && r.var() == v && r.version() == version && activity.isVaried(r);
  }

  private boolean readsVaried(Expr e, Var v) {
    boolean[] found = {false};
    activity.forEachActiveRead(e, r -> found[0] |= r.var() == v);
    return found[0];
  }

  /**
   * A saved copy for each value that the reverse sweep reads after the forward sweep overwrote
   * it, named after the variable and its version ({@code x0}: x on entry).
   */
  private Map<VarVersion, Var> savedCopies(List<Stmt> reverse) {
    Map<VarVersion, Var> saved = new LinkedHashMap<>();
    for (Stmt s : reverse) {
      Rewrite.forEachRead(s, r -> {
        if (r.version() >= 0 && r.version() != versions.finalVersion(r.var())) {
          saved.computeIfAbsent(new VarVersion(r.var(), r.version()), vv -> {
            Var copy = new Var(names.of(vv.var()) + vv.version(), vv.var().type(), Var.Kind.SYNTHETIC);
            names.generated(copy);
            return copy;
          });
        }
      });
    }
    return saved;
  }

  /** The primal statements, with the saved copies taken just before their values are overwritten. */
  private List<Stmt> forward(List<Stmt> body, Map<VarVersion, Var> saved) {
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < body.size(); i++) {
      Stmt s = body.get(i);
      if (s instanceof Stmt.Assign a) {
        Var copy = saved.get(new VarVersion(a.var(), versions.definedVersions().get(i) - 1));
        if (copy != null) {
          out.add(new Stmt.Declare(copy, new Read(a.var()), Pos.NONE, null));
        }
      }
      if (s instanceof Stmt.Return r) {
        out.add(new Stmt.Declare(value, r.value(), r.pos(), r.source()));
      } else {
        out.add(s);
      }
    }
    return out;
  }
}
