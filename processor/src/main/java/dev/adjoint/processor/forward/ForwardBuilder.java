package dev.adjoint.processor.forward;

import dev.adjoint.processor.analysis.Checkpointing;
import dev.adjoint.processor.analysis.Structurize;
import dev.adjoint.processor.diag.BufferedReporter;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.reverse.GradMethod;
import dev.adjoint.processor.reverse.Names;
import dev.adjoint.processor.reverse.ReverseBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the forward-mode methods of a {@code @Differentiable} method: {@code mJvp} from its
 * structured body, and {@code mHvp} from its gradient's sweeps (forward mode over reverse mode).
 * What the tangent transform cannot handle is reported at its line, and nothing is generated.
 */
public final class ForwardBuilder {
  private static final RefType TENSOR_ARRAYS = new RefType("dev.adjoint.rules", List.of("TensorArrays"));

  private ForwardBuilder() {}

  /**
   * The callees called with an argument that has a tangent, or that read a model's parameters
   * (which carry tangents of their own): their {@code gJvp} is called.
   */
  public static Set<Callee> calleesWithTangents(Method method) {
    Structurize.Result structured = Structurize.run(method);
    TangentActivity activity = TangentActivity.run(structured.body(), method.wrt());
    Set<Callee> out = new LinkedHashSet<>();
    Rewrite.forEachStmt(structured.body(), s -> Rewrite.exprs(s, e -> Rewrite.bottomUp(e, x -> {
      if (x instanceof Expr.Invoke i && (i.args().stream().anyMatch(activity::varies) || i.callee().readsModel())) {
        out.add(i.callee());
      }
      return x;
    })));
    return out;
  }

  /** The Jacobian-vector product {@code mJvp}, or empty after reporting why not. */
  public static Optional<JvpMethod> jvp(Method method, Reporter reporter) {
    Structurize.Result structured = Structurize.run(method);
    Names names = new Names(method.identifiers());
    if (method.self() != null) {
      names.generated(method.self());
    }
    method.params().forEach(names::user);
    method.fields().forEach(names::user);
    nameLocals(structured.body(), names);
    Map<Var, Var> seeds = new LinkedHashMap<>();
    List<Var> tangents = new ArrayList<>();
    for (Var p : method.wrt()) {
      Var t = new Var(names.of(p) + "Dot", p.type(), Var.Kind.PARAMETER);
      names.generated(t);
      seeds.put(p, t);
      tangents.add(t);
    }
    // a model's parameters: each read from the receiver, with the direction it carries (its tangent())
    List<Stmt> fields = new ArrayList<>();
    for (Var f : method.fields()) {
      Var t = new Var(names.of(f) + "Dot", f.type(), Var.Kind.SYNTHETIC);
      names.generated(t);
      seeds.put(f, t);
      boolean list = method.listFields().contains(f.name());
      Expr read = new Expr.FieldRead(new Read(method.self()), method.owner(), f.name(),
          list ? new RefType("java.util", List.of("List")) : f.type());
      fields.add(new Stmt.Declare(f, list ? new Expr.Call(TENSOR_ARRAYS, "of", List.of(read), f.type()) : read,
          Pos.NONE, null));
      boolean array = Type.TENSOR_ARRAY.equals(f.type());
      fields.add(new Stmt.Declare(t, new Expr.Call(TENSOR_ARRAYS, array ? "tangentsOf" : "tangentOf",
          List.of(new Read(f)), f.type()), Pos.NONE, null));
    }
    try {
      TangentActivity activity = TangentActivity.run(structured.body(), seeds.keySet());
      Tangents tx = new Tangents(activity, names, seeds, "forward mode");
      List<Stmt> body = new ArrayList<>(fields);
      body.addAll(prelude(method, structured.body(), activity, tx, true));
      body.addAll(tx.block(structured.body()));
      Expr value = tx.resultValue;
      Expr tangent = tx.resultTangent;
      if (value == null) {
        // returns became assignments to the structured body's result variable
        Var result = structured.value();
        value = new Read(result);
        tangent = activity.isActive(result) ? new Read(tx.dot(result))
            : Type.TENSOR.equals(result.type()) ? Tangents.zero(result.type(), value) : Expr.Literal.ofDouble(0);
      }
      return Optional.of(new JvpMethod(method, tangents, body, value, tangent, names));
    } catch (Unsupported u) {
      reporter.report(Diag.FORWARD_UNSUPPORTED, u.pos() == null ? method.pos() : u.pos(), u.getMessage(),
          "Mode.FORWARD", "FORWARD");
      return Optional.empty();
    }
  }

  /**
   * The Hessian-vector product {@code mHvp} of a method that may call others: their bodies are
   * inlined ({@link Inliner}; {@code sources} gives a callee's IR, or null) and the inlined
   * method's gradient is what forward mode runs over.
   */
  public static Optional<HvpMethod> hvp(GradMethod grad, Function<Expr.Invoke, Method> sources, Reporter reporter) {
    Method method = grad.primal();
    if (!Inliner.calls(method, sources)) {
      if (!Checkpointing.labels(method.body()) && !ReverseBuilder.checkpoints(grad)) {
        return hvp(grad, reporter);
      }
      // a checkpointed gradient re-runs iterations from copies: forward mode runs over the loop taped whole
      BufferedReporter held = new BufferedReporter();
      Optional<GradMethod> taped = ReverseBuilder.buildTaped(method, held);
      if (taped.isEmpty()) {
        held.replay(reporter);
        return Optional.empty();
      }
      return hvp(taped.get(), reporter);
    }
    Method inlined;
    try {
      inlined = Inliner.inline(method, sources);
    } catch (Unsupported u) {
      reporter.report(Diag.HVP_UNSUPPORTED, u.pos() == null || u.pos() == Pos.NONE ? method.pos() : u.pos(),
          u.getMessage());
      return Optional.empty();
    }
    BufferedReporter held = new BufferedReporter();
    Optional<GradMethod> whole = ReverseBuilder.buildTaped(inlined, held);
    if (whole.isEmpty()) {
      BufferedReporter.Entry first = held.firstError();
      reporter.report(Diag.HVP_UNSUPPORTED, first == null ? method.pos() : first.pos(),
          "the gradient of the method with its calls inlined ("
              + (first == null ? "it could not be built" : first.message()) + ")");
      return Optional.empty();
    }
    return hvp(whole.get(), reporter);
  }

  /** The Hessian-vector product {@code mHvp}, by the tangent transform of the pullback's sweeps. */
  public static Optional<HvpMethod> hvp(GradMethod grad, Reporter reporter) {
    Method method = grad.primal();
    if (!(method.resultType() instanceof Prim)) {
      reporter.report(Diag.HVP_RESULT, method.pos(), method.name(), method.resultType().display());
      return Optional.empty();
    }
    if (!hvpSupported(method, reporter)) {
      return Optional.empty();
    }
    Names names = grad.names();
    Map<Var, Var> seeds = new LinkedHashMap<>();
    List<Var> tangents = new ArrayList<>();
    for (Var p : method.wrt()) {
      Var t = new Var(names.of(p) + "Dot", p.type(), Var.Kind.PARAMETER);
      names.generated(t);
      seeds.put(p, t);
      tangents.add(t);
    }
    // the gradient is the pullback with the seed 1
    Var seed = grad.seed();
    List<Stmt> forward = grad.forward().stream()
        .map(s -> Rewrite.reads(s, r -> r.var() == seed ? Expr.Literal.ofDouble(1) : r)).toList();
    List<Stmt> reverse = grad.reverse().stream()
        .map(s -> Rewrite.reads(s, r -> r.var() == seed ? Expr.Literal.ofDouble(1) : r)).toList();
    try {
      for (Stmt s : method.body()) {
        Rewrite.exprs(s, e -> {
          if (e instanceof Expr.Invoke i && !i.callee().plain() && !i.callee().onDemand()) {
            throw new Unsupported("a call of " + i.callee().name() + " (Hessian-vector products through calls)", i.pos());
          }
          return e;
        });
      }
      List<Stmt> all = new ArrayList<>(forward);
      all.addAll(reverse);
      TangentActivity activity = TangentActivity.run(all, seeds.keySet());
      Tangents tx = new Tangents(activity, names, seeds, "Hessian-vector products");
      List<Stmt> fwd = new ArrayList<>(prelude(method, all, activity, tx, false)); // the sweep copies itself
      fwd.addAll(tx.block(forward));
      List<Stmt> rev = tx.block(reverse);
      List<Expr> products = new ArrayList<>();
      for (int k = 0; k < method.wrt().size(); k++) {
        Var g = grad.gradients().get(k);
        if (activity.isActive(g)) {
          products.add(new Read(tx.dot(g)));
        } else {
          Var p = method.wrt().get(k);
          products.add(p.type() instanceof ArrayType
              ? new Expr.Call(Tangents.ARRAY_RULES, "zerosLike", List.of(new Read(p)), p.type())
              : Expr.Literal.ofDouble(0));
        }
      }
      List<Expr> roots = new ArrayList<>(products);
      roots.add(new Read(grad.value()));
      List<List<Stmt>> live = DeadStores.prune(List.of(fwd, rev), roots);
      return Optional.of(new HvpMethod(grad, tangents, live.get(0), live.get(1), products));
    } catch (Unsupported u) {
      reporter.report(Diag.HVP_UNSUPPORTED, u.pos() == null || u.pos() == Pos.NONE ? method.pos() : u.pos(),
          u.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Tensors and models are handled by forward mode, but not by Hessian-vector products (forward
   * over reverse would need forward rules of the tensor ops' reverse rules): refused at the method
   * for tensor parameters, results or model parameters, else at the first tensor op.
   */
  private static boolean hvpSupported(Method method, Reporter reporter) {
    String why = " (Hessian-vector products of tensor code would need forward rules of the tensor ops' reverse"
        + " rules; Mode.FORWARD supports tensors)";
    if (!method.fields().isEmpty()) {
      reporter.report(Diag.HVP_UNSUPPORTED, method.pos(), "a model's parameters (Tensor fields)" + why);
      return false;
    }
    if (Type.TENSOR.equals(method.resultType()) || method.params().stream().anyMatch(p -> Type.TENSOR.equals(p.type()))) {
      reporter.report(Diag.HVP_UNSUPPORTED, method.pos(), "a Tensor parameter or result" + why);
      return false;
    }
    // tensors used inside a scalar method: refused at the first op, not at a generated rule call
    Expr.Op[] first = {null};
    Rewrite.forEachStmt(method.body(), st -> Rewrite.exprs(st, e -> {
      if (e instanceof Expr.Op o && first[0] == null) {
        first[0] = o;
      }
      return e;
    }));
    if (first[0] != null) {
      Expr.Op o = first[0];
      String op = o.receiver() != null ? "the Tensor operation " + o.name()
          : o.owner().simpleNames().get(o.owner().simpleNames().size() - 1) + "." + o.name();
      reporter.report(Diag.HVP_UNSUPPORTED, o.pos() == null ? method.pos() : o.pos(), op + why);
      return false;
    }
    return true;
  }

  /**
   * Before the sweep: a parameter's array that the method writes into is copied, with its tangent,
   * so the caller's arrays keep their values (as the pullback does); an active variable that is
   * neither an input nor declared in the body (a parameter the method does not differentiate but
   * whose storage an active array shares) starts with a zero tangent.
   */
  private static List<Stmt> prelude(Method method, List<Stmt> body, TangentActivity activity, Tangents tx,
      boolean copyWritten) {
    List<Stmt> out = new ArrayList<>();
    Set<Var> declared = new LinkedHashSet<>();
    Set<Var> written = new LinkedHashSet<>();
    Rewrite.forEachStmt(body, s -> {
      if (s instanceof Stmt.Declare d) {
        declared.add(d.var());
      }
      if (copyWritten && s instanceof Stmt.ArrayStore a && TangentActivity.base(a.target()).kind() == Var.Kind.PARAMETER) {
        written.add(TangentActivity.base(a.target()));
      }
    });
    for (Var p : method.params()) {
      if (!activity.isActive(p) || method.wrt().contains(p) || declared.contains(p)) {
        continue;
      }
      Expr zero = p.type() instanceof ArrayType || Type.TENSOR.equals(p.type())
          ? Tangents.zero(p.type(), new Read(p))
          : Expr.Literal.ofDouble(0);
      out.add(new Stmt.Declare(tx.dot(p), zero, Pos.NONE, null));
    }
    for (Var w : written) {
      boolean twoD = ((ArrayType) w.type()).element() instanceof ArrayType;
      out.add(new Stmt.Assign(w, dev.adjoint.processor.reverse.ReverseBuilder.nullSafe(w, copy(new Read(w), twoD)), false,
          Pos.NONE, null));
      if (activity.isActive(w)) {
        Var d = tx.dot(w);
        out.add(new Stmt.Assign(d, copy(new Read(d), twoD), false, Pos.NONE, null));
      }
    }
    return out;
  }

  private static Expr copy(Expr array, boolean twoD) {
    return twoD
        ? new Expr.Call(Tangents.ARRAY_RULES, "copy", List.of(array), array.type())
        : new Expr.MethodCall(array, "clone", List.of(), array.type());
  }

  private static void nameLocals(List<Stmt> block, Names names) {
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
        nameLocals(inner, names);
      }
    }
  }
}
