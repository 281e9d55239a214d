package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.Failure.Category;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks one generated gradient at one point: the value against the primal (relative 1e-12), and
 * every partial (every element of array partials) against central finite differences refined by
 * Richardson extrapolation.
 *
 * <p>Finite differences: with {@code D(s)} the central difference of step {@code s}, two
 * extrapolations {@code R1 = (4 D(h/2) - D(h)) / 3} and {@code R2 = (4 D(h/4) - D(h/2)) / 3} are
 * formed for {@code h = base * max(1, |x|)}, base 1e-3, then 1e-4, then 1e-5. The first base whose
 * R1 and R2 agree within the tolerance gives the estimate R2; when none does (a kink or branch
 * boundary within h of the point, or a function too curved for these steps) the coordinate is
 * skipped. A mismatch at one base is confirmed at the next smaller base before it counts, which
 * makes a false alarm from a kink closer than h/4 to the point vanishingly unlikely. A coordinate
 * whose gradient or finite differences are NaN or infinite is skipped, as is a point whose primal
 * value is not finite. A coordinate where f is not smooth at the point itself (f(x) differs from
 * (f(x+s) + f(x-s)) / 2 by more than curvature explains: a comparison decided at rounding level) is
 * skipped too, since symmetric differences step over such a point.
 */
final class GradientChecker {
  static final double RTOL = 1e-6;
  static final double ATOL = 1e-7;
  static final double VALUE_RTOL = 1e-12;
  private static final double[] BASES = {1e-3, 1e-4, 1e-5};
  /** Relative size of a second difference that rounding alone cannot explain. */
  private static final double ROUNDING = 1e-9;

  /** Set by a test to corrupt every analytic partial (checks that the checker catches bugs). */
  static volatile double corruption = 1.0;

  /** The result at one point. {@code primalError} is set when the primal itself threw. */
  static final class Outcome {
    boolean skipped;
    int coordsChecked;
    int coordsSkipped;
    Failure failure;
    Throwable primalError;
  }

  private GradientChecker() {}

  /**
   * Checks {@code grad} (the generated method, returning a record) against {@code primal} at
   * {@code p}. With {@code strict}, every double / double[] / double[][] parameter must have a
   * record component; otherwise parameters without one (wrt, @NoDerivative) are not checked.
   */
  static Outcome check(Method primal, Method grad, Point p, boolean strict) {
    Outcome out = new Outcome();
    double value;
    try {
      value = invoke(primal, p.copy());
    } catch (InvocationTargetException e) {
      out.primalError = e.getCause();
      return out;
    }
    if (!Double.isFinite(value)) {
      out.skipped = true;
      return out;
    }
    Object rec;
    try {
      rec = grad.invoke(null, p.copy());
    } catch (InvocationTargetException e) {
      Throwable c = e.getCause();
      if (c.getClass().getSimpleName().equals("NonFiniteAdjointException")) {
        // the gradient is not finite here (0 * Infinity at a kink of cbrt or sqrt): the point is skipped,
        // as a non-finite gradient is without the option
        out.skipped = true;
        return out;
      }
      out.failure = new Failure(Category.EXCEPTION, c.getClass().getSimpleName(),
          "the generated gradient threw " + c + at(c), p);
      return out;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    Map<String, Object> comps = components(rec);
    Object gvObj = comps.get("value");
    double gv = gvObj instanceof Number n ? n.doubleValue() : Double.NaN;
    if (!(gv == value || Math.abs(gv - value) <= VALUE_RTOL * Math.max(Math.abs(gv), Math.abs(value)))) {
      out.failure = new Failure(Category.VALUE_MISMATCH, "",
          "value() is " + gv + " but the method returns " + value, p);
      return out;
    }
    for (int i = 0; i < p.args.length && out.failure == null; i++) {
      String name = p.names.get(i);
      Object arg = p.args[i];
      boolean differentiable = arg instanceof Double || arg instanceof double[] || arg instanceof double[][]
          || arg instanceof float[];
      if (!differentiable) {
        continue;
      }
      Object g = comps.get(name);
      if (g == null) {
        if (strict) {
          out.failure = new Failure(Category.GRADIENT_MISMATCH, "shape",
              "the gradient record " + rec.getClass().getSimpleName() + " has no component '" + name + "'", p);
        }
        continue;
      }
      checkParam(primal, p, i, arg, g, out);
    }
    if (out.failure == null) {
      DirectionalChecker.check(primal, grad, rec, p, out);
    }
    if (out.failure == null && out.coordsChecked == 0 && out.coordsSkipped > 0) {
      out.skipped = true;
    }
    return out;
  }

  private static void checkParam(Method primal, Point p, int i, Object arg, Object g, Outcome out) {
    String name = p.names.get(i);
    if (arg instanceof Double) {
      if (!(g instanceof Double gd)) {
        out.failure = new Failure(Category.GRADIENT_MISMATCH, "shape", "component " + name + " is " + g, p);
        return;
      }
      coordinate(primal, p, i, -1, -1, gd, name, out);
    } else if (arg instanceof double[] a) {
      if (!(g instanceof double[] ga) || ga.length != a.length) {
        out.failure = new Failure(Category.GRADIENT_MISMATCH, "shape",
            "component " + name + " is " + Point.format(g) + ", expected length " + a.length, p);
        return;
      }
      for (int j = 0; j < a.length && out.failure == null; j++) {
        coordinate(primal, p, i, j, -1, ga[j], name + "[" + j + "]", out);
      }
    } else if (arg instanceof float[] a) {
      if (!(g instanceof float[] ga) || ga.length != a.length) {
        out.failure = new Failure(Category.GRADIENT_MISMATCH, "shape",
            "component " + name + " is " + Point.format(g) + ", expected a float[] of length " + a.length, p);
        return;
      }
      for (int j = 0; j < a.length && out.failure == null; j++) {
        coordinate(primal, p, i, j, -1, ga[j], name + "[" + j + "]", out);
      }
    } else {
      double[][] a = (double[][]) arg;
      boolean ok = g instanceof double[][] ga && ga.length == a.length;
      for (int j = 0; ok && j < a.length; j++) {
        ok = ((double[][]) g)[j] != null && ((double[][]) g)[j].length == a[j].length;
      }
      if (!ok) {
        out.failure = new Failure(Category.GRADIENT_MISMATCH, "shape",
            "component " + name + " is " + Point.format(g) + ", expected the shape of " + Point.format(a), p);
        return;
      }
      double[][] ga = (double[][]) g;
      for (int j = 0; j < a.length && out.failure == null; j++) {
        for (int k = 0; k < a[j].length && out.failure == null; k++) {
          coordinate(primal, p, i, j, k, ga[j][k], name + "[" + j + "][" + k + "]", out);
        }
      }
    }
  }

  private static void coordinate(Method primal, Point p, int i, int j, int k, double analytic0, String label, Outcome out) {
    double x0 = get(p.args[i], j, k);
    java.util.function.DoubleUnaryOperator f = v -> {
      Object[] args = p.copy();
      if (j < 0) {
        args[i] = v;
      } else if (args[i] instanceof float[] fa) {
        fa[j] = (float) v; // exact: the steps are powers of two (see compare) and the point has few bits
      } else if (k < 0) {
        ((double[]) args[i])[j] = v;
      } else {
        ((double[][]) args[i])[j][k] = v;
      }
      try {
        return invoke(primal, args);
      } catch (InvocationTargetException e) {
        return Double.NaN;
      }
    };
    compare(f, x0, analytic0, label, p, out, p.args[i] instanceof float[]);
  }

  /**
   * Checks one partial: {@code analytic0} (times {@link #corruption}) against the finite
   * differences of {@code f} at {@code x0}; counts the coordinate as checked or skipped in
   * {@code out}, or sets its failure (at point {@code p}).
   */
  static void compare(java.util.function.DoubleUnaryOperator f, double x0, double analytic0, String label, Point p,
      Outcome out) {
    compare(f, x0, analytic0, label, p, out, false);
  }

  /**
   * {@link #compare}, with steps rounded down to powers of two when {@code powersOfTwo}: a float
   * argument perturbed by them stays exact, so the differences divide by the steps actually taken.
   */
  static void compare(java.util.function.DoubleUnaryOperator f, double x0, double analytic0, String label, Point p,
      Outcome out, boolean powersOfTwo) {
    double analytic = analytic0 * corruption;
    if (!Double.isFinite(analytic)) {
      out.coordsSkipped++;
      return;
    }
    Estimate first = estimate(f, x0, 0, powersOfTwo);
    if (first == null) {
      out.coordsSkipped++;
      return;
    }
    if (close(analytic, first.value)) {
      out.coordsChecked++;
      return;
    }
    Estimate confirm = first.base + 1 < BASES.length ? estimate(f, x0, first.base + 1, powersOfTwo) : null;
    if (confirm == null) {
      out.coordsSkipped++;
      return;
    }
    if (close(analytic, confirm.value)) {
      out.coordsChecked++;
      return;
    }
    out.failure = new Failure(Category.GRADIENT_MISMATCH, "",
        "d/d" + label + ": generated " + analytic + ", finite differences " + first.value
            + " (and " + confirm.value + " with smaller steps)", p);
  }

  private record Estimate(double value, int base) {}

  /**
   * The Richardson estimate of f'(x0) at the first reliable base from {@code from}, or null. A
   * base is also unreliable when f is not smooth at x0 itself: for a smooth f the second difference
   * {@code f(x0+s) - 2 f(x0) + f(x0-s)} grows like s², so halving s divides it by 4; at a kink it
   * is halved, and where f(x0) differs from f(x0 ± s) (a branch decided by a rounding-level
   * comparison, {@code a == b ? ...}, a tie) it does not shrink at all, and the symmetric central
   * differences would hide it.
   */
  private static Estimate estimate(java.util.function.DoubleUnaryOperator f, double x0, int from, boolean powersOfTwo) {
    double f0 = f.applyAsDouble(x0);
    if (!Double.isFinite(f0)) {
      return null;
    }
    for (int b = from; b < BASES.length; b++) {
      double h = BASES[b] * Math.max(1, Math.abs(x0));
      if (powersOfTwo) {
        h = Math.scalb(1.0, Math.getExponent(h));
      }
      double[] d = new double[3];
      double[] second = new double[3];
      for (int q = 0; q < 3; q++) {
        double s = h / (1 << q);
        double xp = x0 + s;
        double xm = x0 - s;
        double fp = f.applyAsDouble(xp);
        double fm = f.applyAsDouble(xm);
        d[q] = (fp - fm) / (xp - xm);
        second[q] = fp - 2 * f0 + fm;
      }
      if (!Double.isFinite(d[0]) || !Double.isFinite(d[1]) || !Double.isFinite(d[2])) {
        return null;
      }
      if (notSmoothAt(f0, second[1], second[2])) {
        return null;
      }
      double r1 = (4 * d[1] - d[0]) / 3;
      double r2 = (4 * d[2] - d[1]) / 3;
      if (Math.abs(r1 - r2) <= ATOL + RTOL * Math.abs(r2)) {
        return new Estimate(r2, b);
      }
    }
    return null;
  }

  /**
   * Whether second differences {@code s2} (step 2s) and {@code s4} (step s) show f not smooth at
   * the point: s4 above rounding level and not shrinking like s² (ratio 4; a kink gives 2, a jump
   * or an isolated value 1).
   */
  static boolean notSmoothAt(double f0, double s2, double s4) {
    return Math.abs(s4) > ROUNDING * Math.max(1, Math.abs(f0)) && Math.abs(s2) < 3 * Math.abs(s4);
  }

  static boolean close(double a, double b) {
    return Math.abs(a - b) <= ATOL + RTOL * Math.max(Math.abs(a), Math.abs(b));
  }

  private static double get(Object arg, int j, int k) {
    if (j < 0) {
      return (Double) arg;
    }
    if (arg instanceof float[] f) {
      return f[j];
    }
    if (k < 0) {
      return ((double[]) arg)[j];
    }
    return ((double[][]) arg)[j][k];
  }

  static double invoke(Method m, Object[] args) throws InvocationTargetException {
    try {
      Object v = m.invoke(null, args);
      return ((Number) v).doubleValue();
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> components(Object rec) {
    Map<String, Object> out = new HashMap<>();
    RecordComponent[] rcs = rec.getClass().getRecordComponents();
    if (rcs == null) {
      throw new IllegalStateException(rec.getClass() + " is not a record");
    }
    for (RecordComponent rc : rcs) {
      try {
        Method acc = rc.getAccessor();
        acc.setAccessible(true);
        out.put(rc.getName(), acc.invoke(rec));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  private static String at(Throwable t) {
    StackTraceElement[] st = t.getStackTrace();
    return st.length == 0 ? "" : " at " + st[0];
  }
}
