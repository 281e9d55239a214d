package dev.adjoint.corpus;

import dev.adjoint.Differentiable;
import java.util.Objects;

/**
 * Numeric code as published libraries write it, for {@link ControlFlowCorpusTest}: argument checks
 * that throw, calls made for their effect or for a boolean or int answer, bit tests on a varying
 * value that only steer control flow, constant tables, row views of a matrix, labelled loops and
 * assignments inside expressions.
 */
final class LanguageCorpus {
  private LanguageCorpus() {}

  /** Lanczos coefficients (g = 7, n = 9), a package-private constant table. */
  static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
      771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
      9.9843695780195716e-6, 1.5056327351493116e-7};

  static final long SIGN_BIT = 0x8000000000000000L;

  /** Throws unless n is positive: called for its effect. */
  static void checkPositive(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("n = " + n + " must be positive");
    }
  }

  /** log Γ(x) for x > 0.5 by the Lanczos approximation: a check that throws, a table, for-each. */
  @Differentiable
  static double logGamma(double x) {
    if (x <= 0.5) {
      throw new IllegalArgumentException("logGamma needs x > 0.5, got " + x);
    }
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return x;
    }
    double z = x - 1;
    double a = LANCZOS[0];
    double t = z + LANCZOS.length - 1.5;
    for (int i = 1; i < LANCZOS.length; i++) {
      a += LANCZOS[i] / (z + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
  }

  /**
   * A weighted norm with argument checks: requireNonNull and checkPositive for their effect, a
   * throw inside the loop, Double.isFinite steering it.
   */
  @Differentiable
  static double checkedNorm(double[] v, double scale) {
    Objects.requireNonNull(v, "v");
    checkPositive(v.length);
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new ArithmeticException("v[" + i + "] = " + v[i]);
      }
      s += v[i] * v[i];
    }
    return scale * Math.sqrt(s);
  }

  /**
   * Branches on the sign bit and on the binary exponent of x (ints from bits, masks, shifts):
   * piecewise, with derivatives only through the arithmetic on x.
   */
  @Differentiable
  static double bitSteered(double x) {
    long bits = Double.doubleToRawLongBits(x);
    boolean negative = (bits & SIGN_BIT) != 0;
    int e = Math.getExponent(x);
    int bucket = (e & 3) ^ (e >> 1) | (e << 2 >>> 30);
    long round = Math.round(x * 4);
    char unit = 'b';
    int offset = unit - 'a' + (int) (round & 1L) + Integer.bitCount(bucket) + Math.floorMod(e, 3);
    double y = negative ? -x * x : x * x * x;
    return y * (1 + offset) + Double.compare(x, 1.0) * x;
  }

  /** Scales each row of m by x in place through a row view, then sums squares of the rows' sines. */
  @Differentiable
  static double rowViews(double x, double[][] m) {
    double s = 0;
    for (int i = 0; i < m.length; i++) {
      double[] row = m[i];
      for (int j = 0; j < row.length; j++) {
        row[j] *= x;
        s += row[j] * row[j];
      }
      for (double v : row) {
        s += Math.sin(v);
      }
    }
    double[] first = m[0];
    first[1] = s * first[0];
    return first[1] + m[1][0];
  }

  /** Rows summed until a large entry (break outer); a negative entry skips its row (continue outer). */
  @Differentiable
  static double labelledRows(double x, double[][] m) {
    double s = 0;
    outer:
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[i].length; j++) {
        if (m[i][j] < -0.5) {
          continue outer;
        }
        if (m[i][j] > 0.8) {
          break outer;
        }
        s += Math.sin(x * m[i][j]) + s * m[i][j];
      }
      s *= 1.1;
    }
    return s * x;
  }

  /** Assignments inside expressions: a[k] = b[j++] * x, s = t = ..., while ((k += 2) < n), return u * n--. */
  @Differentiable
  static double embedded(double x, double[] b) {
    double[] a = new double[b.length];
    int j = 0;
    for (int k = 0; k < b.length; k++) {
      a[k] = b[j++] * x;
    }
    double s;
    double t;
    s = t = x * 2;
    int i;
    int n;
    i = n = 1;
    int k = -1;
    while ((k += 2) < a.length) {
      s += a[k] * t;
    }
    double u = a[--n] + s * i;
    int m = a.length;
    double last = a[--m];
    return u * last + s * m--;
  }
}
