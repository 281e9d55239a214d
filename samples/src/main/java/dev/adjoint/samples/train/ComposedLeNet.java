package dev.adjoint.samples.train;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.modules.Conv2d;
import dev.adjoint.modules.Flatten;
import dev.adjoint.modules.Linear;
import dev.adjoint.modules.MaxPool2d;
import dev.adjoint.modules.Relu;
import dev.adjoint.modules.Sequential;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;

/**
 * {@link LeNet}'s network written PyTorch-style from the module library: a {@link Sequential} of Conv2d → Relu →
 * MaxPool2d → Conv2d → Relu → MaxPool2d → Flatten → Linear. The processor differentiates {@link #loss}; each layer
 * call is reversed through that layer's own generated pullback.
 */
public final class ComposedLeNet implements Model {
  /** The network, [N, 1, 8, 8] images to [N, 10] class scores. Not private: generated code reads it. */
  public final Sequential net;

  /** The library's default (PyTorch) initialisation, drawn from {@code rng}. */
  public ComposedLeNet(Random rng) {
    this(new Conv2d(1, 6, 3, LeNet.STRIDE, LeNet.PADDING, rng), new Conv2d(6, 16, 3, LeNet.STRIDE, LeNet.PADDING, rng),
        new Linear(64, Digits.CLASSES, rng));
  }

  /** A network of the given convolutions and classifier (their tensors are shared, not copied). */
  public ComposedLeNet(Conv2d conv1, Conv2d conv2, Linear fc) {
    this.net = new Sequential(
        conv1, new Relu(), new MaxPool2d(LeNet.POOL),
        conv2, new Relu(), new MaxPool2d(LeNet.POOL),
        new Flatten(), fc);
  }

  @Override
  public String name() {
    return "composed";
  }

  /** The parameters in declaration order ({@code net.layers.0.w}, {@code net.layers.0.b}, …), as generated. */
  @Override
  public List<Tensor> parameters() {
    return List.copyOf(ComposedLeNetGrad.namedParameters(this).values());
  }

  /** The class scores of a batch of flattened images [N, 64]. */
  @Differentiable
  public Tensor forward(Tensor x) {
    Tensor img = x.reshape(x.size(0), 1, Digits.SIDE, Digits.SIDE);
    return net.forward(img);
  }

  /** The mean cross-entropy of a batch: the function to differentiate. */
  @Differentiable
  public double loss(@NoDerivative Tensor x, @NoDerivative int[] labels) {
    return Loss.crossEntropy(forward(x), labels).item();
  }

  @Override
  public Tensor logits(Tensor x) {
    return forward(x);
  }

  /** The loss, with each parameter's gradient added into its {@code grad()} by the generated {@code loss}. */
  @Override
  public double lossAndGradient(Tensor x, int[] labels) {
    return ComposedLeNetGrad.loss(this, x, labels).value();
  }
}
