package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.Invoke;
import dev.adjoint.processor.ir.Expr.Neg;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.Rules;
import dev.adjoint.processor.rules.Registry;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Activity analysis: a variable is <em>varied</em> if some value it holds depends differentiably
 * on a parameter in {@code wrt}, and <em>useful</em> if the result depends differentiably on some
 * value it holds. Only variables that are both get adjoint code; int counters, constants and dead
 * code are left alone. The analysis is per variable, not per program point (an array counts as
 * one variable), which over-approximates: it can add adjoint code that adds zero, never drop code
 * that adds something.
 */
public final class Activity {
  private final Set<Var> varied = new HashSet<>();
  private final Set<Var> useful = new HashSet<>();

  private Activity() {}

  /**
   * @param body the structured body
   * @param result the variable that holds the result (null when the body ends in a return)
   */
  public static Activity run(List<Var> wrt, List<Stmt> body, Var result) {
    Activity a = new Activity();
    a.varied.addAll(wrt);
    boolean changed = true;
    while (changed) {
      changed = a.forward(body);
    }
    if (result != null) {
      a.useful.add(result);
    }
    changed = true;
    while (changed) {
      changed = a.backward(body);
    }
    return a;
  }

  private boolean forward(List<Stmt> block) {
    boolean changed = false;
    for (Stmt s : block) {
      Var target = target(s);
      Expr value = value(s);
      if (target != null && value != null && carriesGradient(target) && isVaried(value)) {
        changed |= varied.add(target);
      }
      for (List<Stmt> inner : dev.adjoint.processor.ir.Rewrite.children(s)) {
        changed |= forward(inner);
      }
    }
    return changed;
  }

  private boolean backward(List<Stmt> block) {
    boolean changed = false;
    for (Stmt s : block) {
      Var target = target(s);
      Expr value = value(s);
      if (value != null && (s instanceof Stmt.Return || target != null && isActive(target))) {
        int before = useful.size();
        forEachActiveRead(value, r -> useful.add(r.var()));
        changed |= useful.size() != before;
      }
      for (List<Stmt> inner : dev.adjoint.processor.ir.Rewrite.children(s)) {
        changed |= backward(inner);
      }
    }
    return changed;
  }

  private static boolean carriesGradient(Var v) {
    return dev.adjoint.processor.ir.Type.carriesGradient(v.type());
  }

  /** The variable a statement writes (the array, for an element write), or null. */
  public static Var target(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return d.var();
    }
    if (s instanceof Stmt.Assign a) {
      return a.var();
    }
    if (s instanceof Stmt.ArrayStore a) {
      return arrayVar(a.target());
    }
    return null;
  }

  /** The variable an array expression (a variable, or a row of one) reads. */
  public static Var arrayVar(Expr array) {
    Expr e = array;
    while (e instanceof ArrayRead r) {
      e = r.array();
    }
    return ((Read) e).var();
  }

  private static Expr value(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return d.init();
    }
    if (s instanceof Stmt.Assign a) {
      return a.value();
    }
    if (s instanceof Stmt.ArrayStore a) {
      return a.value();
    }
    if (s instanceof Stmt.Return r) {
      return r.value();
    }
    return null;
  }

  /** Varied and useful: this variable needs an adjoint. */
  public boolean isActive(Var v) {
    return varied.contains(v) && useful.contains(v);
  }

  public boolean isUseful(Var v) {
    return useful.contains(v);
  }

  /** Whether the expression's value depends differentiably on a differentiated parameter. */
  public boolean isVaried(Expr e) {
    if (e instanceof Read r && !(r.type() instanceof dev.adjoint.processor.ir.Prim)) {
      return varied.contains(r.var()); // arrays and tensors
    }
    if (e instanceof Expr.Op o) {
      List<Expr> in = o.inputs();
      for (int k = 0; k < in.size(); k++) {
        if (o.rules().get(k) != null && isVaried(in.get(k))) {
          return true;
        }
      }
      return false;
    }
    if (e instanceof ArrayRead r) {
      Expr base = r;
      while (base instanceof ArrayRead inner) {
        base = inner.array();
      }
      return base instanceof Read && varied.contains(arrayVar(r)); // a static table is a constant
    }
    if (e instanceof Conditional c && !(e.type() instanceof dev.adjoint.processor.ir.Prim)) {
      return isVaried(c.then()) || isVaried(c.otherwise()); // a choice between two tensors
    }
    if (e instanceof Invoke i) {
      if (i.callee().readsModel()) {
        return true; // it reads the model's parameters
      }
      for (int k = 0; k < i.args().size(); k++) {
        if (i.callee().partials().get(k) != null && isVaried(i.args().get(k))) {
          return true;
        }
      }
      return false;
    }
    if (!e.type().isFloating()) {
      return false;
    }
    if (e instanceof Read r) {
      return varied.contains(r.var());
    }
    if (e instanceof Neg n) {
      return isVaried(n.operand());
    }
    if (e instanceof Binary b) {
      return b.op().isArithmetic() && (isVaried(b.left()) || isVaried(b.right()));
    }
    if (e instanceof Cast c) {
      return isVaried(c.operand());
    }
    if (e instanceof Call c) {
      // without a rule, a plain call (a number from bits: BitReinterpretation refuses the varying
      // ones; a getter of an object that carries no derivative): its value does not vary
      Optional<Registry.Entry> rule = Registry.function(c);
      boolean source = Rules.isMathClass(c.owner().qualifiedName())
          || rule.isPresent() && rule.get().kind() == Registry.Kind.LIBRARY;
      return source && rule.isPresent() && !rule.get().isZero() && c.args().stream().anyMatch(this::isVaried);
    }
    if (e instanceof Conditional c) {
      return isVaried(c.then()) || isVaried(c.otherwise());
    }
    return false; // literals and fields are constants
  }

  /**
   * The arguments of calls that vary but that the callee has no derivative for: each is a
   * gradient that would silently be lost, so the processor reports them.
   */
  public void forEachUndifferentiatedArgument(Expr e, java.util.function.BiConsumer<Invoke, Integer> action) {
    dev.adjoint.processor.ir.Rewrite.bottomUp(e, x -> {
      if (x instanceof Invoke i) {
        for (int k = 0; k < i.args().size(); k++) {
          Callee.Partial p = i.callee().partials().get(k);
          if (p == null && isVaried(i.args().get(k))) {
            action.accept(i, k);
          }
        }
      }
      return x;
    });
  }

  /**
   * The inputs of runtime ops that vary but have no reverse rule (other than masks, factories and
   * shapes, whose derivative is zero): each is a gradient that would silently be lost.
   */
  public void forEachInputWithoutRule(Expr e, java.util.function.BiConsumer<Expr.Op, Integer> action) {
    dev.adjoint.processor.ir.Rewrite.bottomUp(e, x -> {
      if (x instanceof Expr.Op o && !Rules.isZeroDerivativeOp(o.owner().qualifiedName(), o.name())) {
        List<Expr> in = o.inputs();
        for (int k = 0; k < in.size(); k++) {
          if (o.rules().get(k) == null && dev.adjoint.processor.ir.Type.carriesGradient(in.get(k).type())
              && isVaried(in.get(k))) {
            action.accept(o, k);
          }
        }
      }
      return x;
    });
  }

  /** Calls {@code action} for every read through which a derivative can flow. */
  public void forEachActiveRead(Expr e, Consumer<Read> action) {
    if (!isVaried(e)) {
      return;
    }
    if (e instanceof Read r) {
      action.accept(r);
    } else if (e instanceof ArrayRead r) {
      forEachActiveRead(r.array(), action);
    } else if (e instanceof Neg n) {
      forEachActiveRead(n.operand(), action);
    } else if (e instanceof Binary b) {
      forEachActiveRead(b.left(), action);
      forEachActiveRead(b.right(), action);
    } else if (e instanceof Cast c) {
      forEachActiveRead(c.operand(), action);
    } else if (e instanceof Call c) {
      c.args().forEach(a -> forEachActiveRead(a, action));
    } else if (e instanceof Conditional c) {
      forEachActiveRead(c.then(), action);
      forEachActiveRead(c.otherwise(), action);
    } else if (e instanceof Invoke i) {
      for (int k = 0; k < i.args().size(); k++) {
        if (i.callee().partials().get(k) != null) {
          forEachActiveRead(i.args().get(k), action);
        }
      }
    } else if (e instanceof Expr.Op o) {
      List<Expr> in = o.inputs();
      for (int k = 0; k < in.size(); k++) {
        if (o.rules().get(k) != null) {
          forEachActiveRead(in.get(k), action);
        }
      }
    }
  }
}
