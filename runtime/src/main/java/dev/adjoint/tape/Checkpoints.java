package dev.adjoint.tape;

/**
 * The copies of a checkpointed loop's state ({@code checkpoint:}) that generated code keeps where the
 * {@link Revolve} schedule says: room for them, a copy into a slot (reusing the array a slot held before),
 * and a copy put back into the loop's own arrays.
 */
public final class Checkpoints {
  private Checkpoints() {}

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

  /** A copy of the array in {@code into} (what the slot held before, or null) when it fits, else a new one. */
  public static double[] save(double[] a, double[] into) {
    if (into == null || into.length != a.length) {
      return a.clone();
    }
    System.arraycopy(a, 0, into, 0, a.length);
    return into;
  }

  /** A copy of the matrix, row by row. */
  public static double[][] save(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }

  /** A copy of the matrix in {@code into}'s rows where they fit, else in new ones. */
  public static double[][] save(double[][] a, double[][] into) {
    if (into == null || into.length != a.length) {
      return save(a);
    }
    for (int i = 0; i < a.length; i++) {
      into[i] = save(a[i], into[i]);
    }
    return into;
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
