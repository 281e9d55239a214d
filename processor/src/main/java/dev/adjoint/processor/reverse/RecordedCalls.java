package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.Invoke;
import dev.adjoint.processor.ir.Expr.Length;
import dev.adjoint.processor.ir.Expr.MethodCall;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.diag.Pos;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Calls of {@code @Differentiable} methods whose partials the forward sweep records, so that the
 * reverse sweep does not run the callee again: the statement calls the callee's gradient
 * ({@code LstmGrad.Sigmoid sigmoid = LstmGrad.sigmoid(z);}) and uses its {@code value()}, which is
 * the primal's value bit for bit. Outside loops the reverse sweep reads the record's partials
 * from that local; inside loops they go on the double tape ({@code doubleTape.push(sigmoid.x())},
 * an array partial with {@code pushAll}) and come back off it before the statement's adjoint. A call
 * of a method without derivative (with arguments that do not vary) keeps its value in a local the
 * same way, so the reverse sweep never calls it again.
 *
 * <p>Only calls that always run with the statement (not under {@code ?:}, {@code &&},
 * {@code ||}), return a double, whose arguments hold no other call, and whose varying arguments
 * are doubles or {@code double[]}s with partials from a generated gradient. Other calls keep
 * being recomputed in the reverse sweep.
 */
final class RecordedCalls {
  /**
   * What recording adds to a statement's code.
   *
   * @param forward statements to run just before the statement (after its saves)
   * @param reverse statements to run first in its adjoint (before its restores)
   * @param values per recorded call, what the statement reads instead: {@code sigmoid.value()}
   * @param partials per recorded call and argument index, the partial the adjoint uses
   * @param residuals per call run in two halves, the residuals its backward half takes
   */
  record Plan(List<Stmt> forward, List<Stmt> reverse, Map<Expr, Expr> values, Map<Expr, Map<Integer, Expr>> partials,
      Map<Expr, Expr> residuals) {}

  private RecordedCalls() {}

  /**
   * The plan for a statement whose value is {@code value}, or null when no call in it is
   * recorded. {@code local} declares a forward-sweep local the reverse sweep can see.
   */
  static Plan plan(Expr value, boolean inLoop, Activity activity, Names names, Tapes tapes,
      BiFunction<Var, Expr, Stmt> local) {
    List<Invoke> calls = new ArrayList<>();
    List<Invoke> plain = new ArrayList<>();
    List<Invoke> split = new ArrayList<>();
    Set<Expr> seen = new LinkedHashSet<>();
    for (Expr c : SharedCalls.alwaysEvaluated(value, x -> x instanceof Invoke)) {
      if (!seen.add(c)) {
        continue;
      }
      Invoke i = (Invoke) c;
      if (i.callee().splits() && structural(i.receiver()) && !holdsChoice(i)) {
        split.add(i);
      } else if (recordable(i, activity)) {
        calls.add(i);
      } else if (i.callee().plain() && !holdsCallOrChoice(i)) {
        plain.add(i);
      }
    }
    if (calls.isEmpty() && plain.isEmpty() && split.isEmpty()) {
      return null;
    }
    List<Stmt> forward = new ArrayList<>();
    List<Stmt> pops = new ArrayList<>();
    Map<Expr, Expr> values = new LinkedHashMap<>();
    Map<Expr, Map<Integer, Expr>> partials = new LinkedHashMap<>();
    for (Invoke i : plain) {
      // a method without derivative: its value, kept so that the reverse sweep never calls it again
      Var kept = new Var(i.callee().name(), i.callee().result(), Var.Kind.SYNTHETIC);
      names.generated(kept);
      forward.add(local.apply(kept, i));
      values.put(i, new Read(kept));
    }
    for (Invoke i : calls) {
      Callee callee = i.callee();
      Callee.FromGradient grad = gradientOf(callee);
      Var record = new Var(callee.name(), grad.record(), Var.Kind.SYNTHETIC);
      names.generated(record);
      List<Expr> args = new ArrayList<>();
      if (i.receiver() != null) {
        args.add(i.receiver());
      }
      args.addAll(i.args());
      forward.add(local.apply(record, new Call(grad.gradClass(), callee.name(), args, grad.record())));
      values.put(i, new MethodCall(new Read(record), "value", List.of(), callee.result()));
      Map<Integer, Expr> byArg = new LinkedHashMap<>();
      for (int k = 0; k < i.args().size(); k++) {
        if (!(callee.partials().get(k) instanceof Callee.FromGradient g) || !activity.isVaried(i.args().get(k))) {
          continue;
        }
        Type type = callee.paramTypes().get(k);
        Expr partial = new MethodCall(new Read(record), g.component(), List.of(), type);
        if (!inLoop) {
          byArg.put(k, partial);
          continue;
        }
        String param = callee.paramNames().get(k);
        Var popped = new Var(callee.name() + Character.toUpperCase(param.charAt(0)) + param.substring(1), type,
            Var.Kind.SYNTHETIC);
        names.generated(popped);
        if (type instanceof ArrayType) {
          forward.add(tapes.pushAll(partial));
          pops.add(new Stmt.Declare(popped, tapes.popArray(new Length(i.args().get(k)), type), Pos.NONE, null));
        } else {
          forward.add(tapes.push(Prim.DOUBLE, partial));
          pops.add(new Stmt.Declare(popped, tapes.pop(Prim.DOUBLE), Pos.NONE, null));
        }
        byArg.put(k, new Read(popped));
      }
      partials.put(i, byArg);
    }
    Map<Expr, Expr> residuals = new LinkedHashMap<>();
    for (Invoke i : split) {
      // the callee's forward half runs here; its backward half, in the reverse sweep, takes what it left
      Callee callee = i.callee();
      RefType grad = callee.gradClass();
      String n = callee.name();
      RefType type = callee.generatedRecord("Residuals");
      Var record = new Var(n + "Residuals", type, Var.Kind.SYNTHETIC);
      names.generated(record);
      List<Expr> args = new ArrayList<>();
      if (i.receiver() != null) {
        args.add(i.receiver());
      }
      args.addAll(i.args());
      forward.add(local.apply(record, new Call(grad, n + "Forward", args, type)));
      values.put(i, new MethodCall(new Read(record), "value", List.of(), callee.result()));
      if (inLoop) {
        forward.add(tapes.pushObject(new Read(record)));
        Var popped = new Var(n + "Residuals", type, Var.Kind.SYNTHETIC);
        names.generated(popped);
        pops.add(new Stmt.Declare(popped, tapes.popObject(type), Pos.NONE, null));
        residuals.put(i, new Read(popped));
      } else {
        residuals.put(i, new Read(record));
      }
    }
    Collections.reverse(pops); // the last pushed comes off first
    return new Plan(forward, pops, values, partials, residuals);
  }

  private static boolean recordable(Invoke i, Activity activity) {
    Callee callee = i.callee();
    if (callee.result() != Prim.DOUBLE || gradientOf(callee) == null || callee.readsModel()) {
      return false; // a model's gradient (seed 1) would add unweighted gradients into grad()
    }
    if (holdsCallOrChoice(i)) {
      return false;
    }
    boolean any = false;
    for (int k = 0; k < i.args().size(); k++) {
      if (!activity.isVaried(i.args().get(k))) {
        continue;
      }
      // a double's partial is all the pullback needs (its residual); an array's gradient per call
      // would cost an array and its tape traffic: such calls run their pullback in the reverse sweep
      if (!(callee.partials().get(k) instanceof Callee.FromGradient) || callee.paramTypes().get(k) != Prim.DOUBLE) {
        return false;
      }
      any = true;
    }
    return any;
  }

  /**
   * A receiver that names a part of the model and can be read again in the reverse sweep:
   * {@code this}, a field of it, an element of a list or array field ({@code self.blocks.get(i)}).
   */
  private static boolean structural(Expr receiver) {
    if (receiver == null || receiver instanceof Read) {
      return true;
    }
    if (receiver instanceof Expr.FieldRead f) {
      return structural(f.receiver());
    }
    if (receiver instanceof MethodCall m) {
      return m.receiver() instanceof Expr.FieldRead && structural(m.receiver());
    }
    return receiver instanceof Expr.ArrayRead a && a.array() instanceof Expr.FieldRead && structural(a.array());
  }

  /** Whether a call's arguments hold a {@code ?:} (the call itself would then run under a choice). */
  private static boolean holdsChoice(Invoke i) {
    boolean[] nested = {false};
    for (Expr a : i.args()) {
      Rewrite.bottomUp(a, x -> {
        nested[0] |= x instanceof Conditional;
        return x;
      });
    }
    return nested[0];
  }

  /** Whether a call's arguments (or receiver) hold another call or a {@code ?:}. */
  private static boolean holdsCallOrChoice(Invoke i) {
    boolean[] nested = {false};
    for (Expr a : i.args()) {
      Rewrite.bottomUp(a, x -> {
        nested[0] |= x instanceof Invoke || x instanceof Conditional;
        return x;
      });
    }
    return nested[0] || i.receiver() != null && !(i.receiver() instanceof Read);
  }

  /**
   * Where the statement's adjoint {@code rev} evaluates a recorded call again (its value feeds a
   * product, a division, a function), it reads the kept value instead: the record's
   * {@code value()} or the plain call's local outside loops; inside loops the value goes on the
   * tape after the partials and comes off first. A method without derivative may not be pure
   * (a random draw), so calling it again could even give another number.
   */
  static void keepValuesUsedBy(List<Stmt> rev, Plan plan, boolean inLoop, Names names, Tapes tapes) {
    for (Map.Entry<Expr, Expr> v : plan.values().entrySet()) {
      Expr call = v.getKey();
      boolean[] used = {false};
      Rewrite.forEachStmt(rev, st -> Rewrite.exprs(st, e -> {
        used[0] |= e.equals(call);
        return e;
      }));
      if (!used[0]) {
        continue;
      }
      Expr kept = v.getValue();
      if (inLoop) {
        Prim type = (Prim) call.type();
        Var popped = new Var(((Invoke) call).callee().name() + "Value", type, Var.Kind.SYNTHETIC);
        names.generated(popped);
        plan.forward().add(tapes.push(type, kept));
        plan.reverse().add(0, new Stmt.Declare(popped, tapes.pop(type), Pos.NONE, null));
        kept = new Read(popped);
      }
      Expr replacement = kept;
      rev.replaceAll(st -> Rewrite.exprs(st, e -> e.equals(call) ? replacement : e));
    }
  }

  private static Callee.FromGradient gradientOf(Callee callee) {
    for (Callee.Partial p : callee.partials()) {
      if (p instanceof Callee.FromGradient g) {
        return g;
      }
    }
    return null;
  }
}
