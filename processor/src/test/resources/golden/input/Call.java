package golden;

import dev.adjoint.Derivative;
import dev.adjoint.Differentiable;

/** Calls: another @Differentiable method, and a method with a hand-written @Derivative. */
class Call {
  @Differentiable
  static double square(double x) {
    return x * x;
  }

  static double softplus(double x) {
    return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
  }

  @Derivative(of = "softplus")
  static double softplusDx(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Differentiable
  static double loss(double w, double b, double[] xs) {
    double s = 0;
    for (double v : xs) {
      s += softplus(w * v + b);
    }
    return s + 0.1 * square(w);
  }
}
