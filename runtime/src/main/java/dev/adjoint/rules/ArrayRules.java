package dev.adjoint.rules;

/**
 * Array helpers that generated gradients call: adjoint arrays shaped like their primal, copies of
 * parameter arrays the method writes to, and the accumulation of a callee's array gradient.
 */
public final class ArrayRules {
  private ArrayRules() {}

  /** A zero array as long as {@code a}; null for null (an array whose declaration never ran). */
  public static double[] zerosLike(double[] a) {
    return a == null ? null : new double[a.length];
  }

  /** A zero float array as long as {@code a} (a zero gradient or tangent of a float[]); null for null. */
  public static float[] zerosLike(float[] a) {
    return a == null ? null : new float[a.length];
  }

  /** A zero array with the shape of {@code a} (rows may differ in length); null for null. */
  public static double[][] zerosLike(double[][] a) {
    if (a == null) {
      return null;
    }
    double[][] z = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      z[i] = a[i] == null ? null : new double[a[i].length];
    }
    return z;
  }

  /**
   * The gradient of a {@code float[]} parameter, from its adjoint: adjoints of float values
   * accumulate in double (more accurate when many contributions are summed) and are rounded to
   * float once, here.
   */
  public static float[] toFloats(double[] adjoint) {
    float[] g = new float[adjoint.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) adjoint[i];
    }
    return g;
  }

  /** A deep copy, so that a method writing into a parameter leaves the caller's array alone. */
  public static double[][] copy(double[][] a) {
    if (a == null) {
      return null;
    }
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i] == null ? null : a[i].clone();
    }
    return c;
  }

  /** {@code acc += g * d}, element by element; the lengths must agree. */
  public static void addScaled(double[] acc, double g, double[] d) {
    if (d.length != acc.length) {
      throw new IllegalArgumentException("gradient of length " + d.length
          + " for an array of length " + acc.length);
    }
    for (int i = 0; i < acc.length; i++) {
      acc[i] += g * d[i];
    }
  }

  /**
   * {@code Σ a[i] * b[i]}: a hand-written array partial applied to a tangent, in forward mode; the
   * lengths must agree.
   */
  public static double dot(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("partial of length " + a.length + " for a tangent of length " + b.length);
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** {@code acc += d}, element by element: a callee's seed-weighted array gradient. */
  public static void add(double[] acc, double[] d) {
    addScaled(acc, 1, d);
  }

  /** {@code acc += d}, element by element: a callee's gradient of a float[] argument, into its double adjoint. */
  public static void add(double[] acc, float[] d) {
    if (d.length != acc.length) {
      throw new IllegalArgumentException("gradient of length " + d.length
          + " for an array of length " + acc.length);
    }
    for (int i = 0; i < acc.length; i++) {
      acc[i] += d[i];
    }
  }

  /** {@code acc += g * d}, element by element, for a float[] partial; the lengths must agree. */
  public static void addScaled(double[] acc, double g, float[] d) {
    if (d.length != acc.length) {
      throw new IllegalArgumentException("gradient of length " + d.length
          + " for an array of length " + acc.length);
    }
    for (int i = 0; i < acc.length; i++) {
      acc[i] += g * d[i];
    }
  }

  /** {@code acc += d} for two-dimensional arrays of the same shape. */
  public static void add(double[][] acc, double[][] d) {
    addScaled(acc, 1, d);
  }

  /** {@code acc += g * d} for two-dimensional arrays of the same shape. */
  public static void addScaled(double[][] acc, double g, double[][] d) {
    if (d.length != acc.length) {
      throw new IllegalArgumentException("gradient with " + d.length
          + " rows for an array with " + acc.length + " rows");
    }
    for (int i = 0; i < acc.length; i++) {
      addScaled(acc[i], g, d[i]);
    }
  }

  /**
   * Fails when two array parameters of a method that writes into one of them are the same array:
   * the gradient with respect to values on entry would then be ambiguous.
   */
  public static void checkDistinct(String method, String a, Object x, String b, Object y) {
    if (x != null && x == y) {
      throw new IllegalArgumentException(method + ": parameters '" + a + "' and '" + b
          + "' are the same array, and the method writes into one of them; pass a copy");
    }
  }
}
