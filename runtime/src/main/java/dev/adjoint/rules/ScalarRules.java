package dev.adjoint.rules;

/**
 * Partial derivatives that generated code calls where the plain formula would give NaN at a point
 * where the derivative (or a conventional one-sided value) exists. Every other scalar partial is
 * written inline in the generated code.
 */
public final class ScalarRules {
  /** ln 10, for the derivative of log10. */
  public static final double LN10 = 2.302585092994046;

  private ScalarRules() {}

  /**
   * d pow(x, c) / dx = c * x^(c-1), computed without log(x) so that a negative base with an
   * integer exponent has its true derivative. When c == 0 the function is constant, and the
   * formula's 0 * pow(0, -1) = 0 * inf would be NaN, so the answer is 0.
   */
  public static double powBasePartial(double x, double c) {
    return c == 0.0 ? 0.0 : c * Math.pow(x, c - 1.0);
  }

  /**
   * d pow(x, y) / dy = pow(x, y) * ln(x). At x == 0 with y >= 0 the function is constant 0 (or 1 at
   * y == 0) along y's right side, so the partial is taken as 0 (as PyTorch does) rather than
   * 0 * -inf = NaN. For x &lt; 0 the derivative does not exist and the result is NaN, honestly.
   */
  public static double powExponentPartial(double x, double y, double value) {
    if (x == 0.0 && y >= 0.0) {
      return 0.0;
    }
    return value * Math.log(x);
  }

  /**
   * d hypot(x, y) / dx = x / hypot(x, y). At the origin hypot is not differentiable; 0 is its
   * minimal-norm subgradient, used instead of 0 / 0 = NaN.
   */
  public static double hypotPartial(double x, double hypot) {
    return hypot == 0.0 ? 0.0 : x / hypot;
  }

  /**
   * trunc(x / y), the integer quotient that Java's {@code x % y} subtracts: d(x % y)/dy is its
   * negation, wherever x / y is not an integer (there the remainder jumps).
   */
  public static double truncatedQuotient(double x, double y) {
    double q = x / y;
    return q < 0 ? Math.ceil(q) : Math.floor(q);
  }
}
