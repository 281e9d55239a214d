package dev.adjoint.corpus;

import dev.adjoint.Differentiable;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.special.Erf;
import org.hipparchus.special.Gamma;
import org.hipparchus.util.FastMath;

/**
 * Code written the way numeric libraries write it, not for Adjoint: private constants computed at
 * class initialisation, private and package-private helpers that are not annotated (differentiated
 * on demand, in this class and in {@link OnDemandHelpers}), a recursive helper, overloads, and
 * Hipparchus's {@code FastMath}. {@code ScalarCorpusTest} checks each against finite differences
 * and Hipparchus.
 */
final class OnDemandCorpus {
  private OnDemandCorpus() {}

  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
  private static final double HALF = 0.5;
  private static final double SCALE = 2 * HALF + OnDemandHelpers.OFFSET;

  private static double square(double v) {
    return v * v;
  }

  /** The log-density of a normal distribution, with a private constant and a private helper. */
  @Differentiable
  static double gaussianLogPdf(double x, double mu, double sigma) {
    double z = (x - mu) / sigma;
    return -HALF * square(z) - FastMath.log(sigma) - LOG_SQRT_2PI;
  }

  /** A chain of helpers across classes: softplus, then its private log1pExp, then FastMath. */
  @Differentiable
  static double chain(double x, double y) {
    return OnDemandHelpers.softplus(x * y) + SCALE * OnDemandHelpers.softplus(-y);
  }

  /** A recursive helper that is not annotated. */
  @Differentiable
  static double recursive(double x) {
    return OnDemandHelpers.power(x, 4) + OnDemandHelpers.power(FastMath.sin(x), 3);
  }

  /** Overloads: javac picks scale(double) for a double and scale(int) for an int. */
  @Differentiable
  static double overloads(double x, int n) {
    return OnDemandHelpers.scale(x) * OnDemandHelpers.scale(n) + OnDemandHelpers.scale(x * n);
  }

  /** A private helper called with a constant (its value comes from its generated gradient) and with x. */
  @Differentiable
  static double privateConstantCall(double x) {
    return square(3.0) * x + square(x) * OnDemandHelpers.hypot(x, 2.0);
  }

  /** A library method (Hipparchus's log-gamma) with its rule written in another class, {@link OnDemandRules}. */
  @Differentiable
  static double withLibraryRule(double x) {
    return Gamma.logGamma(x * x + 1) * x;
  }

  /**
   * Commons Numbers' finiteGammaQ: an int counter against a double bound ({@code n < a}), which
   * the reverse sweep must not turn into an int last index.
   */
  @Differentiable
  static double finiteGammaQ(double a, double x) {
    double sum = Math.exp(-x);
    double term = sum;
    for (int n = 1; n < a; ++n) {
      term /= n;
      term *= x;
      sum += term;
    }
    return sum;
  }

  /** A distribution held in a static field, as finmath holds Commons Math's: its methods have rules. */
  static final NormalDistribution NORMAL = new NormalDistribution(0.5, 1.5);

  private static final double[] NUM = {1, 2, 0.5};
  private static final int[] DEN = {2, 1, 1};

  /** A distribution's cumulative, density and inverse cumulative probabilities, and the error functions. */
  @Differentiable
  static double distributions(double x, double s) {
    double p = 0.3 + 0.4 / (1 + x * x);
    return NORMAL.cumulativeProbability(x * s) + NORMAL.density(x) * s + NORMAL.inverseCumulativeProbability(p)
        + Erf.erf(x) * Erf.erfc(s) + Erf.erf(x, s) + Erf.erfInv(0.5 * Math.tanh(x)) + Erf.erfcInv(1 + 0.5 * Math.tanh(s));
  }

  /** Settings from a static factory, passed to a helper that reads them through getters. */
  @Differentiable
  static double settingsObject(double x) {
    return OnDemandHelpers.expSeries(x, OnDemandHelpers.Settings.getDefault()) * x;
  }

  /** Constant tables given as arguments to a helper. */
  @Differentiable
  static double constantTables(double x) {
    return OnDemandHelpers.rational(NUM, DEN, x * x + 1) * x;
  }

  /** The sign and exponent functions of Math: copySign, scalb, nextUp, nextDown, ulp, IEEEremainder. */
  @Differentiable
  static double signsAndExponents(double x, double y) {
    return Math.copySign(x * x + 1, y) + Math.scalb(x, 3) + Math.nextUp(x * y) + Math.nextDown(y) * Math.ulp(1.0)
        + StrictMath.copySign(x, -2.0) + Math.IEEEremainder(x, 0.75 + y * y) + FastMath.scalb(y, -1);
  }

  private static final double LIMIT = 10;

  /** Commons Numbers' isOdd: a private helper with a boolean answer, which the generated class cannot call. */
  private static boolean isOdd(double v) {
    return (((long) -v) & 0x1) == 1;
  }

  /**
   * A private boolean helper, a private constant in a thrown exception's message, and booleans
   * assigned in a chain ({@code isInt = isHalfInt = false}).
   */
  @Differentiable
  static double parity(double x) {
    if (x > LIMIT) {
      throw new IllegalArgumentException("x > " + LIMIT);
    }
    double fl = Math.floor(x);
    boolean odd;
    boolean negative;
    if (x < 0) {
      odd = negative = isOdd(fl);
    } else {
      negative = odd = false;
    }
    return isOdd(fl) ? -x * x : negative || odd ? x : 2 * x * x;
  }

  /** A private @Differentiable method that calls itself (Commons Numbers' erfImp), which its caller reads through its gradient. */
  @Differentiable
  private static double reflected(double x, boolean invert) {
    if (invert) {
      return 1 - reflected(-x, false);
    }
    return Math.exp(x) / (1 + Math.exp(x));
  }

  @Differentiable
  static double privateRecursive(double x) {
    return reflected(x, true) * reflected(2 * x, false);
  }

  /** Two overloads differentiated on demand (Commons Numbers' ibetaPowerTerms calls its own overload). */
  @Differentiable
  static double overloadsOnDemand(double x, double y) {
    return OnDemandHelpers.blend(x) + OnDemandHelpers.blend(x, y);
  }

  @Differentiable
  static double mix(double x, double w) {
    return w * x * x;
  }

  /** An overload of a @Differentiable method, differentiated on demand (finmath's blackScholesOptionValue). */
  static double mix(double x) {
    return mix(x, 0.5) + x;
  }

  @Differentiable
  static double overloadOfAnnotated(double x) {
    return mix(x) * mix(x, x);
  }

  /** A parameter named value (finmath's blackModelCapletImpliedVolatility): its gradient is the component valueBar. */
  @Differentiable
  static double valueParameter(double value, double x) {
    return value * value * x + Math.sin(value);
  }

  /** Objects that carry no derivative in locals, one reassigned in a loop (kept on the tape for the reverse sweep). */
  @Differentiable
  static double settingsLocals(double x) {
    OnDemandHelpers.Settings s = OnDemandHelpers.Settings.getDefault();
    var t = s;
    double sum = 0;
    for (int i = 0; i < 3; i++) {
      OnDemandHelpers.Settings u = t;
      sum += x * x * u.getMaxTerms() + Math.sin(x) * u.getEps();
      t = OnDemandHelpers.Settings.getDefault();
    }
    return sum * (s.isLoose() ? 2 : 1);
  }

  /** The kind of a barrier, as finmath's BarrierOptions passes it. */
  enum Barrier { UP_IN, DOWN_IN, UP_OUT, DOWN_OUT }

  /** A switch on an enum parameter, old style with fall-through and new style. */
  @Differentiable
  static double enumSwitch(double x, double y, Barrier barrier) {
    int eta;
    switch (barrier) {
      case UP_IN:
      case UP_OUT:
        eta = -1;
        break;
      case DOWN_IN:
        eta = 1;
        break;
      default:
        throw new IllegalArgumentException("unknown barrier " + barrier);
    }
    double v;
    switch (barrier) {
      case UP_IN, DOWN_IN -> v = x * y;
      default -> v = Math.exp(x) - y;
    }
    return eta * v;
  }

  /** Hipparchus's special functions with built-in rules: digamma, gamma, log-beta. */
  @Differentiable
  static double specialFunctions(double x, double y) {
    return Gamma.digamma(x) * y + org.hipparchus.special.Beta.logBeta(x, y) + Gamma.gamma(y) / x;
  }

  private static final double SPREAD = 0.8;
  private static final NormalDistribution PRIVATE_NORMAL = new NormalDistribution(-0.25, SPREAD);

  /** A private distribution constant: copied into the generated class, made from the same constants. */
  @Differentiable
  static double privateDistribution(double x) {
    return PRIVATE_NORMAL.cumulativeProbability(x) * PRIVATE_NORMAL.density(x * x);
  }
}
