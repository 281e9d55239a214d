package golden;

import dev.adjoint.Differentiable;

class MathFunctions {
  /** Several arguments active at once: the shared adjoint is bound to a local once. */
  @Differentiable
  static double mix(double a, double b, double c) {
    double r = Math.hypot(a, b) + Math.atan2(a, c);
    double p = Math.pow(a, 3) + Math.pow(b, c) + Math.sqrt(c);
    double m = Math.max(a, b) * Math.abs(c) + Math.floor(a);
    return r * p - m / (a * b + 1);
  }
}
