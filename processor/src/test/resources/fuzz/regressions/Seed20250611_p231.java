// Adjoint fuzz failure: GENERATED_CODE_ERROR compiler.err.cant.resolve.location
//   ShrinkGrad.java:2394: cannot find symbol
//   symbol:   variable q12
//   location: class fuzz.ShrinkGrad
// from: -Dadjoint.fuzz.seed=20250611 -Dadjoint.fuzz.only=231 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL
package fuzz;

import dev.adjoint.Differentiable;

class Seed20250611_p231 {
  @Differentiable
  static double p231(double c, int n, double b, double[] x, double a, double[][] w, double[] y) {
    double t0 = 0.7 * (b - (x[x.length - 1] / 2.0));
    c -= 0.1 * (y[0] + w[n % w.length][w[0].length - 1]);
    switch (n) {
      default: {
        double t11 = -Math.sinh(Math.cos(0.25));
        t0 = 1.25;
      }
      break;
      case 1: case 4: {
        double[] q12 = new double[n + 3];
        for (int i13 = 0; i13 < 6; i13++) {
          for (int i14 = 0; i14 < q12.length; i14++) {
            w[(n + 3) % w.length][w[0].length - 1] *= 0.5;
          }
          y[y.length - 1] = 1.25;
        }
      }
      break;
      case 2: {
        c = a;
        b *= -a;
      }
    }
    t0 *= c;
    return c;
  }
}
