package golden;

import dev.adjoint.Differentiable;

class Clash {
  /** User locals named like generated ones: the generated names step aside. */
  @Differentiable
  static double names(double x, double self) {
    double xBar = x * x;
    double value = xBar + self;
    double tmp = Math.tanh(value);
    return tmp * xBar;
  }
}
