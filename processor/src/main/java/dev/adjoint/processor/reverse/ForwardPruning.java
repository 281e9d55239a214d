package dev.adjoint.processor.reverse;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.Rules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The forward sweep that a pullback needs when its caller does not want the value: only the
 * statements whose results the reverse sweep (or another kept statement) reads. In {@code dot(w, x)}
 * nothing is left, since the reverse sweep reads only w and x. Liveness is per variable and
 * ignores order, which keeps too much, never too little; statements with effects (tape pushes,
 * calls of user methods, array writes) always stay.
 */
final class ForwardPruning {
  private ForwardPruning() {}

  static List<Stmt> prune(List<Stmt> forward, List<Stmt> reverse) {
    List<Stmt> current = forward;
    while (true) {
      Set<Var> live = new HashSet<>();
      Rewrite.forEachStmt(reverse, s -> readsOf(s, live));
      Rewrite.forEachStmt(current, s -> readsOf(s, live));
      // a write that stays for its effect (a call) keeps its variable declared
      Rewrite.forEachStmt(current, s -> {
        if (s instanceof Stmt.Declare d && d.init() != null && !pure(d.init())) {
          live.add(d.var());
        } else if (s instanceof Stmt.Assign a && !pure(a.value())) {
          live.add(a.var());
        }
      });
      List<Stmt> next = keepLive(current, live);
      if (next.equals(current)) {
        return current;
      }
      current = next;
    }
  }

  /**
   * The variables a statement's own expressions read (not its nested statements', nor its
   * target): {@code s += e} does not keep s alive by itself.
   */
  private static void readsOf(Stmt s, Set<Var> out) {
    Var target = s instanceof Stmt.Declare d ? d.var() : s instanceof Stmt.Assign a ? a.var() : null;
    List<Expr> own = new ArrayList<>();
    if (s instanceof Stmt.Declare d && d.init() != null) {
      own.add(d.init());
    } else if (s instanceof Stmt.Assign a) {
      own.add(a.value());
    } else if (s instanceof Stmt.ArrayStore a) {
      own.add(a.target());
      own.add(a.value());
    } else if (s instanceof Stmt.Eval e) {
      own.add(e.expr());
    } else if (s instanceof Stmt.Effect e) {
      own.add(e.expr());
    } else if (s instanceof Stmt.Throw t) {
      own.addAll(t.holes());
    } else if (s instanceof Stmt.Return r) {
      own.add(r.value());
    } else if (s instanceof Stmt.If i) {
      own.add(i.cond());
    } else if (s instanceof Stmt.Loop l && l.cond() != null) {
      own.add(l.cond());
    }
    own.forEach(e -> Rewrite.forEachRead(e, r -> {
      if (r.var() != target) {
        out.add(r.var());
      }
    }));
  }

  private static List<Stmt> keepLive(List<Stmt> block, Set<Var> live) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block) {
      if (s instanceof Stmt.Declare d && !live.contains(d.var()) && (d.init() == null || pure(d.init()))
          || s instanceof Stmt.Assign a && !live.contains(a.var()) && pure(a.value())) {
        continue;
      }
      if (s instanceof Stmt.Loop l) {
        List<Stmt> body = keepLive(l.body(), live);
        if (body.isEmpty() && (l.cond() == null || pure(l.cond())) && l.update().stream().allMatch(u -> removable(u, live))
            && l.init().stream().allMatch(u -> removable(u, live) || u instanceof Stmt.Declare d && pure(d.init()))) {
          continue; // nothing left to run: the loop only counted
        }
        out.add(new Stmt.Loop(l.init(), l.cond(), l.update(), body, l.testFirst(), l.pos(), l.source()));
      } else if (s instanceof Stmt.If i) {
        List<Stmt> then = keepLive(i.then(), live);
        List<Stmt> otherwise = keepLive(i.otherwise(), live);
        if (then.isEmpty() && otherwise.isEmpty() && pure(i.cond())) {
          continue;
        }
        out.add(new Stmt.If(i.cond(), then, otherwise, i.pos(), i.source()));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * The block with whatever follows a {@code throw} in the same block dropped, at every depth:
   * bookkeeping added after a branch's statements (a decision pushed on a tape) never runs there,
   * and javac rejects it as unreachable.
   */
  static List<Stmt> endAtThrows(List<Stmt> block) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block) {
      out.add(Rewrite.withBlocks(s, ForwardPruning::endAtThrows));
      if (s instanceof Stmt.Throw) {
        break;
      }
    }
    return out;
  }

  /** A loop's own update or init statement that only moves its index. */
  private static boolean removable(Stmt s, Set<Var> live) {
    return s instanceof Stmt.Assign a && pure(a.value()) || s instanceof Stmt.Declare d && !live.contains(d.var());
  }

  /** No effect but its value: arithmetic, reads, Math functions, new arrays. */
  static boolean pure(Expr e) {
    boolean[] ok = {true};
    Rewrite.bottomUp(e, x -> {
      ok[0] &= x instanceof Expr.Literal || x instanceof Expr.Read || x instanceof Expr.ArrayRead
          || x instanceof Expr.Length || x instanceof Expr.Binary || x instanceof Expr.Neg || x instanceof Expr.Not
          || x instanceof Expr.Cast || x instanceof Expr.Conditional || x instanceof Expr.NewArray
          || x instanceof Expr.FieldRead
          || x instanceof Expr.Call c && Rules.isMathClass(c.owner().qualifiedName());
      return x;
    });
    return ok[0];
  }
}
