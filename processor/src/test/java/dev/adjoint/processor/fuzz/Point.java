package dev.adjoint.processor.fuzz;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The arguments of one evaluation, in parameter order, with the parameter names. Text form (used
 * in failure reports and in {@code // check:} lines of regression files):
 * {@code a=0.3 n=3 x={1.0, -2.0, 0.5} w={{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}}; doubles are printed so
 * that they read back exactly.
 */
final class Point {
  final List<String> names;
  final Object[] args;

  Point(List<String> names, Object[] args) {
    this.names = List.copyOf(names);
    this.args = args;
  }

  /** Fresh deep copies of the arguments: methods may write into their array parameters. */
  Object[] copy() {
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = deepCopy(args[i]);
    }
    return out;
  }

  static Object deepCopy(Object o) {
    if (o instanceof double[] a) {
      return a.clone();
    }
    if (o instanceof float[] a) {
      return a.clone();
    }
    if (o instanceof double[][] a) {
      double[][] c = new double[a.length][];
      for (int i = 0; i < a.length; i++) {
        c[i] = a[i].clone();
      }
      return c;
    }
    return o;
  }

  /** A random point for {@code m}: doubles in [-2, 2], ints in [0, 5], arrays of length 3 to 5. */
  static Point random(Method m, Random r) {
    Parameter[] ps = m.getParameters();
    List<String> names = new ArrayList<>();
    Object[] args = new Object[ps.length];
    for (int i = 0; i < ps.length; i++) {
      names.add(ps[i].getName());
      Class<?> t = ps[i].getType();
      if (t == double.class) {
        args[i] = uniform(r);
      } else if (t == float.class) {
        args[i] = (float) uniform(r);
      } else if (t == int.class) {
        args[i] = r.nextInt(6);
      } else if (t == long.class) {
        args[i] = (long) r.nextInt(6);
      } else if (t == boolean.class) {
        args[i] = r.nextBoolean();
      } else if (t == double[].class) {
        args[i] = vector(r, 3 + r.nextInt(3));
      } else if (t == float[].class) {
        // multiples of 2^-12: every finite-difference step (a power of two) then lands exactly on a float
        float[] f = new float[3 + r.nextInt(3)];
        for (int k = 0; k < f.length; k++) {
          f[k] = (float) (Math.rint(uniform(r) * 4096) / 4096);
        }
        args[i] = f;
      } else if (t == double[][].class) {
        int rows = 2 + r.nextInt(3);
        int cols = 3 + r.nextInt(3);
        double[][] w = new double[rows][];
        for (int k = 0; k < rows; k++) {
          w[k] = vector(r, cols);
        }
        args[i] = w;
      } else {
        throw new IllegalArgumentException("fuzz: cannot make a value of type " + t + " for " + m);
      }
    }
    return new Point(names, args);
  }

  private static double uniform(Random r) {
    return -2 + 4 * r.nextDouble();
  }

  private static double[] vector(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = uniform(r);
    }
    return v;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < args.length; i++) {
      sb.append(i > 0 ? " " : "").append(names.get(i)).append('=').append(format(args[i]));
    }
    return sb.toString();
  }

  static String format(Object o) {
    if (o instanceof float[] a) {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < a.length; i++) {
        sb.append(i > 0 ? ", " : "").append(a[i]);
      }
      return sb.append('}').toString();
    }
    if (o instanceof double[] a) {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < a.length; i++) {
        sb.append(i > 0 ? ", " : "").append(a[i]);
      }
      return sb.append('}').toString();
    }
    if (o instanceof double[][] a) {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < a.length; i++) {
        sb.append(i > 0 ? ", " : "").append(format(a[i]));
      }
      return sb.append('}').toString();
    }
    return String.valueOf(o);
  }

  /**
   * Parses the text form for method {@code m} (whose parameter names must be available: compile
   * with {@code -parameters}). Every parameter must be given.
   */
  static Point parse(String text, Method m) {
    Map<String, String> values = new HashMap<>();
    int i = 0;
    while (i < text.length()) {
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= text.length()) {
        break;
      }
      int eq = text.indexOf('=', i);
      if (eq < 0) {
        throw new IllegalArgumentException("expected name=value at '" + text.substring(i) + "' in: " + text);
      }
      String name = text.substring(i, eq).trim();
      int j = eq + 1;
      int depth = 0;
      while (j < text.length() && (depth > 0 || !Character.isWhitespace(text.charAt(j)))) {
        char c = text.charAt(j);
        if (c == '{') {
          depth++;
        } else if (c == '}') {
          depth--;
        }
        j++;
      }
      values.put(name, text.substring(eq + 1, j));
      i = j;
    }
    Parameter[] ps = m.getParameters();
    List<String> names = new ArrayList<>();
    Object[] args = new Object[ps.length];
    for (int k = 0; k < ps.length; k++) {
      String name = ps[k].getName();
      names.add(name);
      String v = values.remove(name);
      if (v == null) {
        throw new IllegalArgumentException("no value for parameter '" + name + "' of " + m.getName() + " in: " + text);
      }
      args[k] = value(v.trim(), ps[k].getType());
    }
    if (!values.isEmpty()) {
      throw new IllegalArgumentException(m.getName() + " has no parameters " + values.keySet() + " (" + text + ")");
    }
    return new Point(names, args);
  }

  private static Object value(String v, Class<?> t) {
    if (t == double.class) {
      return Double.parseDouble(v);
    } else if (t == float.class) {
      return Float.parseFloat(v);
    } else if (t == int.class) {
      return Integer.parseInt(v);
    } else if (t == long.class) {
      return Long.parseLong(v);
    } else if (t == boolean.class) {
      return Boolean.parseBoolean(v);
    } else if (t == double[].class) {
      return vector(v);
    } else if (t == float[].class) {
      double[] d = vector(v);
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return f;
    } else if (t == double[][].class) {
      String inner = strip(v);
      List<double[]> rows = new ArrayList<>();
      int depth = 0;
      int start = -1;
      for (int i = 0; i < inner.length(); i++) {
        char c = inner.charAt(i);
        if (c == '{') {
          if (depth++ == 0) {
            start = i;
          }
        } else if (c == '}' && --depth == 0) {
          rows.add(vector(inner.substring(start, i + 1)));
        }
      }
      return rows.toArray(new double[0][]);
    }
    throw new IllegalArgumentException("unsupported parameter type " + t);
  }

  private static double[] vector(String v) {
    String inner = strip(v).trim();
    if (inner.isEmpty()) {
      return new double[0];
    }
    return Arrays.stream(inner.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
  }

  private static String strip(String v) {
    v = v.trim();
    if (!v.startsWith("{") || !v.endsWith("}")) {
      throw new IllegalArgumentException("expected {...}, got " + v);
    }
    return v.substring(1, v.length() - 1);
  }
}
