package dev.adjoint.samples.train;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;

/**
 * A LeNet-style convolutional network for square images of side S (a multiple of 4; 8 for the digits, 28 for
 * Fashion-MNIST):
 * <pre>
 *   x [N, S·S] → reshape [N, 1, S, S]
 *   → conv2d 1→6, 3×3, padding 1 → ReLU → max-pool 2×2   [N, 6, S/2, S/2]
 *   → conv2d 6→16, 3×3, padding 1 → ReLU → max-pool 2×2  [N, 16, S/4, S/4]
 *   → reshape [N, 16·(S/4)²] → linear 16·(S/4)²→10 → softmax cross-entropy    (64→10 for the digits)
 * </pre>
 *
 * <p>As for {@link Mlp}: the processor differentiates {@link #loss} into {@code LeNetGrad.loss};
 * {@link #lossAndGradientByHand} is its reverse sweep by hand, the oracle the tests compare it with.
 */
public final class LeNet implements Model {
  /** Convolution stride and padding of both conv layers, and the pooling window. */
  static final int STRIDE = 1;
  static final int PADDING = 1;
  static final int POOL = 2;

  /** First conv kernel [6, 1, 3, 3]. Fields are not private: generated code reads them. */
  public final Tensor w1;
  /** First conv bias [6]. */
  public final Tensor b1;
  /** Second conv kernel [16, 6, 3, 3]. */
  public final Tensor w2;
  /** Second conv bias [16]. */
  public final Tensor b2;
  /** Classifier weights [16·(S/4)², 10] ([64, 10] for the digits). */
  public final Tensor w3;
  /** Classifier bias [10]. */
  public final Tensor b3;
  /** The image side S, from w3's shape. */
  public final int side;

  /** For the 8×8 digits: He-initialised kernels and weights (normal, variance 2/fan-in), zero biases. */
  public LeNet(Random rng) {
    this(rng, Digits.SIDE);
  }

  /** For images of side {@code side} (a multiple of 4), initialised as {@link #LeNet(Random)}. */
  public LeNet(Random rng, int side) {
    this(Tensor.randn(rng, 6, 1, 3, 3).mul(Math.sqrt(2.0 / 9)),
        Tensor.zeros(6),
        Tensor.randn(rng, 16, 6, 3, 3).mul(Math.sqrt(2.0 / 54)),
        Tensor.zeros(16),
        Tensor.randn(rng, flatSize(side), 10).mul(Math.sqrt(2.0 / flatSize(side))),
        Tensor.zeros(10));
  }

  /** The classifier's input size for images of side {@code side}: 16 channels of (side/4)². */
  static int flatSize(int side) {
    if (side <= 0 || side % 4 != 0) {
      throw new IllegalArgumentException("LeNet: the image side must be a positive multiple of 4, got " + side);
    }
    return 16 * (side / 4) * (side / 4);
  }

  /** A model holding the given tensors (not copied), each marked {@code requiresGrad(true)}. */
  public LeNet(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3) {
    this.w1 = w1.requiresGrad(true);
    this.b1 = b1.requiresGrad(true);
    this.w2 = w2.requiresGrad(true);
    this.b2 = b2.requiresGrad(true);
    this.w3 = w3.requiresGrad(true);
    this.b3 = b3.requiresGrad(true);
    this.side = 4 * (int) Math.round(Math.sqrt(w3.size(0) / 16.0));
    if (flatSize(side) != w3.size(0)) {
      throw new IllegalArgumentException("LeNet: w3 has " + w3.size(0) + " rows, not 16·(S/4)² for any side S");
    }
  }

  @Override
  public String name() {
    return "lenet";
  }

  @Override
  public List<Tensor> parameters() {
    return List.of(w1, b1, w2, b2, w3, b3);
  }

  @Override
  public Tensor logits(Tensor x) {
    int n = x.size(0);
    Tensor img = x.reshape(n, 1, side, side);
    Tensor p1 = Layers.maxPool2d(Layers.conv2d(img, w1, b1, STRIDE, PADDING).relu(), POOL, POOL);
    Tensor p2 = Layers.maxPool2d(Layers.conv2d(p1, w2, b2, STRIDE, PADDING).relu(), POOL, POOL);
    return Layers.linear(p2.reshape(n, -1), w3, b3);
  }

  /**
   * The mean cross-entropy of a batch: the function to differentiate.
   *
   * <p>The processor writes {@code LeNetGrad.loss(LeNet self, Tensor x, int[] labels)} from it; its tensor fields are the parameters.
   */
  @Differentiable
  public double loss(@NoDerivative Tensor x, @NoDerivative int[] labels) {
    int n = x.size(0);
    Tensor img = x.reshape(n, 1, side, side);
    Tensor c1 = Layers.conv2d(img, w1, b1, 1, 1);
    Tensor r1 = c1.relu();
    Tensor p1 = Layers.maxPool2d(r1, 2, 2);
    Tensor c2 = Layers.conv2d(p1, w2, b2, 1, 1);
    Tensor r2 = c2.relu();
    Tensor p2 = Layers.maxPool2d(r2, 2, 2);
    Tensor flat = p2.reshape(n, -1);
    Tensor logits = Layers.linear(flat, w3, b3);
    Tensor loss = Loss.crossEntropy(logits, labels);
    return loss.item();
  }

  /** The loss, with each parameter's gradient added into its {@code grad()} by the generated {@code LeNetGrad.loss}. */
  @Override
  public double lossAndGradient(Tensor x, int[] labels) {
    return LeNetGrad.loss(this, x, labels).value();
  }

  /**
   * {@link #loss} and its gradient, by hand: the forward sweep, then one adjoint block per statement in reverse
   * order from the runtime's {@code <op>Vjp<Input>} rules. Parameter gradients are added into {@code grad()};
   * {@code x} is a constant, so the first convolution's input adjoint is never computed.
   */
  public double lossAndGradientByHand(Tensor x, int[] labels) {
    // forward sweep
    int n = x.size(0);
    Tensor img = x.reshape(n, 1, side, side);
    Tensor c1 = Layers.conv2d(img, w1, b1, 1, 1);
    Tensor r1 = c1.relu();
    Tensor p1 = Layers.maxPool2d(r1, 2, 2);
    Tensor c2 = Layers.conv2d(p1, w2, b2, 1, 1);
    Tensor r2 = c2.relu();
    Tensor p2 = Layers.maxPool2d(r2, 2, 2);
    Tensor flat = p2.reshape(n, -1);
    Tensor logits = Layers.linear(flat, w3, b3);
    Tensor loss = Loss.crossEntropy(logits, labels);
    double value = loss.item();

    // reverse sweep: the result's adjoint is 1
    // return loss.item();
    Tensor lossBar = Tensor.itemVjpSelf(1.0, value, loss);
    // Tensor loss = Loss.crossEntropy(logits, labels);
    Tensor logitsBar = Loss.crossEntropyVjpLogits(lossBar, loss, logits, labels);
    // Tensor logits = Layers.linear(flat, w3, b3);
    Tensor flatBar = Layers.linearVjpX(logitsBar, logits, flat, w3, b3);
    Mlp.addGrad(w3, Layers.linearVjpW(logitsBar, logits, flat, w3, b3));
    Mlp.addGrad(b3, Layers.linearVjpB(logitsBar, logits, flat, w3, b3));
    // Tensor flat = p2.reshape(n, -1);
    Tensor p2Bar = Tensor.reshapeVjpSelf(flatBar, flat, p2, n, -1);
    // Tensor p2 = Layers.maxPool2d(r2, 2, 2);
    Tensor r2Bar = Layers.maxPool2dVjpX(p2Bar, p2, r2, 2, 2);
    // Tensor r2 = c2.relu();
    Tensor c2Bar = Tensor.reluVjpSelf(r2Bar, r2, c2);
    // Tensor c2 = Layers.conv2d(p1, w2, b2, 1, 1);
    Tensor p1Bar = Layers.conv2dVjpX(c2Bar, c2, p1, w2, b2, 1, 1);
    Mlp.addGrad(w2, Layers.conv2dVjpW(c2Bar, c2, p1, w2, b2, 1, 1));
    Mlp.addGrad(b2, Layers.conv2dVjpB(c2Bar, c2, p1, w2, b2, 1, 1));
    // Tensor p1 = Layers.maxPool2d(r1, 2, 2);
    Tensor r1Bar = Layers.maxPool2dVjpX(p1Bar, p1, r1, 2, 2);
    // Tensor r1 = c1.relu();
    Tensor c1Bar = Tensor.reluVjpSelf(r1Bar, r1, c1);
    // Tensor c1 = Layers.conv2d(img, w1, b1, 1, 1);   (img comes from the constant x: no imgBar)
    Mlp.addGrad(w1, Layers.conv2dVjpW(c1Bar, c1, img, w1, b1, 1, 1));
    Mlp.addGrad(b1, Layers.conv2dVjpB(c1Bar, c1, img, w1, b1, 1, 1));
    return value;
  }
}
