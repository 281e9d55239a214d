package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.Failure.Category;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Checks a program's forward-mode and Hessian-vector-product methods at one point, once its
 * gradient has passed: along a random direction d, {@code mJvp}'s value is the method's, its
 * tangent is {@code <gradient, d>} and the finite difference of the method along d; each component
 * of {@code mHvp} is the finite difference of the generated gradient's component along d. Finite
 * differences go through {@link GradientChecker#compare}, which skips a direction along which the
 * function is not smooth at the point.
 */
final class DirectionalChecker {
  private DirectionalChecker() {}

  static void check(Method primal, Method grad, Object gradient, Point p, GradientChecker.Outcome out) {
    Class<?> owner = grad.getDeclaringClass();
    Method jvp = find(owner, primal.getName() + "Jvp");
    Method hvp = find(owner, primal.getName() + "Hvp");
    if (jvp == null && hvp == null) {
      return;
    }
    Random random = new Random(p.toString().hashCode());
    Object[] d = direction(p, random);
    if (jvp != null) {
      jvp(primal, jvp, gradient, p, d, out);
    }
    if (hvp != null && out.failure == null) {
      hvp(grad, hvp, p, d, out);
    }
  }

  private static void jvp(Method primal, Method jvp, Object gradient, Point p, Object[] d, GradientChecker.Outcome out) {
    Object rec;
    try {
      rec = jvp.invoke(null, concat(p.copy(), copy(d)));
    } catch (InvocationTargetException e) {
      out.failure = new Failure(Category.EXCEPTION, "jvp-" + e.getCause().getClass().getSimpleName(),
          "the generated mJvp threw " + e.getCause(), p);
      return;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    Map<String, Object> c = GradientChecker.components(rec);
    double value = ((Number) c.get("value")).doubleValue();
    double tangent = ((Number) c.get("tangent")).doubleValue();
    double expected;
    try {
      expected = GradientChecker.invoke(primal, p.copy());
    } catch (InvocationTargetException e) {
      return; // the gradient check reports a primal that throws
    }
    if (!(value == expected || Math.abs(value - expected) <= GradientChecker.VALUE_RTOL * Math.abs(expected))) {
      out.failure = new Failure(Category.VALUE_MISMATCH, "jvp", "mJvp's value is " + value + " but the method returns "
          + expected, p);
      return;
    }
    double inner = dot(flat(GradientChecker.components(gradient), p), flat(d));
    if (Double.isFinite(inner) && Double.isFinite(tangent) && !GradientChecker.close(tangent, inner)) {
      out.failure = new Failure(Category.GRADIENT_MISMATCH, "jvp",
          "mJvp's tangent is " + tangent + " but <gradient, direction> is " + inner + " (direction " + format(d) + ")", p);
      return;
    }
    GradientChecker.compare(s -> {
      try {
        return GradientChecker.invoke(primal, along(p, d, s));
      } catch (InvocationTargetException e) {
        return Double.NaN;
      }
    }, 0, tangent, "jvp along " + format(d), p, out, hasFloats(p));
  }

  private static void hvp(Method grad, Method hvp, Point p, Object[] d, GradientChecker.Outcome out) {
    Object rec;
    try {
      rec = hvp.invoke(null, concat(p.copy(), copy(d)));
    } catch (InvocationTargetException e) {
      out.failure = new Failure(Category.EXCEPTION, "hvp-" + e.getCause().getClass().getSimpleName(),
          "the generated mHvp threw " + e.getCause(), p);
      return;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    double[] hv = flat(GradientChecker.components(rec), p);
    boolean[] rounded = roundedComponents(p);
    for (int i = 0; i < hv.length && out.failure == null; i++) {
      int component = i;
      if (rounded[i]) {
        // a float[] gradient is rounded to float: its differences are rounding noise at any step; its
        // Hessian-vector product is checked against Hipparchus in the samples' ForwardCorpusTest
        out.coordsSkipped++;
        continue;
      }
      GradientChecker.compare(s -> {
        try {
          return flat(GradientChecker.components(grad.invoke(null, along(p, d, s))), p)[component];
        } catch (ReflectiveOperationException e) {
          return Double.NaN;
        }
      }, 0, hv[i], "(Hv)[" + i + "] along " + format(d), p, out, hasFloats(p));
    }
  }

  private static boolean hasFloats(Point p) {
    for (Object a : p.args) {
      if (a instanceof float[]) {
        return true;
      }
    }
    return false;
  }

  /** For each flattened component (as {@link #flat}), whether it belongs to a float[] parameter. */
  private static boolean[] roundedComponents(Point p) {
    List<Boolean> out = new ArrayList<>();
    for (Object a : p.args) {
      if (a instanceof Double) {
        out.add(false);
      } else if (a instanceof double[] v) {
        for (int i = 0; i < v.length; i++) {
          out.add(false);
        }
      } else if (a instanceof double[][] m) {
        for (double[] row : m) {
          for (int i = 0; i < row.length; i++) {
            out.add(false);
          }
        }
      } else if (a instanceof float[] v) {
        for (int i = 0; i < v.length; i++) {
          out.add(true);
        }
      }
    }
    boolean[] b = new boolean[out.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = out.get(i);
    }
    return b;
  }

  /** A Gaussian direction: one entry per differentiable argument, of its shape. */
  private static Object[] direction(Point p, Random r) {
    List<Object> d = new ArrayList<>();
    for (Object a : p.args) {
      if (a instanceof Double) {
        d.add(r.nextGaussian());
      } else if (a instanceof double[] v) {
        d.add(r.doubles(v.length).map(x -> 2 * x - 1).toArray());
      } else if (a instanceof float[] v) {
        float[] o = new float[v.length]; // multiples of 1/4: x + s * d stays exact in float (see Point)
        for (int i = 0; i < o.length; i++) {
          o[i] = (r.nextInt(9) - 4) / 4f;
        }
        d.add(o);
      } else if (a instanceof double[][] m) {
        double[][] o = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
          o[i] = r.doubles(m[i].length).map(x -> 2 * x - 1).toArray();
        }
        d.add(o);
      }
    }
    return d.toArray();
  }

  private static Object[] along(Point p, Object[] d, double s) {
    Object[] args = p.copy();
    int k = 0;
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Double x) {
        args[i] = x + s * (Double) d[k++];
      } else if (a instanceof double[] v) {
        double[] dv = (double[]) d[k++];
        for (int j = 0; j < v.length; j++) {
          v[j] += s * dv[j];
        }
      } else if (a instanceof float[] v) {
        float[] dv = (float[]) d[k++];
        for (int j = 0; j < v.length; j++) {
          v[j] = (float) (v[j] + s * dv[j]);
        }
      } else if (a instanceof double[][] m) {
        double[][] dm = (double[][]) d[k++];
        for (int j = 0; j < m.length; j++) {
          for (int l = 0; l < m[j].length; l++) {
            m[j][l] += s * dm[j][l];
          }
        }
      }
    }
    return args;
  }

  /** A record's components for the point's differentiable parameters, flattened in parameter order. */
  private static double[] flat(Map<String, Object> components, Point p) {
    List<Object> parts = new ArrayList<>();
    for (int i = 0; i < p.args.length; i++) {
      Object a = p.args[i];
      if (a instanceof Double || a instanceof double[] || a instanceof double[][] || a instanceof float[]) {
        parts.add(components.get(p.names.get(i)));
      }
    }
    return flat(parts.toArray());
  }

  private static double[] flat(Object[] values) {
    List<Double> out = new ArrayList<>();
    for (Object o : values) {
      if (o instanceof Number n) {
        out.add(n.doubleValue());
      } else if (o instanceof double[] a) {
        for (double v : a) {
          out.add(v);
        }
      } else if (o instanceof float[] a) {
        for (float v : a) {
          out.add((double) v);
        }
      } else if (o instanceof double[][] m) {
        for (double[] row : m) {
          for (double v : row) {
            out.add(v);
          }
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static String format(Object[] d) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < d.length; i++) {
      sb.append(i > 0 ? ", " : "").append(Point.format(d[i]));
    }
    return sb.append(')').toString();
  }

  private static Object[] copy(Object[] d) {
    Object[] out = d.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] instanceof double[] v) {
        out[i] = v.clone();
      } else if (out[i] instanceof float[] v) {
        out[i] = v.clone();
      } else if (out[i] instanceof double[][] m) {
        double[][] c = new double[m.length][];
        for (int j = 0; j < m.length; j++) {
          c[j] = m[j].clone();
        }
        out[i] = c;
      }
    }
    return out;
  }

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static Method find(Class<?> c, String name) {
    for (Method m : c.getDeclaredMethods()) {
      if (m.getName().equals(name) && java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        m.setAccessible(true);
        return m;
      }
    }
    return null;
  }
}
