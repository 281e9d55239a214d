package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;

/** A model over tensors: its fields are the parameters, each op's adjoint is its runtime rule. */
class TensorNet {
  final Tensor w1;
  final Tensor b1;
  final Tensor w2;

  TensorNet(Tensor w1, Tensor b1, Tensor w2) {
    this.w1 = w1;
    this.b1 = b1;
    this.w2 = w2;
  }

  @Differentiable
  double loss(@NoDerivative Tensor x, @NoDerivative int[] labels) {
    Tensor h = Layers.linear(x, w1, b1).relu();
    Tensor logits = h.matmul(w2);
    return Loss.crossEntropy(logits, labels).item();
  }

  /** The same hidden layer applied a few times: tensors re-assigned in a loop go on a tape. */
  @Differentiable
  static double deep(Tensor x, Tensor w, int layers) {
    Tensor h = x;
    for (int i = 0; i < layers; i++) {
      h = h.matmul(w).tanh();
    }
    return h.square().mean().item();
  }
}
