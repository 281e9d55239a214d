package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.Registry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replaces library objects that stand for a number (a {@code DD} double-double, rules section 6 of
 * {@link Registry}) by their parts: {@code DD x2 = DD.ofSquare(x)} becomes
 * {@code double x2Hi = x * x; double x2Lo = DD.ofSquare(x).lo();}, and {@code x2.hi()} reads
 * {@code x2Hi}. The parts hold the values the library computes, bit for bit, and the derivative
 * flows through the part the rules give it to; the later stages then see plain numbers.
 *
 * <p>An object such a local holds cannot change, so its parts computed where it is created are
 * its parts wherever it is read. Any other use (passing it on, comparing it, calling another of its
 * methods) is refused (ADJ251) at its line: the object would carry a derivative the later stages
 * cannot see.
 */
public final class ValueObjects {
  private final Reporter reporter;
  private final Map<Var, List<Var>> parts = new IdentityHashMap<>();
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
    if (s instanceof Stmt.Declare d && Registry.isValueType(d.var().type())) {
      List<Var> vars = new ArrayList<>();
      List<String> names = factoryOf(d.init()).map(f -> f.components()).orElse(List.of("Hi", "Lo"));
      for (String n : names) {
        vars.add(new Var(d.var().name() + n, Prim.DOUBLE, Var.Kind.LOCAL));
      }
      parts.put(d.var(), vars);
      if (d.init() == null) {
        vars.forEach(v -> out.add(new Stmt.Declare(v, null, d.pos(), d.source())));
      } else {
        List<Expr> values = create(d.var(), d.init(), d.pos(), d.source(), out);
        for (int i = 0; i < vars.size() && values != null; i++) {
          out.add(new Stmt.Declare(vars.get(i), values.get(i), d.pos(), d.source()));
        }
      }
      return;
    }
    if (s instanceof Stmt.Assign a && Registry.isValueType(a.var().type())) {
      List<Expr> values = create(a.var(), a.value(), a.pos(), a.source(), out);
      List<Var> vars = parts.get(a.var());
      for (int i = 0; values != null && vars != null && i < vars.size(); i++) {
        out.add(new Stmt.Assign(vars.get(i), values.get(i), false, a.pos(), a.source()));
      }
      return;
    }
    if (s instanceof Stmt.If i) {
      out.add(new Stmt.If(expr(i.cond(), i.pos()), block(i.then()), block(i.otherwise()), i.pos(), i.source()));
    } else if (s instanceof Stmt.Loop l) {
      out.add(new Stmt.Loop(block(l.init()), l.cond() == null ? null : expr(l.cond(), l.pos()), block(l.update()),
          block(l.body()), l.testFirst(), l.pos(), l.source()));
    } else if (s instanceof Stmt.Breakable b) {
      out.add(new Stmt.Breakable(block(b.body()), b.label(), b.pos(), b.source()));
    } else {
      Stmt rewritten = Rewrite.exprs(s, this::part);
      roots(rewritten).forEach(e -> check(e, s.pos()));
      out.add(rewritten);
    }
  }

  /**
   * The parts of a new value ({@code DD.ofSquare(x)}, or another value object variable), after
   * declaring each argument that is more than a variable or a constant once, in
   * {@code <object>Arg}; null after reporting a value that is neither.
   */
  private List<Expr> create(Var target, Expr init, Pos pos, String source, List<Stmt> out) {
    if (init instanceof Read r && parts.containsKey(r.var())) {
      return parts.get(r.var()).stream().<Expr>map(Read::new).toList(); // DD y = x2
    }
    Optional<Registry.ValueFactory> factory = factoryOf(init);
    if (factory.isEmpty()) {
      refuse(pos, "creating the " + simpleName(target.type()) + " '" + target.name() + "' this way", target.type());
      return null;
    }
    List<Expr> args = new ArrayList<>();
    List<Expr> given = ((Call) init).args();
    for (int i = 0; i < given.size(); i++) {
      Expr a = expr(given.get(i), pos);
      if (!(a instanceof Read || a instanceof Expr.Literal || a instanceof Expr.FieldRead f && f.receiver() == null)) {
        // the parts read the argument more than once: evaluate it once
        Var temp = new Var(target.name() + "Arg" + (given.size() > 1 ? String.valueOf(i) : ""), Prim.DOUBLE,
            Var.Kind.LOCAL);
        out.add(new Stmt.Declare(temp, a, pos, source));
        a = new Read(temp);
      }
      args.add(a);
    }
    return factory.get().parts().apply(args);
  }

  private static Optional<Registry.ValueFactory> factoryOf(Expr init) {
    return init instanceof Call c && !c.onReceiver() && Registry.isValueType(c.type())
        ? Registry.valueFactory(c.owner(), c.name(), c.args().size()) : Optional.empty();
  }

  /** An expression with its reads of value objects replaced by their parts, and checked. */
  private Expr expr(Expr e, Pos pos) {
    Expr rewritten = Rewrite.bottomUp(e, this::part);
    check(rewritten, pos);
    return rewritten;
  }

  /** {@code x2.hi()} → {@code x2Hi}; {@code DD.ofSquare(x).hi()} → {@code x * x}. */
  private Expr part(Expr e) {
    if (!(e instanceof Call c) || !c.onReceiver() || !Registry.isValueType(c.args().get(0).type())) {
      return e;
    }
    Optional<Registry.ValueAccessor> accessor = Registry.valueAccessor((RefType) c.args().get(0).type(), c.name());
    if (accessor.isEmpty()) {
      return e;
    }
    Expr object = c.args().get(0);
    if (object instanceof Read r && parts.containsKey(r.var())) {
      return accessor.get().of().apply(parts.get(r.var()).stream().<Expr>map(Read::new).toList());
    }
    Optional<Registry.ValueFactory> factory = factoryOf(object);
    if (factory.isPresent()) {
      return accessor.get().of().apply(factory.get().parts().apply(((Call) object).args()));
    }
    return e;
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

  /**
   * Reports a value object left in {@code e} after the rewrite: a use the later stages cannot
   * differentiate. The library's own round-off, {@code DD.ofSquare(x).lo()}, which the parts read
   * (with a zero derivative), is not one.
   */
  private void check(Expr e, Pos pos) {
    Expr rest = Rewrite.bottomUp(e, x -> x instanceof Call c && c.onReceiver() && factoryOf(c.args().get(0)).isPresent()
        && Registry.function(c).map(Registry.Entry::isZero).orElse(false) ? new Expr.Literal(0, "0", Prim.DOUBLE) : x);
    Rewrite.bottomUp(rest, x -> {
      if (Registry.isValueType(x.type())) {
        refuse(pos, x instanceof Read r ? "using the " + simpleName(x.type()) + " '" + r.var().name() + "' here"
            : "this " + simpleName(x.type()) + " object", x.type());
      }
      return x;
    });
  }

  private void refuse(Pos pos, String what, dev.adjoint.processor.ir.Type type) {
    if (!ok) {
      return; // one error per method: the first use tells what to change
    }
    RefType t = (RefType) type;
    reporter.report(Diag.VALUE_OBJECT, pos, what, simpleName(t), Registry.valueFactories(t), Registry.valueAccessors(t),
        "compute with the numbers it gives instead");
    ok = false;
  }

  private static String simpleName(dev.adjoint.processor.ir.Type t) {
    List<String> names = ((RefType) t).simpleNames();
    return names.get(names.size() - 1);
  }
}
