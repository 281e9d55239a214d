// Hand-written regression: the constructs of real numeric code that stay in the forward sweep or
// are lowered before differentiation: an argument check that throws, calls with boolean and int
// answers, bits that only steer, a labelled loop with continue/break label, a row view written
// through, increments and chained assignments inside expressions.
// check: checksAndBits a=0.7 b=-1.3
// check: checksAndBits a=-2.6 b=0.45
// check: labelledRows a=0.8 w={{0.3, -0.9, 0.5}, {0.2, 0.95, -0.1}, {0.6, 0.1, 0.4}}
// check: labelledRows a=-0.6 w={{-0.7, 0.3, 0.2}, {0.25, 0.35, 0.4}, {0.85, 0.1, 0.2}}
// check: rowsAndIncrements a=0.9 x={0.5, -1.0, 1.5, 0.25} w={{1.0, 2.0, 3.0}, {-1.0, 0.5, 0.25}}
package fuzz;

import dev.adjoint.Differentiable;

class LanguageConstructs {
  static final double[] TABLE = {0.5, -0.25, 0.125};

  @Differentiable
  static double checksAndBits(double a, double b) {
    if (!Double.isFinite(a) || Double.isNaN(b)) {
      throw new IllegalArgumentException("not finite: " + a + ", " + b);
    }
    long bits = Double.doubleToRawLongBits(a);
    int e = Math.getExponent(b);
    int mix = (int) (bits >>> 63) ^ (e & 1) | Double.compare(a, b) << 1;
    double y = (bits & 0x8000000000000000L) != 0 ? a * a : Math.sin(a);
    return y * (1 + mix) + b * TABLE[mix & 1] + Math.abs(b) * TABLE.length;
  }

  @Differentiable
  static double labelledRows(double a, double[][] w) {
    double s = 0.5;
    rows:
    for (int i = 0; i < w.length; i++) {
      for (int j = 0; j < w[i].length; j++) {
        if (w[i][j] < -0.5) {
          continue rows;
        }
        if (w[i][j] > 0.9) {
          break rows;
        }
        s = 0.5 * s + Math.sin(a * w[i][j]);
      }
      s *= 0.9;
    }
    return s * a;
  }

  @Differentiable
  static double rowsAndIncrements(double a, double[] x, double[][] w) {
    double s;
    double t;
    s = t = a * 0.5;
    int k = 0;
    for (int i = 0; i < w.length; i++) {
      double[] row = w[i];
      for (int j = 0; j < row.length; j++) {
        row[j] = row[j] * a + x[k++ % x.length];
        s += row[j] * t;
      }
    }
    int m = x.length;
    while ((m -= 2) >= 0) {
      s += x[m] * x[--k % x.length];
    }
    return s + w[1][2] * a;
  }
}
