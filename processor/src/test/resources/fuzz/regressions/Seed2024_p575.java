// Adjoint fuzz failure: GRADIENT_MISMATCH
//   d/dw[1][0]: generated 0.0, finite differences 0.27583964580028714 (and 0.27583964581507986 with smaller steps)
// from: -Dadjoint.fuzz.seed=2024 -Dadjoint.fuzz.only=575 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL,LANG
// check: p575 w={{-1.5870598822474786, -0.4963267446983193, 1.988526321317186}, {-0.4153690635277898, -0.9685631497180465, -0.44450569502229254}, {1.8476092318730855, 1.9967768408124633, -1.107835966506216}, {0.677886829108969, 1.5278748564525761, -0.1268180932626044}} x={1.2500034491442102, 1.3662070917571438, 0.5437167747072369, -1.1741959170897962, 1.2988848921892333} y={0.27565718950521356, -1.3284175183535383, 0.4056912057652631} a=1.9047922071938537
// (past the budget, with -Aadjoint.saves=all, the first checkpointed iteration must start from row2At as the taped
// ones left it)
// options: -Aadjoint.saves=all
// options: -Aadjoint.tapeBudget=64
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;

class Seed2024_p575 {
  private static double p575_h0(double u, double v) {
    u = Math.log1p(((u * v) - v) * ((u * v) - v));
    double t0 = (u / (1.0 + Math.exp(Math.tanh(u)))) + v;
    return t0 + Math.log10(1.0 + ((v * t0) * (v * t0)));
  }
  @Differentiable
  static double p575_h1(double u, double v) {
    double t0 = -u;
    return Math.sin(t0 + p575_h0(Math.acos(0.5 * Math.tanh(v)), u));
  }
  @Differentiable
  static double p575(double[][] w, double[] x, double[] y, double a) {
    for (int i0 = 0; i0 < w.length; i0++) {
      double[] row2 = w[i0];
      for (int j1 = 0; j1 < row2.length; j1++) {
        row2[j1] += 0.5 * Math.tanh(x[x.length - 1]);
        a += 0.25 * row2[j1];
      }
    }
    double t3 = Math.sin(a);
    t3 = Math.tanh(a / (1.0 + Math.exp(Math.tanh(a))));
    return ((t3 + a) + w[w.length - 1][2]) - y[y.length - 1];
  }
}
