// Adjoint fuzz failure: COMPILE_ERROR ADJ241
//   Shrink.java:151: [ADJ241] Shrink.p31c11_r0 is called from a method with Mode.FORWARD, but its generated class fuzz.ShrinkGrad has no p31c11_r0Jvp; add Mode.FORWARD to the modes of Shrink.p31c11_r0 and recompile it
// from: -Dadjoint.fuzz.seed=20250611 -Dadjoint.fuzz.only=31 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL,LANG
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;

class Seed20250611_p31 {
  static double p31_r0(double u, int d) {
    if (d <= 0) {
    }
    double t0 = u;
    return u;
  }
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double p31(double a) {
    double t0 = p31_r0(0.1, 0) / 0.5;
    a++;
    outer1:
    for (int i2 = 0; i2 < 3; i2++) {
      a = t0;
    }
    return a;
  }
}
