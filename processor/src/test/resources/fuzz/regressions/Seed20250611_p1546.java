// Adjoint fuzz failure: GENERATED_CODE_ERROR compiler.err.cant.resolve.location
//   ShrinkGrad.java:425: cannot find symbol
//   symbol:   variable k15
//   location: class fuzz.ShrinkGrad
// from: -Dadjoint.fuzz.seed=20250611 -Dadjoint.fuzz.only=1546 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL
package fuzz;

import dev.adjoint.Differentiable;

class Seed20250611_p1546 {
  @Differentiable
  static double p1546(double[] y, int n, double a, double[] x) {
    double s2 = (0.5 < x[1] ? 0.5 : a);
    double t6 = s2;
    if (t6 > 0.1) {
      double s14 = 0.5;
      int k15 = 0;
      while ((s14 < 3.0) && k15 < 6) {
        k15++;
        x[k15 % 1] = s14;
      }
    }
    return t6;
  }
}
