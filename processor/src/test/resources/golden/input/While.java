package golden;

import dev.adjoint.Differentiable;

/** A while loop with a data-dependent trip count, a break and an early return. */
class While {
  @Differentiable
  static double grow(double x, int limit) {
    double y = x;
    int steps = 0;
    while (y < 10) {
      double t = Math.sin(y);
      y = y + t * t + 0.5;
      steps++;
      if (steps == limit) {
        break;
      }
    }
    return y;
  }

  @Differentiable
  static double firstAbove(double[] x, double level) {
    for (int i = 0; i < x.length; i++) {
      if (x[i] > level) {
        return x[i] - level;
      }
    }
    return 0;
  }
}
