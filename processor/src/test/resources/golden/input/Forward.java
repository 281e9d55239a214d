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

  /** float: tangents are carried in double, the result's narrowed like the value. */
  @Differentiable(modes = {Mode.FORWARD, Mode.HVP})
  static float scaled(float x, double y) {
    float z = x * x;
    z += (float) (y * Math.sin(z));
    return z / 2;
  }

  /** HVP through a private helper: the helper's code is inlined into the forward-over-reverse sweep. */
  @Differentiable(modes = {Mode.REVERSE, Mode.HVP})
  static double energy(double[] x, double k) {
    double e = 0;
    for (int i = 0; i < x.length; i++) {
      e += spring(x[i], k);
    }
    return e;
  }

  private static double spring(double d, double k) {
    double s = d - 1;
    return k * s * s * d;
  }

  double rate = 0.5;

  /** An instance method: the receiver comes first, and its fields are constants. */
  @Differentiable(modes = {Mode.FORWARD, Mode.HVP})
  double decay(double x) {
    double s = x;
    for (int i = 0; i < 3; i++) {
      s = s * rate + Math.sqrt(1 + s * s);
    }
    return s;
  }
}
