package dev.adjoint.processor.forward;

import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes the stores into locals that nothing reads from a forward-mode method's sweeps: a
 * Hessian-vector product needs the gradient's tangents, not the gradient itself, nor the tangent
 * of the value, so without this pass {@code mHvp} would also compute (and print) {@code xBar},
 * {@code valueDot} and the recomputed values a tangent does not use.
 *
 * <p>Conservative: only declarations and assignments of locals declared in the sweeps, and element
 * stores into such locals, whose right-hand sides cannot have an effect (no tape pop, no user
 * call) are removed; a variable read anywhere but in its own updates is kept.
 */
final class DeadStores {
  private DeadStores() {}

  /**
   * The blocks without their dead stores; {@code roots} are the expressions read after the blocks
   * (the method's result).
   */
  static List<List<Stmt>> prune(List<List<Stmt>> blocks, List<Expr> roots) {
    List<List<Stmt>> current = blocks;
    while (true) {
      Set<Var> declared = new HashSet<>();
      Set<Var> aliases = new HashSet<>();
      for (List<Stmt> b : current) {
        Rewrite.forEachStmt(b, s -> {
          if (s instanceof Stmt.Declare d && d.var().kind() != Var.Kind.PARAMETER) {
            declared.add(d.var());
          }
          // an array that may share storage with another (a row view) is written through, never dead
          if (s instanceof Stmt.Declare d && d.var().type() instanceof ArrayType && !fresh(d.init())) {
            aliases.add(d.var());
          }
          if (s instanceof Stmt.Assign a && a.var().type() instanceof ArrayType && !fresh(a.value())) {
            aliases.add(a.var());
          }
        });
      }
      declared.removeAll(aliases);
      Set<Var> read = new HashSet<>();
      roots.forEach(e -> Rewrite.forEachRead(e, r -> read.add(r.var())));
      for (List<Stmt> b : current) {
        Rewrite.forEachStmt(b, s -> collectReads(s, read));
      }
      Set<Var> dead = new HashSet<>(declared);
      dead.removeAll(read);
      if (dead.isEmpty()) {
        return current;
      }
      boolean[] changed = {false};
      List<List<Stmt>> next = new ArrayList<>();
      for (List<Stmt> b : current) {
        next.add(without(b, dead, changed));
      }
      if (!changed[0]) {
        return current;
      }
      current = next;
    }
  }

  /** The variables a statement reads, not counting the array an element store writes into. */
  private static void collectReads(Stmt s, Set<Var> read) {
    if (s instanceof Stmt.ArrayStore a) {
      Expr target = a.target();
      while (target instanceof Expr.ArrayRead r) {
        Rewrite.forEachRead(r.index(), x -> read.add(x.var()));
        target = r.array();
      }
      if (!(target instanceof Expr.Read base)) {
        Rewrite.forEachRead(target, x -> read.add(x.var()));
        Rewrite.forEachRead(a.value(), x -> read.add(x.var()));
      } else {
        readsBut(a.value(), base.var(), read);
      }
      return;
    }
    if (s instanceof Stmt.Assign a) {
      readsBut(a.value(), a.var(), read);
      return;
    }
    if (!Rewrite.children(s).isEmpty()) {
      // a compound statement's own expressions (conditions, loop headers); its blocks are visited apart
      Stmt shell = Rewrite.withBlocks(s, b -> List.of());
      if (shell instanceof Stmt.Loop l) {
        l.init().forEach(x -> collectReads(x, read));
        l.update().forEach(x -> collectReads(x, read));
        if (l.cond() != null) {
          Rewrite.forEachRead(l.cond(), x -> read.add(x.var()));
        }
      } else {
        Rewrite.forEachRead(shell, x -> read.add(x.var()));
      }
      return;
    }
    Rewrite.forEachRead(s, x -> read.add(x.var()));
  }

  /** The reads of {@code e} but those of {@code self}: a variable's own update does not keep it alive. */
  private static void readsBut(Expr e, Var self, Set<Var> read) {
    Rewrite.forEachRead(e, x -> {
      if (x.var() != self) {
        read.add(x.var());
      }
    });
  }

  private static List<Stmt> without(List<Stmt> block, Set<Var> dead, boolean[] changed) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block) {
      if (isDeadStore(s, dead)) {
        changed[0] = true;
        continue;
      }
      out.add(Rewrite.withBlocks(s, b -> without(b, dead, changed)));
    }
    return out;
  }

  private static boolean isDeadStore(Stmt s, Set<Var> dead) {
    if (s instanceof Stmt.Declare d) {
      return dead.contains(d.var()) && (d.init() == null || pure(d.init()));
    }
    if (s instanceof Stmt.Assign a) {
      return dead.contains(a.var()) && pure(a.value());
    }
    if (s instanceof Stmt.ArrayStore a) {
      Expr target = a.target();
      while (target instanceof Expr.ArrayRead r) {
        if (!pure(r.index())) {
          return false;
        }
        target = r.array();
      }
      return target instanceof Expr.Read r && dead.contains(r.var()) && pure(a.value());
    }
    return false;
  }

  /** A new array, shared with nothing. */
  private static boolean fresh(Expr init) {
    return init == null || init instanceof Expr.NewArray
        || init instanceof Expr.Call c && c.owner().equals(Tangents.ARRAY_RULES)
            && (c.name().equals("zerosLike") || c.name().equals("copy"));
  }

  /** No effect when evaluated: no tape operation, user call, tensor op, increment or allocation of an object. */
  private static boolean pure(Expr e) {
    boolean[] impure = {false};
    Rewrite.bottomUp(e, x -> {
      if (x instanceof Expr.MethodCall || x instanceof Expr.Invoke || x instanceof Expr.Op
          || x instanceof Expr.Update || x instanceof Expr.New) {
        impure[0] = true;
      }
      return x;
    });
    return !impure[0];
  }
}
