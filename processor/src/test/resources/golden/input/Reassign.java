package golden;

import dev.adjoint.Differentiable;

class Reassign {
  /** Re-assignment: the reverse sweep needs z before line 9 and x on entry, so both are saved. */
  @Differentiable
  static double chain(double x, double y) {
    double z = x * y;
    z = z * Math.sin(x);
    x = x * x;
    z += x / y;
    z -= 3;
    return Math.exp(z) * x;
  }
}
