package dev.adjoint.tape;

/**
 * What generated code needs to reverse a loop labelled {@code checkpoint:} without taping all of
 * it: the forward sweep keeps a copy of the loop's state (the variables the body assigns) every
 * {@link #stride} iterations, and the reverse sweep runs each stretch again from its copy, taped,
 * then backwards. With the stride √trips, the tape holds one stretch (√trips iterations) and the
 * copies √trips states, where the whole loop's tape would hold trips iterations; the loop's body
 * runs twice forwards instead of once.
 */
public final class Checkpoints {
  private Checkpoints() {}

  /** Iterations per stretch: ⌈√trips⌉, at least 1. */
  public static int stride(int trips) {
    if (trips <= 0) {
      return 1;
    }
    int s = (int) Math.ceil(Math.sqrt(trips));
    return Math.max(1, s);
  }

  /** How many stretches (and copies of the state) {@code trips} iterations make: ⌈trips / stride⌉. */
  public static int count(int trips, int stride) {
    return trips <= 0 ? 0 : (trips + stride - 1) / stride;
  }

  /** Room for {@code n} copies of a {@code double}. */
  public static double[] slots(double like, int n) {
    return new double[n];
  }

  /** Room for {@code n} copies of an {@code int}. */
  public static int[] slots(int like, int n) {
    return new int[n];
  }

  /** Room for {@code n} copies of an array like {@code like}. */
  public static double[][] slots(double[] like, int n) {
    return new double[n][];
  }

  /** Room for {@code n} copies of a matrix like {@code like}. */
  public static double[][][] slots(double[][] like, int n) {
    return new double[n][][];
  }

  /** A copy of the array, to start a stretch from. */
  public static double[] save(double[] a) {
    return a.clone();
  }

  /** A copy of the matrix, row by row. */
  public static double[][] save(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }

  /** Puts a saved array back into the loop's own array (the same object: other names for it see it). */
  public static void restore(double[] saved, double[] into) {
    System.arraycopy(saved, 0, into, 0, saved.length);
  }

  /** Puts a saved matrix back, row by row, into the loop's own rows. */
  public static void restore(double[][] saved, double[][] into) {
    for (int i = 0; i < saved.length; i++) {
      System.arraycopy(saved[i], 0, into[i], 0, saved[i].length);
    }
  }
}
