package dev.adjoint.samples.train;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;

/**
 * A multilayer perceptron for the 8×8 digits: 64 → hidden → ReLU → 10, softmax cross-entropy.
 *
 * <p>{@link #loss} is the model: ordinary Java over the {@code Tensor} fields, {@code @Differentiable}, so the
 * processor writes its gradient into {@code MlpGrad.loss(model, x, labels)}, which adds into each field's
 * {@code grad()}. {@link #lossAndGradientByHand} is the same reverse sweep written by hand from the runtime's
 * vector–Jacobian rules: the oracle the generated gradient is tested against.
 */
public final class Mlp implements Model {
  /** Input-to-hidden weights [64, hidden]. Fields are not private: generated code reads them. */
  public final Tensor w1;
  /** Hidden bias [hidden]. */
  public final Tensor b1;
  /** Hidden-to-output weights [hidden, 10]. */
  public final Tensor w2;
  /** Output bias [10]. */
  public final Tensor b2;

  /** He-initialised weights (normal, variance 2/fan-in), zero biases. */
  public Mlp(Random rng, int inputs, int hidden, int classes) {
    this(Tensor.randn(rng, inputs, hidden).mul(Math.sqrt(2.0 / inputs)),
        Tensor.zeros(hidden),
        Tensor.randn(rng, hidden, classes).mul(Math.sqrt(2.0 / hidden)),
        Tensor.zeros(classes));
  }

  /** A model holding the given tensors (not copied), each marked {@code requiresGrad(true)}. */
  public Mlp(Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
    this.w1 = w1.requiresGrad(true);
    this.b1 = b1.requiresGrad(true);
    this.w2 = w2.requiresGrad(true);
    this.b2 = b2.requiresGrad(true);
  }

  @Override
  public String name() {
    return "mlp";
  }

  @Override
  public List<Tensor> parameters() {
    return List.of(w1, b1, w2, b2);
  }

  @Override
  public Tensor logits(Tensor x) {
    Tensor z1 = Layers.linear(x, w1, b1);
    Tensor h1 = z1.relu();
    return Layers.linear(h1, w2, b2);
  }

  /**
   * The mean cross-entropy of a batch: the function to differentiate.
   *
   * <p>The processor writes {@code MlpGrad.loss(Mlp self, Tensor x, int[] labels)} from it; its tensor fields are the parameters.
   */
  @Differentiable
  public double loss(@NoDerivative Tensor x, @NoDerivative int[] labels) {
    Tensor z1 = Layers.linear(x, w1, b1);
    Tensor h1 = z1.relu();
    Tensor logits = Layers.linear(h1, w2, b2);
    Tensor loss = Loss.crossEntropy(logits, labels);
    return loss.item();
  }

  /** The loss, with each parameter's gradient added into its {@code grad()} by the generated {@code MlpGrad.loss}. */
  @Override
  public double lossAndGradient(Tensor x, int[] labels) {
    return MlpGrad.loss(this, x, labels).value();
  }

  /**
   * {@link #loss} and its gradient, by hand: the forward sweep, then one adjoint block per statement in reverse
   * order, each a call of the op's {@code <op>Vjp<Input>(gy, y, inputs...)} rule. Parameter gradients are
   * <em>added</em> into {@code grad()}; {@code x} and {@code labels} are constants and get none.
   */
  public double lossAndGradientByHand(Tensor x, int[] labels) {
    // forward sweep
    Tensor z1 = Layers.linear(x, w1, b1);
    Tensor h1 = z1.relu();
    Tensor logits = Layers.linear(h1, w2, b2);
    Tensor loss = Loss.crossEntropy(logits, labels);
    double value = loss.item();

    // reverse sweep: the result's adjoint is 1
    // return loss.item();
    Tensor lossBar = Tensor.itemVjpSelf(1.0, value, loss);
    // Tensor loss = Loss.crossEntropy(logits, labels);
    Tensor logitsBar = Loss.crossEntropyVjpLogits(lossBar, loss, logits, labels);
    // Tensor logits = Layers.linear(h1, w2, b2);
    Tensor h1Bar = Layers.linearVjpX(logitsBar, logits, h1, w2, b2);
    addGrad(w2, Layers.linearVjpW(logitsBar, logits, h1, w2, b2));
    addGrad(b2, Layers.linearVjpB(logitsBar, logits, h1, w2, b2));
    // Tensor h1 = z1.relu();
    Tensor z1Bar = Tensor.reluVjpSelf(h1Bar, h1, z1);
    // Tensor z1 = Layers.linear(x, w1, b1);   (x is a constant: no xBar)
    addGrad(w1, Layers.linearVjpW(z1Bar, z1, x, w1, b1));
    addGrad(b1, Layers.linearVjpB(z1Bar, z1, x, w1, b1));
    return value;
  }

  /** Adds {@code g} into a parameter's gradient when it requires one (as generated code does for fields). */
  static void addGrad(Tensor param, Tensor g) {
    if (param.requiresGrad()) {
      param.accumulateGrad(g);
    }
  }
}
