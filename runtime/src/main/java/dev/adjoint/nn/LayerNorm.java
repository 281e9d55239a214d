package dev.adjoint.nn;

import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;

/** The layer-norm kernels over the last dimension: per-row statistics, the forward map and the three rules. */
final class LayerNorm {
  private final int rows;
  private final int d;
  private final double[] xhat;
  private final double[] rstd;

  /** Normalises every row of x (the last dimension): {@code xhat = (x - mean) / sqrt(var + eps)}, var biased. */
  LayerNorm(String op, Tensor x, Tensor weight, Tensor bias, double eps) {
    if (x.dim() < 1) {
      throw new IllegalArgumentException(op + ": input must have at least 1 dimension, got shape "
          + Shapes.str(x.shape()));
    }
    d = x.size(-1);
    if (!weight.sameShape(d) || !bias.sameShape(d)) {
      throw new IllegalArgumentException(op + ": weight " + Shapes.str(weight.shape()) + " and bias "
          + Shapes.str(bias.shape()) + " must both have shape [" + d + "] (the input " + Shapes.str(x.shape())
          + "'s last dimension)");
    }
    if (!(eps >= 0)) {
      throw new IllegalArgumentException(op + ": eps must be >= 0, got " + eps);
    }
    rows = d == 0 ? 0 : x.size() / d;
    double[] xd = x.data();
    xhat = new double[xd.length];
    rstd = new double[rows];
    for (int r = 0; r < rows; r++) {
      int base = r * d;
      double mean = 0;
      for (int j = 0; j < d; j++) {
        mean += xd[base + j];
      }
      mean /= d;
      double var = 0;
      for (int j = 0; j < d; j++) {
        double c = xd[base + j] - mean;
        var += c * c;
      }
      double s = 1 / Math.sqrt(var / d + eps);
      rstd[r] = s;
      for (int j = 0; j < d; j++) {
        xhat[base + j] = (xd[base + j] - mean) * s;
      }
    }
  }

  Tensor forward(Tensor x, Tensor weight, Tensor bias) {
    double[] w = weight.data();
    double[] b = bias.data();
    double[] out = new double[xhat.length];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < d; j++) {
        out[r * d + j] = xhat[r * d + j] * w[j] + b[j];
      }
    }
    return Tensor.wrap(out, x.shape());
  }

  /** {@code rstd · (g - mean(g) - xhat · mean(g·xhat))} per row, with {@code g = gy·weight}. */
  Tensor vjpX(Tensor gy, Tensor x, Tensor weight) {
    double[] g = gy.data();
    double[] w = weight.data();
    double[] out = new double[xhat.length];
    for (int r = 0; r < rows; r++) {
      int base = r * d;
      double mg = 0;
      double mgx = 0;
      for (int j = 0; j < d; j++) {
        double gj = g[base + j] * w[j];
        mg += gj;
        mgx += gj * xhat[base + j];
      }
      mg /= d;
      mgx /= d;
      for (int j = 0; j < d; j++) {
        out[base + j] = rstd[r] * (g[base + j] * w[j] - mg - xhat[base + j] * mgx);
      }
    }
    return Tensor.wrap(out, x.shape());
  }

  /** {@code Σ_rows gy·xhat}. */
  Tensor vjpWeight(Tensor gy) {
    double[] g = gy.data();
    double[] out = new double[d];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < d; j++) {
        out[j] += g[r * d + j] * xhat[r * d + j];
      }
    }
    return Tensor.wrap(out, d);
  }
}
