package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.num;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Checkpointing;
import dev.adjoint.processor.analysis.Structurize;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Length;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.MethodCall;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.Rules;
import dev.adjoint.processor.reverse.Increments.Increment;
import dev.adjoint.processor.rules.ScalarRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the gradient of a method: the forward sweep (the primal code, plus what the reverse sweep
 * will need: values about to be overwritten, branch decisions, trip counts) and the reverse sweep
 * (each statement's adjoint, in reverse order, loops run backwards, branches reversed where they
 * were taken).
 *
 * <p>The reverse sweep reads the primal variables themselves. Before the adjoint of a statement
 * that overwrote a variable runs, the old value is put back (from a saved copy at top level, from a
 * tape inside loops and branches), so each adjoint sees the values its statement saw. Only
 * variables that the reverse sweep reads are saved at all: a {@link SavePlan}, decided from analyses
 * before this builds anything, says which.
 */
public final class ReverseBuilder {
  private final Method method;
  private final List<Stmt> body;
  private final Activity activity;
  private final Names names;
  private final Tapes tapes;
  private final Map<Var, Var> adjoints = new LinkedHashMap<>();
  private final Var value;
  /** The pullback's seed: the adjoint the result starts with (1 for the gradient). */
  private final Var seed;
  /** Whether returns were rewritten into assignments to {@link #value}. */
  private final boolean valueAssigned;
  private final VarFacts facts = new VarFacts();
  private final SaveAnalysis saves;
  private final Set<Var> hoisted = new LinkedHashSet<>();
  private final Map<Var, Integer> assignments = new HashMap<>();
  /** The top-level statement being built (the one that contains the current statement). */
  private Stmt currentTop;
  private int branches;
  private int loops;

  /** While a statement is built: the partials its recorded calls keep ({@link RecordedCalls}). */
  private Map<Expr, Map<Integer, Expr>> recordedPartials = Map.of();
  /** While a statement is built: the residuals its calls run in two halves left ({@link RecordedCalls}). */
  private Map<Expr, Expr> recordedResiduals = Map.of();

  /** Filled while building: per statement (at any depth), what its reverse code reads. */
  private final Map<Stmt, Set<Var>> readsOut = new java.util.IdentityHashMap<>();

  /** What the forward sweep saves: only what the reverse sweep reads, or every overwritten value. */
  public enum Saves {
    /** Only what the reverse sweep reads; values a loop iteration can give again are recomputed. */
    NEEDED,
    /**
     * Every value a statement overwrites, and nothing recomputed: slower, and the plan the others
     * are tested against ({@code -Aadjoint.saves=all}).
     */
    ALL
  }

  private final Saves plan;
  /** The loops labelled checkpoint: or over the tape budget (by position), checked by {@link Checkpointing}. */
  private final Checkpointing.Plan checkpointed;

  /**
   * The top-level loops reversed iteration by iteration ({@link IndependentIterations}), less those
   * a build found it could not (an iteration's reverse wrote what the next iteration reads).
   */
  private final Map<Stmt, IndependentIterations.Fused> fusable;
  /** While such a loop's body is built: its accumulator, its own variables and the partials. */
  private Fusing fusing;
  /** The adjoints the forward sweep declares (those of such loops' own variables), not the reverse sweep. */
  private final Set<Var> declaredEarly = new HashSet<>();
  /**
   * Per such loop, the reverse code of its iterations, which the forward sweep runs: what it reads
   * must be kept as if the loop's reverse code were in the reverse sweep.
   */
  private final Map<Stmt, List<Stmt>> fusedReverse = new java.util.IdentityHashMap<>();

  /** Branches and loops that record a decision or a count, as the save plan foresaw (numbered in source order). */
  private final Set<Stmt> recorded;
  private final Set<Stmt> recordedOut = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /** The stores of loops whose array is saved in one piece ({@link SaveAnalysis#savedWhole}), not element by element. */
  private final Set<Stmt> savedWhole = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  private ReverseBuilder(Method method, Structurize.Result structured, Activity activity, SaveAnalysis.Inputs needed,
      Map<Stmt, Set<Var>> reads, Set<Stmt> recorded, Saves plan, Checkpointing.Plan checkpointed,
      Map<Stmt, IndependentIterations.Fused> fusable) {
    this.method = method;
    this.plan = plan;
    this.checkpointed = checkpointed;
    this.body = structured.body();
    this.valueAssigned = structured.value() != null;
    this.value = valueAssigned ? structured.value() : new Var("value", method.resultType(), Var.Kind.SYNTHETIC);
    this.seed = new Var("seed", method.resultType() instanceof Prim ? Prim.DOUBLE : method.resultType(),
        Var.Kind.SYNTHETIC);
    this.activity = activity;
    this.names = new Names(method.identifiers());
    this.tapes = new Tapes(names);
    this.saves = new SaveAnalysis(body, needed, reads, facts, plan == Saves.ALL);
    this.recorded = recorded;
    facts.collect(body, 0);
    this.fusable = fusable;
  }

  /**
   * The callees whose generated gradient {@code method}'s gradient calls: those with an argument
   * that depends on the inputs, those reading a model's parameters, those reversed in two halves,
   * and private ones (whose value generated code can only take from their gradient). A callee
   * called with constants only is called as it is.
   */
  public static Set<Callee> calleesDifferentiated(Method method) {
    Structurize.Result structured = Structurize.run(method);
    Activity activity = Activity.run(method.differentiated(), structured.body(), structured.value());
    Set<Callee> out = new java.util.LinkedHashSet<>();
    Rewrite.forEachStmt(structured.body(), s -> Rewrite.exprs(s, e -> Rewrite.bottomUp(e, x -> {
      if (x instanceof Expr.Invoke i && (i.callee().hidden() || i.callee().splits() || activity.isVaried(i))) {
        out.add(i.callee());
      }
      return x;
    })));
    return out;
  }

  /**
   * The checks every mode needs, for a method differentiated in forward mode only: where the
   * inputs reach the result through bits, or through a call with no derivative for that argument,
   * reports it, as {@link #build} does. Returns whether the method passed.
   */
  public static boolean checkDerivativePaths(Method method, Reporter reporter) {
    Structurize.Result structured = Structurize.run(method);
    Activity activity = Activity.run(method.differentiated(), structured.body(), structured.value());
    return dev.adjoint.processor.analysis.BitReinterpretation.check(structured.body(), activity, reporter)
        && new ReverseBuilder(method, structured, activity, null, Map.of(), Set.of(), Saves.NEEDED,
            Checkpointing.Plan.NONE, Map.of()).checkCalls(reporter);
  }

  /** The gradient, or empty after reporting why it cannot be built. */
  public static Optional<GradMethod> build(Method method, Reporter reporter) {
    return build(method, reporter, Saves.NEEDED);
  }

  /** The gradient with the given plan of saves, or empty after reporting why it cannot be built. */
  public static Optional<GradMethod> build(Method method, Reporter reporter, Saves plan) {
    return build(method, reporter, plan, true, null);
  }

  /**
   * The gradient with the given plan of saves and tape budget ({@code -Aadjoint.tapeBudget}'s text, or
   * null for none), or empty after reporting why it cannot be built.
   */
  public static Optional<GradMethod> build(Method method, Reporter reporter, Saves plan, String tapeBudget) {
    return build(method, reporter, plan, true, tapeBudget);
  }

  /** Whether the gradient reverses a loop by checkpointing (labelled, or over the tape budget). */
  public static boolean checkpoints(GradMethod g) {
    boolean[] found = {false};
    Rewrite.forEachStmt(g.forward(), s -> found[0] |= s instanceof Stmt.Declare d && d.var().type().equals(REVOLVE));
    return found[0];
  }

  /**
   * The gradient with every loop taped whole, {@code checkpoint:} labels or not: what forward mode
   * runs over for Hessian-vector products (their tangents go on tapes beside the values anyway).
   */
  public static Optional<GradMethod> buildTaped(Method method, Reporter reporter) {
    return build(method, reporter, Saves.NEEDED, false, null);
  }

  private static Optional<GradMethod> build(Method method, Reporter reporter, Saves plan, boolean checkpointing,
      String tapeBudget) {
    Optional<Checkpointing.Plan> checkpoints = checkpointing ? Checkpointing.plan(method.body(), tapeBudget, reporter)
        : Optional.of(Checkpointing.Plan.NONE);
    if (checkpoints.isEmpty()) {
      return Optional.empty();
    }
    Structurize.Result structured = Structurize.run(method);
    Activity activity = Activity.run(method.differentiated(), structured.body(), structured.value());
    if (!dev.adjoint.processor.analysis.BitReinterpretation.check(structured.body(), activity, reporter)) {
      return Optional.empty();
    }
    ReverseBuilder check = new ReverseBuilder(method, structured, activity, null, Map.of(), Set.of(), plan,
        checkpoints.get(), Map.of());
    if (!check.checkCalls(reporter)) {
      return Optional.empty();
    }
    // found once; the "save everything" oracle and the taped build (for HVP) reverse every loop whole
    Map<Stmt, IndependentIterations.Fused> fusable = checkpointing && plan != Saves.ALL
        ? IndependentIterations.find(structured.body(), activity, check.facts, checkpoints.get()::contains)
        : new java.util.IdentityHashMap<>();
    while (true) {
      try {
        return Optional.of(decideThenBuild(method, structured, activity, plan, checkpoints.get(), fusable));
      } catch (IterationsMeet e) {
        fusable.remove(e.loop); // an attempt could not reverse its iterations one by one: reversed whole
      }
    }
  }

  /** An iteration's reverse would write what a later iteration reads: the loop must be reversed whole. */
  private static final class IterationsMeet extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Stmt loop;

    IterationsMeet(Stmt loop) {
      super(null, null, false, false);
      this.loop = loop;
    }
  }

  /**
   * Decides what to save ({@link SavePlan}, from analyses only), builds the sweeps once from that,
   * and checks that the code built reads nothing the plan did not foresee.
   */
  private static GradMethod decideThenBuild(Method method, Structurize.Result structured, Activity activity, Saves plan,
      Checkpointing.Plan checkpoints, Map<Stmt, IndependentIterations.Fused> fusable) {
    Var value = structured.value();
    SavePlan decided = SavePlan.decide(method, structured.body(), value, activity, plan, checkpoints, fusable);
    ReverseBuilder b = new ReverseBuilder(method, structured, activity, decided.inputs(), decided.reads(),
        decided.recorded(), plan, checkpoints, fusable);
    GradMethod g = b.build();
    Set<Stmt> checkpointed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Stmt s : structured.body()) {
      if (s instanceof Stmt.Loop && checkpoints.contains(s.pos())) {
        checkpointed.add(s);
      }
    }
    decided.check(method.name(), b.readsOut, checkpointed);
    return g;
  }

  /** Reports each varying argument whose parameter the callee has no derivative for. */
  private boolean checkCalls(Reporter reporter) {
    boolean[] ok = {true};
    Set<Expr> reportedPlain = new HashSet<>();
    Rewrite.forEachStmt(body, s -> Rewrite.exprs(s, e -> {
      activity.forEachUndifferentiatedArgument(e, (call, k) -> {
        String param = call.callee().paramNames().get(k);
        String callee = call.callee().owner().simpleNames().get(call.callee().owner().simpleNames().size() - 1)
            + "." + call.callee().name();
        if (call.callee().plain()) {
          if (reportedPlain.add(call)) {
            boolean own = call.callee().owner().equals(method.owner());
            String shown = (own ? call.callee().name() : callee) + "(...)";
            if (call.callee().refusal() != null) {
              reporter.report(Diag.ON_DEMAND_FAILED, call.pos(), shown, call.callee().refusal(), callee);
            } else {
              reporter.report(Diag.NOT_DIFFERENTIABLE_CALL, call.pos(), shown);
            }
          }
          ok[0] = false;
          return;
        }
        reporter.report(Diag.NO_PARTIAL, call.pos(), param, callee,
            "it has no derivative with respect to it",
            "add @Derivative(of = \"" + call.callee().name() + "\", wrt = \"" + param + "\"), include '"
                + param + "' in its wrt, or pass a value that does not depend on the inputs");
        ok[0] = false;
      });
      if (e instanceof Expr.New n && reportedPlain.add(n) && n.args().stream().anyMatch(activity::isVaried)) {
        // new Policy(epsilon, n) with a varying epsilon: the object has no derivative to carry it
        reporter.report(Diag.OBJECT_FROM_VARYING, n.pos(), n.type().simpleNames().get(n.type().simpleNames().size() - 1));
        ok[0] = false;
      }
      activity.forEachInputWithoutRule(e, (op, k) -> {
        String input = op.receiver() != null && k == 0 ? "its receiver" : "argument " + (op.receiver() == null ? k + 1 : k);
        reporter.report(Diag.NO_RULE, op.pos(), op.owner().simpleNames().get(op.owner().simpleNames().size() - 1)
            + "." + op.name() + " with respect to " + input + " (there is no " + op.name() + "Vjp... rule for it)");
        ok[0] = false;
      });
      return e;
    }));
    return ok[0];
  }

  private GradMethod build() {
    if (method.self() != null) {
      names.generated(method.self());
      facts.primal.add(method.self());
    }
    method.params().forEach(names::user);
    facts.primal.addAll(method.params());
    method.fields().forEach(names::user);
    facts.primal.addAll(method.fields());
    nameLocals(body, 0);
    if (!valueAssigned) {
      names.generated(value);
    }
    names.generated(seed);
    if (Type.TENSOR.equals(value.type())) {
      adjointOf(value); // valueBar: the seed, checked against the result's shape
    }
    for (Var p : method.differentiated()) {
      adjointOf(p);
    }
    Rewrite.forEachStmt(body, s -> {
      Var target = Activity.target(s);
      if (target != null && activity.isActive(target)) {
        adjointOf(target);
      }
    });

    Code code = block(body, 0, false);
    List<Stmt> forward = new ArrayList<>(prelude());
    forward.addAll(ForwardPruning.endAtThrows(code.forward));

    List<Stmt> reverse = new ArrayList<>();
    for (Map.Entry<Var, Var> a : adjoints.entrySet()) {
      if (!declaredEarly.contains(a.getValue())) {
        reverse.add(new Stmt.Declare(a.getValue(), zeroAdjoint(a.getKey()), Pos.NONE, null));
      }
    }
    Set<Var> adjointArrays = new HashSet<>();
    for (Var a : adjoints.values()) {
      if (a.type() instanceof ArrayType at && at.element() == Prim.DOUBLE) {
        adjointArrays.add(a);
      }
    }
    reverse.addAll(Accumulators.promote(code.reverse, adjointArrays, names));
    reverse.addAll(tensorGradients());
    reverse.addAll(tapes.releases());
    List<Var> gradients = method.wrt().stream().map(adjoints::get).toList();
    Var result = value;
    boolean[] restored = {false};
    Rewrite.forEachStmt(reverse, st -> restored[0] |= st instanceof Stmt.Assign a && a.var() == value);
    if (restored[0]) {
      // the reverse sweep puts back what the result variable held before each return: keep the result
      result = new Var("result", value.type(), Var.Kind.SYNTHETIC);
      names.generated(result);
      forward.add(new Stmt.Declare(result, new Read(value), Pos.NONE, null));
    }
    return new GradMethod(method, forward, reverse, result, seed, gradients, unusedParameters(), names,
        accumulating(forward, reverse, gradients, result), residuals(forward, reverse, result));
  }

  /**
   * The accumulating pullback ({@link GradMethod.Accumulating}) when every differentiated parameter
   * is an array the method does not write into, the method is static and its result a number.
   */
  private GradMethod.Accumulating accumulating(List<Stmt> forward, List<Stmt> reverse, List<Var> gradients,
      Var result) {
    if (!accumulates(method)) {
      return null;
    }
    boolean[] writes = {false};
    Rewrite.forEachStmt(body, st -> writes[0] |= st instanceof Stmt.ArrayStore a
        && Activity.arrayVar(a.target()).kind() == Var.Kind.PARAMETER);
    if (writes[0]) {
      return null;
    }
    List<Stmt> rev = reverse.stream()
        .filter(st -> !(st instanceof Stmt.Declare d && gradients.contains(d.var()))).toList();
    // the caller's arrays receive what iterations reversed at once add into the gradient directly
    List<Stmt> fwd = forward.stream()
        .filter(st -> !(st instanceof Stmt.Declare d && gradients.contains(d.var()))).toList();
    List<Stmt> revAndValue = new ArrayList<>(rev);
    revAndValue.add(new Stmt.Return(new Read(result), Pos.NONE, null));
    return new GradMethod.Accumulating(ForwardPruning.prune(fwd, rev), ForwardPruning.prune(fwd, revAndValue), rev);
  }

  /**
   * The forward sweep's top-level locals that the reverse sweep uses (reads, or puts back), for a
   * method that {@link #splits}: what {@code mForward} hands to {@code mBackward}; null if it
   * does not split. (The one-method form already needs every such local at top level.)
   */
  private List<Var> residuals(List<Stmt> forward, List<Stmt> reverse, Var result) {
    if (!splits(method)) {
      return null;
    }
    // by generated name: each local has its own, and a Java name is what the two halves share
    Set<String> declaredInReverse = new HashSet<>();
    Set<String> used = new LinkedHashSet<>();
    Rewrite.forEachStmt(reverse, st -> {
      if (st instanceof Stmt.Declare d) {
        declaredInReverse.add(names.of(d.var()));
      } else if (st instanceof Stmt.Assign a) {
        used.add(names.of(a.var()));
      }
      Rewrite.forEachRead(st, r -> used.add(names.of(r.var())));
    });
    used.removeAll(declaredInReverse);
    // a parameter the forward sweep re-assigns holds its last value there: that value is a residual
    Set<String> reassigned = new HashSet<>();
    Rewrite.forEachStmt(forward, st -> {
      if (st instanceof Stmt.Assign a && a.var().kind() == Var.Kind.PARAMETER) {
        reassigned.add(names.of(a.var()));
      }
    });
    List<Var> out = new ArrayList<>();
    for (Var p : method.params()) {
      if (reassigned.contains(names.of(p)) && used.contains(names.of(p))) {
        out.add(p);
      }
      used.remove(names.of(p));
    }
    if (method.self() != null) {
      used.remove(names.of(method.self()));
    }
    used.remove(names.of(seed));
    used.remove(names.of(result));
    for (Stmt st : forward) {
      if (st instanceof Stmt.Declare d && used.remove(names.of(d.var()))) {
        out.add(d.var());
      }
    }
    if (!used.isEmpty()) {
      throw new IllegalStateException("the reverse sweep uses locals the forward sweep does not declare at top level: "
          + used);
    }
    return out;
  }

  /**
   * Whether a method of this signature is reversed in two halves by its callers: an instance
   * method of a model (or any instance method) or a method with a {@code Tensor} result, the
   * calls whose forward passes are worth keeping (the same rule as the parse stage's).
   */
  public static boolean splits(Method m) {
    return !m.isStatic() || Type.TENSOR.equals(m.resultType());
  }

  /**
   * Whether a method of this signature gets an accumulating pullback {@code mVjpInto} (callers
   * decide from the signature alone; the method must also not write into its arrays, which they
   * refuse to call anyway): static, a number result, and only {@code double[]} or
   * {@code double[][]} differentiated parameters.
   */
  public static boolean accumulates(Method m) {
    return m.isStatic() && m.resultType() instanceof Prim && !m.wrt().isEmpty()
        && m.wrt().stream().allMatch(p -> p.type() instanceof ArrayType);
  }

  /**
   * The end of the reverse sweep for tensors: each field's gradient goes into its {@code grad()}
   * (if it requires one), and a tensor parameter that received nothing gets zeros of its shape.
   */
  private List<Stmt> tensorGradients() {
    List<Stmt> out = new ArrayList<>();
    for (Var f : method.fields()) {
      Var bar = adjoints.get(f);
      if (Type.TENSOR_ARRAY.equals(f.type())) {
        out.add(new Stmt.Comment("the elements of " + names.of(f) + " are parameters of the model: their gradients go into"
            + " their grad()"));
        out.add(new Stmt.Eval(new Expr.Call(TENSOR_ARRAYS, "accumulateGrads", List.of(new Read(f), new Read(bar)),
            StatementAdjoint.VOID)));
        continue;
      }
      Expr received = new Binary(BinOp.NE, new Read(bar), nullOf(Type.TENSOR), Prim.BOOLEAN);
      Expr wanted = new Expr.MethodCall(new Read(f), "requiresGrad", List.of(), Prim.BOOLEAN);
      out.add(new Stmt.Comment(names.of(f) + " is a parameter of the model: its gradient goes into " + names.of(f) + ".grad()"));
      out.add(new Stmt.If(new Binary(BinOp.AND, received, wanted, Prim.BOOLEAN),
          List.of(new Stmt.Eval(new Expr.MethodCall(new Read(f), "accumulateGrad", List.of(new Read(bar)),
              StatementAdjoint.VOID))), List.of(), Pos.NONE, null));
    }
    for (Var p : method.wrt()) {
      if (Type.TENSOR.equals(p.type())) {
        Var bar = adjoints.get(p);
        out.add(new Stmt.If(new Binary(BinOp.EQ, new Read(bar), nullOf(Type.TENSOR), Prim.BOOLEAN),
            List.of(new Stmt.Assign(bar, new Expr.Call(Type.TENSOR, "zerosLike", List.of(new Read(p)), Type.TENSOR),
                false, Pos.NONE, null)), List.of(), Pos.NONE, null));
      }
    }
    return out;
  }

  private static final dev.adjoint.processor.ir.RefType TENSOR_ARRAYS =
      new dev.adjoint.processor.ir.RefType("dev.adjoint.rules", List.of("TensorArrays"));
  private static final dev.adjoint.processor.ir.RefType SEEDS =
      new dev.adjoint.processor.ir.RefType("dev.adjoint.rules", List.of("Seeds"));

  static Literal nullOf(Type type) {
    return new Literal(null, "null", type);
  }

  /** Names every local: user locals keep their names, generated ones avoid the user's. */
  private void nameLocals(List<Stmt> block, int depth) {
    // a block's own locals first, then the nested blocks': outer locals keep the plain names
    for (Stmt s : block) {
      if (s instanceof Stmt.Declare d) {
        if (d.var().kind() == Var.Kind.SYNTHETIC) {
          names.generated(d.var());
        } else {
          names.user(d.var());
        }
      }
    }
    for (Stmt s : block) {
      for (List<Stmt> inner : Rewrite.children(s)) {
        nameLocals(inner, depth + 1);
      }
    }
  }

  /** The element type of an array type, through every dimension. */
  private static Type leaf(Type t) {
    while (t instanceof ArrayType a) {
      t = a.element();
    }
    return t;
  }

  /** What the forward sweep does before the method's own code: tapes, hoisting, copies. */
  private List<Stmt> prelude() {
    List<Stmt> out = new ArrayList<>();
    List<Var> arrays = method.params().stream().filter(p -> p.type() instanceof ArrayType).toList();
    Set<Var> written = new LinkedHashSet<>();
    Rewrite.forEachStmt(body, s -> {
      if (s instanceof Stmt.ArrayStore a && Activity.arrayVar(a.target()).kind() == Var.Kind.PARAMETER) {
        written.add(Activity.arrayVar(a.target()));
      }
    });
    for (Var w : written) {
      for (Var other : arrays) {
        if (other != w && leaf(other.type()) == leaf(w.type())) { // a float[] and an int[] never share elements
          out.add(new Stmt.Eval(new Expr.Call(StatementAdjoint.ARRAY_RULES, "checkDistinct",
              List.of(string(method.name()), string(w.name()), new Read(w), string(other.name()), new Read(other)),
              StatementAdjoint.VOID)));
        }
      }
    }
    for (Var w : written) {
      out.add(new Stmt.Comment(names.of(w) + " is written below: work on a copy, so the caller's array keeps its values"));
      boolean twoD = ((ArrayType) w.type()).element() instanceof ArrayType;
      Expr copy = twoD
          ? new Expr.Call(StatementAdjoint.ARRAY_RULES, "copy", List.of(new Read(w)), w.type())
          : new Expr.MethodCall(new Read(w), "clone", List.of(), w.type());
      out.add(new Stmt.Assign(w, nullSafe(w, copy), false, Pos.NONE, null));
    }
    for (Var f : method.fields()) {
      boolean list = method.listFields().contains(f.name());
      Expr read = new Expr.FieldRead(new Read(method.self()), method.owner(), f.name(),
          list ? new dev.adjoint.processor.ir.RefType("java.util", List.of("List")) : f.type());
      out.add(new Stmt.Declare(f, list ? new Expr.Call(TENSOR_ARRAYS, "of", List.of(read), f.type()) : read,
          Pos.NONE, null));
    }
    out.addAll(tapes.declarations());
    for (Var h : hoisted) {
      out.add(new Stmt.Declare(h, h.type() instanceof Prim p ? zero(p) : new Literal(null, "null", h.type()),
          Pos.NONE, null));
    }
    return out;
  }

  private static Literal string(String s) {
    return new Literal(s, "\"" + s + "\"", new dev.adjoint.processor.ir.RefType("java.lang", List.of("String")));
  }

  private static Literal zero(Prim p) {
    return p == Prim.BOOLEAN ? new Literal(false, "false", p) : new Literal(0, "0", Prim.INT);
  }

  /** What the result's adjoint starts as: the seed (a tensor seed checked against the result). */
  private Expr resultSeed() {
    return Type.TENSOR.equals(value.type()) ? new Read(adjointOf(value)) : new Read(seed);
  }

  /** The initial adjoint: 0 (the seed for the result), or a zero array shaped like the primal array. */
  private Expr zeroAdjoint(Var v) {
    if (v == value) {
      return Type.TENSOR.equals(v.type())
          ? new Expr.Call(SEEDS, "tensor", List.of(new Read(seed), new Read(value), string(method.name())), v.type())
          : new Read(seed);
    }
    if (Type.TENSOR.equals(v.type())) {
      return nullOf(Type.TENSOR); // no adjoint has arrived yet
    }
    if (Type.TENSOR_ARRAY.equals(v.type())) {
      return new Expr.Call(TENSOR_ARRAYS, "adjointsOf", List.of(new Read(v)), v.type());
    }
    if (v.type() instanceof ArrayType at) {
      boolean maybeNull = hoisted.contains(v);
      if (at.element() instanceof ArrayType || maybeNull) {
        return new Expr.Call(StatementAdjoint.ARRAY_RULES, "zerosLike", List.of(new Read(v)), v.type());
      }
      return new Expr.NewArray(Prim.DOUBLE, List.of(new Length(new Read(v))), Type.adjointType(v.type()));
    }
    return num(0);
  }

  /** The parameters in wrt whose gradient is zero because the result does not depend on them. */
  private List<Integer> unusedParameters() {
    List<Integer> unused = new ArrayList<>();
    for (int i = 0; i < method.params().size(); i++) {
      Var p = method.params().get(i);
      if (method.wrt().contains(p) && !activity.isUseful(p)) {
        unused.add(i);
      }
    }
    return unused;
  }

  private Var adjointOf(Var v) {
    if (fusing != null && fusing.gathers(v)) {
      return fusing.partials.computeIfAbsent(v, k -> synthetic(names.of(k) + "BarPer"
          + capitalized(names.of(fusing.fused.sum())), Type.adjointType(k.type())));
    }
    return adjoints.computeIfAbsent(v, k -> {
      Var adjoint = new Var(names.of(k) + "Bar", Type.adjointType(k.type()),
          Var.Kind.SYNTHETIC);
      names.generated(adjoint);
      return adjoint;
    });
  }

  /** The adjoint of a place: {@code xBar} for {@code x}, {@code aBar[i][j]} for {@code a[i][j]}. */
  private Expr adjointPlace(Expr place) {
    if (place instanceof Read r) {
      return new Read(adjointOf(r.var()));
    }
    ArrayRead a = (ArrayRead) place;
    return new ArrayRead(adjointPlace(a.array()), a.index(),
        a.type() instanceof ArrayType || Type.TENSOR.equals(a.type()) ? a.type() : Prim.DOUBLE);
  }

  // ---- the two sweeps, statement by statement ------------------------------------------------

  /** Forward statements, and the reverse statements (already in reverse order) of a block. */
  private static final class Code {
    final List<Stmt> forward = new ArrayList<>();
    final List<Stmt> reverse = new ArrayList<>();

    /** Appends a statement's code: forward after, reverse before what is there. */
    void append(List<Stmt> fwd, List<Stmt> rev) {
      forward.addAll(fwd);
      reverse.addAll(0, rev);
    }
  }

  private Code block(List<Stmt> block, int depth, boolean inLoop) {
    Code code = new Code();
    for (Stmt s : block) {
      List<Stmt> fwd = new ArrayList<>();
      List<Stmt> rev = new ArrayList<>();
      if (block == body) {
        currentTop = s;
      }
      stmt(s, depth, inLoop, fwd, rev);
      if (depth == 0) {
        SharedCalls.hoist(fwd, rev, names);
      }
      code.append(fwd, rev);
      Set<Var> reads = new HashSet<>(SaveAnalysis.readsOf(rev, facts.primal));
      reads.addAll(SaveAnalysis.readsOf(fusedReverse.getOrDefault(s, List.of()), facts.primal));
      readsOut.put(s, reads);
    }
    return code;
  }

  private void stmt(Stmt s, int depth, boolean inLoop, List<Stmt> fwd, List<Stmt> rev) {
    RecordedCalls.Plan plan = recordingPlan(s, depth, inLoop);
    recordedPartials = plan == null ? Map.of() : plan.partials();
    recordedResiduals = plan == null ? Map.of() : plan.residuals();
    simpleOrCompound(s, depth, inLoop, fwd, rev);
    recordedPartials = Map.of();
    recordedResiduals = Map.of();
    if (plan != null) {
      RecordedCalls.keepValuesUsedBy(rev, plan, inLoop, names, tapes);
      // the calls run with their partials just before the statement, which reads their values;
      // in the reverse sweep the partials come off the tape before anything else
      int last = fwd.size() - 1;
      fwd.set(last, Rewrite.exprs(fwd.get(last), e -> plan.values().getOrDefault(e, e)));
      fwd.addAll(last, plan.forward());
      rev.addAll(0, plan.reverse());
    }
  }

  /** The calls of a simple statement whose partials the forward sweep records, or null. */
  private RecordedCalls.Plan recordingPlan(Stmt s, int depth, boolean inLoop) {
    Expr value = recordedValue(s, activity, facts);
    // in a loop the record is only read by the forward sweep (its partials go on the tape)
    return value == null ? null : RecordedCalls.plan(value, inLoop, activity, names, tapes,
        (v, e) -> inLoop ? new Stmt.Declare(v, e, Pos.NONE, null) : local(v, e, depth));
  }

  /**
   * The value of a simple statement whose calls may be recorded: one that has an adjoint to give (an
   * active target, a varied return) and is not recomputed in the reverse sweep; else null.
   */
  static Expr recordedValue(Stmt s, Activity activity, VarFacts facts) {
    Var target = Activity.target(s);
    Expr value = s instanceof Stmt.Declare d ? d.init()
        : s instanceof Stmt.Assign a ? a.value()
        : s instanceof Stmt.ArrayStore a ? a.value()
        : s instanceof Stmt.Return r ? r.value() : null;
    boolean used = s instanceof Stmt.Return r ? activity.isVaried(r.value()) : target != null && activity.isActive(target);
    return value == null || !used || facts.recomputed.contains(target) ? null : value;
  }

  private void simpleOrCompound(Stmt s, int depth, boolean inLoop, List<Stmt> fwd, List<Stmt> rev) {
    if (s instanceof Stmt.Declare d) {
      declare(d, depth, inLoop, fwd, rev);
    } else if (s instanceof Stmt.Assign a) {
      assign(a, depth, inLoop, fwd, rev);
    } else if (s instanceof Stmt.ArrayStore a) {
      arrayStore(a, depth, inLoop, fwd, rev);
    } else if (s instanceof Stmt.If i) {
      branch(i, depth, inLoop, fwd, rev);
    } else if (s instanceof Stmt.Loop l) {
      loop(l, depth, inLoop, fwd, rev);
    } else if (s instanceof Stmt.Throw || s instanceof Stmt.Effect) {
      fwd.add(s); // the forward sweep only: nothing flows back through a throw or a call made for its effect
    } else if (s instanceof Stmt.Return r && value.type() instanceof ArrayType) {
      // a copy: the reverse sweep may put back elements of the array the method overwrote
      fwd.add(new Stmt.Declare(value, new Expr.MethodCall(r.value(), "clone", List.of(), value.type()), r.pos(),
          r.source()));
      if (activity.isVaried(r.value())) {
        rev.add(comment(s, r.source()));
        Expr checked = new Expr.Call(SEEDS, "array", List.of(new Read(seed), new Read(value), string(method.name())),
            value.type());
        rev.add(new Stmt.Eval(new Expr.Call(StatementAdjoint.ARRAY_RULES, "add", List.of(adjointPlace(r.value()), checked),
            StatementAdjoint.VOID)));
      }
    } else if (s instanceof Stmt.Return r) {
      fwd.add(new Stmt.Declare(value, r.value(), r.pos(), r.source()));
      if (activity.isVaried(r.value())) {
        rev.add(comment(s, r.source()));
        rev.addAll(adjointCode(r.value(), new Read(value), resultSeed()));
      }
    } else {
      throw new IllegalStateException("unexpected statement " + s);
    }
  }

  private void declare(Stmt.Declare d, int depth, boolean inLoop, List<Stmt> fwd, List<Stmt> rev) {
    Var v = d.var();
    if (facts.recomputed.contains(v)) {
      fwd.add(d);
      if (activity.isActive(v)) {
        rev.add(comment(d, d.source()));
        rev.addAll(guarded(adjointOf(v), adjointCode(d.init(), d.init(), new Read(adjointOf(v)))));
        rev.add(clear(adjointOf(v)));
      }
      return;
    }
    // a local declared at the top of an iteration reversed at once is still in scope when it is reversed
    boolean hoist = depth > 0 && saves.isMentioned(v) && !(fusing != null && fusing.topLevel.contains(v));
    if (hoist) {
      hoisted.add(v);
    }
    // (the value an iteration reversed at once starts with is no earlier iteration's concern)
    boolean fresh = fusing != null && fusing.topLevel.contains(v);
    Stmt restore = inLoop && !fresh && saves.isNeededNested(v, currentTop)
        ? save(new Read(v), depth, inLoop, -1, fwd) : null;
    if (!hoist && d.init() == null && saves.isNeeded(v)) {
      // a value that may be saved must be definitely assigned; which value does not matter
      fwd.add(new Stmt.Declare(v, v.type() instanceof Prim p ? zero(p) : nullOf(v.type()), d.pos(), d.source()));
    } else if (!hoist) {
      fwd.add(d);
    } else if (d.init() != null) {
      fwd.add(new Stmt.Assign(v, d.init(), false, d.pos(), d.source()));
    }
    boolean active = activity.isActive(v) && d.init() != null;
    if (!active) {
      if (restore != null) {
        rev.add(comment(d, d.source()));
        rev.add(restore);
      }
      return;
    }
    List<Stmt> adj = new ArrayList<>();
    adj.add(comment(d, d.source()));
    Expr rootValue = facts.isSingleAssigned(v) ? new Read(v)
        : rootValue(v, d.init(), adj, inLoop && readsResultCheaply(v, d.init()));
    if (restore != null) {
      adj.add(restore);
    }
    Var adjoint = adjointOf(v);
    List<Stmt> code = adjointCode(d.init(), rootValue, new Read(adjoint));
    if (code.isEmpty() && !inLoop && restore == null) {
      return; // a constant initial value: nothing flows back
    }
    adj.addAll(guarded(adjoint, code));
    if (inLoop) {
      // the next (earlier) iteration's value of v starts with no adjoint
      adj.add(clear(adjoint));
    }
    rev.addAll(adj);
  }

  /**
   * The value a statement gave its target, for the rules that use it: recomputed for numbers,
   * unless {@code capture}; for a tensor, or when capturing, read from the target before it is put
   * back ({@code Tensor hValue = h;}, {@code double eValue = e;}).
   */
  private Expr rootValue(Var v, Expr value, List<Stmt> adj, boolean capture) {
    if (!Type.TENSOR.equals(v.type()) && !capture) {
      return value;
    }
    Var captured = new Var(names.of(v) + "Value", v.type(), Var.Kind.SYNTHETIC);
    names.generated(captured);
    adj.add(new Stmt.Declare(captured, new Read(v), Pos.NONE, null));
    return new Read(captured);
  }

  /**
   * Whether the derivative of a loop-body local's {@code double e = Math.exp(...)} should read e
   * rather than call exp again: the rule uses the result (exp, tanh, sqrt, ...), e is assigned
   * nowhere else, and the reverse sweep already reads e, so its value is put back anyway and
   * reading it costs no extra tape.
   */
  private boolean readsResultCheaply(Var v, Expr init) {
    return readsResultCheaply(v, init, facts, saves);
  }

  static boolean readsResultCheaply(Var v, Expr init, VarFacts facts, SaveAnalysis saves) {
    if (v.type() != Prim.DOUBLE || facts.isAssigned(v) || !saves.isNeeded(v)
        || !(init instanceof Expr.Call c) || !Rules.isMathClass(c.owner().qualifiedName())) {
      return false;
    }
    Optional<ScalarRule> rule = Rules.lookup(c.name(), c.args().size());
    if (rule.isEmpty() || rule.get().hasZeroDerivative()) {
      return false;
    }
    Read marker = new Read(new Var("result", Prim.DOUBLE, Var.Kind.SYNTHETIC));
    for (int i = 0; i < c.args().size(); i++) {
      boolean[] used = {false};
      Rewrite.bottomUp(rule.get().partial().of(i, c.args(), marker), x -> {
        used[0] |= x == marker;
        return x;
      });
      if (used[0]) {
        return true;
      }
    }
    return false;
  }

  /** {@code adjoint = 0} (null for a tensor: no adjoint). */
  private static Stmt clear(Var adjoint) {
    return new Stmt.Assign(adjoint, Type.TENSOR.equals(adjoint.type()) ? nullOf(Type.TENSOR) : num(0), false,
        Pos.NONE, null);
  }

  /** A tensor adjoint may still be null (no path reached it): its code runs only if it is not. */
  private static List<Stmt> guarded(Var seed, List<Stmt> code) {
    if (!Type.TENSOR.equals(seed.type()) || code.isEmpty()) {
      return code;
    }
    return List.of(new Stmt.If(new Binary(BinOp.NE, new Read(seed), nullOf(Type.TENSOR), Prim.BOOLEAN), code,
        List.of(), Pos.NONE, null));
  }

  private void assign(Stmt.Assign a, int depth, boolean inLoop, List<Stmt> fwd, List<Stmt> rev) {
    Var v = a.var();
    int version = assignments.merge(v, 1, Integer::sum);
    boolean save = saves.mustSave(v, a, currentTop, depth);
    Expr undone = save ? SaveAnalysis.undoneIncrement(a) : null;
    Stmt restore = undone != null ? new Stmt.Assign(v, undone, true, Pos.NONE, null)
        : save ? save(new Read(v), depth, inLoop, version - 1, fwd) : null;
    fwd.add(a);
    if (restore == null && !activity.isActive(v)) {
      return;
    }
    List<Stmt> adj = new ArrayList<>();
    adj.add(comment(a, a.source()));
    if (!activity.isActive(v)) {
      adj.add(restore);
      rev.addAll(adj);
      return;
    }
    Expr rootValue = rootValue(v, a.value(), adj, false);
    if (restore != null) {
      adj.add(restore);
    }
    Var adjoint = adjointOf(v);
    Expr valueExpr = a.value();
    // v = v + rest: the old v receives v's adjoint unchanged, so only rest needs code
    Increment increment = increment(valueExpr, new Read(v));
    if (increment != null) {
      // in an iteration reversed at once, the sum's adjoint is 1 (the reverse sweep scales) or the seed
      Expr sumSeed = fusing != null && v == fusing.fused.sum() ? fusing.sumAdjoint : new Read(adjoint);
      Expr seed = increment.negated() ? neg(sumSeed) : sumSeed;
      List<Stmt> code = adjointCode(increment.rest(), increment.rest(), seed);
      if (code.isEmpty() && restore == null) {
        adj.set(0, comment(a, a.source() + " (" + names.of(adjoint) + " passes through unchanged)"));
      }
      adj.addAll(code);
    } else if (!readsPlace(valueExpr, v)) {
      // the new v's adjoint is used up here; the old v (overwritten) gets none
      adj.addAll(guarded(adjoint, adjointCode(valueExpr, rootValue, new Read(adjoint))));
      adj.add(clear(adjoint));
    } else {
      // v = f(v, ...): take the new v's adjoint before the old v's contributions go into it
      Var taken = new Var(names.of(v) + version + "Bar", adjoint.type(), Var.Kind.SYNTHETIC);
      names.generated(taken);
      adj.add(new Stmt.Declare(taken, new Read(adjoint), Pos.NONE, null));
      adj.add(clear(adjoint));
      adj.addAll(guarded(taken, adjointCode(valueExpr, rootValue, new Read(taken))));
    }
    rev.addAll(adj);
  }

  private void arrayStore(Stmt.ArrayStore a, int depth, boolean inLoop, List<Stmt> fwd, List<Stmt> rev) {
    Var array = Activity.arrayVar(a.target());
    // a scratch array's first fill in an iteration reversed at once overwrites only the last iteration's values
    boolean save = !(fusing != null && fusing.fused.firstFills().contains(a)) && !savedWhole.contains(a)
        && saves.mustSave(array, a, currentTop, depth);
    Stmt restore = save ? save(a.target(), depth, inLoop, -1, fwd) : null;
    fwd.add(a);
    if (restore == null && !activity.isActive(array)) {
      return;
    }
    List<Stmt> adj = new ArrayList<>();
    adj.add(comment(a, a.source()));
    if (restore != null) {
      adj.add(restore);
    }
    if (!activity.isActive(array)) {
      rev.addAll(adj);
      return;
    }
    Expr place = adjointPlace(a.target());
    Increment increment = increment(a.value(), a.target());
    if (increment != null) {
      Expr seed = increment.negated() ? neg(place) : place;
      adj.addAll(adjointCode(increment.rest(), increment.rest(), seed));
    } else if (!activity.isVaried(a.value())) {
      adj.add(new Stmt.ArrayStore((ArrayRead) place, num(0), false, Pos.NONE, null));
    } else {
      // take the element's adjoint first: the value may read the same element (a[i] = a[i] * a[j])
      Var taken = new Var(names.of(array) + "ElementBar", Prim.DOUBLE, Var.Kind.SYNTHETIC);
      names.generated(taken);
      adj.add(new Stmt.Declare(taken, place, Pos.NONE, null));
      adj.add(new Stmt.ArrayStore((ArrayRead) place, num(0), false, Pos.NONE, null));
      adj.addAll(adjointCode(a.value(), a.value(), new Read(taken)));
    }
    rev.addAll(adj);
  }

  private void branch(Stmt.If i, int depth, boolean inLoop, List<Stmt> fwd, List<Stmt> rev) {
    int number = recorded.contains(i) ? ++branches : 0; // numbered in source order: outer first
    Code then = block(i.then(), depth + 1, inLoop);
    Code otherwise = block(i.otherwise(), depth + 1, inLoop);
    if (then.reverse.isEmpty() && otherwise.reverse.isEmpty()) {
      fwd.add(new Stmt.If(i.cond(), then.forward, otherwise.forward, i.pos(), i.source()));
      return;
    }
    Expr taken;
    if (!inLoop) {
      recordedOut.add(i);
      if (number == 0) {
        number = ++branches;
      }
      // runs at most once: the decision is a local (declared up front when inside a branch)
      Var decision = new Var("branch" + number, Prim.BOOLEAN, Var.Kind.SYNTHETIC);
      names.generated(decision);
      fwd.add(local(decision, i.cond(), depth));
      fwd.add(new Stmt.If(new Read(decision), then.forward, otherwise.forward, i.pos(), i.source()));
      taken = new Read(decision);
    } else {
      List<Stmt> thenFwd = new ArrayList<>(then.forward);
      thenFwd.add(tapes.push(Prim.BOOLEAN, new Literal(true, "true", Prim.BOOLEAN)));
      List<Stmt> elseFwd = new ArrayList<>(otherwise.forward);
      elseFwd.add(tapes.push(Prim.BOOLEAN, new Literal(false, "false", Prim.BOOLEAN)));
      fwd.add(new Stmt.If(i.cond(), thenFwd, elseFwd, i.pos(), i.source()));
      taken = tapes.pop(Prim.BOOLEAN);
    }
    if (i.source() != null) {
      rev.add(comment(i, i.source()));
    }
    rev.add(new Stmt.If(taken, then.reverse, otherwise.reverse, Pos.NONE, null));
  }

  private void loop(Stmt.Loop l, int depth, boolean inLoop, List<Stmt> fwd, List<Stmt> rev) {
    if (depth == 0 && fusable.containsKey(l)) {
      fusedLoop(l, fusable.get(l), fwd, rev);
      return;
    }
    Stmt.ArrayStore whole = savedWhole(l, depth);
    if (whole == null) {
      reversedLoop(l, depth, inLoop, fwd, rev);
      return;
    }
    // the loop overwrites the whole array: saved in one piece before it, put back in one piece after
    Expr array = whole.target().array();
    savedWhole.add(whole);
    fwd.add(tapes.pushAll(array));
    reversedLoop(l, depth, inLoop, fwd, rev);
    rev.add(new Stmt.Comment(names.of(Activity.arrayVar(array)) + " as it was before the loop at line "
        + l.pos().line() + ", in one piece"));
    rev.add(tapes.popInto(array));
  }

  /**
   * The fill loop's store whose array is saved whole ({@link SaveAnalysis#savedWhole}), or null; not in
   * a checkpointed loop, and in an iteration reversed at once only for the loop's own arrays (putting
   * back any other would be a write its dependence test has not seen).
   */
  private Stmt.ArrayStore savedWhole(Stmt.Loop l, int depth) {
    return savedWhole(l, currentTop, depth, saves, fusing == null ? null : fusing.fused, checkpointed);
  }

  static Stmt.ArrayStore savedWhole(Stmt.Loop l, Stmt top, int depth, SaveAnalysis saves,
      IndependentIterations.Fused fusing, Checkpointing.Plan checkpointed) {
    if (depth == 0 && checkpointed.contains(l.pos())) {
      return null;
    }
    Stmt.ArrayStore store = saves.savedWhole(l, top, depth);
    if (store == null || fusing == null) {
      return store;
    }
    Var a = Activity.arrayVar(store.target());
    // a first fill in an iteration reversed at once overwrites only the last iteration's values: no save
    return !fusing.firstFills().contains(store) && (fusing.scratch().contains(a) || fusing.declared().contains(a))
        ? store : null;
  }

  private void reversedLoop(Stmt.Loop l, int depth, boolean inLoop, List<Stmt> fwd, List<Stmt> rev) {
    int number = recorded.contains(l) ? ++loops : 0; // numbered in source order: outer first
    Var index = CountedLoops.countedIndex(l, facts);
    Code init = new Code();
    if (index == null) {
      // the init's statements belong to the loop (a top-level loop's `int i = 0` is no top-level statement)
      init = block(l.init(), depth + 1, inLoop);
    } else {
      facts.loopIndexes.add(index);
    }
    List<Stmt> recompute = new ArrayList<>();
    for (Stmt.Declare d : recomputedLocals(l)) {
      recompute.add(new Stmt.Declare(d.var(), d.init(), Pos.NONE, null));
    }
    for (Stmt s : l.body()) {
      if (saves.isRecomputedFill(s)) {
        Var filled = Activity.arrayVar(((Stmt.ArrayStore) ((Stmt.Loop) s).body().get(0)).target());
        recompute.add(new Stmt.Comment(names.of(filled) + " as this iteration filled it (it is not saved)"));
        recompute.add(s);
      }
    }
    Code bodyCode = block(l.body(), depth + 1, true);
    Code update = index == null ? block(l.update(), depth + 1, true) : new Code();
    fwd.addAll(init.forward);
    boolean reversed = !bodyCode.reverse.isEmpty() || !update.reverse.isEmpty();
    if (!reversed) {
      fwd.add(forwardLoop(l, index, bodyCode.forward, update.forward, null));
      rev.addAll(init.reverse);
      return;
    }
    List<Stmt> iteration = new ArrayList<>();
    if (!bodyCode.reverse.isEmpty()) {
      iteration.addAll(recompute); // the values this iteration's locals had, recomputed
    }
    iteration.addAll(update.reverse);
    iteration.addAll(bodyCode.reverse);
    if (checkpointed.labelled().contains(l.pos()) && depth == 0) {
      if (index == null) {
        throw new IllegalStateException("a checkpointed loop without a counted index at line " + l.pos().line());
      }
      checkpointedLoop(l, index, bodyCode.forward, iteration, fwd, rev);
      return;
    }
    if (checkpointed.budgeted().contains(l.pos()) && depth == 0 && index != null
        && !tapeBytes(bodyCode.forward).isEmpty()
        && carried(l, index, bodyCode.forward).stream().allMatch(v -> Checkpointing.storable(v.type()))) {
      checkpointedLoop(l, index, bodyCode.forward, iteration, fwd, rev);
      return;
    }
    Stmt bounded = index == null ? null : CountedLoops.boundedReverse(l, index, iteration, facts);
    if (bounded != null) {
      // the index runs back over the same range: nothing to record
      fwd.add(forwardLoop(l, index, bodyCode.forward, update.forward, null));
      rev.add(comment(l, l.source()));
      rev.add(bounded);
      rev.addAll(init.reverse);
      return;
    }
    recordedOut.add(l);
    if (number == 0) {
      number = ++loops;
    }
    Var count = new Var("loop" + number, Prim.INT, Var.Kind.SYNTHETIC);
    names.generated(count);
    fwd.add(inLoop ? new Stmt.Declare(count, new Literal(0, "0", Prim.INT), Pos.NONE, null)
        : local(count, new Literal(0, "0", Prim.INT), depth));
    fwd.add(forwardLoop(l, index, bodyCode.forward, update.forward, count));
    if (inLoop) {
      fwd.add(tapes.push(Prim.INT, new Read(count)));
    }
    Expr trips = inLoop ? tapes.pop(Prim.INT) : new Read(count);
    rev.add(comment(l, l.source()));
    if (index != null) {
      rev.add(CountedLoops.reverse(l, index, trips, iteration, names));
    } else if (inLoop) {
      // in an iteration reversed at once the forward count may still be in scope: count down another variable
      Var left = fusing != null ? synthetic(names.of(count) + "Left", Prim.INT) : count;
      rev.add(new Stmt.Loop(List.of(new Stmt.Declare(left, trips, Pos.NONE, null)), CountedLoops.positive(left),
          List.of(CountedLoops.decrement(left)), iteration, true, Pos.NONE, null));
    } else {
      rev.add(new Stmt.Loop(List.of(), CountedLoops.positive(count), List.of(CountedLoops.decrement(count)), iteration, true, Pos.NONE, null));
    }
    rev.addAll(init.reverse);
  }

  /**
   * The locals declared at the top of a loop body from values that do not change in the iteration
   * ({@code double v = x[i]}), now in {@link VarFacts#recomputed}: the reverse sweep has them again
   * by recomputing, not from the tape.
   */
  private List<Stmt.Declare> recomputedLocals(Stmt.Loop l) {
    return recomputedLocals(l, plan, facts);
  }

  static List<Stmt.Declare> recomputedLocals(Stmt.Loop l, Saves plan, VarFacts facts) {
    List<Stmt.Declare> out = new ArrayList<>();
    for (Stmt s : l.body()) {
      if (plan == Saves.NEEDED && s instanceof Stmt.Declare d && d.init() != null && d.var().type() instanceof Prim
          && !facts.isAssigned(d.var()) && facts.isRecomputable(d.init())) {
        facts.recomputed.add(d.var());
        out.add(d);
      }
    }
    return out;
  }

  /** Where, in a loop reversed iteration by iteration, the iteration's reverse code starts. */
  static final Stmt.Comment ITERATION_BACKWARDS = new Stmt.Comment("and this iteration backwards");

  /** While the body of a loop reversed iteration by iteration is built: what its reverse code adds into. */
  private static final class Fusing {
    final IndependentIterations.Fused fused;

    /** Those declared at the top of the body, in scope where the iteration's reverse code runs. */
    final Set<Var> topLevel = new HashSet<>();
    /** Per value the loop reads from before it, the adjoint its iterations give it per unit of the sum's. */
    final Map<Var, Var> partials = new LinkedHashMap<>();

    /**
     * The sum's adjoint while the iterations are reversed: 1 (the reverse sweep scales the partials), or
     * the seed itself when that is what the sum's adjoint will be ({@link #sumAdjointIsSeed}); then the
     * iterations add into the adjoints themselves and there are no partials.
     */
    final Expr sumAdjoint;
    /** Whether the sum's adjoint is the seed: the iterations add into the adjoints, with no partials. */
    final boolean intoAdjoints;

    Fusing(IndependentIterations.Fused fused, List<Stmt> body, Expr sumAdjoint, boolean intoAdjoints) {
      this.fused = fused;
      this.sumAdjoint = sumAdjoint;
      this.intoAdjoints = intoAdjoints;
      for (Stmt s : body) {
        if (s instanceof Stmt.Declare d) {
          topLevel.add(d.var());
        }
      }
    }

    /** Whether v's adjoint in the iterations is a partial (it is neither the loop's own nor the sum). */
    boolean gathers(Var v) {
      return !intoAdjoints && v != fused.sum() && !isOwn(v);
    }

    /** Declared in the body (each iteration has its own) or scratch: not kept from iteration to iteration. */
    boolean isOwn(Var v) {
      return fused.declared().contains(v) || fused.scratch().contains(v);
    }
  }

  /**
   * A top-level loop whose iterations meet only in a sum ({@link IndependentIterations}): the
   * forward sweep runs each iteration and then at once its reverse, with the sum's adjoint taken as
   * 1, gathering into partials what flows to the values the loop reads; the reverse sweep adds the
   * partials times the sum's adjoint. The tape holds one iteration, and nothing is kept for later.
   */
  private void fusedLoop(Stmt.Loop l, IndependentIterations.Fused fused, List<Stmt> fwd, List<Stmt> rev) {
    Var index = CountedLoops.countedIndex(l, facts);
    facts.loopIndexes.add(index);
    recomputedLocals(l); // still in scope when the iteration is reversed: not recomputed there, not saved either
    boolean direct = sumAdjointIsSeed(l, fused.sum());
    Fusing ctx = new Fusing(fused, l.body(), direct ? new Read(seed) : num(1), direct);
    fusing = ctx;
    Code bodyCode;
    try {
      bodyCode = block(l.body(), 1, true);
    } finally {
      fusing = null;
    }
    Var sumBar = adjointOf(fused.sum());
    // the dependence test holds for the primal code; the reverse code must not break it either
    Rewrite.forEachStmt(bodyCode.reverse, s -> {
      Var t = s instanceof Stmt.Assign a ? a.var() : s instanceof Stmt.ArrayStore a ? Activity.arrayVar(a.target())
          : null;
      if (t != null && facts.primal.contains(t) && !ctx.isOwn(t) || t == sumBar) {
        throw new IterationsMeet(l);
      }
      Rewrite.forEachRead(s, r -> {
        if (r.var() == sumBar) {
          throw new IterationsMeet(l);
        }
      });
    });
    fusedReverse.put(l, bodyCode.reverse);
    // the loop's own adjoints live in the forward sweep, declared before it
    Set<Var> early = new LinkedHashSet<>();
    Map<Var, Var> primalOf = new HashMap<>();
    adjoints.forEach((p, a) -> primalOf.put(a, p));
    Rewrite.forEachStmt(bodyCode.reverse, s -> {
      if (s instanceof Stmt.Assign a && primalOf.containsKey(a.var())) {
        early.add(a.var());
      }
      Rewrite.forEachRead(s, r -> {
        if (primalOf.containsKey(r.var())) {
          early.add(r.var());
        }
      });
    });
    Set<Var> adjointArrays = new HashSet<>();
    fwd.add(new Stmt.Comment("line " + l.pos().line() + ": the iterations meet only in the sum '"
        + names.of(fused.sum()) + "': each is reversed as soon as it has run, with " + names.of(sumBar)
        + (direct ? " = " + names.of(seed) + " (the method returns " + names.of(fused.sum()) + " as it is)"
            : " taken as 1")));
    for (Var a : early) {
      declaredEarly.add(a);
      fwd.add(new Stmt.Declare(a, zeroAdjoint(primalOf.get(a)), Pos.NONE, null));
      if (a.type() instanceof ArrayType at && at.element() == Prim.DOUBLE) {
        adjointArrays.add(a);
      }
    }
    for (Map.Entry<Var, Var> p : ctx.partials.entrySet()) {
      fwd.add(new Stmt.Declare(p.getValue(), zeroAdjoint(p.getKey()), Pos.NONE, null));
      if (p.getValue().type() instanceof ArrayType at && at.element() == Prim.DOUBLE) {
        adjointArrays.add(p.getValue());
      }
    }
    // a call whose pullback follows it at once gives both from one run ({@code fValueVjpInto})
    List<Stmt> each = ValuePullbacks.merge(bodyCode.forward, ITERATION_BACKWARDS,
        Accumulators.promote(bodyCode.reverse, adjointArrays, names));
    fwd.add(forwardLoop(l, index, each, List.of(), null));

    if (direct) {
      rev.add(comment(l, l.source() + " (reversed iteration by iteration above, with " + names.of(sumBar) + " = "
          + names.of(seed) + ")"));
      return;
    }
    rev.add(comment(l, l.source() + " (reversed iteration by iteration above: what the iterations gave per unit of "
        + names.of(sumBar) + ", times " + names.of(sumBar) + ")"));
    for (Map.Entry<Var, Var> p : ctx.partials.entrySet()) {
      Var bar = adjointOf(p.getKey());
      if (bar.type() instanceof ArrayType) {
        rev.add(new Stmt.Eval(new Expr.Call(StatementAdjoint.ARRAY_RULES, "addScaled",
            List.of(new Read(bar), new Read(sumBar), new Read(p.getValue())), StatementAdjoint.VOID)));
      } else {
        rev.add(new Stmt.Assign(bar, Exprs.add(new Read(bar), Exprs.mul(new Read(sumBar), new Read(p.getValue()))),
            true, Pos.NONE, null));
      }
    }
  }

  /**
   * Whether the sum's adjoint is the seed by the time the loop runs, so that its iterations can add
   * into the adjoints themselves: the method returns the sum as it is right after the loop, its result
   * is a number, and its seed is known before the forward sweep (it is not reversed in two halves).
   */
  private boolean sumAdjointIsSeed(Stmt.Loop l, Var sum) {
    int at = 0;
    while (body.get(at) != l) {
      at++;
    }
    return !splits(method) && method.resultType() instanceof Prim && at == body.size() - 2
        && body.get(at + 1) instanceof Stmt.Return r && r.value() instanceof Read read && read.var() == sum;
  }

  private static final RefType CHECKPOINTS = new RefType("dev.adjoint.tape", List.of("Checkpoints"));
  private static final RefType REVOLVE = new RefType("dev.adjoint.tape", List.of("Revolve"));

  /**
   * A loop labelled {@code checkpoint:} ({@code for (int t = a; t < b; t++)} at top level), reversed by
   * binomial checkpointing ({@link dev.adjoint.tape.Revolve}, Griewank and Walther's revolve): the
   * forward sweep runs it without a tape, keeping copies of its state where the schedule says; the
   * reverse sweep follows the schedule's actions (copy the state, put a copy back, run iterations again
   * untaped, run one iteration taped, run it backwards) until every iteration has been reversed, last
   * first, and the state the loop started from is back. The tape holds one iteration; the copies are as
   * many as the label asks ({@code checkpoint<n>:}) or as the schedule picks from the number of steps.
   */
  private void checkpointedLoop(Stmt.Loop l, Var index, List<Stmt> taped, List<Stmt> iteration, List<Stmt> fwd,
      List<Stmt> rev) {
    Expr first = ((Stmt.Declare) l.init().get(0)).init();
    Expr start = first;
    Expr bound = ((Binary) l.cond()).right();
    boolean overBudget = !checkpointed.labelled().contains(l.pos());
    Var tapedTo = null;
    if (overBudget) {
      // -Aadjoint.tapeBudget: the iterations taped as usual while the tapes stay within the budget
      tapedTo = synthetic("tapedTo", Prim.INT);
      fwd.add(new Stmt.Comment("line " + l.pos().line() + ": taped while the tapes hold at most " + checkpointed.budget()
          + " bytes (-Aadjoint.tapeBudget), the iterations after that checkpointed"));
      fwd.add(new Stmt.Declare(tapedTo, first, Pos.NONE, null));
      Expr within = new Binary(BinOp.LE, tapeBytes(taped).stream().reduce((a, b) -> new Binary(BinOp.ADD, a, b,
          Prim.LONG)).orElseThrow(), new Literal(checkpointed.budget(), checkpointed.budget() + "L", Prim.LONG),
          Prim.BOOLEAN);
      fwd.add(new Stmt.Loop(List.of(), new Binary(BinOp.AND, new Binary(BinOp.LT, new Read(tapedTo), bound,
          Prim.BOOLEAN), within, Prim.BOOLEAN), List.of(new Stmt.Assign(tapedTo, new Binary(BinOp.ADD,
          new Read(tapedTo), new Literal(1, "1", Prim.INT), Prim.INT), true, Pos.NONE, null)),
          atStep(index, new Read(tapedTo), taped), true, l.pos(), l.source()));
      start = new Read(tapedTo);
    }
    int asked = Checkpointing.slots(body, l.pos());
    Var schedule = synthetic("schedule", REVOLVE);
    Read plan = new Read(schedule);
    fwd.add(new Stmt.Comment((overBudget ? "the rest" : "line " + l.pos().line()) + ": binomial checkpointing (revolve"
        + (asked > 0 ? ", " + asked + (asked == 1 ? " copy" : " copies") : "") + "): the loop runs without its tape,"
        + " keeping copies of its state where the schedule says, for the reverse sweep to run iterations again from"));
    fwd.add(new Stmt.Declare(schedule, new Expr.Call(REVOLVE, "schedule", List.of(start, bound,
        new Literal(asked, Integer.toString(asked), Prim.INT)), REVOLVE), Pos.NONE, null));
    // what the body reads and the method changes after the loop: copied once, put back before the reverse
    Map<Var, Var> atLoop = new LinkedHashMap<>();
    for (Var v : Checkpointing.inputs(l, body)) {
      Var c = synthetic(names.of(v) + "AtLoop", v.type());
      atLoop.put(v, c);
      fwd.add(new Stmt.Declare(c, v.type() instanceof ArrayType
          ? new Expr.Call(CHECKPOINTS, "save", List.of(new Read(v)), v.type()) : new Read(v), Pos.NONE, null));
    }
    Map<Var, Var> copies = new LinkedHashMap<>();
    List<Var> state = new ArrayList<>(Checkpointing.state(l));
    for (Var v : carried(l, index, taped)) {
      // past the budget, the taped iterations' reverse starts from these as the first checkpointed one left them
      if (overBudget) {
        state.add(v);
      }
    }
    for (Var v : state) {
      Type slots = new ArrayType(v.type());
      Var c = synthetic(names.of(v) + "Checkpoints", slots);
      copies.put(v, c);
      fwd.add(new Stmt.Declare(c, new Expr.Call(CHECKPOINTS, "slots", List.of(new Read(v),
          new MethodCall(plan, "slots", List.of(), Prim.INT)), slots), Pos.NONE, null));
    }
    Expr slot = new MethodCall(plan, "slot", List.of(), Prim.INT);
    // forward: the loop as written, plus the copies, without its tape
    List<Stmt> untaped = untaped(taped);
    List<Stmt> kept = new ArrayList<>();
    kept.add(new Stmt.If(new MethodCall(plan, "keeps", List.of(new Read(index)), Prim.BOOLEAN), saves(copies, slot),
        List.of(), Pos.NONE, null));
    kept.addAll(untaped);
    if (overBudget) {
      fwd.add(new Stmt.Loop(List.of(new Stmt.Declare(index, start, Pos.NONE, null)), l.cond(), l.update(), kept, true,
          Pos.NONE, null));
    } else {
      fwd.add(new Stmt.Loop(l.init(), l.cond(), l.update(), kept, true, l.pos(), l.source()));
    }

    // reverse: the schedule's actions, one after another
    rev.add(comment(l, l.source() + ", checkpointed: " + (overBudget ? "past the tape budget, " : "")
        + "the schedule copies the state, puts copies back, runs iterations again untaped, and each iteration taped"
        + " then backwards, last first"));
    for (Map.Entry<Var, Var> e : atLoop.entrySet()) {
      rev.add(e.getKey().type() instanceof ArrayType
          ? new Stmt.Eval(new Expr.Call(CHECKPOINTS, "restore", List.of(new Read(e.getValue()), new Read(e.getKey())),
              StatementAdjoint.VOID))
          : new Stmt.Assign(e.getKey(), new Read(e.getValue()), false, Pos.NONE, null));
    }
    Expr step = new MethodCall(plan, "step", List.of(), Prim.INT);
    List<Stmt> tapedRun = atStep(index, step, taped);
    tapedRun.add(0, new Stmt.Comment("the iteration again, taped"));
    List<Stmt> backwards = atStep(index, step, iteration);
    Stmt advance = new Stmt.Loop(List.of(new Stmt.Declare(index, new MethodCall(plan, "from", List.of(), Prim.INT),
        Pos.NONE, null)), new Binary(BinOp.LT, new Read(index), new MethodCall(plan, "to", List.of(), Prim.INT),
        Prim.BOOLEAN), l.update(), untaped, true, Pos.NONE, null);
    Stmt actions = new Stmt.If(new MethodCall(plan, "saves", List.of(), Prim.BOOLEAN), saves(copies, slot),
        List.of(new Stmt.If(new MethodCall(plan, "restores", List.of(), Prim.BOOLEAN), restores(copies, slot),
            List.of(new Stmt.If(new MethodCall(plan, "advances", List.of(), Prim.BOOLEAN), List.of(advance),
                List.of(new Stmt.If(new MethodCall(plan, "tapes", List.of(), Prim.BOOLEAN), tapedRun, backwards,
                    Pos.NONE, null)), Pos.NONE, null)), Pos.NONE, null)), Pos.NONE, null);
    rev.add(new Stmt.Loop(List.of(), new MethodCall(plan, "next", List.of(), Prim.BOOLEAN), List.of(), List.of(actions),
        true, Pos.NONE, null));
    if (overBudget) {
      rev.add(new Stmt.Comment("the iterations taped within the budget, backwards"));
      rev.add(new Stmt.Loop(List.of(new Stmt.Declare(index, new Binary(BinOp.SUB, new Read(tapedTo),
          new Literal(1, "1", Prim.INT), Prim.INT), Pos.NONE, null)), new Binary(BinOp.GE, new Read(index), first,
          Prim.BOOLEAN), List.of(CountedLoops.decrement(index)), iteration, true, Pos.NONE, null));
    }
  }

  /**
   * What the iteration's taped code assigns that is declared neither in it nor before the loop in the
   * source: the body's locals the gradient declares before the loop (a local overwritten in a loop is
   * put on the tape before each iteration overwrites it; the index of a row the body names), whose value
   * an iteration's reverse starts from.
   */
  private static List<Var> carried(Stmt.Loop l, Var index, List<Stmt> taped) {
    Set<Var> assigned = new java.util.LinkedHashSet<>();
    Set<Var> declared = new HashSet<>();
    Rewrite.forEachStmt(taped, s -> {
      if (s instanceof Stmt.Declare d) {
        declared.add(d.var());
      } else if (s instanceof Stmt.Assign a) {
        assigned.add(a.var());
      } else if (s instanceof Stmt.ArrayStore st) {
        assigned.add(Activity.arrayVar(st.target()));
      }
    });
    assigned.removeAll(declared);
    assigned.removeAll(Checkpointing.state(l));
    assigned.remove(index);
    return List.copyOf(assigned);
  }

  /**
   * What the tapes the code pushes to hold, in bytes, one term per tape: {@code doubleTape.size() * 8L}
   * (an int 4 bytes, a tensor or a callee's record counted as its reference, 8).
   */
  private static List<Expr> tapeBytes(List<Stmt> code) {
    Set<Var> pushed = new java.util.LinkedHashSet<>();
    Rewrite.forEachStmt(code, s -> {
      if (s instanceof Stmt.Eval e && e.expr() instanceof MethodCall m && m.name().startsWith("push")
          && m.receiver() instanceof Read r && r.var().type() instanceof RefType t
          && t.packageName().equals("dev.adjoint.tape")) {
        pushed.add(r.var());
      }
    });
    List<Expr> out = new ArrayList<>();
    for (Var tape : pushed) {
      String kind = ((RefType) tape.type()).simpleNames().get(0);
      long bytes = kind.equals("IntStack") ? 4 : 8;
      out.add(new Binary(BinOp.MUL, new MethodCall(new Read(tape), "size", List.of(), Prim.INT),
          new Literal(bytes, bytes + "L", Prim.LONG), Prim.LONG));
    }
    return out;
  }

  /** The statements of one iteration, after the declaration of its counter if they read it. */
  private static List<Stmt> atStep(Var index, Expr step, List<Stmt> code) {
    boolean[] reads = {false};
    Rewrite.forEachStmt(code, s -> Rewrite.forEachRead(s, r -> reads[0] |= r.var() == index));
    List<Stmt> out = new ArrayList<>();
    if (reads[0]) {
      out.add(new Stmt.Declare(index, step, Pos.NONE, null));
    }
    out.addAll(code);
    return out;
  }

  /** The loop's state copied into copy number {@code k}: arrays into the array the slot held before, if any. */
  private static List<Stmt> saves(Map<Var, Var> copies, Expr k) {
    List<Stmt> out = new ArrayList<>();
    for (Map.Entry<Var, Var> e : copies.entrySet()) {
      Var v = e.getKey();
      Expr value = v.type() instanceof ArrayType
          ? new Expr.Call(CHECKPOINTS, "save", List.of(new Read(v), new ArrayRead(new Read(e.getValue()), k, v.type())),
              v.type())
          : new Read(v);
      out.add(new Stmt.ArrayStore(new ArrayRead(new Read(e.getValue()), k, v.type()), value, false, Pos.NONE, null));
    }
    return out;
  }

  private static String capitalized(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  private Var synthetic(String name, Type type) {
    Var v = new Var(name, type, Var.Kind.SYNTHETIC);
    names.generated(v);
    return v;
  }

  /** The loop's state put back from copy number {@code k}: arrays element by element, into themselves. */
  private static List<Stmt> restores(Map<Var, Var> copies, Expr k) {
    List<Stmt> out = new ArrayList<>();
    for (Map.Entry<Var, Var> e : copies.entrySet()) {
      Expr saved = new ArrayRead(new Read(e.getValue()), k, e.getKey().type());
      if (e.getKey().type() instanceof ArrayType) {
        out.add(new Stmt.Eval(new Expr.Call(CHECKPOINTS, "restore", List.of(saved, new Read(e.getKey())),
            StatementAdjoint.VOID)));
      } else {
        out.add(new Stmt.Assign(e.getKey(), saved, false, Pos.NONE, null));
      }
    }
    return out;
  }

  /**
   * The forward code without what it puts on tapes (each iteration is taped when it runs again), nor the
   * trip counters that only those pushes read.
   */
  private static List<Stmt> untaped(List<Stmt> forward) {
    List<Stmt> pushless = withoutPushes(forward);
    Set<Var> read = new HashSet<>();
    Rewrite.forEachStmt(pushless, s -> {
      Var self = s instanceof Stmt.Assign a ? a.var() : null;
      Rewrite.forEachRead(s, r -> {
        if (r.var() != self) {
          read.add(r.var());
        }
      });
    });
    return withoutCounters(pushless, read);
  }

  private static List<Stmt> withoutCounters(List<Stmt> block, Set<Var> read) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block) {
      Var v = s instanceof Stmt.Declare d ? d.var() : s instanceof Stmt.Assign a ? a.var() : null;
      if (v != null && v.kind() == Var.Kind.SYNTHETIC && v.type() == Prim.INT && !read.contains(v)) {
        continue;
      }
      out.add(Rewrite.withBlocks(s, b -> withoutCounters(b, read)));
    }
    return out;
  }

  /** The forward code without what it puts on tapes. */
  private static List<Stmt> withoutPushes(List<Stmt> block) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block) {
      if (s instanceof Stmt.Eval e && e.expr() instanceof MethodCall m
          && (m.name().equals("push") || m.name().equals("pushAll"))
          && m.receiver() instanceof Read r && r.var().type() instanceof RefType t
          && t.packageName().equals("dev.adjoint.tape")) {
        continue;
      }
      out.add(Rewrite.withBlocks(s, ReverseBuilder::withoutPushes));
    }
    return out;
  }

  /**
   * The loop of the forward sweep, counting its iterations in {@code count} (if not null). A
   * counted {@code for} stays a {@code for}; other loops become {@code while} (or {@code do})
   * loops with the update at the end of the body, where saves can go.
   */
  private Stmt forwardLoop(Stmt.Loop l, Var index, List<Stmt> body, List<Stmt> update, Var count) {
    List<Stmt> b = new ArrayList<>();
    if (count != null) {
      b.add(new Stmt.Assign(count, new Binary(BinOp.ADD, new Read(count), new Literal(1, "1", Prim.INT), Prim.INT),
          true, Pos.NONE, null));
    }
    b.addAll(body);
    if (index != null) {
      return new Stmt.Loop(l.init(), l.cond(), l.update(), b, true, l.pos(), l.source());
    }
    if (update.stream().allMatch(u -> u instanceof Stmt.Assign) && l.testFirst()) {
      return new Stmt.Loop(List.of(), l.cond(), update, b, true, l.pos(), l.source());
    }
    b.addAll(update);
    return new Stmt.Loop(List.of(), l.cond(), List.of(), b, l.testFirst(), l.pos(), l.source());
  }

  // ---- saving overwritten values ---------------------------------------------------------------

  /**
   * Saves the value of {@code place} before the statement overwrites it: in a local named after
   * the variable and the version it holds ({@code x0}) outside loops, on a tape inside them.
   * Returns the statement that puts it back, first thing in that statement's reverse code.
   */
  private Stmt save(Expr place, int depth, boolean inLoop, int version, List<Stmt> fwd) {
    Type type = place.type();
    if (!inLoop) {
      Var v = Activity.arrayVar(place);
      String name = place instanceof Read ? names.of(v) + Math.max(version, 0) : names.of(v) + "Element";
      Var copy = new Var(name, type, Var.Kind.SYNTHETIC);
      names.generated(copy);
      fwd.add(local(copy, place, depth));
      return restore(place, new Read(copy));
    }
    fwd.add(tapes.push(type, place));
    return restore(place, tapes.pop(type));
  }

  /**
   * {@code T v = value;} where it stands at top level; inside a branch (run at most once, but in
   * a block of its own) v is declared before the method's code so the reverse sweep sees it.
   */
  private Stmt local(Var v, Expr value, int depth) {
    if (depth == 0) {
      return new Stmt.Declare(v, value, Pos.NONE, null);
    }
    hoisted.add(v);
    return new Stmt.Assign(v, value, false, Pos.NONE, null);
  }

  private static Stmt restore(Expr place, Expr saved) {
    if (place instanceof Read r) {
      return new Stmt.Assign(r.var(), saved, false, Pos.NONE, null);
    }
    return new Stmt.ArrayStore((ArrayRead) place, saved, false, Pos.NONE, null);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private List<Stmt> adjointCode(Expr root, Expr rootValue, Expr seed) {
    return new StatementAdjoint(activity, names, this::adjointPlace, root, rootValue, recordedPartials,
        recordedResiduals).build(seed);
  }

  private static Stmt comment(Stmt s, String source) {
    return new Stmt.Comment("line " + s.pos().line() + ": " + source);
  }

  /** The rest of {@code p = p + rest} or {@code p = p - rest} ({@link Increments}), when rest does not read p. */
  private Increment increment(Expr value, Expr place) {
    return increment(value, place, activity);
  }

  /** The rest of {@code p = p + rest} or {@code p = p - rest}, when rest does not read p. */
  static Increment increment(Expr value, Expr place, Activity activity) {
    Increment inc = Increments.of(value, place);
    Var v = Activity.arrayVar(place);
    return inc == null || !activity.isVaried(place) || readsPlace(inc.rest(), v, activity) ? null : inc;
  }

  /** Whether a derivative flows from variable (or array) {@code v} into {@code e}. */
  private boolean readsPlace(Expr e, Var v) {
    return readsPlace(e, v, activity);
  }

  private static boolean readsPlace(Expr e, Var v, Activity activity) {
    boolean[] found = {false};
    activity.forEachActiveRead(e, r -> found[0] |= r.var() == v);
    return found[0];
  }


  /**
   * A copy of the written array parameter {@code w}; for one that carries no derivative
   * ({@code int[] sign}), which callers may pass as null ({@code lgamma(z, null)}), null stays null.
   */
  public static Expr nullSafe(Var w, Expr copy) {
    if (dev.adjoint.processor.ir.Type.carriesGradient(w.type())) {
      return copy;
    }
    Expr none = new Expr.Literal(null, "null", w.type());
    return new Expr.Conditional(new Expr.Binary(dev.adjoint.processor.ir.BinOp.EQ, new Read(w), none,
        dev.adjoint.processor.ir.Prim.BOOLEAN), none, copy, w.type());
  }
}
