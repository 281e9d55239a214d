package dev.adjoint.samples.train;

import dev.adjoint.tensor.Tensor;
import java.util.List;

/**
 * What {@link Trainer} needs from a classifier. The one method that differentiates is {@link #lossAndGradient}: each
 * model implements it as a one-line call of the gradient the processor generated from its {@code @Differentiable}
 * loss, e.g. {@code MlpGrad.loss(this, x, labels).value()}; the hand-written backward passes remain only as test
 * oracles.
 */
public interface Model {
  /** A short name for progress lines and charts. */
  String name();

  /** The trainable tensors, each with {@code requiresGrad()} true, in a fixed order (what the optimizer updates). */
  List<Tensor> parameters();

  /** The class scores [N, classes] for a batch {@code x} [N, features]; no gradient. */
  Tensor logits(Tensor x);

  /**
   * The mean cross-entropy of the batch, and — as a side effect — the gradient of that loss with respect to every
   * parameter <em>added</em> into the parameter's {@link Tensor#grad()} (PyTorch semantics: the caller zeroes the
   * gradients before the batch).
   */
  double lossAndGradient(Tensor x, int[] labels);
}
