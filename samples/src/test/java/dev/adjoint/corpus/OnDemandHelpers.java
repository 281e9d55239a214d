package dev.adjoint.corpus;

import org.hipparchus.util.FastMath;

/** Helpers without any Adjoint annotation, which {@link OnDemandCorpus} calls. */
final class OnDemandHelpers {
  private OnDemandHelpers() {}

  static final double OFFSET = 0.25;

  private static final double LN2 = Math.log(2);

  static double softplus(double v) {
    if (v > 30) {
      return v;
    }
    return log1pExp(v);
  }

  private static double log1pExp(double v) {
    return FastMath.log1p(FastMath.exp(v - LN2) * 2);
  }

  static double power(double x, int n) {
    if (n == 0) {
      return 1;
    }
    return x * power(x, n - 1);
  }

  static double scale(double x) {
    return 3 * x;
  }

  static double scale(int n) {
    return n + 0.5;
  }

  static double hypot(double a, double b) {
    return FastMath.sqrt(a * a + b * b);
  }
}
