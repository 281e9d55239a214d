package dev.adjoint.nn;

/**
 * The error function to full double precision (the JDK has none): a series with positive terms below 2.5, a
 * continued fraction for the tail above, so that neither erf near 0 nor erfc far out loses digits to cancellation.
 */
final class Erf {
  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
  private static final double INV_SQRT_PI = 0.5641895835477563;
  private static final double SPLIT = 2.5;

  private Erf() {}

  /** erf(z). */
  static double erf(double z) {
    if (Double.isNaN(z)) {
      return z;
    }
    double a = Math.abs(z);
    double r = a < SPLIT ? series(a) : 1 - tail(a);
    return z < 0 ? -r : r;
  }

  /** erfc(z) = 1 - erf(z), accurate relative to itself also where it is tiny. */
  static double erfc(double z) {
    if (Double.isNaN(z)) {
      return z;
    }
    if (z < 0) {
      return 1 + erf(-z);
    }
    if (z < SPLIT) {
      return 1 - series(z);
    }
    return tail(z);
  }

  /** erf(a) for 0 ≤ a: 2/√π·e^{-a²}·Σ (2a²)ⁿ·a/(1·3·…·(2n+1)), all terms positive. */
  private static double series(double a) {
    double a2 = 2 * a * a;
    double term = a;
    double sum = a;
    for (int n = 1; n < 200 && term > 1e-17 * sum; n++) {
      term *= a2 / (2 * n + 1);
      sum += term;
    }
    return TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum;
  }

  /** erfc(a) for a ≥ 2.5: e^{-a²}/√π / (a + (1/2)/(a + 1/(a + (3/2)/(a + …)))), by Lentz's method. */
  private static double tail(double a) {
    if (a > 27) {
      return 0; // below the smallest double
    }
    double tiny = 1e-300;
    double f = a;
    double c = a;
    double d = 0;
    for (int n = 1; n < 1000; n++) {
      double an = n * 0.5;
      d = a + an * d;
      d = Math.abs(d) < tiny ? tiny : d;
      d = 1 / d;
      c = a + an / c;
      c = Math.abs(c) < tiny ? tiny : c;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return INV_SQRT_PI * Math.exp(-a * a) / f;
  }
}
