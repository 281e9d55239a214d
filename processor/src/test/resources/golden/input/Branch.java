package golden;

import dev.adjoint.Differentiable;

/** Branches on active values: the decision is recorded and the taken branch reversed. */
class Branch {
  @Differentiable
  static double smoothStep(double x, double k) {
    double y;
    if (x < 0) {
      y = 0;
    } else if (x < 1) {
      y = k * x * x * (3 - 2 * x);
    } else {
      y = k;
    }
    return y;
  }

  @Differentiable
  static double leaky(double x) {
    return x > 0 ? x : 0.01 * x;
  }
}
