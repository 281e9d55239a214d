package dev.adjoint.nn;

import dev.adjoint.tensor.Parallel;
import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;

/** The (log-)softmax kernels along one dimension, shared by {@link Layers} and {@link Loss}. */
final class Softmax {
  private Softmax() {}

  static Tensor forward(String op, Tensor x, int dim, boolean log) {
    int[] shape = x.shape();
    int d = Shapes.dim(op, dim, shape.length);
    int[] s = Shapes.split(shape, d);
    int outer = s[0];
    int len = s[1];
    int inner = s[2];
    double[] xd = x.data();
    double[] out = new double[xd.length];
    Parallel.range(outer * inner, len, (lo, hi) -> {
      for (int r = lo; r < hi; r++) {
        int base = r / inner * len * inner + r % inner;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
          max = Math.max(max, xd[base + j * inner]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
          max = 0; // all -inf: keep exp(x - max) = 0 instead of NaN from -inf - -inf
        }
        double sum = 0;
        for (int j = 0; j < len; j++) {
          double e = Math.exp(xd[base + j * inner] - max);
          out[base + j * inner] = e;
          sum += e;
        }
        if (log) {
          double lse = Math.log(sum);
          for (int j = 0; j < len; j++) {
            int q = base + j * inner;
            out[q] = xd[q] - max - lse;
          }
        } else {
          double inv = 1.0 / sum;
          for (int j = 0; j < len; j++) {
            out[base + j * inner] *= inv;
          }
        }
      }
    });
    return Tensor.wrap(out, shape);
  }

  static Tensor softmaxVjp(Tensor gy, Tensor y, int dim) {
    int[] shape = y.shape();
    int d = Shapes.dim("softmaxVjpX", dim, shape.length);
    int[] s = Shapes.split(shape, d);
    double[] g = gy.data();
    double[] yd = y.data();
    double[] out = new double[yd.length];
    Parallel.range(s[0] * s[2], s[1], (lo, hi) -> {
      for (int r = lo; r < hi; r++) {
        int base = r / s[2] * s[1] * s[2] + r % s[2];
        double dot = 0;
        for (int j = 0; j < s[1]; j++) {
          int q = base + j * s[2];
          dot += g[q] * yd[q];
        }
        for (int j = 0; j < s[1]; j++) {
          int q = base + j * s[2];
          out[q] = yd[q] * (g[q] - dot);
        }
      }
    });
    return Tensor.wrap(out, shape);
  }

  static Tensor logSoftmaxVjp(Tensor gy, Tensor y, int dim) {
    int[] shape = y.shape();
    int d = Shapes.dim("logSoftmaxVjpX", dim, shape.length);
    int[] s = Shapes.split(shape, d);
    double[] g = gy.data();
    double[] yd = y.data();
    double[] out = new double[yd.length];
    Parallel.range(s[0] * s[2], s[1], (lo, hi) -> {
      for (int r = lo; r < hi; r++) {
        int base = r / s[2] * s[1] * s[2] + r % s[2];
        double sum = 0;
        for (int j = 0; j < s[1]; j++) {
          sum += g[base + j * s[2]];
        }
        for (int j = 0; j < s[1]; j++) {
          int q = base + j * s[2];
          out[q] = g[q] - Math.exp(yd[q]) * sum;
        }
      }
    });
    return Tensor.wrap(out, shape);
  }
}
