package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.Neg;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.Rules;
import dev.adjoint.processor.rules.ScalarRule;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Activity analysis: a value is <em>varied</em> if it depends differentiably on a parameter in
 * {@code wrt}, and <em>useful</em> if the result depends differentiably on it. Only values that are
 * both get adjoint code; everything else (int counters, constants, dead code) is left alone.
 */
public final class Activity {
  private final Set<VarVersion> varied = new HashSet<>();
  private final Set<VarVersion> useful = new HashSet<>();

  private Activity() {}

  public static Activity run(Method method, Versioning.Result versions) {
    Activity a = new Activity();
    for (Var p : method.wrt()) {
      a.varied.add(new VarVersion(p, 0));
    }
    List<Stmt> body = versions.body();
    for (int i = 0; i < body.size(); i++) {
      Stmt s = body.get(i);
      VarVersion target = target(s, versions.definedVersions().get(i));
      Expr value = value(s);
      if (target != null && value != null && target.var().type().isFloating() && a.isVaried(value)) {
        a.varied.add(target);
      }
    }
    for (int i = body.size() - 1; i >= 0; i--) {
      Stmt s = body.get(i);
      VarVersion target = target(s, versions.definedVersions().get(i));
      if (s instanceof Stmt.Return r || target != null && a.isActive(target)) {
        Expr value = value(s);
        if (value != null) {
          a.forEachActiveRead(value, r -> a.useful.add(new VarVersion(r.var(), r.version())));
        }
      }
    }
    return a;
  }

  /** The value a declaration or assignment defines (null for a bare declaration). */
  public static VarVersion target(Stmt s, int definedVersion) {
    if (s instanceof Stmt.Declare d) {
      return new VarVersion(d.var(), 0);
    }
    if (s instanceof Stmt.Assign a) {
      return new VarVersion(a.var(), definedVersion);
    }
    return null;
  }

  private static Expr value(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return d.init();
    }
    if (s instanceof Stmt.Assign a) {
      return a.value();
    }
    if (s instanceof Stmt.Return r) {
      return r.value();
    }
    return null;
  }

  /** Varied and useful: this value needs an adjoint. */
  public boolean isActive(VarVersion v) {
    return varied.contains(v) && useful.contains(v);
  }

  public boolean isUseful(VarVersion v) {
    return useful.contains(v);
  }

  /** Whether the expression's value depends differentiably on a differentiated parameter. */
  public boolean isVaried(Expr e) {
    if (!e.type().isFloating()) {
      return false;
    }
    if (e instanceof Read r) {
      return varied.contains(new VarVersion(r.var(), r.version()));
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
      ScalarRule rule = Rules.lookup(c.name(), c.args().size()).orElseThrow();
      return !rule.hasZeroDerivative() && c.args().stream().anyMatch(this::isVaried);
    }
    if (e instanceof Conditional c) {
      return isVaried(c.then()) || isVaried(c.otherwise());
    }
    return false; // literals and fields are constants
  }

  /** Calls {@code action} for every read through which a derivative can flow. */
  public void forEachActiveRead(Expr e, Consumer<Read> action) {
    if (!isVaried(e)) {
      return;
    }
    if (e instanceof Read r) {
      action.accept(r);
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
    }
  }
}
