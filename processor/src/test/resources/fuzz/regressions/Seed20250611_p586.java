// Adjoint fuzz failure: GENERATED_CODE_ERROR compiler.err.operator.cant.be.applied.1
//   ShrinkGrad.java:592: bad operand types for binary operator '<'
//   first type:  double
//   second type: boolean
// from: -Dadjoint.fuzz.seed=20250611 -Dadjoint.fuzz.only=586 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL
package fuzz;

import dev.adjoint.Differentiable;

class Seed20250611_p586 {
  @Differentiable
  static double p586_h1(double u, double v) {
    return 0.5;
  }
  @Differentiable
  static double p586(double[] y, double[] x, double a, double b) {
    double t1 = 0.5;
    return (0.5 >= p586_h1(a, (2.0 < (0.5 < 0.3 ? t1 : t1) ? t1 : 3.0)) ? 0.5 : a);
  }
}
