package dev.adjoint.processor.forward;

import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.num;

import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.Invoke;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.MethodCall;
import dev.adjoint.processor.ir.Expr.Neg;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.reverse.Names;
import dev.adjoint.processor.rules.Registry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tangent (forward-mode) transform of a block of IR: each statement that gives an active
 * variable a value is joined by one that gives its tangent {@code xDot} the directional derivative
 * of that value, from the registry's rules; branches and loops stay as they are, so no tape is
 * needed. It applies to any IR the generator makes, the reverse sweep included: tape pushes and
 * pops and the runtime's in-place array rules are primitives with tangent rules of their own
 * (a pushed value's tangent goes on a tangent tape, popped in the same order), so forward mode
 * over a pullback gives Hessian-vector products.
 *
 * <p>A call whose rule needs its value ({@code Math.exp}) or that returns a record (a callee's
 * {@code gJvp}) is first bound to a local, so the value is computed once; the same happens to a
 * conditional expression that holds one, which becomes an {@code if}. A runtime tensor op is bound
 * to a local too (its forward rules read its value), and its tangent is the sum of its varying
 * inputs' {@code @Jvp} rules; a {@code Tensor}'s tangent is a {@code Tensor} of its shape, zeros
 * where an active variable holds a value that does not vary.
 */
final class Tangents {
  static final RefType ARRAY_RULES = new RefType("dev.adjoint.rules", List.of("ArrayRules"));
  private static final RefType VOID = new RefType("java.lang", List.of("Void"));

  private final TangentActivity activity;
  private final Names names;
  private final String mode;
  private final Map<Var, Var> dots = new IdentityHashMap<>();
  /** Tangents of expressions the transform made: a hoisted callee's {@code rec.value()} → {@code rec.tangent()}. */
  private final Map<Expr, Expr> known = new HashMap<>();
  private Pos at = Pos.NONE;

  /**
   * @param seeds the inputs and their tangents (parameters of the generated method)
   * @param mode how messages name what is being generated ("forward mode")
   */
  Tangents(TangentActivity activity, Names names, Map<Var, Var> seeds, String mode) {
    this.activity = activity;
    this.names = names;
    this.mode = mode;
    dots.putAll(seeds);
  }

  /** The tangent variable of an active variable, named after it: {@code xDot}. */
  Var dot(Var v) {
    return dots.computeIfAbsent(v, k -> {
      Type t = k.type() instanceof Prim ? Prim.DOUBLE : k.type();
      Var d = new Var(names.of(k) + "Dot", t, Var.Kind.SYNTHETIC);
      names.generated(d);
      return d;
    });
  }

  boolean hasDot(Var v) {
    return dots.containsKey(v);
  }

  List<Stmt> block(List<Stmt> in) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : in) {
      Pos saved = at;
      if (s.pos() != Pos.NONE) {
        at = s.pos();
      }
      try {
        statement(s, out);
      } catch (Unsupported u) {
        throw u.at(at);
      } finally {
        at = saved;
      }
    }
    return out;
  }

  /** The result of the block's {@code return}, once {@link #block} has seen it. */
  Expr resultValue;
  Expr resultTangent;

  private void statement(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.Declare d) {
      declare(d, out);
    } else if (s instanceof Stmt.Assign a) {
      assign(a, out);
    } else if (s instanceof Stmt.ArrayStore st) {
      store(st, out);
    } else if (s instanceof Stmt.Return r) {
      returns(r, out);
    } else if (s instanceof Stmt.If i) {
      out.add(new Stmt.If(i.cond(), block(i.then()), block(i.otherwise()), i.pos(), i.source()));
    } else if (s instanceof Stmt.Loop l) {
      loop(l, out);
    } else if (s instanceof Stmt.Eval e) {
      eval(e, out);
    } else if (s instanceof Stmt.Comment || s instanceof Stmt.Throw || s instanceof Stmt.Effect) {
      out.add(s); // a throw and a call for its effect carry no derivative: primal values only
    } else {
      throw new Unsupported("the statement " + s.getClass().getSimpleName(), s.pos());
    }
  }

  private void declare(Stmt.Declare d, List<Stmt> out) {
    Var v = d.var();
    if (!activity.isActive(v)) {
      out.add(d.init() == null ? d : new Stmt.Declare(v, passive(d.init(), out), d.pos(), d.source()));
      return;
    }
    if (d.init() == null) {
      out.add(d);
      out.add(new Stmt.Declare(dot(v), null, Pos.NONE, null));
      return;
    }
    if (v.type() instanceof RefType tape && tape.simpleNames().get(0).endsWith("Stack")) {
      // a tape with active values: a tangent tape beside it
      out.add(d);
      out.add(new Stmt.Declare(dot(v), d.init(), Pos.NONE, null));
      return;
    }
    Expr init = lower(d.init(), true, out);
    out.add(new Stmt.Declare(v, init, d.pos(), d.source()));
    out.add(new Stmt.Declare(dot(v), fit(v, tangentOrZero(init, init, new Read(v))), Pos.NONE, null));
  }

  private void assign(Stmt.Assign a, List<Stmt> out) {
    Var v = a.var();
    if (!activity.isActive(v)) {
      out.add(new Stmt.Assign(v, passive(a.value(), out), a.compound(), a.pos(), a.source()));
      return;
    }
    // h = h.tanh(): the op is bound to a local first, since its rule reads the new value
    Expr value = lower(a.value(), !(a.value() instanceof Expr.Op && readsVar(a.value(), v)), out);
    if (!readsVar(value, v)) {
      // the value first, so that the tangent can use it (exp's derivative is exp)
      out.add(new Stmt.Assign(v, value, a.compound(), a.pos(), a.source()));
      out.add(new Stmt.Assign(dot(v), fit(v, tangentOrZero(value, value, new Read(v))), false, Pos.NONE, null));
      return;
    }
    // x = x * y: the tangent reads the old x, so it comes first
    Expr t = fit(v, tangentOrZero(value, null, null));
    if (t.equals(new Read(dot(v)))) {
      out.add(new Stmt.Assign(v, value, a.compound(), a.pos(), a.source())); // x += c: the tangent stays
      return;
    }
    out.add(new Stmt.Assign(dot(v), t, a.compound() && t instanceof Binary b && b.left().equals(new Read(dot(v))),
        Pos.NONE, null));
    out.add(new Stmt.Assign(v, value, a.compound(), a.pos(), a.source()));
  }

  private void store(Stmt.ArrayStore st, List<Stmt> out) {
    Var base = TangentActivity.base(st.target());
    if (!activity.isActive(base)) {
      out.add(new Stmt.ArrayStore(st.target(), passive(st.value(), out), st.compound(), st.pos(), st.source()));
      return;
    }
    Expr value = lower(st.value(), false, out);
    ArrayRead place = (ArrayRead) tangentOf(st.target(), null, null);
    Expr t = tangentOrZero(value, null, null);
    if (t.equals(place)) {
      out.add(new Stmt.ArrayStore(st.target(), value, st.compound(), st.pos(), st.source())); // a[i] += c: the tangent stays
      return;
    }
    if (Type.isFloatArray(dot(base).type()) && !floatValued(t)) {
      t = new Cast(Prim.FLOAT, t); // the tangent of a float[] is a float[] (for a parameter, the contract says so)
    }
    out.add(new Stmt.ArrayStore(place, t, st.compound() && t instanceof Binary b && b.left().equals(place),
        Pos.NONE, null));
    out.add(new Stmt.ArrayStore(st.target(), value, st.compound(), st.pos(), st.source()));
  }

  private void returns(Stmt.Return r, List<Stmt> out) {
    Expr value = lower(r.value(), true, out);
    if (value instanceof Read read) {
      resultValue = value;
      resultTangent = activity.isActive(read.var()) ? new Read(dot(read.var())) : zero(read.type(), read);
      return;
    }
    Var v = new Var("value", r.value().type(), Var.Kind.SYNTHETIC);
    names.generated(v);
    out.add(new Stmt.Declare(v, value, r.pos(), r.source()));
    Var t = new Var("tangent", r.value().type() instanceof Prim ? Prim.DOUBLE : r.value().type(), Var.Kind.SYNTHETIC);
    names.generated(t);
    out.add(new Stmt.Declare(t, tangentOrZero(value, value, new Read(v)), Pos.NONE, null));
    resultValue = new Read(v);
    resultTangent = new Read(t);
  }

  private void loop(Stmt.Loop l, List<Stmt> out) {
    List<Stmt> init = block(l.init());
    List<Stmt> update = block(l.update());
    boolean initInline = init.size() == l.init().size() && simple(init);
    boolean updateInline = update.size() == l.update().size() && simple(update);
    if (!initInline) {
      out.addAll(init); // a tangent declared beside a for's own variable: both before the loop
    }
    List<Stmt> body = new ArrayList<>(block(l.body()));
    if (!updateInline) {
      body.addAll(update); // structured code has no continue: the update is the body's end
    }
    out.add(new Stmt.Loop(initInline ? init : List.of(), l.cond(), updateInline ? update : List.of(), body,
        l.testFirst(), l.pos(), l.source()));
  }

  private static boolean simple(List<Stmt> stmts) {
    return stmts.stream().allMatch(s -> s instanceof Stmt.Declare || s instanceof Stmt.Assign);
  }

  /** Tape operations and the runtime's in-place array rules, each with its tangent rule. */
  private void eval(Stmt.Eval e, List<Stmt> out) {
    Expr x = e.expr();
    out.add(e);
    if (x instanceof MethodCall m && m.receiver() instanceof Read tape && activity.isActive(tape.var())) {
      Read dotTape = new Read(dot(tape.var()));
      switch (m.name()) {
        case "push" -> out.add(new Stmt.Eval(new MethodCall(dotTape, "push",
            List.of(tangentOrZero(m.args().get(0), null, null)), m.type())));
        case "pushAll" -> out.add(new Stmt.Eval(new MethodCall(dotTape, "pushAll",
            List.of(arrayTangent(m.args().get(0))), m.type())));
        case "popInto" -> {
          // the tangents saved beside the array go back into its tangent; with none, they are dropped
          Expr t = tangentOf(m.args().get(0), null, null);
          out.add(new Stmt.Eval(t != null ? new MethodCall(dotTape, "popInto", List.of(t), m.type())
              : new MethodCall(dotTape, "popArray", List.of(new Expr.Length(m.args().get(0))), m.type())));
        }
        case "release" -> out.add(new Stmt.Eval(new MethodCall(dotTape, "release", List.of(), m.type())));
        default -> throw new Unsupported("the tape operation " + m.name(), at);
      }
      return;
    }
    if (x instanceof Call c && c.owner().equals(ARRAY_RULES) && (c.name().equals("add") || c.name().equals("addScaled"))
        && activity.isActive(TangentActivity.base(c.args().get(0)))) {
      Expr acc = tangentOf(c.args().get(0), null, null);
      if (c.name().equals("add")) {
        Expr t = tangentOf(c.args().get(1), null, null);
        if (t != null) {
          out.add(new Stmt.Eval(new Call(ARRAY_RULES, "add", List.of(acc, t), VOID)));
        }
        return;
      }
      // acc += g * d: its tangent gets gDot * d + g * dDot
      Expr g = c.args().get(1);
      Expr d = c.args().get(2);
      Expr gDot = tangentOf(g, null, null);
      Expr dDot = tangentOf(d, null, null);
      if (gDot != null) {
        out.add(new Stmt.Eval(new Call(ARRAY_RULES, "addScaled", List.of(acc, gDot, d), VOID)));
      }
      if (dDot != null) {
        out.add(new Stmt.Eval(new Call(ARRAY_RULES, "addScaled", List.of(acc, g, dDot), VOID)));
      }
      return;
    }
    if (activity.varies(x) && !(x instanceof Invoke)) {
      throw new Unsupported("a call made for its effect (" + describe(x) + ")", at);
    }
  }

  /**
   * An expression assigned to a variable without a tangent: unchanged, except that a value
   * popped from a tape with a tangent tape pops the tangent tape too (to keep the two in step).
   */
  private Expr passive(Expr e, List<Stmt> out) {
    Rewrite.bottomUp(e, x -> {
      if (x instanceof MethodCall m && m.receiver() instanceof Read tape && activity.isActive(tape.var())
          && (m.name().equals("pop") || m.name().equals("popArray"))) {
        out.add(new Stmt.Eval(new MethodCall(new Read(dot(tape.var())), m.name(), m.args(), m.type())));
      }
      return x;
    });
    return e;
  }

  /**
   * The expression with what must be computed once bound to locals: a callee's forward-mode
   * record, a call whose rule reads its value, a conditional holding either. The root itself is
   * bound only when it is a callee's call (its value then is the record's).
   */
  private Expr lower(Expr e, boolean root, List<Stmt> out) {
    if (!activity.varies(e)) {
      return e;
    }
    if (e instanceof Conditional c) {
      if (!hoists(c.then()) && !hoists(c.otherwise())) {
        return e;
      }
      // the chosen operand only is evaluated, as in the source: an if that assigns a local
      Var choice = new Var("choice", c.type() instanceof Prim ? Prim.DOUBLE : c.type(), Var.Kind.SYNTHETIC);
      names.generated(choice);
      List<Stmt> branch = new ArrayList<>();
      branch.add(new Stmt.Declare(choice, null, Pos.NONE, null));
      branch.add(new Stmt.If(c.cond(), List.of(new Stmt.Assign(choice, c.then(), false, Pos.NONE, null)),
          List.of(new Stmt.Assign(choice, c.otherwise(), false, Pos.NONE, null)), Pos.NONE, null));
      activity.assume(choice);
      out.addAll(block(branch));
      return new Read(choice);
    }
    Expr rebuilt = children(e, out);
    if (rebuilt instanceof Invoke i && (fromGradient(i) || i.callee().readsModel())) {
      return invoke(i, out);
    }
    if (!root && rebuilt instanceof Expr.Op o) {
      // a runtime op's forward rules read its value: computed once, in a local named after the op
      Var local = new Var(o.name(), o.type() instanceof Prim ? Prim.DOUBLE : o.type(), Var.Kind.SYNTHETIC);
      names.generated(local);
      activity.assume(local);
      out.addAll(block(List.of(new Stmt.Declare(local, rebuilt, Pos.NONE, null))));
      return new Read(local);
    }
    if (!root && rebuilt instanceof Call c && usesValue(c)) {
      Var local = new Var(c.name(), Prim.DOUBLE, Var.Kind.SYNTHETIC);
      names.generated(local);
      activity.assume(local);
      out.addAll(block(List.of(new Stmt.Declare(local, rebuilt, Pos.NONE, null))));
      return new Read(local);
    }
    return rebuilt;
  }

  private Expr children(Expr e, List<Stmt> out) {
    if (e instanceof Binary b && b.op().isArithmetic()) {
      return new Binary(b.op(), lower(b.left(), false, out), lower(b.right(), false, out), b.type());
    }
    if (e instanceof Neg n) {
      return new Neg(lower(n.operand(), false, out), n.type());
    }
    if (e instanceof Cast c) {
      return new Cast(c.target(), lower(c.operand(), false, out));
    }
    if (e instanceof Call c) {
      return c.withArgs(c.args().stream().map(a -> lower(a, false, out)).toList());
    }
    if (e instanceof Invoke i) {
      return new Invoke(i.callee(), i.receiver(), i.args().stream().map(a -> lower(a, false, out)).toList(), i.pos());
    }
    if (e instanceof ArrayRead a) {
      return new ArrayRead(lower(a.array(), false, out), a.index(), a.type());
    }
    if (e instanceof Expr.Op o) {
      return new Expr.Op(o.owner(), o.name(), o.receiver() == null ? null : lower(o.receiver(), false, out),
          o.args().stream().map(a -> lower(a, false, out)).toList(), o.type(), o.rules(), o.tangents(), o.pos());
    }
    return e;
  }

  /** Whether lowering would bind something in {@code e} to a local. */
  private boolean hoists(Expr e) {
    boolean[] found = {false};
    Rewrite.bottomUp(e, x -> {
      found[0] |= activity.varies(x)
          && (x instanceof Invoke i && (fromGradient(i) || i.callee().readsModel()) || x instanceof Call c && usesValue(c)
              || x instanceof Expr.Op);
      return x;
    });
    return found[0];
  }

  private static boolean fromGradient(Invoke i) {
    return i.callee().partials().stream().anyMatch(p -> p instanceof Callee.FromGradient);
  }

  /** Whether a call's rule reads the call's value (so the value is worth a local). */
  private boolean usesValue(Call c) {
    Optional<Registry.Entry> rule = Registry.function(c);
    if (rule.isEmpty() || rule.get().isZero()) {
      return false;
    }
    Var probe = new Var("probe", Prim.DOUBLE, Var.Kind.SYNTHETIC);
    Read marker = new Read(probe);
    List<Expr> ones = new ArrayList<>();
    for (int k = 0; k < c.args().size(); k++) {
      ones.add(num(1));
    }
    Expr t = rule.get().pushforward(c.args(), ones, marker);
    boolean[] found = {false};
    if (t != null) {
      Rewrite.forEachRead(t, r -> found[0] |= r.var() == probe);
    }
    return found[0];
  }

  /**
   * A callee with a generated gradient: its forward-mode method, bound to a local
   * ({@code FooGrad.GJvp gJvp = FooGrad.gJvp(x, y, xDot, 0);}); the call's value is the record's
   * {@code value()}, its tangent the record's {@code tangent()}.
   */
  private Expr invoke(Invoke i, List<Stmt> out) {
    Callee callee = i.callee();
    if (callee.partials().stream().anyMatch(Callee.FromVirtualPullback.class::isInstance)) {
      throw new Unsupported("a call of " + callee.name() + " on a Layer (a Layer has a pullback, no forward mode)",
          i.pos());
    }
    List<Expr> args = new ArrayList<>();
    if (i.receiver() != null) {
      args.add(i.receiver());
    }
    args.addAll(i.args());
    for (int k = 0; k < i.args().size(); k++) {
      Callee.Partial p = callee.partials().get(k);
      if (p == null) {
        continue;
      }
      if (!(p instanceof Callee.FromGradient)) {
        throw new Unsupported("a call of " + callee.name() + ", whose derivatives come from different places", i.pos());
      }
      Expr arg = i.args().get(k);
      Type type = callee.paramTypes().get(k);
      Expr t = tangentOf(arg, null, null);
      if (t == null) {
        t = type instanceof ArrayType || Type.TENSOR.equals(type) ? zero(type, arg) : new Literal(0, "0", Prim.INT);
      } else if (type == Prim.FLOAT) {
        t = new Cast(Prim.FLOAT, t);
      }
      args.add(t);
    }
    RefType record = callee.generatedRecord("Jvp");
    Var local = new Var(callee.name() + "Jvp", record, Var.Kind.SYNTHETIC);
    names.generated(local);
    activity.assume(local); // its value() varies; its tangent() is known below
    out.add(new Stmt.Declare(local, new Call(callee.gradClass(), callee.name() + "Jvp", args, record), Pos.NONE, null));
    Expr value = new MethodCall(new Read(local), "value", List.of(), callee.result());
    known.put(value, new MethodCall(new Read(local), "tangent", List.of(), callee.result()));
    return value;
  }

  /**
   * Whether Java types {@code e} as float (so that storing it into a float[] needs no cast): reads
   * of float variables and float[] elements, float literals and casts, and arithmetic on them.
   * The IR's own types of tangents say double for these, as tangents are computed in double.
   */
  private static boolean floatValued(Expr e) {
    if (e instanceof Read r) {
      return r.var().type() == Prim.FLOAT;
    }
    if (e instanceof ArrayRead r) {
      Expr a = r.array();
      return a instanceof Read ar && Type.isFloatArray(ar.var().type());
    }
    if (e instanceof Literal l) {
      return l.type() == Prim.FLOAT;
    }
    if (e instanceof Cast c) {
      return c.target() == Prim.FLOAT;
    }
    if (e instanceof Expr.Neg n) {
      return floatValued(n.operand());
    }
    if (e instanceof Binary b && b.op().isArithmetic()) {
      return floatValued(b.left()) && floatValued(b.right());
    }
    return false;
  }

  /** A tangent for {@code v}'s tangent variable: narrowed when that is a float parameter. */
  private Expr fit(Var v, Expr t) {
    return dot(v).type() == Prim.FLOAT && t.type() != Prim.FLOAT ? new Cast(Prim.FLOAT, t) : t;
  }

  private Expr tangentOrZero(Expr e, Expr root, Expr rootValue) {
    Expr t = tangentOf(e, root, rootValue);
    if (t != null) {
      return t;
    }
    // a tensor's zero has the shape of the value, read from where it was just stored (not computed again)
    boolean stored = Type.TENSOR.equals(e.type()) && e == root && rootValue != null
        && !(e instanceof Literal l && l.value() == null);
    return zero(e.type(), stored ? rootValue : e);
  }

  /** A zero tangent for a value of this type: 0.0, or a zero array or tensor of {@code like}'s shape. */
  static Expr zero(Type type, Expr like) {
    if (Type.TENSOR.equals(type)) {
      // a result variable starts as null before the method's returns assign it: so does its tangent
      return like instanceof Literal l && l.value() == null ? l
          : new Call(Type.TENSOR, "zerosLike", List.of(like), Type.TENSOR);
    }
    if (type instanceof ArrayType) {
      if (like instanceof Expr.NewArray n) {
        return n;
      }
      if (like instanceof Literal l && l.value() == null) {
        return l; // an array declared later (hoisted out of its block as null): so is its tangent
      }
      if (like instanceof Call c && c.owner().equals(ARRAY_RULES) && c.name().equals("zerosLike")) {
        return c; // already a fresh zero array of the right shape: its tangent is another like it
      }
      return new Call(ARRAY_RULES, "zerosLike", List.of(like), type);
    }
    if (!(type instanceof Prim)) {
      throw new Unsupported("a value of type " + type.display(), null);
    }
    return num(0);
  }

  /** The tangent of an array-valued expression, zeros when it does not vary. */
  private Expr arrayTangent(Expr e) {
    Expr t = tangentOf(e, null, null);
    return t != null ? t : zero(e.type(), e);
  }

  /**
   * The tangent of {@code e} (null when it does not vary): the registry's pushforward of each
   * operator and function. {@code root}'s value is {@code rootValue} (the variable it was just
   * assigned to), so a rule that needs the value does not compute it again.
   */
  Expr tangentOf(Expr e, Expr root, Expr rootValue) {
    Expr k = known.get(e);
    if (k != null) {
      return k;
    }
    if (!activity.varies(e)) {
      return null;
    }
    if (e instanceof Read r) {
      return new Read(dot(r.var()));
    }
    if (e instanceof ArrayRead a) {
      Expr t = tangentOf(a.array(), null, null);
      return t == null ? null : new ArrayRead(t, a.index(), e.type() instanceof Prim ? Prim.DOUBLE : e.type());
    }
    if (e instanceof Neg n) {
      Expr t = tangentOf(n.operand(), null, null);
      return Registry.negation().pushforward(List.of(n.operand()), java.util.Collections.singletonList(t), n);
    }
    if (e instanceof Cast c) {
      return tangentOf(c.operand(), null, null); // tangents are kept in double
    }
    if (e instanceof Binary b) {
      Registry.Entry rule = Registry.operator(b.op()).orElseThrow();
      List<Expr> ts = new ArrayList<>();
      ts.add(tangentOf(b.left(), null, null));
      ts.add(tangentOf(b.right(), null, null));
      return rule.pushforward(List.of(b.left(), b.right()), ts, e == root ? rootValue : e);
    }
    if (e instanceof Conditional c) {
      Expr a = tangentOf(c.then(), null, null);
      Expr b = tangentOf(c.otherwise(), null, null);
      return new Conditional(c.cond(), a != null ? a : zero(c.type(), c.then()), b != null ? b : zero(c.type(), c.otherwise()),
          c.type() instanceof Prim ? Prim.DOUBLE : c.type());
    }
    if (e instanceof Call c) {
      Optional<Registry.Entry> rule = Registry.function(c);
      if (rule.isPresent()) {
        List<Expr> ts = new ArrayList<>();
        c.args().forEach(x -> ts.add(tangentOf(x, null, null)));
        return rule.get().pushforward(c.args(), ts, e == root ? rootValue : e);
      }
      throw new Unsupported("the function " + describe(c), at);
    }
    if (e instanceof Invoke i) {
      return derivativeCall(i);
    }
    if (e instanceof MethodCall m && m.receiver() instanceof Read tape && activity.isActive(tape.var())
        && (m.name().equals("pop") || m.name().equals("popArray"))) {
      return new MethodCall(new Read(dot(tape.var())), m.name(), m.args(), m.type());
    }
    if (e instanceof MethodCall m && m.name().equals("clone") && m.args().isEmpty()) {
      return new MethodCall(tangentOf(m.receiver(), null, null), "clone", List.of(), m.type());
    }
    if (e instanceof Expr.Op o) {
      return opTangent(o, e == root ? rootValue : e);
    }
    throw new Unsupported(describe(e), at);
  }

  /**
   * A runtime op's tangent: the sum, over its inputs that vary, of each input's forward rule
   * ({@code @Jvp}), {@code Owner.rule(inputDot, y, inputs...)}; {@code y} is the op's value.
   */
  private Expr opTangent(Expr.Op o, Expr y) {
    List<Expr> inputs = o.inputs();
    Expr sum = null;
    for (int k = 0; k < inputs.size(); k++) {
      Expr input = inputs.get(k);
      if (!activity.varies(input)) {
        continue;
      }
      String rule = o.tangents().get(k);
      if (rule == null) {
        String which = o.receiver() != null && k == 0 ? "the receiver" : "argument " + (o.receiver() != null ? k : k + 1);
        throw new Unsupported(which + " of " + opName(o) + " (it has no @Jvp forward rule"
            + (o.rules().get(k) == null ? " and no reverse rule" : "") + ")", o.pos());
      }
      List<Expr> ruleArgs = new ArrayList<>();
      ruleArgs.add(tangentOf(input, null, null));
      ruleArgs.add(y);
      ruleArgs.addAll(inputs);
      Type type = o.type() instanceof Prim ? Prim.DOUBLE : o.type();
      Expr term = new Call(o.owner(), rule, ruleArgs, type);
      if (sum == null) {
        sum = term;
      } else if (Type.TENSOR.equals(type)) {
        sum = new MethodCall(sum, "add", List.of(term), type);
      } else if (type == Prim.DOUBLE) {
        sum = add(sum, term);
      } else {
        throw new Unsupported(opName(o) + " with more than one varying input of type " + type.display(), o.pos());
      }
    }
    return sum;
  }

  private static String opName(Expr.Op o) {
    return o.receiver() != null ? "the Tensor operation " + o.name()
        : o.owner().simpleNames().get(o.owner().simpleNames().size() - 1) + "." + o.name();
  }

  /**
   * A callee with hand-written {@code @Derivative} partials: {@code Σ ∂g/∂x_k · ẋ_k}, a dot
   * product for an array parameter.
   */
  private Expr derivativeCall(Invoke i) {
    Expr sum = null;
    for (int k = 0; k < i.args().size(); k++) {
      Callee.Partial p = i.callee().partials().get(k);
      Expr t = p == null ? null : tangentOf(i.args().get(k), null, null);
      if (t == null) {
        continue;
      }
      if (!(p instanceof Callee.FromDerivative d)) {
        throw new Unsupported("a call of " + i.callee().name() + " in this position", i.pos());
      }
      Type type = i.callee().paramTypes().get(k);
      Expr partial = i.receiver() == null
          ? new Call(d.owner(), d.method(), i.args(), type)
          : new MethodCall(i.receiver(), d.method(), i.args(), type);
      Expr term;
      if (type instanceof ArrayType a && a.element() == Prim.DOUBLE) {
        term = new Call(ARRAY_RULES, "dot", List.of(partial, t), Prim.DOUBLE);
      } else if (type instanceof Prim) {
        term = dev.adjoint.processor.ir.Exprs.mul(partial, t);
      } else {
        throw new Unsupported("a @Derivative partial with respect to a " + type.display(), i.pos());
      }
      sum = sum == null ? term : add(sum, term);
    }
    return sum;
  }

  private static String describe(Expr e) {
    if (e instanceof Call c) {
      return c.owner().simpleNames().get(c.owner().simpleNames().size() - 1) + "." + c.name();
    }
    if (e instanceof MethodCall m) {
      return "the method " + m.name();
    }
    if (e instanceof Invoke i) {
      return i.callee().name();
    }
    return "the expression " + e.getClass().getSimpleName();
  }

  private static boolean readsVar(Expr e, Var v) {
    boolean[] found = {false};
    Rewrite.forEachRead(e, r -> found[0] |= r.var() == v);
    return found[0];
  }
}
