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

  /**
   * Settings passed along, as Commons Numbers passes its {@code Policy}: an object that carries no
   * derivative, read through getters of final fields.
   */
  static final class Settings {
    private static final Settings DEFAULT = new Settings(1e-15, 60);
    private final double eps;
    private final int maxTerms;

    Settings(double eps, int maxTerms) {
      this.eps = eps;
      this.maxTerms = maxTerms;
    }

    static Settings getDefault() {
      return DEFAULT;
    }

    double getEps() {
      return eps;
    }

    int getMaxTerms() {
      return maxTerms;
    }

    boolean isLoose() {
      return eps > 1e-8;
    }
  }

  /** exp(x) - 1 - x as a series, summed until a term is below the settings' tolerance. */
  static double expSeries(double x, Settings settings) {
    double term = x;
    double sum = 0;
    for (int n = 2; n < settings.getMaxTerms(); n++) {
      term *= x / n;
      sum += term;
      if (Math.abs(term) < settings.getEps() * Math.abs(sum)) {
        break;
      }
    }
    return settings.isLoose() ? sum : sum + 0.0;
  }

  /** A rational function of fixed coefficient tables, given as arrays (Commons Numbers' Lanczos sums). */
  static double rational(double[] num, int[] den, double x) {
    double p = 0;
    double q = 0;
    for (int i = num.length - 1; i >= 0; i--) {
      p = p * x + num[i];
      q = q * x + den[i];
    }
    return p / q;
  }

  static double blend(double x, double y) {
    return x * y + FastMath.sin(x);
  }

  /** An overload of blend, differentiated on demand beside it (into blend1, beside blend2). */
  static double blend(double x) {
    return blend(x, 2.0) * x;
  }
}
