package dev.adjoint.corpus;

import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic arguments for a corpus method: a few points spread over plausible domains (mostly
 * in (0.1, 3), some negative, some in (0, 1) for probabilities), arrays of length 3, small positive
 * ints, both booleans, an enum's constants in turn; and a second set, the doubles in (10, 40), for
 * a method defined at none of the first. Returns null for a parameter type the harness cannot make
 * up a value for.
 */
final class SamplePoints {
  static final int COUNT = 6;
  private static final double[] VALUES = {0.7, 1.3, 0.35, 2.1, -0.6, 1.7, 0.15, 2.7, -1.4, 0.55, 1.05};

  private SamplePoints() {}

  /** Whether every parameter of {@code types} can be given a value. */
  static boolean callable(Class<?>[] types) {
    for (Class<?> t : types) {
      if (value(t, 0, 0) == null) {
        return false;
      }
    }
    return true;
  }

  /** The arguments of point {@code k} (0 .. COUNT-1). */
  static Object[] point(Class<?>[] types, int k) {
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = value(types[i], k, i);
    }
    return args;
  }

  private static double v(int k, int i, int j) {
    double v = VALUES[Math.floorMod(3 * k + 5 * i + 7 * j, VALUES.length)];
    // points COUNT .. 2 COUNT - 1: larger ones, in (10, 40), for methods defined only there (LogBeta's p, q >= 10)
    return k < COUNT ? v : 10 + 10 * Math.abs(v);
  }

  private static Object value(Class<?> t, int k, int i) {
    if (t == double.class) {
      return v(k, i, 0);
    } else if (t == float.class) {
      return (float) v(k, i, 0);
    } else if (t == int.class) {
      return 2 + (k + i) % 2;
    } else if (t == long.class) {
      return (long) (2 + (k + i) % 2);
    } else if (t == boolean.class) {
      return (k + i) % 2 == 0;
    } else if (t == double[].class) {
      double[] a = new double[3];
      for (int j = 0; j < 3; j++) {
        a[j] = v(k, i, j);
      }
      return a;
    } else if (t == double[][].class) {
      double[][] a = new double[3][3];
      for (int j = 0; j < 3; j++) {
        for (int l = 0; l < 3; l++) {
          a[j][l] = v(k, i, 3 * j + l);
        }
      }
      return a;
    } else if (t == int[].class) {
      return new int[] {1, 2, 2};
    } else if (t.isEnum()) {
      Object[] constants = t.getEnumConstants();
      return constants[(k + i) % constants.length]; // each constant in turn
    }
    return null;
  }

  /** A deep copy of {@code args} (arrays are copied: a method may write into them). */
  static Object[] copy(Object[] args) {
    List<Object> out = new ArrayList<>();
    for (Object a : args) {
      if (a instanceof double[] d) {
        out.add(d.clone());
      } else if (a instanceof double[][] d) {
        double[][] c = new double[d.length][];
        for (int j = 0; j < d.length; j++) {
          c[j] = d[j].clone();
        }
        out.add(c);
      } else if (a instanceof int[] d) {
        out.add(d.clone());
      } else {
        out.add(a);
      }
    }
    return out.toArray();
  }

  static String format(Object[] args) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < args.length; i++) {
      s.append(i == 0 ? "" : ", ").append(format(args[i]));
    }
    return s.append(")").toString();
  }

  static String format(Object a) {
    if (a instanceof double[] d) {
      return java.util.Arrays.toString(d);
    } else if (a instanceof double[][] d) {
      return java.util.Arrays.deepToString(d);
    } else if (a instanceof int[] d) {
      return java.util.Arrays.toString(d);
    }
    return String.valueOf(a);
  }
}
