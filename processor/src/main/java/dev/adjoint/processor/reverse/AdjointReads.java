package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.num;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Checkpointing;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.reverse.Increments.Increment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the reverse sweep will read, found before it is built: per statement (at any depth), the
 * primal variables its reverse code reads, given the saves a {@link SaveAnalysis} decided. A
 * statement's adjoint is what its operators' rules make of it ({@link StatementAdjoint}, the same
 * rules the sweep applies, asked here in a scratch namespace); around it come the reads the plan
 * adds: the index of an array element put back, the step of an undone increment, the fills and
 * locals a loop's reverse computes again, the bounds a loop runs back over.
 *
 * <p>This is the to-be-recorded analysis of Tapenade and of Clad's {@code TBRAnalyzer}: with it,
 * {@link SavePlan} decides what to save from analyses alone, and the sweep is built once. The
 * builder checks afterwards that its code reads nothing this analysis did not foresee.
 */
final class AdjointReads {
  /**
   * What the reverse sweep reads.
   *
   * @param perStatement per statement, the primal variables its reverse code reads
   * @param read every primal variable the reverse code reads (its values)
   * @param mentioned every primal variable it names (a length too): those must be in its scope
   * @param recorded the branches and loops whose decision or trip count the forward sweep records
   */
  record Result(Map<Stmt, Set<Var>> perStatement, Set<Var> read, Set<Var> mentioned, Set<Stmt> recorded) {}

  /** What one statement's reverse code does: whether there is any, and what it reads and names. */
  private static final class Code {
    boolean any;
    final Set<Var> reads = new HashSet<>();
    final Set<Var> mentions = new HashSet<>();

    void add(List<Stmt> stmts) {
      any |= !stmts.isEmpty();
      Rewrite.forEachStmt(stmts, s -> {
        Set<Var> r = new HashSet<>();
        SaveAnalysis.collectReads(s, r);
        reads.addAll(r);
        Rewrite.forEachRead(s, x -> mentions.add(x.var()));
      });
    }

    void add(Code other) {
      any |= other.any;
      reads.addAll(other.reads);
      mentions.addAll(other.mentions);
    }
  }

  private final Method method;
  private final List<Stmt> body;
  private final Activity activity;
  private final VarFacts facts;
  private final SaveAnalysis saves;
  private final ReverseBuilder.Saves plan;
  private final Checkpointing.Plan checkpointed;
  private final Map<Stmt, IndependentIterations.Fused> fusable;
  /** A namespace of its own: the names the rules' code would take are of no concern here. */
  private final Names scratch;
  private final Tapes tapes;
  private final Map<Var, Var> adjoints = new HashMap<>();
  private final Map<Stmt, Set<Var>> perStatement = new IdentityHashMap<>();
  private final Set<Stmt> recorded = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Var> fusedOwn = new HashSet<>();
  private final Set<Stmt> savedWhole = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private Stmt currentTop;
  private IndependentIterations.Fused fusing;
  private final Set<Var> fusingTop = new HashSet<>();

  private AdjointReads(Method method, List<Stmt> body, Activity activity, VarFacts facts, SaveAnalysis saves,
      ReverseBuilder.Saves plan, Checkpointing.Plan checkpointed, Map<Stmt, IndependentIterations.Fused> fusable) {
    this.method = method;
    this.body = body;
    this.activity = activity;
    this.facts = facts;
    this.saves = saves;
    this.plan = plan;
    this.checkpointed = checkpointed;
    this.fusable = fusable;
    this.scratch = new Names(method.identifiers());
    this.tapes = new Tapes(scratch);
  }

  /**
   * The reads of the reverse sweep that {@code saves} leads to. {@code facts} is filled as the
   * builder fills it (loop indexes, recomputed locals); {@code value} is the result variable.
   */
  static Result of(Method method, List<Stmt> body, Var value, Activity activity, VarFacts facts, SaveAnalysis saves,
      ReverseBuilder.Saves plan, Checkpointing.Plan checkpointed, Map<Stmt, IndependentIterations.Fused> fusable) {
    AdjointReads a = new AdjointReads(method, body, activity, facts, saves, plan, checkpointed, fusable);
    Code all = a.block(body, 0, false);
    // the adjoints' declarations at the top of the reverse sweep: zeros shaped like their arrays
    Set<Var> withAdjoint = a.withAdjoints(value);
    for (Var v : withAdjoint) {
      if (v.type() instanceof ArrayType || Type.TENSOR_ARRAY.equals(v.type())) {
        all.mentions.add(v); // new double[v.length]
      }
      if (v.type() instanceof ArrayType at && (at.element() instanceof ArrayType || a.isHoisted(v))
          || Type.TENSOR_ARRAY.equals(v.type())) {
        all.reads.add(v); // ArrayRules.zerosLike(v), TensorArrays.adjointsOf(v)
      }
    }
    // a model's parameters go into their grad(); a tensor parameter given no gradient gets zeros of its shape
    all.reads.addAll(method.fields());
    for (Var p : method.wrt()) {
      if (Type.TENSOR.equals(p.type())) {
        all.reads.add(p);
      }
    }
    Set<Var> read = new HashSet<>(all.reads);
    read.retainAll(facts.primal);
    Set<Var> mentioned = new HashSet<>(all.mentions);
    mentioned.addAll(read);
    mentioned.retainAll(facts.primal);
    return new Result(a.perStatement, read, mentioned, a.recorded);
  }

  /** The variables the builder gives an adjoint declared in the reverse sweep. */
  private Set<Var> withAdjoints(Var value) {
    Set<Var> out = new HashSet<>(method.differentiated());
    Rewrite.forEachStmt(body, s -> {
      Var target = Activity.target(s);
      if (target != null && activity.isActive(target)) {
        out.add(target);
      }
      Rewrite.exprs(s, e -> {
        activity.forEachActiveRead(e, r -> out.add(r.var()));
        return e;
      });
    });
    if (value != null) {
      out.add(value);
    }
    out.removeAll(fusedOwn); // declared in the forward sweep, before their loop
    return out;
  }

  /** A local declared inside a block that the reverse sweep names: declared before the method's code. */
  private boolean isHoisted(Var v) {
    boolean[] nested = {false};
    for (Stmt s : body) {
      for (List<Stmt> inner : Rewrite.children(s)) {
        Rewrite.forEachStmt(inner, t -> nested[0] |= t instanceof Stmt.Declare d && d.var() == v);
      }
    }
    return nested[0] && !fusedOwn.contains(v);
  }

  private Code block(List<Stmt> block, int depth, boolean inLoop) {
    Code code = new Code();
    for (Stmt s : block) {
      if (block == body) {
        currentTop = s;
      }
      Code c = stmt(s, depth, inLoop);
      Set<Var> r = new HashSet<>(c.reads);
      r.retainAll(facts.primal);
      perStatement.put(s, r);
      code.add(c);
    }
    return code;
  }

  private Code stmt(Stmt s, int depth, boolean inLoop) {
    if (s instanceof Stmt.If i) {
      return branch(i, depth, inLoop);
    }
    if (s instanceof Stmt.Loop l) {
      return loop(l, depth, inLoop);
    }
    Code code = new Code();
    if (s instanceof Stmt.Declare d) {
      declare(d, depth, inLoop, code);
    } else if (s instanceof Stmt.Assign a) {
      assign(a, depth, inLoop, code);
    } else if (s instanceof Stmt.ArrayStore a) {
      arrayStore(a, depth, inLoop, code);
    } else if (s instanceof Stmt.Return r && activity.isVaried(r.value())) {
      if (r.value().type() instanceof ArrayType) {
        code.add(List.of(new Stmt.Eval(new Expr.Call(StatementAdjoint.ARRAY_RULES, "add",
            List.of(adjointPlace(r.value()), r.value()), StatementAdjoint.VOID))));
      } else {
        code.add(rules(s, r.value(), r.value(), depth, inLoop));
      }
    }
    return code;
  }

  private void declare(Stmt.Declare d, int depth, boolean inLoop, Code code) {
    Var v = d.var();
    boolean active = activity.isActive(v) && d.init() != null;
    if (facts.recomputed.contains(v)) {
      if (active) {
        code.add(rules(d, d.init(), d.init(), depth, inLoop));
      }
      return;
    }
    boolean fresh = fusing != null && fusingTop.contains(v);
    boolean restore = inLoop && !fresh && saves.isNeededNested(v, currentTop);
    if (!active) {
      code.any |= restore;
      return;
    }
    // the rules read v itself where they use the value (exp's result) and v is never overwritten; a
    // tensor's value, or one the reverse sweep puts back anyway, is captured first (double eValue = e;)
    Expr rootValue = facts.isSingleAssigned(v) ? new Read(v) : d.init();
    if (!facts.isSingleAssigned(v) && (Type.TENSOR.equals(v.type())
        || inLoop && ReverseBuilder.readsResultCheaply(v, d.init(), facts, saves))) {
      rootValue = new Read(v);
      code.reads.add(v);
      code.mentions.add(v);
    }
    List<Stmt> rules = ruleCode(d, d.init(), rootValue, depth, inLoop, Type.TENSOR.equals(v.type()));
    if (rules.isEmpty() && !inLoop && !restore) {
      code.reads.clear();
      code.mentions.clear();
      return; // a constant initial value: nothing flows back
    }
    code.any = true;
    code.add(rules);
  }

  private void assign(Stmt.Assign a, int depth, boolean inLoop, Code code) {
    Var v = a.var();
    boolean save = saves.mustSave(v, a, currentTop, depth);
    Expr undone = save ? SaveAnalysis.undoneIncrement(a) : null;
    if (undone != null) {
      code.add(List.of(new Stmt.Assign(v, undone, true, Pos.NONE, null)));
    }
    if (!activity.isActive(v)) {
      code.any |= save;
      return;
    }
    code.any = true;
    Expr rootValue = a.value();
    if (Type.TENSOR.equals(v.type())) {
      rootValue = new Read(v);
      code.reads.add(v);
      code.mentions.add(v);
    }
    Increment increment = ReverseBuilder.increment(a.value(), new Read(v), activity);
    if (increment != null) {
      code.add(ruleCode(a, increment.rest(), increment.rest(), depth, inLoop, false));
    } else {
      code.add(ruleCode(a, a.value(), rootValue, depth, inLoop, Type.TENSOR.equals(v.type())));
    }
  }

  private void arrayStore(Stmt.ArrayStore a, int depth, boolean inLoop, Code code) {
    Var array = Activity.arrayVar(a.target());
    boolean save = !(fusing != null && fusing.firstFills().contains(a)) && !savedWhole.contains(a)
        && saves.mustSave(array, a, currentTop, depth);
    if (save) {
      code.add(List.of(new Stmt.ArrayStore(a.target(), num(0), false, Pos.NONE, null)));
    }
    if (!activity.isActive(array)) {
      code.any |= save;
      return;
    }
    code.any = true;
    code.add(List.of(new Stmt.ArrayStore((ArrayRead) adjointPlace(a.target()), num(0), false, Pos.NONE, null)));
    Increment increment = ReverseBuilder.increment(a.value(), a.target(), activity);
    if (increment != null) {
      code.add(ruleCode(a, increment.rest(), increment.rest(), depth, inLoop, false));
    } else if (activity.isVaried(a.value())) {
      code.add(ruleCode(a, a.value(), a.value(), depth, inLoop, false));
    }
  }

  /** The code of the rules for a simple statement's value (or a return's). */
  private Code rules(Stmt s, Expr root, Expr rootValue, int depth, boolean inLoop) {
    Code code = new Code();
    code.add(ruleCode(s, root, rootValue, depth, inLoop, false));
    code.any = true;
    return code;
  }

  /**
   * What the rules make of {@code root}, as the builder would have it: with the calls the forward
   * sweep records read from their records, and at top level with the calls the statement itself
   * evaluates read from locals ({@link SharedCalls}), unless the code is {@code guarded} (a tensor's,
   * which runs only if its adjoint is not null: its calls stay where they are).
   */
  private List<Stmt> ruleCode(Stmt s, Expr root, Expr rootValue, int depth, boolean inLoop, boolean guarded) {
    RecordedCalls.Plan recording = recording(s, inLoop);
    Expr seed = new Read(new Var("seed", Prim.DOUBLE, Var.Kind.SYNTHETIC));
    List<Stmt> rev = new ArrayList<>(new StatementAdjoint(activity, scratch, this::adjointPlace, root, rootValue,
        recording == null ? Map.of() : recording.partials(), recording == null ? Map.of() : recording.residuals())
        .build(seed));
    if (recording != null) {
      RecordedCalls.keepValuesUsedBy(rev, recording, inLoop, scratch, tapes);
      rev.addAll(0, recording.reverse());
    }
    if (depth == 0 && !guarded) {
      List<Stmt> fwd = new ArrayList<>();
      fwd.add(recording == null ? s : Rewrite.exprs(s, e -> recording.values().getOrDefault(e, e)));
      SharedCalls.hoist(fwd, rev, scratch);
    }
    return rev;
  }

  private RecordedCalls.Plan recording(Stmt s, boolean inLoop) {
    Expr value = ReverseBuilder.recordedValue(s, activity, facts);
    return value == null ? null
        : RecordedCalls.plan(value, inLoop, activity, scratch, tapes, (v, e) -> new Stmt.Declare(v, e, Pos.NONE, null));
  }

  private Expr adjointPlace(Expr place) {
    if (place instanceof Read r) {
      return new Read(adjoints.computeIfAbsent(r.var(), k -> new Var(k.name() + "Bar", Type.adjointType(k.type()),
          Var.Kind.SYNTHETIC)));
    }
    ArrayRead a = (ArrayRead) place;
    return new ArrayRead(adjointPlace(a.array()), a.index(),
        a.type() instanceof ArrayType || Type.TENSOR.equals(a.type()) ? a.type() : Prim.DOUBLE);
  }

  private Code branch(Stmt.If i, int depth, boolean inLoop) {
    Code then = block(i.then(), depth + 1, inLoop);
    Code otherwise = block(i.otherwise(), depth + 1, inLoop);
    Code code = new Code();
    if (!then.any && !otherwise.any) {
      return code;
    }
    if (!inLoop) {
      recorded.add(i);
    }
    code.add(then);
    code.add(otherwise);
    code.any = true;
    return code;
  }

  private Code loop(Stmt.Loop l, int depth, boolean inLoop) {
    if (depth == 0 && fusable.containsKey(l)) {
      return fusedLoop(l, fusable.get(l));
    }
    Stmt.ArrayStore whole = ReverseBuilder.savedWhole(l, currentTop, depth, saves, fusing, checkpointed);
    if (whole == null) {
      return reversedLoop(l, depth, inLoop);
    }
    savedWhole.add(whole);
    Code code = reversedLoop(l, depth, inLoop);
    code.add(List.of(tapes.popInto(whole.target().array()))); // doubleTape.popInto(a) names a
    return code;
  }

  private Code reversedLoop(Stmt.Loop l, int depth, boolean inLoop) {
    Var index = CountedLoops.countedIndex(l, facts);
    Code init = new Code();
    if (index == null) {
      init = block(l.init(), depth + 1, inLoop);
    } else {
      facts.loopIndexes.add(index);
    }
    List<Stmt> recompute = new ArrayList<>(ReverseBuilder.recomputedLocals(l, plan, facts));
    for (Stmt s : l.body()) {
      if (saves.isRecomputedFill(s)) {
        recompute.add(s);
      }
    }
    Code bodyCode = block(l.body(), depth + 1, true);
    Code update = index == null ? block(l.update(), depth + 1, true) : new Code();
    Code code = new Code();
    code.add(init);
    if (!bodyCode.any && !update.any) {
      return code;
    }
    code.any = true;
    if (bodyCode.any) {
      code.add(recompute);
    }
    code.add(update);
    code.add(bodyCode);
    boolean checkpoints = depth == 0 && index != null && checkpointed.contains(l.pos());
    Stmt bounded = index == null ? null : CountedLoops.boundedReverse(l, index, List.of(), facts);
    if (checkpoints) {
      // run back from the bound to the start, as the bounded form does
      Expr bound = ((Binary) l.cond()).right();
      Expr first = ((Stmt.Declare) l.init().get(0)).init();
      code.add(List.of(new Stmt.Loop(List.of(new Stmt.Declare(index, bound, Pos.NONE, null)),
          new Binary(BinOp.GE, new Read(index), first, Prim.BOOLEAN), List.of(), List.of(), true, Pos.NONE, null)));
      if (checkpointed.labelled().contains(l.pos())) {
        return code;
      }
    }
    if (bounded != null) {
      code.add(List.of(bounded));
      return code;
    }
    recorded.add(l);
    if (index != null) {
      Var trips = new Var("trips", Prim.INT, Var.Kind.SYNTHETIC);
      code.add(List.of(CountedLoops.reverse(l, index, new Read(trips), List.of(), scratch)));
    }
    return code;
  }

  /** A loop reversed iteration by iteration: its iterations' reverse code runs in the forward sweep. */
  private Code fusedLoop(Stmt.Loop l, IndependentIterations.Fused fused) {
    facts.loopIndexes.add(CountedLoops.countedIndex(l, facts));
    ReverseBuilder.recomputedLocals(l, plan, facts);
    fusing = fused;
    fusingTop.clear();
    for (Stmt s : l.body()) {
      if (s instanceof Stmt.Declare d) {
        fusingTop.add(d.var());
      }
    }
    fusedOwn.addAll(fused.declared());
    fusedOwn.addAll(fused.scratch());
    try {
      Code bodyCode = block(l.body(), 1, true);
      // what the reverse sweep names: only the loop's partials and adjoints
      Code code = new Code();
      code.reads.addAll(bodyCode.reads);
      code.any = true;
      return code;
    } finally {
      fusing = null;
      fusingTop.clear();
    }
  }
}
