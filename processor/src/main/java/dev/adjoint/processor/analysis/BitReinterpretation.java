package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses a floating-point value rebuilt from the bits of a varying one, which would otherwise be a
 * silently zero derivative. The rule:
 *
 * <ul>
 *   <li>a <em>bits value</em> is an integer computed ({@code =}, through any integer arithmetic,
 *       shifts and masks, and integer variables) from {@code Double.doubleToRawLongBits},
 *       {@code Double.doubleToLongBits}, {@code Float.floatToIntBits} or
 *       {@code Float.floatToRawIntBits} of a varied value (see {@link Activity});
 *   <li>a bits value may steer control flow ({@code if ((bits & SIGN) != 0)}) and may be compared
 *       or stored in integers;
 *   <li>{@code Double.longBitsToDouble} or {@code Float.intBitsToFloat} of a bits value is an error
 *       where its value becomes a number: in the value of a floating-point variable, an array
 *       element or the result.
 * </ul>
 *
 * <p>Integer conversions that are piecewise constant in the value ({@code (int) x},
 * {@code Math.floor}, {@code Math.round}, {@code Math.getExponent}) are not bits: their derivative
 * is zero almost everywhere, and a double computed from them is differentiated as such.
 */
public final class BitReinterpretation {
  private static final Set<String> TO_BITS = Set.of("java.lang.Double#doubleToRawLongBits",
      "java.lang.Double#doubleToLongBits", "java.lang.Float#floatToIntBits", "java.lang.Float#floatToRawIntBits");
  private static final Set<String> FROM_BITS = Set.of("java.lang.Double#longBitsToDouble",
      "java.lang.Float#intBitsToFloat");

  private final Activity activity;
  /** Each bits variable, with the varying variable whose bits it holds. */
  private final Map<Var, String> bits = new HashMap<>();

  private BitReinterpretation(Activity activity) {
    this.activity = activity;
  }

  /** Reports every rebuilt value; whether there was none. */
  public static boolean check(List<Stmt> body, Activity activity, Reporter reporter) {
    BitReinterpretation b = new BitReinterpretation(activity);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Stmt s : all(body)) {
        Var target = Activity.target(s);
        Expr value = s instanceof Stmt.Declare d ? d.init() : s instanceof Stmt.Assign a ? a.value() : null;
        if (target != null && value != null && target.type() instanceof Prim p && !p.isFloating()
            && !b.bits.containsKey(target)) {
          String origin = b.origin(value);
          if (origin != null) {
            b.bits.put(target, origin);
            changed = true;
          }
        }
      }
    }
    boolean ok = true;
    for (Stmt s : all(body)) {
      Expr value = s instanceof Stmt.Declare d && d.var().type().isFloating() ? d.init()
          : s instanceof Stmt.Assign a && a.var().type().isFloating() ? a.value()
          : s instanceof Stmt.ArrayStore a ? a.value()
          : s instanceof Stmt.Return r ? r.value() : null;
      if (value == null) {
        continue;
      }
      String[] found = {null, null};
      Rewrite.bottomUp(value, x -> {
        if (found[0] == null && x instanceof Call c && FROM_BITS.contains(key(c))) {
          String origin = b.origin(c.args().get(0));
          if (origin != null) {
            found[0] = c.owner().simpleNames().get(0) + "." + c.name() + "(...)";
            found[1] = origin;
          }
        }
        return x;
      });
      if (found[0] != null) {
        reporter.report(Diag.BIT_REINTERPRETATION, s.pos(), found[0], found[1]);
        ok = false;
      }
    }
    return ok;
  }

  /** The varying variable whose bits {@code e} carries, or null. */
  private String origin(Expr e) {
    String[] found = {null};
    Rewrite.bottomUp(e, x -> {
      if (found[0] != null) {
        return x;
      }
      if (x instanceof Read r && bits.containsKey(r.var())) {
        found[0] = bits.get(r.var());
      } else if (x instanceof Call c && TO_BITS.contains(key(c)) && activity.isVaried(c.args().get(0))) {
        Rewrite.forEachRead(c.args().get(0), r -> {
          if (found[0] == null && activity.isVaried(r)) {
            found[0] = r.var().name();
          }
        });
        if (found[0] == null) {
          found[0] = "its argument";
        }
      }
      return x;
    });
    return found[0];
  }

  private static String key(Call c) {
    return c.owner().qualifiedName() + "#" + c.name();
  }

  private static List<Stmt> all(List<Stmt> body) {
    List<Stmt> out = new java.util.ArrayList<>();
    Rewrite.forEachStmt(body, out::add);
    return out;
  }
}
