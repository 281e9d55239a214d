package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;

/** Fresh copies made with clone(): of a parameter and of a row, then written while the originals are read. */
class Copies {
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double smooth(double[] x, double[][] m, double alpha) {
    double[] s = x.clone();
    double[] row = m[1].clone();
    for (int i = 1; i < s.length; i++) {
      s[i] = alpha * s[i] + (1 - alpha) * s[i - 1];
    }
    double r = 0;
    for (int i = 0; i < x.length; i++) {
      r += (x[i] - s[i]) * row[i];
    }
    return r;
  }
}
