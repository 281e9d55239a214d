package dev.adjoint.corpus;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Compares a generated gradient with Richardson-extrapolated central differences of the primal at
 * the {@link SamplePoints}, as the processor's fuzz checker does: only points where the primal is
 * finite, and only coordinates where it is smooth at the point (no jump or kink at rounding level)
 * and the extrapolations at two step sizes agree, are trusted. A mismatch is confirmed with
 * smaller steps before it counts. Where the primal throws, the point is skipped; where only the
 * gradient throws, that is a failure.
 */
final class GradientProbe {
  private static final double[] BASES = {1e-3, 1e-4, 1e-5};
  private static final double[] FLOAT_BASES = {1e-2, 3e-3, 1e-3};
  private static final double ROUNDING = 1e-9;

  /** How a method fared: coordinates trusted and agreeing, and the first failure (or null). */
  record Result(int trusted, int pointsRun, String failure) {}

  private final Method primal;
  private final Method grad;
  private final boolean single;
  private final double rtol;
  private final double atol;
  private final double[] bases;

  private final List<String> names;

  /** {@code names}: the parameters' names in the source (the published jar may not keep them). */
  GradientProbe(Method primal, Method grad, List<String> names) {
    this.primal = primal;
    this.names = names;
    this.grad = grad;
    boolean f = primal.getReturnType() == float.class;
    for (Class<?> t : primal.getParameterTypes()) {
      f |= t == float.class;
    }
    this.single = f;
    this.rtol = f ? 1e-3 : 1e-6;
    this.atol = f ? 1e-4 : 1e-7;
    this.bases = f ? FLOAT_BASES : BASES;
  }

  Result run() {
    Class<?>[] types = primal.getParameterTypes();
    int trusted = 0;
    int run = 0;
    for (int k = 0; k < 2 * SamplePoints.COUNT; k++) {
      if (k == SamplePoints.COUNT && run > 0) {
        break; // the larger points only for a method defined at none of the first ones
      }
      Object[] args = SamplePoints.point(types, k);
      double value;
      try {
        value = invoke(primal, SamplePoints.copy(args));
      } catch (InvocationTargetException e) {
        continue;
      }
      if (!Double.isFinite(value)) {
        continue;
      }
      run++;
      Object rec;
      try {
        rec = grad.invoke(null, SamplePoints.copy(args));
      } catch (InvocationTargetException e) {
        return new Result(trusted, run, "at " + SamplePoints.format(args) + " the gradient threw " + e.getCause()
            + " where the method returns " + value);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
      Map<String, Object> comps = components(rec);
      double gv = ((Number) comps.get("value")).doubleValue();
      if (!(gv == value || Math.abs(gv - value) <= 1e-12 * Math.max(Math.abs(gv), Math.abs(value)))) {
        return new Result(trusted, run, "at " + SamplePoints.format(args) + " value() is " + gv
            + " but the method returns " + value);
      }
      for (int i = 0; i < types.length; i++) {
        if (!(types[i] == double.class || types[i] == float.class || types[i] == double[].class
            || types[i] == double[][].class)) {
          continue;
        }
        Object g = comps.get(names.get(i));
        if (g == null) {
          continue; // not differentiated (wrt / @NoDerivative): nothing in the corpus does that, but it is legal
        }
        int fi = i;
        Object arg = args[i];
        if (arg instanceof double[] a) {
          for (int j = 0; j < a.length; j++) {
            int fj = j;
            String f = coordinate(args, v -> set(args, fi, fj, -1, v), a[j], ((double[]) g)[j], names.get(i) + "[" + j + "]");
            if (f != null) {
              return new Result(trusted, run, f);
            }
            trusted += lastTrusted;
          }
        } else if (arg instanceof double[][] a) {
          for (int j = 0; j < a.length; j++) {
            for (int l = 0; l < a[j].length; l++) {
              int fj = j;
              int fl = l;
              String f = coordinate(args, v -> set(args, fi, fj, fl, v), a[j][l], ((double[][]) g)[j][l],
                  names.get(i) + "[" + j + "][" + l + "]");
              if (f != null) {
                return new Result(trusted, run, f);
              }
              trusted += lastTrusted;
            }
          }
        } else {
          double x0 = ((Number) arg).doubleValue();
          String f = coordinate(args, v -> set(args, fi, -1, -1, v), x0, ((Number) g).doubleValue(), names.get(i));
          if (f != null) {
            return new Result(trusted, run, f);
          }
          trusted += lastTrusted;
        }
      }
    }
    return new Result(trusted, run, null);
  }

  private int lastTrusted;

  /** Checks one partial; sets {@link #lastTrusted} to 1 when it was trusted and agreed. */
  private String coordinate(Object[] args, java.util.function.DoubleFunction<Object[]> at, double x0, double analytic,
      String label) {
    lastTrusted = 0;
    DoubleUnaryOperator f = v -> {
      try {
        return invoke(primal, at.apply(v));
      } catch (InvocationTargetException e) {
        return Double.NaN;
      }
    };
    if (!Double.isFinite(analytic)) {
      return null;
    }
    double[] first = estimate(f, x0, 0);
    if (first == null) {
      return null;
    }
    if (close(analytic, first[0])) {
      lastTrusted = 1;
      return null;
    }
    double[] confirm = first[1] + 1 < bases.length ? estimate(f, x0, (int) first[1] + 1) : null;
    if (confirm == null) {
      return null;
    }
    if (close(analytic, confirm[0])) {
      lastTrusted = 1;
      return null;
    }
    return "at " + SamplePoints.format(args) + " d/d" + label + ": generated " + analytic + ", finite differences "
        + first[0] + " (and " + confirm[0] + " with smaller steps)";
  }

  /** Arguments with coordinate (i, j, l) set to v (j, l = -1 for a scalar or a row). */
  private Object[] set(Object[] base, int i, int j, int l, double v) {
    Object[] a = SamplePoints.copy(base);
    if (j < 0) {
      a[i] = primal.getParameterTypes()[i] == float.class ? (Object) (float) v : (Object) v;
    } else if (l < 0) {
      ((double[]) a[i])[j] = v;
    } else {
      ((double[][]) a[i])[j][l] = v;
    }
    return a;
  }

  /** {estimate, base index} at the first reliable base from {@code from}, or null. */
  private double[] estimate(DoubleUnaryOperator f, double x0, int from) {
    double f0 = f.applyAsDouble(x0);
    if (!Double.isFinite(f0)) {
      return null;
    }
    for (int b = from; b < bases.length; b++) {
      double h = bases[b] * Math.max(1, Math.abs(x0));
      double[] d = new double[3];
      double[] second = new double[3];
      for (int q = 0; q < 3; q++) {
        double s = h / (1 << q);
        double xp = x0 + s;
        double xm = x0 - s;
        if (single) {
          xp = (float) xp;
          xm = (float) xm;
        }
        double fp = f.applyAsDouble(xp);
        double fm = f.applyAsDouble(xm);
        d[q] = (fp - fm) / (xp - xm);
        second[q] = fp - 2 * f0 + fm;
      }
      if (!Double.isFinite(d[0]) || !Double.isFinite(d[1]) || !Double.isFinite(d[2])) {
        return null;
      }
      double rounding = single ? 1e-5 : ROUNDING;
      if (Math.abs(second[2]) > rounding * Math.max(1, Math.abs(f0)) && Math.abs(second[1]) < 3 * Math.abs(second[2])) {
        return null; // not smooth at x0 itself: a kink, a jump, or a branch decided at rounding level
      }
      double r1 = (4 * d[1] - d[0]) / 3;
      double r2 = (4 * d[2] - d[1]) / 3;
      if (Math.abs(r1 - r2) <= atol + rtol * Math.abs(r2)) {
        return new double[] {r2, b};
      }
    }
    return null;
  }

  private boolean close(double a, double b) {
    return Math.abs(a - b) <= atol + rtol * Math.max(Math.abs(a), Math.abs(b));
  }

  private static double invoke(Method m, Object[] args) throws InvocationTargetException {
    try {
      return ((Number) m.invoke(null, args)).doubleValue();
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> components(Object rec) {
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
}
