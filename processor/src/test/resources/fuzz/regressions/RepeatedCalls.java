// Two calls alike in one expression (found by the tensor fuzzer, seed 31337, t130): each runs its
// own pullback after its seed is computed. The reverse sweep once bound them to one local ahead of
// the seed (generated code that did not compile; with an accumulating pullback, run once for two
// calls, it would have halved the gradient).
// check: twice y={0.7, -0.4, 1.1}
// check: twiceInLoop y={0.3, 0.9, -0.5} w=1.2
package fuzz;

import dev.adjoint.Differentiable;

class RepeatedCalls {
  @Differentiable
  static double half(double[] u) {
    return 0.5 * u[0] * u[0] + u[1];
  }

  @Differentiable
  static double scaled(double a, double w) {
    return Math.sin(a) * w;
  }

  @Differentiable
  static double twice(double[] y) {
    double s = Math.tanh(half(y) + half(y));
    return s * half(y);
  }

  @Differentiable
  static double twiceInLoop(double[] y, double w) {
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += scaled(y[i], w) * scaled(y[i], w);
    }
    return s;
  }
}
