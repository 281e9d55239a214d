package dev.adjoint.samples;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.Random;

/**
 * Seed 003: x (1000×784) → linear 784→50 → ReLU → linear 50→1 → MSE against a target of 1000,
 * the network whose gradient the tutorial writes by hand (back_lin, back_relu, back_mse) with
 * broadcasting. Here the processor writes it.
 */
public final class Seed003Mlp {
  private Seed003Mlp() {}

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double loss(@NoDerivative Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2,
      @NoDerivative Tensor target) {
    Tensor l1 = Layers.linear(x, w1, b1);
    Tensor l2 = l1.relu();
    Tensor out = Layers.linear(l2, w2, b2);
    return Loss.mse(out.squeeze(1), target).item();
  }

  /** The tutorial's data: random inputs and weights of these shapes. */
  static Tensor[] data(Random rng) {
    Tensor x = Tensor.randn(rng, 1000, 784);
    Tensor w1 = Tensor.randn(rng, 784, 50).div(Math.sqrt(784));
    Tensor b1 = Tensor.zeros(50);
    Tensor w2 = Tensor.randn(rng, 50, 1).div(Math.sqrt(50));
    Tensor b2 = Tensor.zeros(1);
    Tensor target = Tensor.randn(rng, 1000);
    return new Tensor[] {x, w1, b1, w2, b2, target};
  }

  public static void main(String[] args) {
    Tensor[] d = data(new Random(3));
    long start = System.nanoTime();
    Seed003MlpGrad.Loss g = Seed003MlpGrad.loss(d[0], d[1], d[2], d[3], d[4], d[5]);
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("seed 003: 1000x784 -> 50 -> relu -> 1, MSE = %.6f (value and gradient in %d ms)%n", g.value(), ms);
    System.out.println("w1.grad shape " + java.util.Arrays.toString(g.w1().shape())
        + ", b1.grad shape " + java.util.Arrays.toString(g.b1().shape())
        + ", w2.grad shape " + java.util.Arrays.toString(g.w2().shape())
        + ", b2.grad = " + g.b2());
  }
}
