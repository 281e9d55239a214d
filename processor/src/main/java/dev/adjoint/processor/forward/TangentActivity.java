package dev.adjoint.processor.forward;

import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.Registry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which variables carry a tangent: those whose value can depend on the differentiated inputs.
 * Flow-insensitive, to a fixed point, so it holds for any order in which loops and branches run:
 * a variable is active if any assignment to it reads an active value; an array if any element
 * written into it is; an array and every array it aliases ({@code double[] row = m[i]}) share
 * their fate, since they share their storage; a tape is active if anything active is pushed on it,
 * and then everything popped from it is active.
 */
final class TangentActivity {
  private final Set<Var> active = new HashSet<>();

  private TangentActivity(Collection<Var> seeds) {
    active.addAll(seeds);
  }

  static TangentActivity run(List<Stmt> body, Collection<Var> seeds) {
    TangentActivity a = new TangentActivity(seeds);
    int before;
    do {
      before = a.active.size();
      a.scan(body);
    } while (a.active.size() != before);
    return a;
  }

  /** Marks a local the transform made for an active value. */
  void assume(Var v) {
    active.add(v);
  }

  boolean isActive(Var v) {
    return active.contains(v);
  }

  /** Whether the expression's value can depend on the inputs. */
  boolean varies(Expr e) {
    if (e instanceof Read r) {
      return active.contains(r.var());
    }
    if (e instanceof Expr.Call c && c.type() instanceof dev.adjoint.processor.ir.RefType t
        && !t.qualifiedName().equals("java.lang.Void") && !t.simpleNames().get(0).endsWith("Stack")) {
      // a call that returns an object (a generated record): varies with its arguments, so that
      // anything read from it without a tangent rule is refused, never silently constant
      return c.args().stream().anyMatch(this::varies);
    }
    if (!Type.carriesGradient(e.type())) {
      return false;
    }
    if (e instanceof ArrayRead a) {
      return varies(a.array());
    }
    if (e instanceof Expr.Neg n) {
      return varies(n.operand());
    }
    if (e instanceof Expr.Cast c) {
      return varies(c.operand());
    }
    if (e instanceof Expr.Binary b) {
      return varies(b.left()) || varies(b.right());
    }
    if (e instanceof Expr.Conditional c) {
      return varies(c.then()) || varies(c.otherwise());
    }
    if (e instanceof Expr.Call c) {
      if (Registry.function(c).map(Registry.Entry::isZero).orElse(false)) {
        return false;
      }
      return c.args().stream().anyMatch(this::varies);
    }
    if (e instanceof Expr.Invoke i) {
      for (int k = 0; k < i.args().size(); k++) {
        if (i.callee().partials().get(k) != null && varies(i.args().get(k))) {
          return true;
        }
      }
      return i.callee().readsModel();
    }
    if (e instanceof Expr.Op o) {
      // a mask, a factory, a shape has no derivative; any other op varies with its inputs (an input
      // without a forward rule is then refused, never dropped)
      return !dev.adjoint.processor.rules.Rules.isZeroDerivativeOp(o.owner().qualifiedName(), o.name())
          && o.inputs().stream().anyMatch(this::varies);
    }
    if (e instanceof Expr.MethodCall m) {
      return m.receiver() != null && varies(m.receiver());
    }
    return false; // literals, constants, lengths, fresh arrays
  }

  private void scan(List<Stmt> block) {
    for (Stmt s : block) {
      if (s instanceof Stmt.Declare d && d.init() != null) {
        assign(d.var(), d.init());
      } else if (s instanceof Stmt.Assign a) {
        assign(a.var(), a.value());
      } else if (s instanceof Stmt.ArrayStore st) {
        if (varies(st.value())) {
          active.add(base(st.target()));
        }
      } else if (s instanceof Stmt.Eval ev) {
        effect(ev.expr());
      } else if (s instanceof Stmt.Return r) {
        varies(r.value());
      }
      for (List<Stmt> inner : dev.adjoint.processor.ir.Rewrite.children(s)) {
        scan(inner);
      }
    }
  }

  private void assign(Var v, Expr value) {
    if (varies(value) && (Type.carriesGradient(v.type()) || v.type() instanceof dev.adjoint.processor.ir.RefType)) {
      active.add(v);
    }
    if (v.type() instanceof ArrayType) {
      for (Var alias : aliases(value)) {
        if (active.contains(v) || active.contains(alias)) {
          active.add(v);
          active.add(alias);
        }
      }
    }
  }

  /** Pushes on a tape, and the runtime's in-place array rules ({@code ArrayRules.addScaled(acc, g, d)}). */
  private void effect(Expr e) {
    if (e instanceof Expr.MethodCall m && m.receiver() instanceof Read tape
        && (m.name().equals("push") || m.name().equals("pushAll"))
        && m.args().stream().anyMatch(this::varies)) {
      active.add(tape.var());
    } else if (e instanceof Expr.Call c && c.owner().simpleNames().get(0).equals("ArrayRules")
        && (c.name().equals("add") || c.name().equals("addScaled"))
        && c.args().subList(1, c.args().size()).stream().anyMatch(this::varies)) {
      active.add(base(c.args().get(0)));
    }
  }

  /** The variable whose storage an array-valued expression is (or may be), for aliasing. */
  static List<Var> aliases(Expr e) {
    List<Var> out = new ArrayList<>();
    if (e instanceof Read r && r.type() instanceof ArrayType) {
      out.add(r.var());
    } else if (e instanceof ArrayRead a && a.type() instanceof ArrayType) {
      out.add(base(a));
    } else if (e instanceof Expr.Conditional c) {
      out.addAll(aliases(c.then()));
      out.addAll(aliases(c.otherwise()));
    }
    return out;
  }

  static Var base(Expr array) {
    Expr e = array;
    while (e instanceof ArrayRead r) {
      e = r.array();
    }
    if (e instanceof Read r) {
      return r.var();
    }
    throw new Unsupported("writing into an array that is not a variable", null);
  }

  /** Whether the callee's parameter {@code k} has a generated gradient (so its Jvp takes a tangent). */
  static boolean hasTangentParameter(Callee c, int k) {
    return c.partials().get(k) instanceof Callee.FromGradient;
  }
}
