// Adjoint tensor fuzz failure: GENERATED_CODE_ERROR compiler.err.cant.resolve.location
//   T130c9Grad.java:122: cannot find symbol
//   symbol:   variable sumBar
//   location: class fuzz.T130c9Grad
// from: -Dadjoint.fuzz.seed=31337 -Dadjoint.fuzz.only=130 -Dadjoint.fuzz.features=TENSOR
// tensor-check: t130 seed=1
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;

final class Seed31337_t130 {

  /** The arguments of one evaluation. */
  static Object[] fuzzArgs(Random r) {
    return new Object[] {Tensor.rand(r, -1, 1, 2), Tensor.rand(r, -1, 1, 2, 3), Tensor.rand(r, -1, 1, 2, 1)};
  }

  @Differentiable
  static double t130_h0(Tensor u) {
    return 0.5;
  }

  @Differentiable
  static double t130(Tensor z, Tensor y, Tensor x) {
    double s4 = Math.tanh(t130_h0(y) + t130_h0(y));
    return Tensor.scalar(s4).item();
  }
}
