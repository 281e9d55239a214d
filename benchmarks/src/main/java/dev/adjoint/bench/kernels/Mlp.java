package dev.adjoint.bench.kernels;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.Random;

/**
 * Seed 003's training-step objective over {@link Tensor}, exactly as {@code samples/Seed003Mlp}: x (n×in) →
 * linear in→hidden → ReLU → linear hidden→1 → mean squared error against an n-vector target. The processor
 * writes {@code MlpGrad.loss}, the value and the gradient with respect to w1, b1, w2, b2.
 */
public final class Mlp {
  private Mlp() {}

  /** The network's loss; x and target are data, the four parameters are differentiated. */
  @Differentiable
  public static double loss(@NoDerivative Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2,
      @NoDerivative Tensor target) {
    Tensor l1 = Layers.linear(x, w1, b1);
    Tensor l2 = l1.relu();
    Tensor out = Layers.linear(l2, w2, b2);
    return Loss.mse(out.squeeze(1), target).item();
  }

  /** One instance: data, parameters, target; {@link #inputs()} counts the differentiated entries. */
  public record Input(String name, Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor target) {
    /** Rows of x (the batch). */
    public int n() {
      return x.size(0);
    }

    /** Features per row of x. */
    public int in() {
      return x.size(1);
    }

    /** Hidden units. */
    public int hidden() {
      return w1.size(1);
    }

    /** N = in·hidden + hidden + hidden + 1. */
    public int inputs() {
      return w1.size() + b1.size() + w2.size() + b2.size();
    }
  }

  /** Seed 003's shapes: 1000 × 784 → 50 → 1 (N = 39 301). */
  public static final int SEED003_N = 1000;

  public static final int SEED003_IN = 784;

  public static final int SEED003_HIDDEN = 50;

  /** Seed 003's instance, drawn as {@code Seed003Mlp.data(new Random(3))} draws it. */
  public static Input seed003() {
    return input(SEED003_N, SEED003_IN, SEED003_HIDDEN, 3);
  }

  /**
   * Seed 003's distributions at any size: standard normal x and target, weights normal / √fan-in, zero biases
   * (the same draws in the same order as {@code Seed003Mlp.data}).
   */
  public static Input input(int n, int in, int hidden, long seed) {
    Random rng = new Random(seed);
    Tensor x = Tensor.randn(rng, n, in);
    Tensor w1 = Tensor.randn(rng, in, hidden).div(Math.sqrt(in));
    Tensor b1 = Tensor.zeros(hidden);
    Tensor w2 = Tensor.randn(rng, hidden, 1).div(Math.sqrt(hidden));
    Tensor b2 = Tensor.zeros(1);
    Tensor target = Tensor.randn(rng, n);
    return new Input(n + "x" + in + "-" + hidden + "-1", x, w1, b1, w2, b2, target);
  }
}
