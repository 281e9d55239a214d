// Adjoint fuzz failure: GENERATED_CODE_ERROR compiler.err.prob.found.req
//   ShrinkGrad.java:296: incompatible types: boolean cannot be converted to double
// from: -Dadjoint.fuzz.seed=20250611 -Dadjoint.fuzz.only=523 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL
package fuzz;

import dev.adjoint.Differentiable;

class Seed20250611_p523 {
  @Differentiable
  static double p523_h0(double u, double v) {
    return 0.5;
  }
  @Differentiable
  static double p523(double a, double[] x, double b, int n) {
    double t0 = p523_h0((0.5 > (-0.2) ? a : a), a);
    return t0;
  }
}
