package dev.adjoint.corpus;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * Small {@code @Differentiable} building blocks that {@link ControlFlowCorpus} calls across a class
 * boundary (their gradients land in {@code CorpusHelpersGrad}). Each is also checked on its own in
 * {@link ControlFlowCorpusTest}.
 */
final class CorpusHelpers {
  private CorpusHelpers() {}

  /** Σ w_i x_i: both arrays active. */
  @Differentiable
  static double weightedSum(double[] x, double[] w) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += w[i] * x[i];
    }
    return s;
  }

  /** Σ x_i², over an enhanced for. */
  @Differentiable
  static double sumSquares(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v * v;
    }
    return s;
  }

  /** sqrt(x² + eps²): a smooth |x|; eps is a constant. */
  @Differentiable
  static double smoothAbs(double x, @NoDerivative double eps) {
    return Math.sqrt(x * x + eps * eps);
  }

  /** The Chebyshev polynomial T_n(x) by its three-term recurrence, recursively; early returns. */
  @Differentiable
  static double chebyshev(double x, int n) {
    if (n == 0) {
      return 1;
    }
    if (n == 1) {
      return x;
    }
    return 2 * x * chebyshev(x, n - 1) - chebyshev(x, n - 2);
  }
}
