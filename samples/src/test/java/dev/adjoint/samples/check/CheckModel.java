package dev.adjoint.samples.check;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;

/** A model whose Tensor fields are its parameters; {@code frozen} does not require grad. */
final class CheckModel {
  final Tensor w1;
  final Tensor b1;
  final Tensor w2;
  final Tensor frozen;

  CheckModel(Tensor w1, Tensor b1, Tensor w2, Tensor frozen) {
    this.w1 = w1.requiresGrad(true);
    this.b1 = b1.requiresGrad(true);
    this.w2 = w2.requiresGrad(true);
    this.frozen = frozen;
  }

  /** x [n, 3] gets a gradient in the record too; w1 [3, 4], b1 [4], w2 [4, 2], frozen [2], target [n, 2]. */
  @Differentiable
  double loss(Tensor x, @NoDerivative Tensor target) {
    Tensor h = Layers.linear(x, w1, b1).tanh();
    return Loss.mse(h.matmul(w2).add(frozen), target).item();
  }

  /** Only the fields are differentiated. */
  @Differentiable
  double penalty() {
    return w1.square().sum().item() + w2.mul(b1.sum().item()).sum().item();
  }

  /** Through {@link CheckSubjects#cube}, whose rule is deliberately wrong. */
  @Differentiable
  double wrongInW1() {
    return CheckSubjects.cube(w1.mean().item());
  }
}
