package dev.adjoint.samples;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.tensor.Tensor;
import java.util.Random;

/**
 * Seed 004: a chain of sigmoid layers, a(l) = σ(a(l-1)·W(l) + b(l)), several neurons per layer, and
 * the cost (a(L) − y)² summed over the output neurons and averaged over the batch.
 */
public final class Seed004Sigmoid {
  private Seed004Sigmoid() {}

  @Differentiable
  static double cost(@NoDerivative Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3,
      @NoDerivative Tensor y) {
    Tensor a1 = x.matmul(w1).add(b1).sigmoid();
    Tensor a2 = a1.matmul(w2).add(b2).sigmoid();
    Tensor a3 = a2.matmul(w3).add(b3).sigmoid();
    Tensor err = a3.sub(y);
    return err.mul(err).sum(1).mean().item();
  }

  /** The one-neuron-per-layer chain of the tutorial's first half: a = σ(w·a_prev + b), C = (a − y)². */
  @Differentiable
  static double chain(double w1, double b1, double w2, double b2, @NoDerivative double x, @NoDerivative double y) {
    double a1 = 1 / (1 + Math.exp(-(w1 * x + b1)));
    double a2 = 1 / (1 + Math.exp(-(w2 * a1 + b2)));
    return (a2 - y) * (a2 - y);
  }

  static Tensor[] data(Random rng) {
    return new Tensor[] {Tensor.randn(rng, 8, 4), Tensor.randn(rng, 4, 5), Tensor.randn(rng, 5),
        Tensor.randn(rng, 5, 3), Tensor.randn(rng, 3), Tensor.randn(rng, 3, 2), Tensor.randn(rng, 2),
        Tensor.rand(rng, 0, 1, 8, 2)};
  }

  public static void main(String[] args) {
    Tensor[] d = data(new Random(4));
    Seed004SigmoidGrad.Cost g = Seed004SigmoidGrad.cost(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
    System.out.printf("seed 004: sigmoid chain 4 -> 5 -> 3 -> 2 over a batch of 8, cost = %.6f%n", g.value());
    System.out.println("dC/dW3 = " + g.w3());
    Seed004SigmoidGrad.Chain c = Seed004SigmoidGrad.chain(0.5, 0.1, -1.2, 0.3, 0.8, 1.0);
    System.out.printf("one neuron per layer: C = %.6f, dC/dw1 = %.6f, dC/dw2 = %.6f%n", c.value(), c.w1(), c.w2());
  }
}
