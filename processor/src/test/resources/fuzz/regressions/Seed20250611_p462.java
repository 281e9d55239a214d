// Adjoint fuzz failure: GENERATED_CODE_ERROR compiler.err.prob.found.req
//   ShrinkGrad.java:713: incompatible types: double[] cannot be converted to float[]
// from: -Dadjoint.fuzz.seed=20250611 -Dadjoint.fuzz.only=462 -Dadjoint.fuzz.features=MATH,BRANCH,LOOP,ARRAY,CALL,LANG
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;

class Seed20250611_p462 {
  @Differentiable
  static double p462(double a, double b, int n, float[] f) {
    double acc1 = a;
    for (int i2 = 0; i2 < 1; i2++) {
      double t4 = (double) f[1];
      acc1 += t4;
    }
    return acc1;
  }
  static double valueDd(double a, double b) {
    final org.apache.commons.numbers.core.DD p = org.apache.commons.numbers.core.DD.ofProduct(a, b);
    return p.hi() + org.apache.commons.numbers.core.DD.ofSum(p.lo(), a).doubleValue();
  }

  static double valueSum(double a, double b, double c) {
    final org.apache.commons.numbers.core.Sum s = org.apache.commons.numbers.core.Sum.of(a);
    s.add(b).addProduct(b, c);
    return s.getAsDouble();
  }
}
