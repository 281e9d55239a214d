package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.num;
import static dev.adjoint.processor.ir.Exprs.mul;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.Invoke;
import dev.adjoint.processor.ir.Expr.MethodCall;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Neg;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The adjoint of one primal statement: walks its expression from the root with the adjoint of the
 * result, applies each operator's rule, and collects the contributions to every variable read, so
 * that each variable gets one {@code xBar += ...} statement per primal statement.
 */
final class StatementAdjoint {
  static final RefType ARRAY_RULES = new RefType("dev.adjoint.rules", List.of("ArrayRules"));
  /** The type of a call made for its effect. */
  static final RefType VOID = new RefType("java.lang", List.of("Void"));

  private final Activity activity;
  private final Names names;
  private final Function<Expr, Expr> adjointOf;
  private final Expr root;
  private final Expr rootValue;
  private final Map<Expr, Map<Integer, Expr>> recorded;
  private final Map<Expr, Expr> residuals;
  private final List<Stmt> out = new ArrayList<>();
  /** Per place read (a variable, or an array element), the adjoint terms flowing into it. */
  private final Map<Expr, List<Expr>> contributions = new LinkedHashMap<>();

  /**
   * @param adjointOf the adjoint of a place (a variable read, or an array element)
   * @param root the statement's expression
   * @param rootValue an expression for the root's value that does not recompute it (the
   *     variable it was assigned to)
   */
  StatementAdjoint(Activity activity, Names names, Function<Expr, Expr> adjointOf, Expr root, Expr rootValue) {
    this(activity, names, adjointOf, root, rootValue, Map.of(), Map.of());
  }

  /**
   * @param recorded per call whose partials the forward sweep recorded ({@link RecordedCalls}),
   *     and per argument index, the expression that holds the partial
   * @param residuals per call whose forward half the forward sweep ran, what it left
   */
  StatementAdjoint(Activity activity, Names names, Function<Expr, Expr> adjointOf, Expr root, Expr rootValue,
      Map<Expr, Map<Integer, Expr>> recorded, Map<Expr, Expr> residuals) {
    this.activity = activity;
    this.names = names;
    this.adjointOf = adjointOf;
    this.root = root;
    this.rootValue = rootValue;
    this.recorded = recorded;
    this.residuals = residuals;
  }

  /** The statements that push {@code seed}, the adjoint of the root's value, into the reads. */
  List<Stmt> build(Expr seed) {
    propagate(root, seed);
    flushContributions();
    return shareRepeatedCalls(out);
  }

  /**
   * Binds each function call that the block would evaluate more than once ({@code Math.exp(z)} in
   * both a partial and a value) to a local computed once, innermost calls first.
   */
  private List<Stmt> shareRepeatedCalls(List<Stmt> block) {
    Map<Expr, Integer> counts = new LinkedHashMap<>();
    for (Stmt s : block) {
      if (s instanceof Stmt.If) {
        continue; // calls inside a chosen operand must stay there
      }
      Rewrite.exprs(s, e -> {
        // not a callee's pullback (hVjp, hVjpInto): it runs once per call, after its seed is computed,
        // even when two calls look alike (h(y) + h(y))
        if (e instanceof Call c && !pullbackCalls.contains(c)) {
          counts.merge(e, 1, Integer::sum);
        }
        return e;
      });
    }
    List<Stmt> shared = new ArrayList<>();
    Map<Expr, Expr> replacements = new LinkedHashMap<>();
    for (Map.Entry<Expr, Integer> c : counts.entrySet()) {
      if (c.getValue() < 2) {
        continue;
      }
      Call call = (Call) Rewrite.bottomUp(c.getKey(), e -> replacements.getOrDefault(e, e));
      Var local = new Var(call.name(), call.type(), Var.Kind.SYNTHETIC);
      names.generated(local);
      shared.add(new Stmt.Declare(local, call, Pos.NONE, null));
      replacements.put(c.getKey(), new Read(local));
      replacements.put(call, new Read(local)); // as it reads once its inner calls are shared
    }
    if (replacements.isEmpty()) {
      return block;
    }
    for (Stmt s : block) {
      shared.add(s instanceof Stmt.If ? s : Rewrite.exprs(s, e -> replacements.getOrDefault(e, e)));
    }
    return shared;
  }

  /** The calls of callees' pullbacks this statement's adjoint makes: each runs, none is shared. */
  private final java.util.Set<Expr> pullbackCalls = new java.util.HashSet<>();

  void propagate(Expr e, Expr g) {
    if (!activity.isVaried(e)) {
      return;
    }
    if (e instanceof Read || e instanceof ArrayRead) {
      contributions.computeIfAbsent(e, v -> new ArrayList<>()).add(g);
    } else if (e instanceof Conditional c) {
      // only the operand that was chosen receives the adjoint, and only its partials are
      // evaluated (the other one may be undefined there: a sqrt of a negative, a recursion's end)
      g = bind(g, "choice");
      List<Stmt> then = new StatementAdjoint(activity, names, adjointOf, c.then(), c.then()).build(g);
      List<Stmt> otherwise = new StatementAdjoint(activity, names, adjointOf, c.otherwise(), c.otherwise()).build(g);
      if (otherwise.isEmpty()) {
        out.add(new Stmt.If(c.cond(), then, List.of(), Pos.NONE, null));
      } else if (then.isEmpty()) {
        out.add(new Stmt.If(new Expr.Not(c.cond()), otherwise, List.of(), Pos.NONE, null));
      } else {
        out.add(new Stmt.If(c.cond(), then, otherwise, Pos.NONE, null));
      }
    } else if (e instanceof Invoke i) {
      invoke(i, g);
    } else if (e instanceof Expr.Op o) {
      op(o, g);
    } else if (e instanceof Neg n) {
      propagate(n.operand(), Registry.negation().pullback(0, g, List.of(n.operand()), n));
    } else if (e instanceof Cast c) {
      propagate(c.operand(), g);
    } else if (e instanceof Binary b) {
      binary(b, g);
    } else if (e instanceof Call c) {
      call(c, g);
    } else {
      throw new IllegalStateException("no adjoint for " + e);
    }
  }

  private void binary(Binary b, Expr g) {
    Expr l = b.left();
    Expr r = b.right();
    if (activity.isVaried(l) && activity.isVaried(r)) {
      g = bind(g, hint(b));
    }
    // the operator's rule from the registry, the same formula forward mode uses
    Registry.Entry rule = Registry.operator(b.op())
        .orElseThrow(() -> new IllegalStateException("comparison has no adjoint: " + b));
    List<Expr> args = List.of(valueOf(l), valueOf(r));
    propagate(l, rule.pullback(0, g, args, valueOf(b)));
    propagate(r, rule.pullback(1, g, args, valueOf(b)));
  }

  private void call(Call c, Expr g) {
    Registry.Entry rule = Registry.function(c).orElseThrow();
    long variedArgs = c.args().stream().filter(activity::isVaried).count();
    if (variedArgs > 1) {
      g = bind(g, c.name());
    }
    for (int i = 0; i < c.args().size(); i++) {
      Expr arg = c.args().get(i);
      if (activity.isVaried(arg)) {
        propagate(arg, rule.pullback(i, g, c.args(), valueOf(c)));
      }
    }
  }

  /**
   * A runtime op: each varying input gets its rule's vector-Jacobian product,
   * {@code Owner.<op>Vjp<Input>(gy, y, inputs...)}.
   */
  private void op(Expr.Op o, Expr g) {
    List<Expr> inputs = o.inputs();
    long varied = java.util.stream.IntStream.range(0, inputs.size())
        .filter(k -> o.rules().get(k) != null && activity.isVaried(inputs.get(k))).count();
    if (varied > 1) {
      g = bind(g, o.name());
    }
    Expr y = valueOf(o);
    for (int k = 0; k < inputs.size(); k++) {
      Expr input = inputs.get(k);
      String rule = o.rules().get(k);
      if (rule == null || !activity.isVaried(input)) {
        continue;
      }
      List<Expr> ruleArgs = new ArrayList<>();
      ruleArgs.add(g);
      ruleArgs.add(y);
      ruleArgs.addAll(inputs);
      Expr vjp = new Call(o.owner(), rule, ruleArgs, input.type() instanceof Prim ? Prim.DOUBLE : input.type());
      if (input.type() instanceof ArrayType) {
        // a double[] input (Tensor.of(data, shape)): its rule returns the array's gradient
        out.add(new Stmt.Eval(new Call(ARRAY_RULES, "addScaled", List.of(adjointOf.apply(input), num(1), vjp), VOID)));
      } else {
        propagate(input, vjp);
      }
    }
  }

  /**
   * A call of a user method. A {@code @Differentiable} callee is reversed through its pullback,
   * called once with the call's adjoint ({@code FooGrad.Dot dot = FooGrad.dotVjp(w, x, zBar);}):
   * its components are already weighted by that adjoint, and a model's pullback adds its
   * parameters' gradients into their {@code grad()}. Partials recorded by the forward sweep
   * ({@link RecordedCalls}) and {@code @Derivative} partials are multiplied by the adjoint.
   */
  private void invoke(Invoke i, Expr g) {
    Callee callee = i.callee();
    List<Expr> args = new ArrayList<>();
    if (i.receiver() != null) {
      args.add(i.receiver());
    }
    args.addAll(i.args());
    Map<Integer, Expr> kept = recorded.getOrDefault(i, Map.of());
    boolean needsPullback = callee.readsModel() && kept.isEmpty();
    boolean allVaried = true; // every parameter with a generated gradient receives a varying argument
    for (int k = 0; k < i.args().size(); k++) {
      if (callee.partials().get(k) instanceof Callee.FromGradient) {
        boolean varied = activity.isVaried(i.args().get(k));
        needsPullback |= varied && !kept.containsKey(k);
        allVaried &= varied;
      }
    }
    long scaled = java.util.stream.IntStream.range(0, i.args().size())
        .filter(k -> activity.isVaried(i.args().get(k))
            && (callee.partials().get(k) instanceof Callee.FromDerivative || kept.containsKey(k)))
        .count();
    if (scaled > 1) {
      g = bind(g, callee.name());
    }
    Expr pullback = null;
    Callee.FromVirtualPullback virtual = callee.partials().stream()
        .filter(Callee.FromVirtualPullback.class::isInstance).map(Callee.FromVirtualPullback.class::cast)
        .findFirst().orElse(null);
    if (virtual != null) {
      // chosen at run time: the receiver's own pullback gives the one gradient (and its parameters')
      List<Expr> vjpArgs = new ArrayList<>(i.args());
      vjpArgs.add(g);
      int k = callee.partials().indexOf(virtual);
      Expr call = new MethodCall(i.receiver(), virtual.method(), vjpArgs, callee.paramTypes().get(k));
      if (activity.isVaried(i.args().get(k))) {
        propagate(i.args().get(k), call);
      } else {
        out.add(new Stmt.Eval(call));
      }
      return;
    }
    if (needsPullback && callee.accumulates() && allVaried) {
      // every array argument has an adjoint: the pullback adds straight into them
      List<Expr> vjpArgs = new ArrayList<>(args);
      vjpArgs.add(g);
      for (int k = 0; k < i.args().size(); k++) {
        if (callee.partials().get(k) instanceof Callee.FromGradient) {
          vjpArgs.add(adjointOf.apply(i.args().get(k)));
        }
      }
      Call into = new Call(callee.gradClass(), callee.name() + "VjpInto", vjpArgs, VOID);
      pullbackCalls.add(into);
      out.add(new Stmt.Eval(into));
      return;
    }
    if (needsPullback) {
      List<Expr> vjpArgs = new ArrayList<>(args);
      Expr left = residuals.get(i);
      if (left != null) {
        vjpArgs.add(left); // the backward half, from what the forward half left
      }
      vjpArgs.add(g);
      RefType record = callee.generatedRecord("");
      Call call = new Call(callee.gradClass(), callee.name() + (left != null ? "Backward" : "Vjp"), vjpArgs, record);
      pullbackCalls.add(call);
      boolean anyComponent = java.util.stream.IntStream.range(0, i.args().size())
          .anyMatch(k -> callee.partials().get(k) instanceof Callee.FromGradient && activity.isVaried(i.args().get(k)));
      if (anyComponent) {
        Var local = new Var(callee.name() + "Pullback", record, Var.Kind.SYNTHETIC);
        names.generated(local);
        out.add(new Stmt.Declare(local, call, Pos.NONE, null));
        pullback = new Read(local);
      } else {
        out.add(new Stmt.Eval(call)); // only the model's parameters receive gradients
      }
    }
    for (int k = 0; k < i.args().size(); k++) {
      Expr arg = i.args().get(k);
      Callee.Partial p = callee.partials().get(k);
      if (p == null || !activity.isVaried(arg)) {
        continue;
      }
      Type type = callee.paramTypes().get(k);
      Expr partial;
      boolean weighted = false;
      if (kept.containsKey(k)) {
        partial = kept.get(k);
      } else if (p instanceof Callee.FromGradient fg) {
        partial = new MethodCall(pullback, fg.component(), List.of(), type);
        weighted = true;
      } else {
        Callee.FromDerivative rule = (Callee.FromDerivative) p;
        String method = rule.method();
        partial = i.receiver() == null
            ? new Call(rule.owner(), method, i.args(), type)
            : new MethodCall(i.receiver(), method, i.args(), type);
      }
      if (type instanceof ArrayType) {
        // an array argument: the callee's gradient array goes into the array's adjoint
        out.add(new Stmt.Eval(weighted
            ? new Call(ARRAY_RULES, "add", List.of(adjointOf.apply(arg), partial), VOID)
            : new Call(ARRAY_RULES, "addScaled", List.of(adjointOf.apply(arg), g, partial), VOID)));
      } else if (Type.TENSOR.equals(type)) {
        propagate(arg, weighted ? partial : scaleTensor(partial, g));
      } else {
        propagate(arg, weighted ? partial : mul(g, partial));
      }
    }
  }

  /** {@code partial.mul(g)}: a callee's tensor gradient scaled by the call's adjoint (just the partial for 1). */
  private static Expr scaleTensor(Expr partial, Expr g) {
    if (g instanceof Literal l && l.isNumber(1)) {
      return partial;
    }
    return new MethodCall(partial, "mul", List.of(g), partial.type());
  }

  /** The value of a subexpression: the statement's target for the root, else recomputed. */
  private Expr valueOf(Expr e) {
    return e == root ? rootValue : e;
  }

  /** Binds an adjoint that several operands will use to a local, so it is computed once. */
  private Expr bind(Expr g, String hint) {
    if (g instanceof Read || g instanceof Literal || g instanceof Neg n && n.operand() instanceof Read) {
      return g;
    }
    Var temp = new Var(hint + "Bar", g.type() instanceof Prim ? Prim.DOUBLE : g.type(), Var.Kind.SYNTHETIC);
    names.generated(temp);
    out.add(new Stmt.Declare(temp, g, Pos.NONE, null));
    return new Read(temp);
  }

  private static String hint(Binary b) {
    return switch (b.op()) {
      case ADD -> "sum";
      case SUB -> "diff";
      case MUL -> "prod";
      case DIV -> "quot";
      default -> "rem";
    };
  }

  /** One {@code xBar += a + b} per place read, in the order the reads appear. */
  private void flushContributions() {
    for (Map.Entry<Expr, List<Expr>> c : contributions.entrySet()) {
      Expr adjoint = adjointOf.apply(c.getKey());
      if (dev.adjoint.processor.ir.Type.TENSOR.equals(adjoint.type())) {
        // tensors: xBar = Tensor.accumulate(xBar, term), which starts from null and never mutates
        for (Expr term : c.getValue()) {
          Expr sum = new Call(dev.adjoint.processor.ir.Type.TENSOR, "accumulate", List.of(adjoint, term), adjoint.type());
          out.add(adjoint instanceof Read r ? new Stmt.Assign(r.var(), sum, false, Pos.NONE, null)
              : new Stmt.ArrayStore((ArrayRead) adjoint, sum, false, Pos.NONE, null)); // wsBar[i], a Tensor[] field's
        }
        continue;
      }
      Expr sum = null;
      for (Expr term : c.getValue()) {
        sum = sum == null ? term : add(sum, term);
      }
      out.add(increment(adjoint, sum));
    }
    contributions.clear();
  }

  /** {@code place += amount}, for an adjoint variable or an element of an adjoint array. */
  static Stmt increment(Expr place, Expr amount) {
    if (place instanceof Read r) {
      return new Stmt.Assign(r.var(), add(place, amount), true, Pos.NONE, null);
    }
    return new Stmt.ArrayStore((ArrayRead) place, add(place, amount), true, Pos.NONE, null);
  }
}
