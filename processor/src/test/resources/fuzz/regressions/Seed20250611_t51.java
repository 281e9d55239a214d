// Adjoint tensor fuzz failure: EXCEPTION jvp-NullPointerException
//   the generated mJvp threw java.lang.NullPointerException: Cannot read field "shape" because "t" is null
// from: -Dadjoint.fuzz.seed=20250611 -Dadjoint.fuzz.only=51 -Dadjoint.fuzz.features=TENSOR
// tensor-check: t51 seed=2115101464
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;

final class Seed20250611_t51 {

  /** The arguments of one evaluation. */
  static Object[] fuzzArgs(Random r) {
    return new Object[] {Tensor.scalar(-1 + 2 * r.nextDouble()), -2 + 4 * r.nextDouble(), -2 + 4 * r.nextDouble(), Tensor.rand(r, -1, 1, 2, 1)};
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static Tensor t51(Tensor x, double q, double p, Tensor y) {
    if (q <= 0.25) {
      return x;
    }
    return x;
  }
}
