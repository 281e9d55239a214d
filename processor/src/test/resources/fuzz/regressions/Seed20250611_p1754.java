// Adjoint fuzz failure: GENERATED_CODE_ERROR compiler.err.cant.resolve.location
//   ShrinkGrad.java:795: cannot find symbol
//   symbol:   variable k3
//   location: class fuzz.ShrinkGrad
// from: -Dadjoint.fuzz.seed=20250611 -Dadjoint.fuzz.only=1754 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL
package fuzz;

import dev.adjoint.Differentiable;

class Seed20250611_p1754 {
  @Differentiable
  static double p1754(double b, double a, int n, double[] x) {
    switch (1) {
      case 1: case 3: {
        b = b / (0.1 * x.length);
      }
      break;
      case 2: {
        int k3 = 0;
        while ((0.5 < 3.0) && k3 < 4) {
          k3++;
          x[k3] = 0.5;
        }
      }
      break;
    }
    return b;
  }
}
