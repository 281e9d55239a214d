package golden;

import dev.adjoint.Differentiable;
import java.util.Objects;

/**
 * Numeric code as libraries write it: argument checks that throw, a call made for its effect, a
 * boolean answer, a constant table, a row view, a labelled loop and an increment inside an index.
 */
class Checks {
  static final double[] WEIGHTS = {0.5, 0.25, 0.125};

  static void checkSize(int n) {
    if (n < 2) {
      throw new IllegalArgumentException("need 2 rows, got " + n);
    }
  }

  @Differentiable
  static double weightedRows(double x, double[][] m) {
    Objects.requireNonNull(m, "m");
    checkSize(m.length);
    if (Double.isNaN(x)) {
      throw new IllegalArgumentException("x is NaN");
    }
    double s = 0;
    int k = 0;
    rows:
    for (int i = 0; i < m.length; i++) {
      double[] row = m[i];
      for (int j = 0; j < row.length; j++) {
        if (row[j] < 0) {
          continue rows;
        }
        row[j] *= x;
        s += WEIGHTS[k++ % WEIGHTS.length] * row[j];
      }
    }
    return s * s;
  }
}
