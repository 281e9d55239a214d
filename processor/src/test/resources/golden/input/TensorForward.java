package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;

/** Forward mode over tensors: each op beside the sum of its inputs' forward rules (@Jvp). */
class TensorForward {
  /** A layer re-applied in a loop: the op is bound to a local, since its rule reads its value. */
  @Differentiable(modes = Mode.FORWARD)
  static double deep(Tensor x, Tensor w, int layers) {
    Tensor h = x;
    for (int i = 0; i < layers; i++) {
      h = h.matmul(w).tanh();
    }
    return h.square().mean().item();
  }

  /** A tensor result and a constant input: only the varying inputs' rules are called. */
  @Differentiable(modes = Mode.FORWARD)
  static Tensor layer(@NoDerivative Tensor x, Tensor w, Tensor b, double scale) {
    Tensor y = Layers.linear(x, w, b).mul(scale);
    return Layers.softmax(y, -1);
  }

  /** A model: its parameters' directions are their tangent(); a sub-module's call is its forwardJvp. */
  static final class Net {
    final Tensor w;
    final Block block;

    Net(Tensor w, Block block) {
      this.w = w;
      this.block = block;
    }

    @Differentiable(modes = Mode.FORWARD)
    double score(Tensor x) {
      Tensor h = block.forward(x.matmul(w));
      return h.sum().item();
    }
  }

  /** A sub-module. */
  static final class Block {
    final Tensor b;

    Block(Tensor b) {
      this.b = b;
    }

    @Differentiable
    Tensor forward(Tensor x) {
      return x.add(b).tanh();
    }
  }

  /** A call of a tensor method and a loss: the callee's layerJvp. */
  @Differentiable(modes = Mode.FORWARD)
  static double loss(@NoDerivative Tensor x, Tensor w, Tensor b, @NoDerivative Tensor target) {
    Tensor p = layer(x, w, b, 2.0);
    return Loss.mse(p, target).item();
  }
}
