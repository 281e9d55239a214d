// Adjoint fuzz failure: GENERATED_CODE_ERROR compiler.err.cant.resolve.location
//   ShrinkGrad.java:470: cannot find symbol
//   symbol:   variable t1Dot
//   location: class fuzz.ShrinkGrad
//   ShrinkGrad.java:471: cannot find symbol
//   symbol:   variable t1
//   location: class fuzz.ShrinkGrad
// from: -Dadjoint.fuzz.seed=4444 -Dadjoint.fuzz.only=1052 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL,LANG
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;

class Seed4444_p1052 {
  static double p1052_h0(double u) {
    return u;
  }
  static double p1052_h1(double u) {
    double t0 = 0.5;
    double t1 = u;
    t1 *= p1052_h0(0.5);
    return u;
  }
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double p1052(double a) {
    if (1.5 >= a) {
      return p1052_h1(a);
    }
    return 0.5;
  }
}
