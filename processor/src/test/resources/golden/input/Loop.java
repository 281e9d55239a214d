package golden;

import dev.adjoint.Differentiable;

/** A counted loop: the index is recomputed backwards, and s += ... saves nothing. */
class Loop {
  @Differentiable
  static double sumOfSquares(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * x[i];
    }
    return s;
  }

  /** Horner's rule: s is overwritten and read, so each old s goes on the tape. */
  @Differentiable
  static double horner(double x, double[] c) {
    double s = 0;
    for (int i = c.length - 1; i >= 0; i--) {
      s = s * x + c[i];
    }
    return s;
  }
}
