// A tensor program of the TENSOR fuzz feature, kept as a regression of the checks themselves:
// a model with a sub-module field, a List and an array of sub-modules, for-each and indexed loops over them, instance helpers
// from: -Dadjoint.fuzz.seed=20250618 -Dadjoint.fuzz.only=93 -Dadjoint.fuzz.features=TENSOR
// tensor-check: t93 seed=1
// tensor-check: t93 seed=2
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;

final class TensorModel93 {
  final TensorModel93Blk head;
  final List<TensorModel93Blk> blocks;
  final TensorModel93Blk[] heads;

  TensorModel93(Random r) {
    head = new TensorModel93Blk(r);
    blocks = List.of(new TensorModel93Blk(r));
    heads = new TensorModel93Blk[] {new TensorModel93Blk(r), new TensorModel93Blk(r)};
  }

  /** The arguments of one evaluation, the model first. */
  static Object[] fuzzArgs(Random r) {
    return new Object[] {new TensorModel93(r), Tensor.rand(r, -1, 1, 2, 3)};
  }

  @Differentiable
  Tensor t93_h0(Tensor u, Tensor v) {
    return v.broadcastTo(3).div(1.0 + u.get(0, 0) * u.get(0, 0)).add(Tensor.ones(2, 3).mul(0.5).sum(0, true));
  }

  @Differentiable
  Tensor t93(Tensor x) {
    Tensor h0 = x.relu();
    if (Tensor.scalar(Math.tanh(x.square().mean().item())).item() >= 0.5) {
      for (int i1 = 0; i1 < blocks.size(); i1++) {
        h0 = blocks.get(i1).forward(h0);
        Tensor t2 = Tensor.scalar(h0.sum().item()).sub(x.get(1, 0)).tanh();
      }
      x = h0.mul(1.0).pow(2.0);
      return Tensor.ones(2, 2).mul(h0.square().mean().item()).matmul(Tensor.ones(3).mul(h0.square().mean().item()).add(h0)).add(h0);
    } else {
      x = Tensor.ones(2, 4).mul(0.5 - x.get(0, 2)).matmul(Tensor.ones(4, 1).mul(1.0)).add(h0).tanh();
      for (TensorModel93Blk blk3 : blocks) {
        h0 = blk3.forward(h0);
        double s4 = (1.0 - x.mean().item() < 0.25 ? x.square().mean().item() - h0.mean().item() : Layers.linear(h0, Tensor.full(0.5, 3, 3), Tensor.ones(3).mul(h0.sum().item())).tanh().mean().item());
      }
    }
    Tensor t5 = x.mul(x.gt(Tensor.ones(1, 3).mul(Math.tanh(h0.sum().item())))).sum();
    if (t5.broadcastTo(2, 4).max(1, true).mean().item() >= 0.5 && t5.broadcastTo(3).pow(2.0).tanh().square().mean().item() >= 0.5) {
      Tensor t6 = Tensor.ones(2, 1).mul(t5.square().mean().item()).relu().tanh().neg();
      return h0.mean(0, true).mul(h0.transpose().reshape(2, 3)).add(h0);
    }
    Tensor t7 = Tensor.ones(3, 4).mul(t5.item());
    for (TensorModel93Blk blk8 : blocks) {
      x = blk8.forward(x);
      if (x.tanh().sum().item() < 0.25) {
        Tensor t9 = t5.broadcastTo(1, 1).add(t5.broadcastTo(2, 1)).tanh().sigmoid();
        Tensor t10 = t5.broadcastTo(3, 3).matmul(t7).tanh().add(Loss.mse(t9, t9));
        return heads[0].forward(h0.square().add(0.5).sqrt().tanh()).add(t5);
      }
    }
    return x;
  }
}

final class TensorModel93Blk {
  final Tensor w;
  final Tensor b;

  TensorModel93Blk(Random r) {
    w = Tensor.rand(r, -1, 1, 1, 3).requiresGrad(true);
    b = Tensor.rand(r, -1, 1, 3).requiresGrad(true);
  }

  @Differentiable
  Tensor forward(Tensor h) {
    return Tensor.ones(2, 2).mul(b.square().mean().item()).tanh().matmul(h.square()).tanh();
  }
}
