package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * Time steps that overwrite a whole state array: saved in one piece (doubleTape.pushAll), put back in
 * one piece after the step is reversed (doubleTape.popInto); the loss loop returns its sum as it is.
 */
class Stencil {
  @Differentiable
  static double heat(double[] u0, @NoDerivative double[] target, int steps, @NoDerivative double r) {
    int n = u0.length;
    double[] u = u0.clone();
    double[] next = new double[n];
    for (int t = 0; t < steps; t++) {
      for (int i = 1; i < n - 1; i++) {
        next[i] = u[i] + r * (u[i - 1] - 2 * u[i] + u[i + 1]) - 0.1 * u[i] * u[i] * u[i];
      }
      for (int i = 0; i < n; i++) {
        u[i] = next[i];
      }
    }
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double e = u[i] - target[i];
      loss += e * e;
    }
    return loss;
  }
}
