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
    List<List<Stmt>> unread = pruneUnread(blocks, roots);
    Set<Var> candidates = candidates(unread);
    // a declaration stays where the variable is also assigned: the assignments need it in scope
    Set<Var> assigned = new HashSet<>();
    for (List<Stmt> b : unread) {
      Rewrite.forEachStmt(b, s -> {
        if (s instanceof Stmt.Assign a) {
          assigned.add(a.var());
        } else if (s instanceof Stmt.ArrayStore a && base(a.target()) != null) {
          assigned.add(base(a.target()));
        }
      });
    }
    Set<Var> live = new HashSet<>();
    roots.forEach(e -> Rewrite.forEachRead(e, r -> live.add(r.var())));
    List<List<Stmt>> out = new ArrayList<>(unread);
    // the blocks run one after the other: the last first, its live-in the live-out of the one before
    for (int b = unread.size() - 1; b >= 0; b--) {
      Flow f = new Flow(candidates, assigned, true);
      out.set(b, f.block(unread.get(b), live));
      live.clear();
      live.addAll(f.liveIn);
    }
    return out;
  }

  /**
   * Locals declared in the blocks whose stores may go: an array that may share storage with another
   * (a row view) is written through, never dead, so arrays only when fresh.
   */
  private static Set<Var> candidates(List<List<Stmt>> blocks) {
    Set<Var> declared = new HashSet<>();
    Set<Var> aliases = new HashSet<>();
    for (List<Stmt> b : blocks) {
      Rewrite.forEachStmt(b, s -> {
        if (s instanceof Stmt.Declare d && d.var().kind() != Var.Kind.PARAMETER) {
          declared.add(d.var());
        }
        if (s instanceof Stmt.Declare d && d.var().type() instanceof ArrayType && !fresh(d.init())) {
          aliases.add(d.var());
        }
        if (s instanceof Stmt.Assign a && a.var().type() instanceof ArrayType && !fresh(a.value())) {
          aliases.add(a.var());
        }
      });
    }
    declared.removeAll(aliases);
    return declared;
  }

  /**
   * Backward liveness over structured code: a store into a candidate that no later statement reads
   * before the next store (a value the reverse sweep recomputes for itself, a tangent only the forward
   * sweep would have used) is removed. Loops iterate to a fixed point before anything is removed.
   */
  private static final class Flow {
    private final Set<Var> candidates;
    private final Set<Var> assigned;
    private final boolean remove;
    Set<Var> liveIn;

    Flow(Set<Var> candidates, Set<Var> assigned, boolean remove) {
      this.candidates = candidates;
      this.assigned = assigned;
      this.remove = remove;
    }

    /** The block with its dead stores removed (if {@code remove}); sets {@link #liveIn}. */
    List<Stmt> block(List<Stmt> block, Set<Var> liveOut) {
      Set<Var> live = new HashSet<>(liveOut);
      List<Stmt> out = new ArrayList<>();
      for (int i = block.size() - 1; i >= 0; i--) {
        Stmt s = stmt(block.get(i), live);
        if (s != null) {
          out.add(0, s);
        }
      }
      liveIn = live;
      return out;
    }

    /** The statement (null when removed), with {@code live} updated from after it to before it. */
    private Stmt stmt(Stmt s, Set<Var> live) {
      if (s instanceof Stmt.Declare d) {
        if (remove && candidates.contains(d.var()) && !assigned.contains(d.var()) && !live.contains(d.var())
            && (d.init() == null || pure(d.init()))) {
          return null;
        }
        live.remove(d.var());
        if (d.init() != null) {
          reads(d.init(), live);
        }
        return s;
      }
      if (s instanceof Stmt.Assign a) {
        if (remove && candidates.contains(a.var()) && !live.contains(a.var()) && pure(a.value())) {
          return null;
        }
        if (!a.compound()) {
          live.remove(a.var());
        } else {
          live.add(a.var());
        }
        reads(a.value(), live);
        return s;
      }
      if (s instanceof Stmt.ArrayStore a) {
        Expr t = a.target();
        boolean pureIndexes = true;
        while (t instanceof Expr.ArrayRead r) {
          pureIndexes &= pure(r.index());
          t = r.array();
        }
        if (remove && t instanceof Expr.Read base && candidates.contains(base.var()) && !live.contains(base.var())
            && pureIndexes && pure(a.value())) {
          return null;
        }
        // an element store kills nothing: the rest of the array is still live
        reads(a.target(), live);
        reads(a.value(), live);
        return s;
      }
      if (s instanceof Stmt.If i) {
        Set<Var> after = new HashSet<>(live);
        List<Stmt> then = block(i.then(), after);
        Set<Var> thenIn = liveIn;
        List<Stmt> otherwise = block(i.otherwise(), after);
        live.clear();
        live.addAll(thenIn);
        live.addAll(liveIn);
        reads(i.cond(), live);
        return new Stmt.If(i.cond(), then, otherwise, i.pos(), i.source());
      }
      if (s instanceof Stmt.Loop l) {
        // what is live at the head: after the loop, the condition, and what the body and update read
        Set<Var> head = new HashSet<>(live);
        if (l.cond() != null) {
          reads(l.cond(), head);
        }
        Flow dry = new Flow(candidates, assigned, false);
        while (true) {
          List<Stmt> iteration = new ArrayList<>(l.body());
          iteration.addAll(l.update());
          dry.block(iteration, head);
          Set<Var> next = new HashSet<>(head);
          next.addAll(dry.liveIn);
          if (next.equals(head)) {
            break;
          }
          head = next;
        }
        List<Stmt> update = block(l.update(), head);
        List<Stmt> body = block(l.body(), liveIn);
        Set<Var> bodyIn = new HashSet<>(liveIn);
        bodyIn.addAll(head);
        List<Stmt> init = block(l.init(), bodyIn);
        live.clear();
        live.addAll(liveIn);
        return new Stmt.Loop(init, l.cond(), update, body, l.testFirst(), l.pos(), l.source());
      }
      if (s instanceof Stmt.Breakable b) {
        Set<Var> after = new HashSet<>(live);
        List<Stmt> body = block(b.body(), after);
        live.addAll(liveIn);
        return new Stmt.Breakable(body, b.label(), b.pos(), b.source());
      }
      // calls for effect, tape operations, throws, returns, comments: kept, and they read what they read
      Rewrite.forEachRead(s, r -> live.add(r.var()));
      return s;
    }

    private static void reads(Expr e, Set<Var> live) {
      Rewrite.forEachRead(e, r -> live.add(r.var()));
    }
  }

  /** The blocks without stores into locals that are read nowhere but in their own updates. */
  static List<List<Stmt>> pruneUnread(List<List<Stmt>> blocks, List<Expr> roots) {
    List<List<Stmt>> current = blocks;
    while (true) {
      Set<Var> declared = candidates(current);
      Set<Var> read = new HashSet<>();
      roots.forEach(e -> Rewrite.forEachRead(e, r -> read.add(r.var())));
      for (List<Stmt> b : current) {
        Rewrite.forEachStmt(b, s -> collectReads(s, read));
      }
      Set<Var> dead = new HashSet<>(declared);
      dead.removeAll(read);
      // a store whose value has an effect stays, and so must the variable it stores into
      for (List<Stmt> b : current) {
        Rewrite.forEachStmt(b, s -> {
          if (s instanceof Stmt.Assign a && !pure(a.value())) {
            dead.remove(a.var());
          } else if (s instanceof Stmt.ArrayStore a && base(a.target()) != null
              && !(pure(a.value()) && pure(a.target()))) {
            dead.remove(base(a.target()));
          } else if (s instanceof Stmt.Declare d && d.init() != null && !pure(d.init())) {
            dead.remove(d.var());
          }
        });
      }
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

  /** The variable an element store writes into, or null. */
  private static Var base(Expr target) {
    Expr t = target;
    while (t instanceof Expr.ArrayRead r) {
      t = r.array();
    }
    return t instanceof Expr.Read r ? r.var() : null;
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
