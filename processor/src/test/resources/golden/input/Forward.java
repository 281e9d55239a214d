package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;

/** Forward mode (mJvp) and Hessian-vector products (mHvp) beside the pullback. */
class Forward {
  /** Straight-line code: each statement beside its tangent's. */
  @Differentiable(modes = Mode.FORWARD)
  static double logistic(double x, double w) {
    double z = w * x;
    double e = Math.exp(-z);
    return 1 / (1 + e);
  }

  /** A loop that overwrites s: forward mode needs no tape. */
  @Differentiable(modes = {Mode.FORWARD, Mode.HVP})
  static double horner(double x, double[] c) {
    double s = 0;
    for (int i = c.length - 1; i >= 0; i--) {
      s = s * x + c[i];
    }
    return s;
  }

  /** A call: the callee gets its own mJvp. */
  @Differentiable(modes = Mode.FORWARD)
  static double twice(double x, double w) {
    double y = logistic(x, w);
    return y * logistic(y, w);
  }
}
