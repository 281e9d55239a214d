package dev.adjoint.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by the tensor runtime: products, strides, broadcasting, dimension checks. */
public final class Shapes {
  private Shapes() {}

  /** Number of elements of a shape; rejects negative extents and int overflow. */
  public static int product(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
      }
    }
    return (int) n;
  }

  /** Row-major strides of a contiguous tensor of this shape. */
  public static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  /** The NumPy broadcast of two shapes, or an IllegalArgumentException naming {@code op} and both shapes. */
  public static int[] broadcast(String op, int[] a, int[] b) {
    int r = Math.max(a.length, b.length);
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int da = i < r - a.length ? 1 : a[i - (r - a.length)];
      int db = i < r - b.length ? 1 : b[i - (r - b.length)];
      if (da == db || db == 1) {
        out[i] = da;
      } else if (da == 1) {
        out[i] = db;
      } else {
        throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
            + " cannot be broadcast together: dimension " + i + " (from the left of the broadcast shape) is "
            + da + " vs " + db);
      }
    }
    return out;
  }

  /**
   * Strides for reading a contiguous tensor of {@code shape} as if it had the (broadcast) shape {@code target}:
   * 0 along the axes it is broadcast over. Assumes {@code shape} broadcasts to {@code target}.
   */
  static int[] broadcastStrides(int[] shape, int[] target) {
    int[] own = strides(shape);
    int[] s = new int[target.length];
    int off = target.length - shape.length;
    for (int i = 0; i < target.length; i++) {
      if (i < off) {
        s[i] = 0;
      } else {
        s[i] = shape[i - off] == 1 && target[i] != 1 ? 0 : own[i - off];
      }
    }
    return s;
  }

  /** True if {@code shape} broadcasts to exactly {@code target} (right-aligned, each dim equal or 1). */
  public static boolean broadcastsTo(int[] shape, int[] target) {
    if (shape.length > target.length) {
      return false;
    }
    int off = target.length - shape.length;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] != 1 && shape[i] != target[i + off]) {
        return false;
      }
    }
    return true;
  }

  /** Normalises a possibly negative dimension index for a tensor of rank {@code rank}, naming {@code op} on error. */
  public static int dim(String op, int dim, int rank) {
    int d = dim < 0 ? dim + rank : dim;
    if (d < 0 || d >= rank) {
      throw new IllegalArgumentException(op + ": dimension " + dim + " out of range for a tensor of rank " + rank
          + " (valid: " + (-rank) + ".." + (rank - 1) + ")");
    }
    return d;
  }

  /** The extents around dimension {@code d}: {outer (product before d), shape[d], inner (product after d)}. */
  public static int[] split(int[] shape, int d) {
    int outer = 1;
    int inner = 1;
    for (int i = 0; i < d; i++) {
      outer *= shape[i];
    }
    for (int i = d + 1; i < shape.length; i++) {
      inner *= shape[i];
    }
    return new int[] {outer, shape[d], inner};
  }

  /** The full index of row-major element {@code flat} of a tensor of {@code shape}. */
  public static int[] unflatten(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % shape[d];
      flat /= shape[d];
    }
    return idx;
  }

  /** {@code Arrays.toString} for shapes, used in error messages. */
  public static String str(int[] shape) {
    return Arrays.toString(shape);
  }

  /** Shape with the extent at {@code d} removed. */
  static int[] remove(int[] shape, int d) {
    int[] out = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != d) {
        out[j++] = shape[i];
      }
    }
    return out;
  }

  /** Shape with {@code extent} inserted at position {@code d}. */
  static int[] insert(int[] shape, int d, int extent) {
    int[] out = new int[shape.length + 1];
    for (int i = 0, j = 0; i < out.length; i++) {
      out[i] = i == d ? extent : shape[j++];
    }
    return out;
  }
}
