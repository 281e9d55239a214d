package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.Registry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replaces library objects that stand for a number (a {@code DD} double-double, a compensated
 * {@code Sum}: rules section 6 of {@link Registry}) by their parts, plain {@code double}s:
 * {@code DD x2 = DD.ofSquare(x)} becomes {@code double x2Hi = x * x; double x2Lo = DD.ofSquare(x).lo();},
 * {@code x2.hi()} reads {@code x2Hi}, and {@code sum.add(t)} becomes assignments to
 * {@code sum} and {@code sumComp}. The parts hold the values the library computes, and the
 * derivative flows through the part the rules give it to; the later stages see plain numbers.
 *
 * <p>A chain that changes an object ({@code Sum.of(a).add(b).getAsDouble()}) runs as statements
 * of its own just before its statement, in Java's order, when it always runs with the statement
 * (not in an operand of {@code ?:}, on the right of {@code &&} or {@code ||}, nor in a condition),
 * and when the statement reads the changed object nowhere else. Any other use of such an object
 * (passing it on, comparing it, calling another of its methods) is refused (ADJ251) at its line:
 * the object would carry a derivative the later stages cannot see.
 */
public final class ValueObjects {
  private final Reporter reporter;
  private final Map<Var, List<Var>> parts = new IdentityHashMap<>();
  private final Map<String, Integer> temps = new java.util.HashMap<>();
  private boolean ok = true;

  private ValueObjects(Reporter reporter) {
    this.reporter = reporter;
  }

  /** The method with its value objects replaced by their parts, or empty after reporting a use that cannot be. */
  public static Optional<Method> lower(Method m, Reporter reporter) {
    boolean[] any = {false};
    Rewrite.forEachStmt(m.body(), s -> Rewrite.exprs(s, e -> {
      any[0] |= Registry.isValueType(e.type());
      return e;
    }));
    Rewrite.forEachStmt(m.body(), s -> any[0] |= s instanceof Stmt.Declare d && Registry.isValueType(d.var().type()));
    if (!any[0]) {
      return Optional.of(m);
    }
    ValueObjects pass = new ValueObjects(reporter);
    List<Stmt> body = pass.block(m.body());
    return pass.ok ? Optional.of(m.withBody(body)) : Optional.empty();
  }

  private List<Stmt> block(List<Stmt> in) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : in) {
      stmt(s, out);
    }
    return out;
  }

  private void stmt(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.If i) {
      out.add(new Stmt.If(condition(i.cond(), i.pos()), block(i.then()), block(i.otherwise()), i.pos(), i.source()));
      return;
    }
    if (s instanceof Stmt.Loop l) {
      out.add(new Stmt.Loop(block(l.init()), l.cond() == null ? null : condition(l.cond(), l.pos()), block(l.update()),
          block(l.body()), l.testFirst(), l.pos(), l.source()));
      return;
    }
    if (s instanceof Stmt.Breakable b) {
      out.add(new Stmt.Breakable(block(b.body()), b.label(), b.pos(), b.source()));
      return;
    }
    Site at = new Site(s.pos(), sourceOf(s), out, !mayNotRun(s));
    if (!changesWhatItReads(s)) {
      return;
    }
    if (s instanceof Stmt.Declare d && Registry.isValueType(d.var().type())) {
      RefType type = (RefType) d.var().type();
      if (d.init() != null && sharesAnObject(d.var(), d.init(), at)) {
        return;
      }
      List<Expr> values = d.init() == null ? null : valueOf(d.init(), at);
      List<Var> vars = new ArrayList<>();
      for (String suffix : Registry.valueParts(type)) {
        vars.add(new Var(d.var().name() + suffix, Prim.DOUBLE, Var.Kind.LOCAL));
      }
      for (int k = 0; k < vars.size(); k++) {
        out.add(new Stmt.Declare(vars.get(k), values == null ? null : values.get(k), d.pos(), d.source()));
      }
      parts.put(d.var(), vars);
      return;
    }
    if (s instanceof Stmt.Assign a && Registry.isValueType(a.var().type())) {
      if (sharesAnObject(a.var(), a.value(), at)) {
        return;
      }
      List<Expr> values = valueOf(a.value(), at);
      List<Var> vars = parts.get(a.var());
      if (values != null && vars != null) {
        assign(vars, values, at);
      }
      return;
    }
    if (s instanceof Stmt.Effect e && Registry.isValueType(e.expr().type())) {
      valueOf(e.expr(), at); // sum.add(t);
      return;
    }
    Stmt rewritten = Rewrite.exprs(s, x -> part(x, at));
    roots(rewritten).forEach(x -> left(x, at.pos));
    if (!(rewritten instanceof Stmt.Effect e && !(e.expr() instanceof Call || e.expr() instanceof Expr.Invoke))) {
      out.add(rewritten); // (x2.hi(); alone, now a read of x2Hi, does nothing)
    }
  }

  /** A condition: value objects in it are read in place, never changed (it is evaluated again and again). */
  private Expr condition(Expr cond, Pos pos) {
    Expr rewritten = Rewrite.bottomUp(cond, x -> part(x, new Site(pos, "", null, false)));
    left(rewritten, pos);
    return rewritten;
  }

  /**
   * Reports a value object left in {@code e} after the rewrite, a use the later stages could not
   * differentiate; the library's own round-offs that the parts read ({@code DD.ofSquare(x)} in
   * {@code DD.ofSquare(x).lo()}) are not uses.
   */
  private void left(Expr e, Pos pos) {
    Expr rest = Rewrite.bottomUp(e, x -> x instanceof Call c && c.onReceiver() && !c.args().isEmpty()
        && c.args().get(0) instanceof Call f && !f.onReceiver() && Registry.isValueType(f.type())
        && Registry.valueFactory(f.owner(), f.name(), f.args().size()).isPresent()
        && Registry.function(c).map(Registry.Entry::isZero).orElse(false) ? new Expr.Literal(0, "0", Prim.DOUBLE) : x);
    Rewrite.bottomUp(rest, x -> {
      if (x instanceof Read r && Registry.isValueType(r.type())) {
        refuse(pos, "using the " + simpleName(r.type()) + " '" + r.var().name() + "' here", r.type());
      } else if (Registry.isValueType(x.type())) {
        refuse(pos, "this " + simpleName(x.type()) + " object", x.type());
      }
      return x;
    });
  }

  /** The source text a statement quotes, for the statements made from it. */
  private static String sourceOf(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return d.source();
    } else if (s instanceof Stmt.Assign a) {
      return a.source();
    } else if (s instanceof Stmt.Return r) {
      return r.source();
    } else if (s instanceof Stmt.ArrayStore a) {
      return a.source();
    } else if (s instanceof Stmt.Effect e) {
      return e.source();
    } else if (s instanceof Stmt.Throw t) {
      return t.source();
    }
    return null;
  }

  /** The expressions of a statement without nested blocks. */
  private static List<Expr> roots(Stmt s) {
    List<Expr> out = new ArrayList<>();
    if (s instanceof Stmt.Declare d && d.init() != null) {
      out.add(d.init());
    } else if (s instanceof Stmt.Assign a) {
      out.add(a.value());
    } else if (s instanceof Stmt.Return r && r.value() != null) {
      out.add(r.value());
    } else if (s instanceof Stmt.ArrayStore a) {
      out.add(a.target());
      out.add(a.value());
    } else if (s instanceof Stmt.Eval e) {
      out.add(e.expr());
    } else if (s instanceof Stmt.Effect e) {
      out.add(e.expr());
    } else if (s instanceof Stmt.Throw t) {
      out.addAll(t.holes());
    }
    return out;
  }

  /** Where parts are computed: the statement, and whether statements may be added before it. */
  private record Site(Pos pos, String source, List<Stmt> out, boolean hoist) {}

  /** {@code x2.hi()} → {@code x2Hi}; {@code DD.ofSquare(x).hi()} → {@code x * x}; other nodes unchanged. */
  private Expr part(Expr e, Site at) {
    if (e instanceof Call c && c.onReceiver() && !c.args().isEmpty() && Registry.isValueType(c.args().get(0).type())
        && !Registry.isValueType(c.type())) {
      Optional<Registry.ValueAccessor> accessor = Registry.valueAccessor((RefType) c.args().get(0).type(), c.name());
      List<Expr> values = accessor.isPresent() ? valueOf(c.args().get(0), at) : null;
      if (values != null) {
        return accessor.get().of().apply(values);
      }
      refuse(at.pos, "calling " + c.name() + "(...) here", c.args().get(0).type());
    }
    return e;
  }

  /**
   * The parts of a value object expression (a local, a factory call, a change of either), after
   * running its changes; null after reporting one that cannot be taken apart here.
   */
  private List<Expr> valueOf(Expr e, Site at) {
    if (e instanceof Read r && parts.containsKey(r.var())) {
      return reads(parts.get(r.var()));
    }
    if (!(e instanceof Call c)) {
      refuse(at.pos, e instanceof Read r ? "using the " + simpleName(e.type()) + " '" + r.var().name() + "' this way"
          : "making the " + simpleName(e.type()) + " this way", e.type());
      return null;
    }
    Optional<Registry.ValueFactory> factory = c.onReceiver() ? Optional.empty()
        : Registry.valueFactory(c.owner(), c.name(), c.args().size());
    if (factory.isPresent()) {
      List<Expr> args = arguments(c.args(), at);
      return args == null ? null : factory.get().parts().apply(args);
    }
    List<Var> changed = change(c, at);
    return changed == null ? null : reads(changed);
  }

  /**
   * Runs a change of a value object ({@code sum.add(t)}) as assignments to the variables of its
   * parts, which it returns: the same object's, for a chain of changes; null after reporting a
   * call that is not a change, or one that cannot run here.
   */
  private List<Var> change(Call c, Site at) {
    Optional<Registry.ValueMutator> mutator = c.onReceiver() && !c.args().isEmpty()
        ? Registry.valueMutator((RefType) c.type(), c.name(), c.args().size() - 1) : Optional.empty();
    if (mutator.isEmpty()) {
      refuse(at.pos, "making the " + simpleName(c.type()) + " this way", c.type());
      return null;
    }
    if (!at.hoist) {
      refuse(at.pos, "calling " + c.name() + "(...) where it may not run, or runs more than once,", c.type());
      return null;
    }
    List<Var> vars = variables(c.args().get(0), at);
    List<Expr> args = vars == null ? null : arguments(c.args().subList(1, c.args().size()), at);
    if (args == null) {
      return null;
    }
    List<Expr> next = mutator.get().parts().apply(reads(vars), args);
    // from the last part to the first: each new value reads the old values of the parts before it
    for (int k = vars.size() - 1; k >= 0; k--) {
      at.out.add(new Stmt.Assign(vars.get(k), next.get(k), false, at.pos, at.source));
    }
    return vars;
  }

  /**
   * True after reporting a variable of a class whose objects change ({@code Sum}) given an object
   * another variable holds ({@code Sum s = t.add(x)}): a change through one would show through the
   * other, which copies of their parts cannot do. An object of a class that never changes
   * ({@code DD}) may be shared.
   */
  private boolean sharesAnObject(Var target, Expr init, Site at) {
    Expr base = init;
    while (base instanceof Call c && c.onReceiver() && !c.args().isEmpty() && Registry.isValueType(c.type())) {
      base = c.args().get(0);
    }
    if (base instanceof Read r && Registry.hasValueMutators((RefType) target.type())) {
      refuse(at.pos, "making the " + simpleName(target.type()) + " '" + target.name() + "' share the object of '"
          + r.var().name() + "'", target.type());
      return true;
    }
    return false;
  }

  /** The variables holding a value object's parts: a local's, or new ones for a new object. */
  private List<Var> variables(Expr e, Site at) {
    if (e instanceof Read r && parts.containsKey(r.var())) {
      return parts.get(r.var());
    }
    if (e instanceof Call c && c.onReceiver()) {
      return change(c, at); // s.add(a).add(b): the second changes s too
    }
    List<Expr> values = valueOf(e, at);
    if (values == null) {
      return null;
    }
    String stem = Character.toLowerCase(simpleName(e.type()).charAt(0)) + simpleName(e.type()).substring(1);
    int n = temps.merge(stem, 1, Integer::sum);
    List<Var> vars = new ArrayList<>();
    List<String> suffixes = Registry.valueParts((RefType) e.type());
    for (int k = 0; k < suffixes.size(); k++) {
      Var v = new Var(stem + (n > 1 ? String.valueOf(n) : "") + suffixes.get(k), Prim.DOUBLE, Var.Kind.LOCAL);
      at.out.add(new Stmt.Declare(v, values.get(k), at.pos, at.source));
      vars.add(v);
    }
    return vars;
  }

  /**
   * A factory's or a change's arguments, each read as a variable or a constant: one that is more
   * (the parts read it more than once) is evaluated once, into a temporary, where statements may
   * be added; elsewhere it stays in place (evaluated again, to the same value).
   */
  private List<Expr> arguments(List<Expr> given, Site at) {
    List<Expr> out = new ArrayList<>();
    for (Expr a : given) {
      Expr read = Rewrite.bottomUp(a, x -> part(x, at));
      if (at.hoist && !(read instanceof Read || read instanceof Expr.Literal
          || read instanceof Expr.FieldRead f && f.receiver() == null)) {
        int n = temps.merge("term", 1, Integer::sum);
        Var temp = new Var("term" + (n > 1 ? String.valueOf(n) : ""), Prim.DOUBLE, Var.Kind.LOCAL);
        at.out.add(new Stmt.Declare(temp, read, at.pos, at.source));
        read = new Read(temp);
      }
      out.add(read);
    }
    return out;
  }

  /** {@code vars = values}, all at once: through temporaries when a value reads one of the variables. */
  private void assign(List<Var> vars, List<Expr> values, Site at) {
    boolean[] readsTarget = {false};
    for (Expr v : values) {
      Rewrite.forEachRead(v, r -> readsTarget[0] |= vars.contains(r.var()));
    }
    List<Expr> from = values;
    if (readsTarget[0]) {
      from = new ArrayList<>();
      for (int k = 0; k < vars.size(); k++) {
        Var temp = new Var(vars.get(k).name() + "Next", Prim.DOUBLE, Var.Kind.LOCAL);
        at.out.add(new Stmt.Declare(temp, values.get(k), at.pos, at.source));
        from.add(new Read(temp));
      }
    }
    for (int k = 0; k < vars.size(); k++) {
      if (!(from.get(k) instanceof Read r && r.var() == vars.get(k))) {
        at.out.add(new Stmt.Assign(vars.get(k), from.get(k), false, at.pos, at.source));
      }
    }
  }

  private static List<Expr> reads(List<Var> vars) {
    return vars.stream().<Expr>map(Read::new).toList();
  }

  /**
   * Whether a value object in the statement sits where it may not run: in an operand of {@code ?:}
   * or on the right of {@code &&} or {@code ||}.
   */
  private static boolean mayNotRun(Stmt s) {
    boolean[] found = {false};
    Rewrite.exprs(s, x -> {
      if (x instanceof Expr.Conditional c) {
        found[0] |= holdsValue(c.then()) || holdsValue(c.otherwise());
      } else if (x instanceof Expr.Binary b && (b.op() == BinOp.AND || b.op() == BinOp.OR)) {
        found[0] |= holdsValue(b.right());
      }
      return x;
    });
    return found[0];
  }

  private static boolean holdsValue(Expr e) {
    boolean[] found = {false};
    Rewrite.bottomUp(e, x -> {
      found[0] |= Registry.isValueType(x.type());
      return x;
    });
    return found[0];
  }

  /**
   * False after reporting a statement that changes a value object it also reads elsewhere
   * ({@code s.getAsDouble() + s.add(t).getAsDouble()}): its changes run before the statement.
   */
  private boolean changesWhatItReads(Stmt s) {
    List<Var> changed = new ArrayList<>();
    Map<Var, Integer> readCount = new IdentityHashMap<>();
    Rewrite.exprs(s, x -> {
      if (x instanceof Call c && c.onReceiver() && Registry.isValueType(c.type()) && !c.args().isEmpty()) {
        Expr base = c.args().get(0);
        while (base instanceof Call b && b.onReceiver() && !b.args().isEmpty() && Registry.isValueType(b.type())) {
          base = b.args().get(0);
        }
        if (base instanceof Read r) {
          changed.add(r.var());
        }
      } else if (x instanceof Read r && Registry.isValueType(r.type())) {
        readCount.merge(r.var(), 1, Integer::sum);
      }
      return x;
    });
    for (Var v : changed) {
      if (readCount.getOrDefault(v, 0) > 1) {
        refuse(s.pos(), "changing the " + simpleName(v.type()) + " '" + v.name() + "' in a statement that also reads it",
            v.type());
        return false;
      }
    }
    return true;
  }

  private void refuse(Pos pos, String what, Type type) {
    if (!ok) {
      return; // one error per method: the first use tells what to change
    }
    RefType t = (RefType) type;
    reporter.report(Diag.VALUE_OBJECT, pos, what, simpleName(t), Registry.valueFactories(t), Registry.valueAccessors(t),
        "compute with the numbers it gives instead");
    ok = false;
  }

  private static String simpleName(Type t) {
    List<String> names = ((RefType) t).simpleNames();
    return names.get(names.size() - 1);
  }
}
