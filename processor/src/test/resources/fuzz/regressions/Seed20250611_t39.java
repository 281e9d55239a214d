// Adjoint tensor fuzz failure: COMPILE_ERROR ADJ000
//   TBatch.java:79: [ADJ000] internal error in Adjoint while differentiating this method (java.lang.IllegalStateException: the save plan of t39c5 did not foresee that the reverse code of Declare at line 81 reads [q]); please report it with the method's source. Until it is fixed, remove @Differentiable from the method
// from: -Dadjoint.fuzz.seed=20250611 -Dadjoint.fuzz.only=39 -Dadjoint.fuzz.features=TENSOR
// tensor-check: t39 seed=1
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;

final class Seed20250611_t39 {

  /** The arguments of one evaluation. */
  static Object[] fuzzArgs(Random r) {
    return new Object[] {Tensor.rand(r, -1, 1, 1, 3), -2 + 4 * r.nextDouble(), Tensor.rand(r, -1, 1, 2, 3), -2 + 4 * r.nextDouble(), Tensor.rand(r, -1, 1, 2)};
  }

  @Differentiable
  static double t39(Tensor z, double q, Tensor x, double p, Tensor y) {
    Tensor t0 = x;
    t0 = t0.mul(Tensor.ones(1, 1).mul(Math.tanh(q)));
    return t0.sum().item();
  }
}
