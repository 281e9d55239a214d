package forward;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Activations;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;

/**
 * Tensor programs for forward mode: each has its gradient too, so that its tangent can be checked
 * against the gradient's inner product with the direction as well as against finite differences.
 */
class TensorCorpus {
  /** Re-assigned in a loop: h = h.matmul(w).tanh(). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double deep(Tensor x, Tensor w, int layers) {
    Tensor h = x;
    for (int i = 0; i < layers; i++) {
      h = h.matmul(w).tanh();
    }
    return h.square().mean().item();
  }

  /** A two-layer classifier with a smooth activation and a cross-entropy loss. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double mlp(@NoDerivative Tensor x, Tensor w1, Tensor b1, Tensor w2, @NoDerivative int[] labels) {
    Tensor h = Activations.gelu(Layers.linear(x, w1, b1));
    Tensor logits = h.matmul(w2);
    return Loss.crossEntropy(logits, labels).item();
  }

  /** A tensor result: scaled dot-product attention. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static Tensor attention(Tensor q, Tensor k, Tensor v) {
    Tensor scores = q.matmul(k.transpose()).div(2.0);
    return Layers.softmax(scores, -1).matmul(v);
  }

  /** A double parameter beside a tensor one, and a double mixed back in. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double scaled(Tensor x, double a) {
    Tensor y = x.mul(a).exp().add(x.sin());
    double s = y.sum().item();
    return s * a + Math.log(s * s + 1);
  }

  /** Branches and a conditional expression over tensors. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double branches(Tensor x, Tensor y) {
    Tensor z = x.sum().item() > 0 ? x.mul(y) : x.sub(y);
    if (y.mean().item() < 0) {
      z = z.tanh();
    } else {
      z = z.mul(z).add(1.0).log();
    }
    return z.mean().item();
  }

  /** A call of another tensor method of the class (its gJvp is called). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double calls(Tensor x, Tensor w) {
    Tensor h = layer(x, w);
    return h.square().sum().item() + layer(h, w).mean().item();
  }

  @Differentiable
  static Tensor layer(Tensor x, Tensor w) {
    return Layers.linear(x, w).tanh();
  }

  /** A convolution, average pooling and layer norm. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double conv(@NoDerivative Tensor x, Tensor w, Tensor b, Tensor gamma, Tensor beta) {
    Tensor y = Layers.conv2d(x, w, b, 1, 1);
    Tensor p = Layers.avgPool2d(y, 2, 2);
    Tensor n = Layers.layerNorm(p, gamma, beta);
    return n.mul(n).mean().item();
  }

  /** Arrays and scalars into tensors, elements out. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double arrays(double[] a, Tensor t) {
    Tensor v = Tensor.of(a, 2, 2);
    Tensor u = v.mul(t).add(Tensor.scalar(a[0]));
    double s = 0;
    for (int i = 0; i < 2; i++) {
      s += u.get(i, 1) * a[i];
    }
    return s + u.square().sum().item();
  }

  /** Shape ops, reductions, selection and joins. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static Tensor zoo(Tensor x, Tensor y) {
    Tensor a = x.reshape(3, 2).transpose().unsqueeze(0).squeeze(0);
    Tensor b = Tensor.cat(a, y.narrow(0, 0, 1), 0);
    Tensor c = Tensor.where(b.gt(0), b.mul(b), b.exp().sub(1.0));
    Tensor d = c.logsumexp(1, true).add(c.sum(0)).mul(Layers.logSoftmax(c, 1).mean(1, true));
    return Tensor.stack(d.select(0, 1), Activations.softplus(d).max(0), 0).pow(3.0).add(y.sqrt().sum());
  }
}
