package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Not;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites {@code break}, {@code continue} and early {@code return} into boolean flags and guards,
 * so that every loop and branch has one entry and one exit. The reverse sweep of such code is a
 * mirror image: each branch reversed where it was taken, each loop run backwards as many times as
 * it ran forwards. A method whose only return is its last statement is left as it is.
 *
 * <p>The result holds no {@link Stmt.Break}, {@link Stmt.Continue} or {@link Stmt.Breakable};
 * it holds a {@link Stmt.Return} only as the last top-level statement, and otherwise assigns the
 * result to {@link Result#value()}.
 */
public final class Structurize {
  /**
   * The rewritten body; {@code value} is the variable that holds the result when returns were
   * rewritten into assignments (it is declared, as 0, by the body's first statement), else null.
   */
  public record Result(List<Stmt> body, Var value) {}

  /** What a break or continue leaves: a loop, or a switch (which only break leaves). */
  private static final class Target {
    final boolean isLoop;
    /** The statement's label, or null. */
    final String label;
    Var broke;
    Var continued;

    Target(boolean isLoop, String label) {
      this.isLoop = isLoop;
      this.label = label;
    }

    /** {@code broke}, {@code continued}; {@code brokeOuter}, {@code continuedOuter} for a labelled one. */
    Var flag(String kind) {
      String suffix = label == null ? "" : Character.toUpperCase(label.charAt(0)) + label.substring(1);
      return new Var(kind + suffix, Prim.BOOLEAN, Var.Kind.SYNTHETIC);
    }
  }

  /** A labelled loop, while its body is rewritten: the label its target takes. */
  private String pendingLabel;

  private final Var value;
  private Var returned;
  private final List<Target> targets = new ArrayList<>();

  private Structurize(Var value) {
    this.value = value;
  }

  public static Result run(Method method) {
    List<Stmt> body = method.body();
    if (!needsFlags(body)) {
      // nothing jumps: a label (checkpoint:, or one no break names) or a switch's block is just its body
      return new Result(unwrapped(body), null);
    }
    Var value = new Var("value", method.resultType(), Var.Kind.SYNTHETIC);
    Structurize s = new Structurize(value);
    List<Stmt> out = new ArrayList<>();
    out.add(new Stmt.Declare(value, value.type() instanceof Prim
        ? new Literal(0, "0", Prim.INT) : new Literal(null, "null", value.type()), Pos.NONE, null));
    out.addAll(s.block(body, new LinkedHashSet<>()));
    if (s.returned != null) {
      out.add(1, new Stmt.Declare(s.returned, falseLiteral(), Pos.NONE, null));
    }
    return new Result(out, value);
  }

  private static List<Stmt> unwrapped(List<Stmt> block) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block) {
      if (s instanceof Stmt.Breakable b) {
        out.addAll(unwrapped(b.body()));
      } else {
        out.add(Rewrite.withBlocks(s, Structurize::unwrapped));
      }
    }
    return out;
  }

  /** Whether anything but a single final top-level return changes the flow of control. */
  private static boolean needsFlags(List<Stmt> body) {
    for (int i = 0; i < body.size(); i++) {
      Stmt s = body.get(i);
      if (s instanceof Stmt.Return) {
        if (i != body.size() - 1) {
          return true;
        }
      } else if (jumps(s)) {
        return true;
      }
    }
    return false;
  }

  private static boolean jumps(Stmt s) {
    if (s instanceof Stmt.Return || s instanceof Stmt.Break || s instanceof Stmt.Continue) {
      return true;
    }
    if (s instanceof Stmt.Breakable b) {
      return b.body().stream().anyMatch(Structurize::jumps);
    }
    if (s instanceof Stmt.If i) {
      return i.then().stream().anyMatch(Structurize::jumps) || i.otherwise().stream().anyMatch(Structurize::jumps);
    }
    if (s instanceof Stmt.Loop l) {
      return l.body().stream().anyMatch(Structurize::jumps);
    }
    return false;
  }

  /**
   * Rewrites a block; {@code exits} receives the flags that the block may set (so the statements
   * after it must be guarded by their negation).
   */
  private List<Stmt> block(List<Stmt> in, Set<Var> exits) {
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      Set<Var> mine = new LinkedHashSet<>();
      out.addAll(stmt(in.get(i), mine));
      exits.addAll(mine);
      if (!mine.isEmpty() && i + 1 < in.size()) {
        List<Stmt> rest = block(in.subList(i + 1, in.size()), exits);
        if (!rest.isEmpty()) {
          out.add(new Stmt.If(noneOf(mine), rest, List.of(), Pos.NONE, null));
        }
        return out;
      }
    }
    return out;
  }

  private List<Stmt> stmt(Stmt s, Set<Var> exits) {
    if (s instanceof Stmt.Return r) {
      if (returned == null) {
        returned = new Var("returned", Prim.BOOLEAN, Var.Kind.SYNTHETIC);
      }
      exits.add(returned);
      return List.of(new Stmt.Assign(value, r.value(), false, r.pos(), r.source()), setTrue(returned));
    }
    if (s instanceof Stmt.Break b) {
      Target t = b.label() == null ? targets.get(targets.size() - 1) : labelled(b.label());
      if (t.broke == null) {
        t.broke = t.flag(t.isLoop ? "broke" : t.label == null ? "leftSwitch" : "left");
      }
      exits.add(t.broke);
      return List.of(setTrue(t.broke));
    }
    if (s instanceof Stmt.Continue c) {
      Target t = c.label() == null ? innermostLoop() : labelled(c.label());
      if (t.continued == null) {
        t.continued = t.flag("continued");
      }
      exits.add(t.continued);
      return List.of(setTrue(t.continued));
    }
    if (s instanceof Stmt.Breakable b && b.label() != null && b.body().size() == 1
        && b.body().get(0) instanceof Stmt.Loop l) {
      pendingLabel = b.label(); // outer: for (...): the loop is the target of break outer and continue outer
      return loop(l, exits);
    }
    if (s instanceof Stmt.If i) {
      return List.of(new Stmt.If(i.cond(), block(i.then(), exits), block(i.otherwise(), exits), i.pos(), i.source()));
    }
    if (s instanceof Stmt.Breakable b) {
      Target t = new Target(false, b.label());
      targets.add(t);
      Set<Var> inner = new LinkedHashSet<>();
      List<Stmt> body = block(b.body(), inner);
      targets.remove(targets.size() - 1);
      List<Stmt> out = new ArrayList<>();
      if (t.broke != null) {
        out.add(new Stmt.Declare(t.broke, falseLiteral(), Pos.NONE, null));
        inner.remove(t.broke);
      }
      out.addAll(body);
      exits.addAll(inner);
      return out;
    }
    if (s instanceof Stmt.Loop l) {
      return loop(l, exits);
    }
    return List.of(s);
  }

  private List<Stmt> loop(Stmt.Loop l, Set<Var> exits) {
    Target t = new Target(true, pendingLabel);
    pendingLabel = null;
    targets.add(t);
    Set<Var> inner = new LinkedHashSet<>();
    List<Stmt> body = new ArrayList<>(block(l.body(), inner));
    targets.remove(targets.size() - 1);
    // leaving the loop: break ends it, return ends it and everything around it, and so does a
    // labelled break or continue of an enclosing statement (which then skips the rest of that one)
    Set<Var> stops = new LinkedHashSet<>();
    if (t.broke != null) {
      stops.add(t.broke);
    }
    for (Var flag : inner) {
      if (flag != t.broke && flag != t.continued) {
        stops.add(flag);
        exits.add(flag);
      }
    }
    List<Stmt> out = new ArrayList<>();
    for (Var flag : new Var[] {t.broke, t.continued}) {
      if (flag != null) {
        out.add(new Stmt.Declare(flag, falseLiteral(), Pos.NONE, null));
      }
    }
    if (t.continued != null) {
      body.add(0, new Stmt.Assign(t.continued, falseLiteral(), false, Pos.NONE, null));
    }
    Expr cond = l.cond();
    List<Stmt> update = l.update();
    if (!stops.isEmpty()) {
      cond = cond == null ? noneOf(stops) : new Binary(BinOp.AND, noneOf(stops), cond, Prim.BOOLEAN);
      if (!update.isEmpty() && !onlyAssignsLoopVariables(l)) {
        // Java skips the update when the body breaks or returns
        update = List.of(new Stmt.If(noneOf(stops), update, List.of(), Pos.NONE, null));
      }
    }
    out.add(new Stmt.Loop(l.init(), cond, update, body, l.testFirst(), l.pos(), l.source()));
    return out;
  }

  /**
   * Whether the update writes only variables declared in the loop's init: they end with the loop,
   * so running the update once more after a break changes nothing anyone can see.
   */
  private static boolean onlyAssignsLoopVariables(Stmt.Loop l) {
    Set<Var> own = new LinkedHashSet<>();
    for (Stmt s : l.init()) {
      if (s instanceof Stmt.Declare d) {
        own.add(d.var());
      }
    }
    return l.update().stream().allMatch(u -> u instanceof Stmt.Assign a && own.contains(a.var()));
  }

  private Target labelled(String label) {
    for (int i = targets.size() - 1; i >= 0; i--) {
      if (label.equals(targets.get(i).label)) {
        return targets.get(i);
      }
    }
    throw new IllegalStateException("no statement labelled " + label);
  }

  private Target innermostLoop() {
    for (int i = targets.size() - 1; i >= 0; i--) {
      if (targets.get(i).isLoop) {
        return targets.get(i);
      }
    }
    throw new IllegalStateException("continue outside a loop");
  }

  /** {@code !a && !b ...}. */
  private static Expr noneOf(Set<Var> flags) {
    Expr e = null;
    for (Var f : flags) {
      Expr not = new Not(new Read(f));
      e = e == null ? not : new Binary(BinOp.AND, e, not, Prim.BOOLEAN);
    }
    return e;
  }

  private static Stmt setTrue(Var flag) {
    return new Stmt.Assign(flag, new Literal(true, "true", Prim.BOOLEAN), false, Pos.NONE, null);
  }

  private static Literal falseLiteral() {
    return new Literal(false, "false", Prim.BOOLEAN);
  }
}
