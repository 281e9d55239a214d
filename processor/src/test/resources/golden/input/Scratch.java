package golden;

import dev.adjoint.Differentiable;

/** Scratch arrays refilled every iteration, an int counter, loop-body locals from exp and tanh. */
class Scratch {
  @Differentiable
  static double triangle(double[] x, double[] mu, double[] lower, int comps) {
    int d = x.length;
    double[] xc = new double[d];
    double[] q = new double[d];
    double s = 0;
    for (int c = 0; c < comps; c++) {
      for (int i = 0; i < d; i++) {
        xc[i] = x[i] - mu[c * d + i];
      }
      for (int i = 0; i < d; i++) {
        q[i] = xc[i];
      }
      int li = 0;
      for (int i = 0; i < d; i++) {
        for (int j = i + 1; j < d; j++) {
          q[j] += lower[li] * xc[i];
          li++;
        }
      }
      double sq = 0;
      for (int i = 0; i < d; i++) {
        sq += q[i] * q[i];
      }
      s += sq;
    }
    return s;
  }

  @Differentiable
  static double gates(double[] x, double w) {
    double h = 0;
    for (int i = 0; i < x.length; i++) {
      double e = Math.exp(w * x[i]);
      double g = Math.tanh(h + e);
      h = g * e;
    }
    return h;
  }
}
