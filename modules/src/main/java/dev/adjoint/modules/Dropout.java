package dev.adjoint.modules;

import dev.adjoint.Differentiable;
import dev.adjoint.nn.Layer;
import dev.adjoint.nn.Layers;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Dropout: in training, each element is zeroed with probability p and the rest scaled by 1/(1-p); in evaluation,
 * the identity.
 *
 * <p>The pullback re-runs {@link #forward}, so the forward pass must be a pure function of its input: a mask is drawn
 * once per input shape and kept ({@link #mask}) until {@link #resample()} is called (once per training step). Both
 * sweeps of one gradient therefore see the same mask, even when one Dropout is applied to inputs of several shapes.
 */
public final class Dropout implements Layer {
  /** Probability of zeroing an element. */
  final double p;
  private final Random rng;
  boolean training = true;
  /** The kept masks, one per input shape. */
  private final Map<List<Integer>, Tensor> masks = new HashMap<>();

  /** Dropout with probability {@code p} in [0, 1], drawing its masks from {@code rng}. */
  public Dropout(double p, Random rng) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
    }
    this.p = p;
    this.rng = rng;
  }

  @Differentiable
  @Override
  public Tensor forward(Tensor x) {
    if (training) {
      // zerosLike(x) carries x's shape into a plain call without carrying a derivative
      Tensor m = mask(Tensor.zerosLike(x));
      return Layers.dropout(x, m);
    }
    return x;
  }

  @Override
  public Tensor forwardVjp(Tensor x, Tensor seed) {
    return DropoutGrad.forwardVjp(this, x, seed).x();
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return DropoutGrad.namedParameters(this);
  }

  /**
   * The mask for inputs shaped like {@code like} (its values are not read): the one kept for that shape, else a
   * fresh draw that is kept. Scaled as {@link Layers#dropoutMask}: 0 or 1/(1-p).
   */
  public Tensor mask(Tensor like) {
    int[] shape = like.shape();
    return masks.computeIfAbsent(Arrays.stream(shape).boxed().toList(), k -> Layers.dropoutMask(rng, p, shape));
  }

  /** Forgets the kept masks: the next forward pass draws new ones. Call it once per training step. */
  public void resample() {
    masks.clear();
  }

  /** Training mode (masks applied) when {@code on}, evaluation mode (identity) otherwise; PyTorch's {@code train}. */
  public Dropout train(boolean on) {
    training = on;
    return this;
  }

  /** Whether the layer is in training mode. */
  public boolean training() {
    return training;
  }
}
