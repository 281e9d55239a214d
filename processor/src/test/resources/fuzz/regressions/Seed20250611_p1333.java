// Adjoint fuzz failure: COMPILE_ERROR ADJ244
//   Shrink.java:296: [ADJ244] the tape operation popInto is not supported by Mode.HVP yet; remove Mode.HVP from modes (reverse and forward mode support it)
// from: -Dadjoint.fuzz.seed=20250611 -Dadjoint.fuzz.only=1333 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL,LANG
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;

class Seed20250611_p1333 {
  @Differentiable
  static double p1333_h1(double u) {
    u = 0.5;
    return 0.5;
  }
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double p1333(int n, double[] x, double c, double b, double a) {
    b += c;
    x[1] += 0.5;
    double[] w0 = new double[3];
    double acc1 = c;
    for (int i2 = 0; i2 < 4; i2++) {
      for (int j4 = 0; j4 < 3; j4++) {
        w0[j4] = b;
      }
      double t5 = Math.tanh(w0[0]);
      acc1 += 0.5 * Math.tanh(t5 * Math.tanh(t5));
    }
    return acc1;
  }
  static double valueDd(double a, double b) {
    final org.apache.commons.numbers.core.DD p = org.apache.commons.numbers.core.DD.ofProduct(a, b);
    return p.hi() + org.apache.commons.numbers.core.DD.ofSum(p.lo(), a).doubleValue();
  }

  static double valueSum(double a, double b, double c) {
    final org.apache.commons.numbers.core.Sum s = org.apache.commons.numbers.core.Sum.of(a);
    s.add(b).addProduct(b, c);
    return s.getAsDouble();
  }

  static final class Settings {
    private final double eps;
    private final int steps;

    Settings(double eps, int steps) {
      this.eps = eps;
      this.steps = steps;
    }

    double getEps() {
      return eps;
    }

    int getSteps() {
      return steps;
    }
  }

  static double valueSettings(double a, double b) {
    Settings t = new Settings(0.25, 2);
    double s = 0;
    for (int i = 0; i < t.getSteps(); i++) {
      s += Math.sin(a * t.getEps() + b * i);
    }
    return s + signed(a * b, null);
  }

  static double signed(double x, int[] sign) {
    if (sign != null) {
      sign[0] = x < 0 ? -1 : 1;
    }
    return x * x;
  }
}
