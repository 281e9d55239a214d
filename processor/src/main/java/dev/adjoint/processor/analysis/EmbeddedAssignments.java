package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Expr.Update;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lowers assignments inside expressions ({@code x[i++]}, {@code return n--},
 * {@code a[k] = b[j++] * 2}, {@code while ((k += 2) < n)}, {@code a = b = c}) into statements of
 * their own, run just before the statement that held them, in Java's evaluation order; the
 * expression then reads the value the assignment produced ({@code j++}: a copy of the old value,
 * {@code jOld}).
 *
 * <p>Moving an assignment ahead of its statement is exact when nothing else in the statement
 * reads what it writes and it always runs with the statement. So these are refused (ADJ213): an
 * assignment in an operand of {@code ?:} or on the right of {@code &&}/{@code ||} (it may not
 * run), one whose variable (or array) the statement reads or writes elsewhere ({@code i++ + i}),
 * and one in the condition of a {@code do ... while} whose body has a {@code continue}.
 *
 * <p>A condition with assignments in it is evaluated at the top of each iteration:
 * {@code while (c) body} becomes {@code while (true) { pre; if (!c) break; body }}.
 */
public final class EmbeddedAssignments {
  private final Reporter reporter;
  private boolean ok = true;
  private final Map<String, Integer> temps = new HashMap<>();

  private EmbeddedAssignments(Reporter reporter) {
    this.reporter = reporter;
  }

  /** The method without {@link Update}s, or empty after reporting the ones that cannot be moved. */
  public static Optional<Method> lower(Method m, Reporter reporter) {
    boolean[] any = {false};
    Rewrite.forEachStmt(m.body(), s -> Rewrite.exprs(s, e -> {
      any[0] |= e instanceof Update;
      return e;
    }));
    if (!any[0]) {
      return Optional.of(m);
    }
    EmbeddedAssignments pass = new EmbeddedAssignments(reporter);
    List<Stmt> body = pass.block(m.body());
    if (!pass.ok) {
      return Optional.empty();
    }
    return Optional.of(m.withBody(body));
  }

  private List<Stmt> block(List<Stmt> in) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : in) {
      stmt(s, out);
    }
    return out;
  }

  private void stmt(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.Loop l) {
      loop(l, out);
      return;
    }
    if (s instanceof Stmt.If i) {
      Expr cond = expr(i.cond(), s, out);
      out.add(new Stmt.If(cond, block(i.then()), block(i.otherwise()), i.pos(), i.source()));
      return;
    }
    if (s instanceof Stmt.Breakable b) {
      out.add(new Stmt.Breakable(block(b.body()), b.label(), b.pos(), b.source()));
      return;
    }
    if (!hasUpdate(s)) {
      out.add(s);
      return;
    }
    if (!checkOwnership(s)) {
      return;
    }
    if (s instanceof Stmt.ArrayStore a) {
      // Java evaluates the target's array and index first, then the value
      ArrayRead target = (ArrayRead) expr(a.target(), s, out);
      out.add(new Stmt.ArrayStore(target, expr(a.value(), s, out), a.compound(), a.pos(), a.source()));
    } else {
      List<Stmt> pre = new ArrayList<>();
      Stmt lowered = s;
      if (s instanceof Stmt.Declare d) {
        lowered = new Stmt.Declare(d.var(), expr(d.init(), s, pre), d.pos(), d.source());
      } else if (s instanceof Stmt.Assign a) {
        lowered = new Stmt.Assign(a.var(), expr(a.value(), s, pre), a.compound(), a.pos(), a.source());
      } else if (s instanceof Stmt.Return r) {
        lowered = new Stmt.Return(expr(r.value(), s, pre), r.pos(), r.source());
      } else if (s instanceof Stmt.Effect e) {
        lowered = new Stmt.Effect(expr(e.expr(), s, pre), e.pos(), e.source());
      } else if (s instanceof Stmt.Throw t) {
        lowered = new Stmt.Throw(t.parts(), t.holes().stream().map(h -> expr(h, s, pre)).toList(), t.pos(), t.source());
      }
      out.addAll(pre);
      out.add(lowered);
    }
  }

  private void loop(Stmt.Loop l, List<Stmt> out) {
    List<Stmt> init = block(l.init());
    List<Stmt> update = block(l.update());
    List<Stmt> body = block(l.body());
    if (l.cond() == null || !containsUpdate(l.cond())) {
      out.add(new Stmt.Loop(init, l.cond(), update, body, l.testFirst(), l.pos(), l.source()));
      return;
    }
    Stmt.If holder = new Stmt.If(l.cond(), List.of(), List.of(), l.pos(), l.source());
    if (!checkOwnership(holder)) {
      return;
    }
    List<Stmt> pre = new ArrayList<>();
    Expr cond = expr(l.cond(), holder, pre);
    Stmt leave = new Stmt.If(new Expr.Not(cond), List.of(new Stmt.Break(l.pos())), List.of(), l.pos(), l.source());
    List<Stmt> newBody = new ArrayList<>();
    if (l.testFirst()) {
      newBody.addAll(pre);
      newBody.add(leave);
      newBody.addAll(body);
    } else {
      boolean[] continues = {false};
      Rewrite.forEachStmt(body, st -> continues[0] |= st instanceof Stmt.Continue);
      if (continues[0]) {
        reporter.report(Diag.ASSIGN_IN_EXPRESSION, l.pos(),
            "in the condition of a do ... while loop whose body has a continue");
        ok = false;
        return;
      }
      newBody.addAll(body);
      newBody.addAll(pre);
      newBody.add(leave);
    }
    out.add(new Stmt.Loop(init, null, update, newBody, true, l.pos(), l.source()));
  }

  /**
   * {@code e} with each update replaced by the value it produces; the statements that perform
   * the updates are appended to {@code pre}, in evaluation order (operands left to right).
   */
  private Expr expr(Expr e, Stmt s, List<Stmt> pre) {
    if (e == null || !containsUpdate(e)) {
      return e;
    }
    if (e instanceof Update u) {
      Expr target = u.target() instanceof ArrayRead a
          ? new ArrayRead(expr(a.array(), s, pre), expr(a.index(), s, pre), a.type()) : u.target();
      Expr value = expr(Rewrite.bottomUp(u.value(), x -> x.equals(u.target()) ? target : x), s, pre);
      Expr produced = target;
      if (u.post()) {
        Var old = new Var(temp(Activity.arrayVar(target).name() + "Old"), u.type(), Var.Kind.SYNTHETIC);
        pre.add(new Stmt.Declare(old, target, s.pos(), sourceOf(s)));
        value = Rewrite.bottomUp(value, x -> x.equals(target) ? new Read(old) : x);
        produced = new Read(old);
      }
      boolean compound = value instanceof Expr.Binary b && b.left().equals(target)
          || value instanceof Expr.Cast c && c.operand() instanceof Expr.Binary b2 && b2.left().equals(target);
      if (target instanceof Read r) {
        pre.add(new Stmt.Assign(r.var(), value, compound, s.pos(), sourceOf(s)));
      } else {
        pre.add(new Stmt.ArrayStore((ArrayRead) target, value, compound, s.pos(), sourceOf(s)));
      }
      return produced;
    }
    if (e instanceof Expr.Conditional c) {
      if (containsUpdate(c.then()) || containsUpdate(c.otherwise())) {
        refuse(s, "in an operand of ?: (it may not run)");
        return e;
      }
      return new Expr.Conditional(expr(c.cond(), s, pre), c.then(), c.otherwise(), c.type());
    }
    if (e instanceof Expr.Binary b && (b.op() == BinOp.AND || b.op() == BinOp.OR) && containsUpdate(b.right())) {
      refuse(s, "on the right of " + b.op().symbol() + " (it may not run)");
      return e;
    }
    // operands left to right: rebuild each child in order
    if (e instanceof Expr.Binary b) {
      Expr left = expr(b.left(), s, pre);
      return new Expr.Binary(b.op(), left, expr(b.right(), s, pre), b.type());
    }
    if (e instanceof Expr.Neg n) {
      return new Expr.Neg(expr(n.operand(), s, pre), n.type());
    }
    if (e instanceof Expr.Not n) {
      return new Expr.Not(expr(n.operand(), s, pre));
    }
    if (e instanceof Expr.Cast c) {
      return new Expr.Cast(c.target(), expr(c.operand(), s, pre));
    }
    if (e instanceof ArrayRead a) {
      Expr array = expr(a.array(), s, pre);
      return new ArrayRead(array, expr(a.index(), s, pre), a.type());
    }
    if (e instanceof Expr.Length l) {
      return new Expr.Length(expr(l.array(), s, pre));
    }
    if (e instanceof Expr.Call c) {
      return c.withArgs(all(c.args(), s, pre));
    }
    if (e instanceof Expr.Invoke i) {
      Expr receiver = expr(i.receiver(), s, pre);
      return new Expr.Invoke(i.callee(), receiver, all(i.args(), s, pre), i.pos());
    }
    if (e instanceof Expr.NewArray n) {
      return new Expr.NewArray(n.element(), all(n.dims(), s, pre), n.type());
    }
    refuse(s, "in this expression");
    return e;
  }

  /** Each expression lowered in turn, left to right. */
  private List<Expr> all(List<Expr> es, Stmt s, List<Stmt> pre) {
    List<Expr> out = new ArrayList<>();
    for (Expr x : es) {
      out.add(expr(x, s, pre));
    }
    return out;
  }

  /**
   * Whether each variable (or array) an update writes is neither read nor written anywhere else
   * in the statement; reports the first that is.
   */
  private boolean checkOwnership(Stmt s) {
    List<Update> updates = new ArrayList<>();
    Rewrite.exprs(s, e -> {
      if (e instanceof Update u) {
        updates.add(u);
      }
      return e;
    });
    Map<Var, Integer> writes = new HashMap<>();
    for (Update u : updates) {
      writes.merge(Activity.arrayVar(u.target()), 1, Integer::sum);
    }
    if (s instanceof Stmt.Assign a) {
      writes.merge(a.var(), 1, Integer::sum);
    } else if (s instanceof Stmt.ArrayStore a) {
      writes.merge(Activity.arrayVar(a.target()), 1, Integer::sum);
    } else if (s instanceof Stmt.Declare d) {
      writes.merge(d.var(), 1, Integer::sum);
    }
    // reads outside the updates' own targets and values
    Map<Var, Integer> reads = new HashMap<>();
    Stmt masked = Rewrite.exprs(s, e -> e instanceof Update u ? new Expr.Literal(0, "0", u.type()) : e);
    Rewrite.forEachRead(masked, r -> reads.merge(r.var(), 1, Integer::sum));
    if (s instanceof Stmt.Assign a && a.compound()) {
      reads.merge(a.var(), -1, Integer::sum); // x += ...: its own read
    }
    for (Update u : updates) {
      Var own = Activity.arrayVar(u.target());
      // reads inside other updates count too
      for (Update other : updates) {
        if (other != u) {
          Rewrite.forEachRead(new Stmt.Eval(other.target()), r -> {
            if (r.var() == own) {
              reads.merge(own, 1, Integer::sum);
            }
          });
          Rewrite.forEachRead(new Stmt.Eval(other.value()), r -> {
            if (r.var() == own && !(other.value() instanceof Update)) {
              reads.merge(own, 1, Integer::sum);
            }
          });
        }
      }
      if (writes.get(own) > 1 || reads.getOrDefault(own, 0) > 0) {
        refuse(s, "to '" + own.name() + "', which the statement also " + (writes.get(own) > 1 ? "writes" : "reads")
            + " elsewhere,");
        return false;
      }
    }
    return true;
  }

  /** The source text a statement's generated comment quotes. */
  private static String sourceOf(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return d.source();
    }
    if (s instanceof Stmt.Assign a) {
      return a.source();
    }
    if (s instanceof Stmt.ArrayStore a) {
      return a.source();
    }
    if (s instanceof Stmt.Return r) {
      return r.source();
    }
    if (s instanceof Stmt.If i) {
      return i.source();
    }
    if (s instanceof Stmt.Effect e) {
      return e.source();
    }
    return s instanceof Stmt.Throw t ? t.source() : null;
  }

  private String temp(String base) {
    int n = temps.merge(base, 1, Integer::sum);
    return n == 1 ? base : base + n;
  }

  private void refuse(Stmt s, String where) {
    if (ok) {
      reporter.report(Diag.ASSIGN_IN_EXPRESSION, s.pos(), where);
    }
    ok = false;
  }

  private static boolean hasUpdate(Stmt s) {
    boolean[] any = {false};
    Rewrite.exprs(s, e -> {
      any[0] |= e instanceof Update;
      return e;
    });
    return any[0];
  }

  private static boolean containsUpdate(Expr e) {
    boolean[] any = {false};
    Rewrite.bottomUp(e, x -> {
      any[0] |= x instanceof Update;
      return x;
    });
    return any[0];
  }
}
