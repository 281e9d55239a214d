package dev.adjoint.tensor;

/**
 * Strided copy and strided accumulate over row-major index spaces: the two loops behind broadcastTo, transpose
 * and sumTo. Each walks the output (or input) row by row with an odometer over the outer dimensions, so the
 * innermost loop is a plain strided array loop with no per-element index arithmetic or allocation.
 */
final class Strided {
  private Strided() {}

  /** Returns a new contiguous array of {@code outShape} whose element i reads {@code src} at strides {@code st}. */
  static double[] gather(double[] src, int[] st, int[] outShape) {
    int n = Shapes.product(outShape);
    double[] out = new double[n];
    int r = outShape.length;
    if (n == 0) {
      return out;
    }
    if (r == 0) {
      out[0] = src[0];
      return out;
    }
    int inner = outShape[r - 1];
    int s = st[r - 1];
    int outer = n / inner;
    int[] idx = new int[r];
    int off = 0;
    for (int o = 0, base = 0; o < outer; o++, base += inner) {
      if (s == 1) {
        System.arraycopy(src, off, out, base, inner);
      } else if (s == 0) {
        java.util.Arrays.fill(out, base, base + inner, src[off]);
      } else {
        for (int i = 0, p = off; i < inner; i++, p += s) {
          out[base + i] = src[p];
        }
      }
      for (int d = r - 2; d >= 0; d--) {
        idx[d]++;
        off += st[d];
        if (idx[d] < outShape[d]) {
          break;
        }
        off -= st[d] * outShape[d];
        idx[d] = 0;
      }
    }
    return out;
  }

  /** Adds the contiguous {@code src} of {@code srcShape} into {@code dst}, element i landing at strides {@code dt}. */
  static void scatterAdd(double[] src, int[] srcShape, double[] dst, int[] dt) {
    int n = src.length;
    int r = srcShape.length;
    if (n == 0) {
      return;
    }
    if (r == 0) {
      dst[0] += src[0];
      return;
    }
    int inner = srcShape[r - 1];
    int s = dt[r - 1];
    int outer = n / inner;
    int[] idx = new int[r];
    int off = 0;
    for (int o = 0, base = 0; o < outer; o++, base += inner) {
      if (s == 0) {
        double acc = 0;
        for (int i = 0; i < inner; i++) {
          acc += src[base + i];
        }
        dst[off] += acc;
      } else {
        for (int i = 0, p = off; i < inner; i++, p += s) {
          dst[p] += src[base + i];
        }
      }
      for (int d = r - 2; d >= 0; d--) {
        idx[d]++;
        off += dt[d];
        if (idx[d] < srcShape[d]) {
          break;
        }
        off -= dt[d] * srcShape[d];
        idx[d] = 0;
      }
    }
  }
}
