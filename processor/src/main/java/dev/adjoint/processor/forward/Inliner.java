package dev.adjoint.processor.forward;

import dev.adjoint.processor.analysis.Structurize;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.CopiedConstant;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Invoke;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Copies the bodies of the methods a method calls into it, for Hessian-vector products: forward
 * mode over the reverse sweep of the inlined method gives ∇²f·v through the calls without a second
 * derivative of each callee's pullback. A call is replaced by its callee's statements, placed
 * before the statement that holds it, with fresh variables (a parameter that the callee never
 * assigns reads the argument variable itself); the callee's own calls are inlined first. What
 * cannot be inlined is {@link Unsupported}: recursion, an instance method, a callee compiled
 * separately or with hand-written partials, a call under {@code ?:}, {@code &&}, {@code ||} or in a
 * loop's header (moving it would run it when the source does not).
 */
final class Inliner {
  private final Function<Invoke, Method> sources;
  private final Deque<String> inlining = new ArrayDeque<>();
  private final Set<String> identifiers = new LinkedHashSet<>();
  private final List<CopiedConstant> constants = new ArrayList<>();
  private final dev.adjoint.processor.ir.RefType rootOwner;

  private Inliner(Function<Invoke, Method> sources, dev.adjoint.processor.ir.RefType rootOwner) {
    this.sources = sources;
    this.rootOwner = rootOwner;
  }

  /**
   * The method with every call of a method with a generated gradient inlined; {@code sources}
   * gives a callee's IR, or null when its source is not in this compilation.
   */
  static Method inline(Method method, Function<Invoke, Method> sources) {
    Inliner in = new Inliner(sources, method.owner());
    in.identifiers.addAll(method.identifiers());
    in.constants.addAll(method.constants());
    in.inlining.push(key(method));
    List<Stmt> body = in.block(method.body());
    return new Method(method.owner(), method.name(), method.self(), method.params(), method.paramPositions(),
        method.wrt(), method.resultType(), body, List.copyOf(in.identifiers), method.ownerTypeParameters(),
        method.pos(), method.fields(), method.listFields(), method.onDemand(), in.constants);
  }

  /** Whether the method calls anything that {@link #inline} would inline. */
  static boolean calls(Method method, Function<Invoke, Method> sources) {
    Inliner in = new Inliner(sources, method.owner());
    boolean[] found = {false};
    Rewrite.forEachStmt(method.body(), s -> Rewrite.exprs(s, e -> {
      found[0] |= e instanceof Invoke i && in.inlinable(i);
      return e;
    }));
    return found[0];
  }

  /**
   * Whether a call is inlined: every call with a derivative, except one of a method differentiated
   * on demand that was not (its arguments never vary, so it is called as it is).
   */
  private boolean inlinable(Invoke i) {
    return !i.callee().plain() && !(i.callee().onDemand() && sources.apply(i) == null);
  }

  private static String key(Method m) {
    return m.owner().qualifiedName() + "#" + m.name();
  }

  private List<Stmt> block(List<Stmt> block) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block) {
      statement(s, out);
    }
    return out;
  }

  private void statement(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.If i) {
      Expr cond = hoist(i.cond(), out);
      out.add(new Stmt.If(cond, block(i.then()), block(i.otherwise()), i.pos(), i.source()));
    } else if (s instanceof Stmt.Loop l) {
      for (Stmt header : concat(l.init(), l.update())) {
        Rewrite.exprs(header, e -> refuseCall(e, "a loop's header"));
      }
      if (l.cond() != null) {
        Rewrite.bottomUp(l.cond(), e -> refuseCall(e, "a loop's condition"));
      }
      out.add(new Stmt.Loop(l.init(), l.cond(), l.update(), block(l.body()), l.testFirst(), l.pos(), l.source()));
    } else if (s instanceof Stmt.Breakable b) {
      out.add(new Stmt.Breakable(block(b.body()), b.label(), b.pos(), b.source()));
    } else {
      Stmt current = s;
      for (Invoke next = next(current); next != null; next = next(current)) {
        Invoke call = next;
        Expr value = call(call, current, out);
        current = Rewrite.exprs(current, e -> e.equals(call) ? value : e);
      }
      out.add(current);
    }
  }

  private static List<Stmt> concat(List<Stmt> a, List<Stmt> b) {
    List<Stmt> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private Expr refuseCall(Expr e, String where) {
    if (e instanceof Invoke i && inlinable(i)) {
      throw new Unsupported("a call of " + i.callee().name() + " in " + where
          + " (Hessian-vector products inline the calls they go through)", i.pos());
    }
    return e;
  }

  /** An {@code if}'s condition with its calls inlined before the {@code if}. */
  private Expr hoist(Expr cond, List<Stmt> out) {
    Stmt.Effect holder = new Stmt.Effect(cond, null, null);
    Stmt current = holder;
    for (Invoke next = next(current); next != null; next = next(current)) {
      Invoke call = next;
      Expr value = call(call, current, out);
      current = Rewrite.exprs(current, e -> e.equals(call) ? value : e);
    }
    return ((Stmt.Effect) current).expr();
  }

  /** The innermost, leftmost call to inline in the statement's own expressions, or null. */
  private Invoke next(Stmt s) {
    Invoke[] first = {null};
    Rewrite.exprs(s, e -> {
      if (first[0] == null && e instanceof Invoke i && inlinable(i)) {
        first[0] = i;
      }
      return e;
    });
    return first[0];
  }

  /** Inlines one call before the statement {@code in}; returns what the call's value becomes. */
  private Expr call(Invoke call, Stmt in, List<Stmt> out) {
    String name = call.callee().name();
    if (call.receiver() != null) {
      throw new Unsupported("a call of the instance method " + name, call.pos());
    }
    if (call.callee().partials().stream().anyMatch(p -> p instanceof dev.adjoint.processor.ir.Callee.FromDerivative)) {
      throw new Unsupported("a call of " + name + ", whose derivative is hand-written (@Derivative gives no"
          + " second derivative)", call.pos());
    }
    Method callee = sources.apply(call);
    if (callee == null) {
      throw new Unsupported("a call of " + name + ", whose source is not in this compilation", call.pos());
    }
    if (inlining.contains(key(callee))) {
      throw new Unsupported("the recursive call of " + name, call.pos());
    }
    // after the reasons that hold wherever the call is
    if (conditional(in).contains(call)) {
      throw new Unsupported("a call of " + name + " under ?:, && or || (Hessian-vector products inline"
          + " the calls they go through, and the source may not run it)", call.pos());
    }
    mergeConstants(callee, call);
    boolean outermost = inlining.size() == 1;
    inlining.push(key(callee));
    List<Stmt> calleeBody;
    try {
      calleeBody = block(callee.body());
    } catch (Unsupported u) {
      if (!outermost) {
        throw u;
      }
      // reported at the call in the method that asked for the HVP, not inside a callee's source
      throw new Unsupported("a call of " + name + " (inside it: " + u.getMessage() + ")", call.pos());
    }
    inlining.pop();
    identifiers.addAll(callee.identifiers());
    Structurize.Result structured = Structurize.run(callee.withBody(calleeBody));
    Map<Var, Var> fresh = new IdentityHashMap<>();
    Map<Var, Expr> rows = new IdentityHashMap<>();
    Set<Var> assigned = assigned(structured.body());
    for (int k = 0; k < callee.params().size(); k++) {
      Var p = callee.params().get(k);
      Expr arg = call.args().get(k);
      if (arg instanceof Read r && r.var().type().equals(p.type()) && !assigned.contains(p)) {
        fresh.put(p, r.var()); // read-only: the argument itself, so an array keeps its one adjoint
      } else if (p.type() instanceof dev.adjoint.processor.ir.ArrayType && isRow(arg) && !assigned.contains(p)) {
        rows.put(p, arg); // a row m[i]: read and written through m[i][j], as a row view is
      } else if (p.type() instanceof dev.adjoint.processor.ir.ArrayType) {
        throw new Unsupported("a call of " + name + " whose array argument is neither a variable nor a row m[i]"
            + " of one", call.pos());
      } else {
        Var q = new Var(p.name(), p.type(), Var.Kind.LOCAL);
        fresh.put(p, q);
        out.add(new Stmt.Declare(q, arg, call.pos(), name + "'s parameter " + p.name()));
      }
    }
    Copy copy = new Copy(fresh, rows, name);
    List<Stmt> body = structured.body();
    if (structured.value() != null) {
      out.addAll(copy.block(body));
      return new Read(copy.var(structured.value()));
    }
    Stmt.Return last = (Stmt.Return) body.get(body.size() - 1);
    out.addAll(copy.block(body.subList(0, body.size() - 1)));
    Var result = new Var(name, callee.resultType(), Var.Kind.SYNTHETIC);
    out.add(new Stmt.Declare(result, copy.expr(last.value()), last.pos(), copy.source(last.source())));
    return new Read(result);
  }

  /**
   * A callee of the same class shares its private constants, copied into the generated class; one
   * of another class reads them from its own generated class, which the inlined code cannot: refused.
   */
  private void mergeConstants(Method callee, Invoke call) {
    for (CopiedConstant c : callee.constants()) {
      if (constants.contains(c)) {
        continue;
      }
      if (!callee.owner().equals(rootOwner)) {
        throw new Unsupported("a call of " + call.callee().name() + ", which reads private constants of "
            + callee.owner().simpleNames().get(callee.owner().simpleNames().size() - 1), call.pos());
      }
      constants.add(c);
    }
  }

  /** {@code m[i]} with m a variable and i a variable or a number: the same row wherever the callee reads it. */
  private static boolean isRow(Expr arg) {
    return arg instanceof Expr.ArrayRead a && a.array() instanceof Read
        && (a.index() instanceof Read || a.index() instanceof Expr.Literal);
  }

  /** The calls in the statement that the source may not evaluate: under ?:, or right of && and ||. */
  private static Set<Expr> conditional(Stmt s) {
    Set<Expr> out = new LinkedHashSet<>();
    Rewrite.exprs(s, e -> {
      if (e instanceof Expr.Conditional c) {
        collect(c.then(), out);
        collect(c.otherwise(), out);
      } else if (e instanceof Expr.Binary b && (b.op() == BinOp.AND || b.op() == BinOp.OR)) {
        collect(b.right(), out);
      }
      return e;
    });
    return out;
  }

  private static void collect(Expr e, Set<Expr> out) {
    Rewrite.bottomUp(e, x -> {
      if (x instanceof Invoke) {
        out.add(x);
      }
      return x;
    });
  }

  private static Set<Var> assigned(List<Stmt> body) {
    Set<Var> out = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    Rewrite.forEachStmt(body, s -> {
      if (s instanceof Stmt.Assign a) {
        out.add(a.var());
      } else if (s instanceof Stmt.ArrayStore st && st.target().array() instanceof Read r) {
        out.add(r.var());
      }
    });
    return out;
  }

  /** A callee's statements with each of its variables replaced by a fresh one (or the argument's). */
  private static final class Copy {
    private final Map<Var, Var> vars;
    /** Array parameters bound to a row of the caller's matrix: their reads become the row itself. */
    private final Map<Var, Expr> rows;
    private final String callee;

    Copy(Map<Var, Var> vars, Map<Var, Expr> rows, String callee) {
      this.vars = vars;
      this.rows = rows;
      this.callee = callee;
    }

    private Expr read(Read r) {
      Expr row = rows.get(r.var());
      return row != null ? row : new Read(var(r.var()));
    }

    Var var(Var v) {
      return vars.computeIfAbsent(v, k -> new Var(k.name(), k.type(), k.kind()));
    }

    String source(String s) {
      return s == null ? null : "in " + callee + ": " + s;
    }

    Expr expr(Expr e) {
      return Rewrite.bottomUp(e, x -> x instanceof Read r ? read(r) : x);
    }

    List<Stmt> block(List<Stmt> block) {
      return block.stream().map(this::stmt).toList();
    }

    Stmt stmt(Stmt s) {
      if (s instanceof Stmt.Declare d) {
        return new Stmt.Declare(var(d.var()), d.init() == null ? null : expr(d.init()), d.pos(), source(d.source()));
      }
      if (s instanceof Stmt.Assign a) {
        return new Stmt.Assign(var(a.var()), expr(a.value()), a.compound(), a.pos(), source(a.source()));
      }
      if (s instanceof Stmt.If i) {
        return new Stmt.If(expr(i.cond()), block(i.then()), block(i.otherwise()), i.pos(), source(i.source()));
      }
      if (s instanceof Stmt.Loop l) {
        return new Stmt.Loop(block(l.init()), l.cond() == null ? null : expr(l.cond()), block(l.update()),
            block(l.body()), l.testFirst(), l.pos(), source(l.source()));
      }
      if (s instanceof Stmt.Breakable b) {
        return new Stmt.Breakable(block(b.body()), b.label(), b.pos(), source(b.source()));
      }
      if (s instanceof Stmt.Return) {
        throw new IllegalStateException("a structured body returns only at its end");
      }
      return Rewrite.exprs(s, x -> x instanceof Read r ? read(r) : x);
    }
  }
}
