package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Random;

/**
 * Compares two generated classes of the same sources (compiled with different processor options):
 * every public gradient and pullback, at random points, must give the same record.
 */
final class Twins {
  private Twins() {}

  /**
   * Calls every gradient ({@code m}), pullback ({@code mVjp}) and accumulating pullback ({@code
   * mVjpInto}, into arrays that already hold numbers) of {@code a} and its twin in {@code b} at five
   * points each; asserts the results equal to relative {@code tolerance} (0: bit for bit) and returns
   * how many finite ones were compared.
   */
  static int compare(Class<?> a, Class<?> b, long seed, double tolerance) throws Exception {
    Random random = new Random(seed);
    int compared = 0;
    Method[] methods = a.getDeclaredMethods();
    Arrays.sort(methods, (x, y) -> x.toString().compareTo(y.toString()));
    for (Method m : methods) {
      if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
          && m.getReturnType() == void.class && m.getName().endsWith("VjpInto")) {
        compared += compareInto(m, b.getDeclaredMethod(m.getName(), m.getParameterTypes()), random, tolerance);
        continue;
      }
      if (!Modifier.isPublic(m.getModifiers()) || !Modifier.isStatic(m.getModifiers())
          || !m.getReturnType().isRecord() || m.getName().endsWith("Jvp") || m.getName().endsWith("Hvp")
          || m.getName().endsWith("Forward") || m.getName().endsWith("Backward")) {
        continue;
      }
      if (arguments(m.getParameterTypes(), random, 0) == null) {
        continue; // a receiver or a tensor: not made here
      }
      Method twin = b.getDeclaredMethod(m.getName(), m.getParameterTypes());
      for (int k = 0; k < 5; k++) {
        // two shapes: short arrays and count 3, and longer arrays (n * d indexes) with count 2
        Object[] args = arguments(m.getParameterTypes(), random, k % 2);
        Object expected;
        try {
          expected = m.invoke(null, copy(args));
        } catch (InvocationTargetException e) {
          continue; // a point outside the method's domain
        }
        double[] want = numbers(expected);
        if (Arrays.stream(want).anyMatch(v -> !Double.isFinite(v))) {
          continue;
        }
        double[] got = numbers(twin.invoke(null, copy(args)));
        assertClose(want, got, tolerance, m.getName() + " at " + Arrays.deepToString(args));
        compared++;
      }
    }
    return compared;
  }

  private static void assertClose(double[] want, double[] got, double tolerance, String where) {
    assertEquals(want.length, got.length, where);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], tolerance * Math.max(1, Math.abs(want[i])), where + ", number " + i);
    }
  }

  /** Compares what two accumulating pullbacks leave in their array arguments. */
  private static int compareInto(Method m, Method twin, Random random, double tolerance) throws Exception {
    int compared = 0;
    for (int k = 0; k < 5; k++) {
      Object[] args = arguments(m.getParameterTypes(), random, k % 2);
      if (args == null) {
        return 0;
      }
      Object[] mine = copy(args);
      Object[] theirs = copy(args);
      try {
        m.invoke(null, mine);
      } catch (InvocationTargetException e) {
        continue; // a point outside the method's domain
      }
      twin.invoke(null, theirs);
      double[] want = arrayNumbers(mine);
      double[] got = arrayNumbers(theirs);
      if (Arrays.stream(want).anyMatch(v -> !Double.isFinite(v))) {
        continue;
      }
      assertClose(want, got, tolerance, m.getName() + " at " + Arrays.deepToString(args));
      compared++;
    }
    return compared;
  }

  /** The numbers of the array arguments, flattened. */
  private static double[] arrayNumbers(Object[] args) {
    java.util.List<Double> out = new java.util.ArrayList<>();
    for (Object v : args) {
      addNumbers(v instanceof Number ? null : v, out);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Arguments for the parameter types, or null when one is of a type this cannot make. */
  private static Object[] arguments(Class<?>[] types, Random random, int shape) {
    int length = shape == 0 ? 4 : 12;
    Object[] out = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      if (types[i] == double.class) {
        out[i] = 0.3 + random.nextDouble();
      } else if (types[i] == float.class) {
        out[i] = (float) (0.3 + random.nextDouble());
      } else if (types[i] == int.class) {
        out[i] = shape == 0 ? 3 : 2;
      } else if (types[i] == double[].class) {
        out[i] = random.doubles(length, 0.3, 1.3).toArray();
      } else if (types[i] == float[].class) {
        float[] f = new float[length];
        for (int j = 0; j < length; j++) {
          f[j] = (float) (0.3 + random.nextDouble());
        }
        out[i] = f;
      } else if (types[i] == double[][].class) {
        out[i] = new double[][] {random.doubles(4, 0.3, 1.3).toArray(), random.doubles(4, 0.3, 1.3).toArray(),
            random.doubles(4, 0.3, 1.3).toArray(), random.doubles(4, 0.3, 1.3).toArray()};
      } else {
        return null;
      }
    }
    return out;
  }

  private static Object[] copy(Object[] args) {
    Object[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] instanceof double[] d) {
        out[i] = d.clone();
      } else if (out[i] instanceof float[] f) {
        out[i] = f.clone();
      } else if (out[i] instanceof double[][] m) {
        out[i] = Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
      }
    }
    return out;
  }

  /** The record's numbers, component by component, arrays flattened. */
  private static double[] numbers(Object record) {
    java.util.List<Double> out = new java.util.ArrayList<>();
    for (RecordComponent rc : record.getClass().getRecordComponents()) {
      try {
        addNumbers(rc.getAccessor().invoke(record), out);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Adds a number's value, or an array's elements, to {@code out} (anything else adds nothing). */
  private static void addNumbers(Object v, java.util.List<Double> out) {
    if (v instanceof Number n) {
      out.add(n.doubleValue());
    } else if (v instanceof double[] d) {
      Arrays.stream(d).forEach(out::add);
    } else if (v instanceof double[][] m) {
      Arrays.stream(m).forEach(row -> Arrays.stream(row).forEach(out::add));
    } else if (v instanceof float[] f) {
      for (float x : f) {
        out.add((double) x);
      }
    }
  }
}
