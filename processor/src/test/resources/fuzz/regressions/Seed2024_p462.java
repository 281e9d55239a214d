// Adjoint fuzz failure: EXCEPTION ArrayIndexOutOfBoundsException
//   the generated gradient threw java.lang.ArrayIndexOutOfBoundsException: Index -2 out of bounds for length 3 at fuzz.ShrinkGrad.p462c17Vjp(ShrinkGrad.java:2341)
// from: -Dadjoint.fuzz.seed=2024 -Dadjoint.fuzz.only=462 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL,LANG
// check: p462 c=0.1247016381075503 b=0.7103049510533088 n=0 x={-0.8501033936059805, 0.3826235377973126, -1.765754330238726} a=-1.0814109101422265
// (past the budget the first checkpointed iteration must start from k3 as the taped ones left it)
// options: -Aadjoint.tapeBudget=64
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;

class Seed2024_p462 {
  @Differentiable
  static double p462(double c, double b, int n, double[] x, double a) {
    for (double v0 : x) {
      for (double v1 : x) {
        b = (b * 0.25) + Math.tanh(x[x.length - 1]);
        double s2 = 0.5;
        int k3 = 0;
        while ((s2 < 1.5) && k3 < 6) {
          k3++;
          s2 += b;
          x[(2 * k3) % x.length] = (x[(2 * k3) % x.length] * 0.5) + Math.atan(c);
        }
      }
    }
    return b;
  }
}
