// Adjoint fuzz failure: GENERATED_CODE_ERROR compiler.err.operator.cant.be.applied
//   ShrinkGrad.java:399: bad operand type boolean for unary operator '-'
// from: -Dadjoint.fuzz.seed=20250611 -Dadjoint.fuzz.only=438 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL
package fuzz;

import dev.adjoint.Differentiable;

class Seed20250611_p438 {
  @Differentiable
  static double p438_h0(double u, double v) {
    return 0.5;
  }
  @Differentiable
  static double p438(int n, double a, double[] x, double[][] w) {
    double t0 = p438_h0(a, -(n < n ? 0.5 : 0.1));
    return t0;
  }
}
