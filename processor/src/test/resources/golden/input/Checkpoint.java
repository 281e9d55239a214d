package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/** A time-stepping loop labelled checkpoint: reversed by the binomial schedule from copies of its state. */
class Checkpoint {
  @Differentiable
  static double heat(double[] u0, int steps, @NoDerivative double r) {
    int n = u0.length;
    double[] u = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = u0[i];
    }
    double[] next = new double[n];
    double peak = 0;
    checkpoint:
    for (int t = 0; t < steps; t++) {
      for (int i = 1; i < n - 1; i++) {
        next[i] = u[i] + r * (u[i - 1] - 2 * u[i] + u[i + 1]);
      }
      for (int i = 1; i < n - 1; i++) {
        u[i] = next[i];
      }
      peak = Math.max(peak, u[n / 2]);
    }
    return peak;
  }
}
