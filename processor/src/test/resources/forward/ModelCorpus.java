package forward;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;

/**
 * A model in forward mode: its parameters (tensor fields, a Tensor[] and a List<Tensor> field, and
 * the sub-modules' fields) carry their directions in their tangent(), the arguments in xDot.
 */
class ModelCorpus {
  final Tensor w1;
  final Tensor b1;
  final Tensor w2;
  final Tensor[] shifts;
  final List<Tensor> scales;
  final Block head;
  final List<Block> blocks;

  ModelCorpus(Random r) {
    w1 = Tensor.randn(r, 3, 4).mul(0.5).requiresGrad(true);
    b1 = Tensor.randn(r, 4).requiresGrad(true);
    w2 = Tensor.randn(r, 4, 2).requiresGrad(true);
    shifts = new Tensor[] {Tensor.randn(r, 4).requiresGrad(true), Tensor.randn(r, 4).requiresGrad(true)};
    scales = List.of(Tensor.randn(r, 4).requiresGrad(true));
    head = new Block(r);
    blocks = List.of(new Block(r), new Block(r));
  }

  /** Every kind of parameter, sub-modules in a field and in a list, a double result. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  double loss(Tensor x, @NoDerivative int[] labels) {
    Tensor h = Layers.linear(x, w1, b1).tanh();
    for (Block b : blocks) {
      h = b.forward(h);
    }
    h = head.forward(h).mul(scales.get(0));
    for (int i = 0; i < shifts.length; i++) {
      h = h.add(shifts[i]);
    }
    Tensor logits = h.matmul(w2);
    return Loss.crossEntropy(logits, labels).item() + 0.1 * head.penalty();
  }

  /** A tensor result. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  Tensor features(Tensor x) {
    return head.forward(Layers.linear(x, w1, b1).tanh());
  }
}

/** A sub-module. */
class Block {
  final Tensor w;
  final Tensor b;

  Block(Random r) {
    w = Tensor.randn(r, 4, 4).mul(0.5).requiresGrad(true);
    b = Tensor.randn(r, 4).requiresGrad(true);
  }

  @Differentiable
  Tensor forward(Tensor x) {
    return Layers.linear(x, w, b).tanh().add(x);
  }

  /** A method of the model's parameters alone (no argument to differentiate). */
  @Differentiable
  double penalty() {
    return w.square().sum().item();
  }
}
