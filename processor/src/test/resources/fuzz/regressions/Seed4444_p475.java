// Adjoint fuzz failure: GRADIENT_MISMATCH
//   d/db: generated 0.5729186931157939, finite differences 0.10726514351172604 (and 0.10726514351159261 with smaller steps)
// from: -Dadjoint.fuzz.seed=4444 -Dadjoint.fuzz.only=475 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL,LANG
// check: p475 x={0.9052338981915229, 0.555919863499442, 0.7347539376728554, -1.6377787158889014} a=-0.7209866986954498 b=-1.7814088059267412 n=0
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;

class Seed4444_p475 {
  @Differentiable
  static double p475(double[] x, double a, double b, int n) {
    checkpoint:
    for (int i5 = 0; i5 < 1; i5++) {
      double t6 = b;
      x[n + n] += Math.tanh(t6);
    }
    b++;
    return x[n % 1];
  }
}
