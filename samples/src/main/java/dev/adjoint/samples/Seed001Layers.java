package dev.adjoint.samples;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.tensor.Tensor;
import java.util.Random;

/**
 * Seed 001: a linear layer, ReLU and dropout (with its mask as an explicit value), and an upstream
 * gradient {@code dout} arriving at the output. The tutorial's backward formulas are the oracle:
 * dropout {@code dout * mask}, ReLU {@code dout * (x > 0)}, linear {@code dx = dout·Wᵀ},
 * {@code dW = xᵀ·dout}, {@code db = Σ dout} — no Jacobian is ever built.
 */
public final class Seed001Layers {
  private Seed001Layers() {}

  /** {@code Σ dropout(relu(x·W + b), mask) ⊙ dout}: its gradient is the backward pass fed {@code dout}. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double layers(Tensor x, Tensor w, Tensor b, @NoDerivative Tensor mask, @NoDerivative Tensor dout) {
    Tensor z = Layers.linear(x, w, b);
    Tensor a = Layers.relu(z);
    Tensor d = Layers.dropout(a, mask);
    return d.mul(dout).sum().item();
  }

  public static void main(String[] args) {
    Random rng = new Random(1);
    Tensor x = Tensor.randn(rng, 4, 5);
    Tensor w = Tensor.randn(rng, 5, 3);
    Tensor b = Tensor.randn(rng, 3);
    Tensor mask = Layers.dropoutMask(rng, 0.5, 4, 3);
    Tensor dout = Tensor.randn(rng, 4, 3);
    Seed001LayersGrad.Layers g = Seed001LayersGrad.layers(x, w, b, mask, dout);
    System.out.println("seed 001: linear -> relu -> dropout, upstream gradient dout");
    System.out.println("dx = " + g.x());
    System.out.println("dW = " + g.w());
    System.out.println("db = " + g.b());
  }
}
