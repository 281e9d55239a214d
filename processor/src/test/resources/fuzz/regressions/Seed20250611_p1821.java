// Adjoint fuzz failure: GRADIENT_MISMATCH
//   d/da: generated 0.7864477329659274, finite differences 0.24502809555524632 (and 0.24502809555408248 with smaller steps)
// from: -Dadjoint.fuzz.seed=20250611 -Dadjoint.fuzz.only=1821 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL
// check: p1821 x={0.49308371563412434, -0.8317274842367177, -0.2788377475516377, 1.980615116171387, -1.0274699850690308} a=1.3285365094685537 n=4
package fuzz;

import dev.adjoint.Differentiable;

class Seed20250611_p1821 {
  @Differentiable
  static double p1821_r0(double u, int d) {
    return Math.tanh(u);
  }
  @Differentiable
  static double p1821(double[] x, double a, int n) {
    x[2] = p1821_r0(a, 4);
    if (n < 0) {
      a *= 0.5;
    }
    a = 0.5;
    return x[(n + 3) % x.length];
  }
}
