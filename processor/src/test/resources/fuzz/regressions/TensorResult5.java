// A tensor program of the TENSOR fuzz feature, kept as a regression of the checks themselves:
// a Tensor result (checked through its pullback with a random seed), a re-assigned @NoDerivative tensor, Layers.linear, ?: between tensors, compound assignment
// from: -Dadjoint.fuzz.seed=20250618 -Dadjoint.fuzz.only=5 -Dadjoint.fuzz.features=TENSOR
// tensor-check: t5 seed=1
// tensor-check: t5 seed=2
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;

final class TensorResult5 {

  /** The arguments of one evaluation. */
  static Object[] fuzzArgs(Random r) {
    return new Object[] {Tensor.rand(r, -1, 1, 2), -2 + 4 * r.nextDouble(), Tensor.rand(r, -1, 1, 2, 3), -2 + 4 * r.nextDouble(), Tensor.rand(r, -1, 1, 1, 3)};
  }

  @Differentiable
  static Tensor t5(@NoDerivative Tensor y, double q, Tensor z, double p, Tensor x) {
    if (Tensor.scalar(0.25 - p).item() > 0.0) {
      y = Layers.linear(z, x.broadcastTo(3, 3), x.reshape(3)).sum(1).tanh();
      Tensor t0 = z.matmul(Tensor.ones(3).mul(y.sum().item() + q)).tanh().tanh();
    }
    q *= (1.0 + 0.5 * Math.sin(Math.sin(x.square().mean().item())));
    double s1 = p;
    Tensor t2 = y.reshape(2, 1);
    if (s1 <= 0.5) {
      double s3 = Math.tanh(Tensor.scalar(Tensor.scalar(q).item()).square().mean().item());
    } else {
      z = (Tensor.scalar(Tensor.scalar(q).sum().item()).item() > 0.0 ? Tensor.scalar(Tensor.scalar(p).item()).sub(z) : z.square());
      double s4 = x.sub(t2.mean().item()).square().mean().item();
    }
    return z.max(0, true);
  }
}
