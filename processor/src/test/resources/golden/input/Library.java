package golden;

import dev.adjoint.Differentiable;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.special.Erf;
import org.hipparchus.util.FastMath;

/**
 * Code as a numeric library writes it: private constants (one folded, one computed at class
 * initialisation and copied), a private helper and a package-private one, neither annotated
 * (differentiated on demand), FastMath, and library methods with rules (a distribution held in a
 * constant, the error function).
 */
final class Library {
  private Library() {}

  private static final double HALF = 0.5;
  private static final double LOG_SQRT_2PI = HALF * Math.log(2 * Math.PI);

  private static double logistic(double t) {
    return 1 / (1 + FastMath.exp(-t));
  }

  static double logLikelihood(double mu, double sigma, double x) {
    double z = (x - mu) / sigma;
    return -HALF * z * z - FastMath.log(sigma) - LOG_SQRT_2PI;
  }

  @Differentiable
  static double score(double mu, double sigma, double x, double w) {
    return logLikelihood(mu, sigma, x) * logistic(w);
  }

  static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

  /** A distribution held in a constant and the error function: library methods with rules. */
  @Differentiable
  static double tail(double x, double s) {
    return NORMAL.cumulativeProbability(x / s) - Erf.erf(x) * NORMAL.density(x);
  }
}
