package dev.adjoint.modules;

import dev.adjoint.Differentiable;
import dev.adjoint.nn.Layer;
import dev.adjoint.nn.Layers;
import dev.adjoint.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Dropout: in training, each element is zeroed with probability p and the rest scaled by 1/(1-p); in evaluation,
 * the identity.
 *
 * <p>The pullback re-runs {@link #forward}, so the forward pass must be a pure function of its input: the mask is
 * drawn once and kept ({@link #mask}) until {@link #resample()} is called (once per training step) or the input's
 * shape changes. Both sweeps of one gradient therefore see the same mask.
 */
public final class Dropout implements Layer {
  /** Probability of zeroing an element. */
  final double p;
  private final Random rng;
  boolean training = true;
  private double[] maskData;
  private int[] maskShape;

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
   * The current mask for inputs shaped like {@code like} (its values are not read): the kept one while its shape
   * matches, else a fresh draw that is kept. Scaled as {@link Layers#dropoutMask}: 0 or 1/(1-p).
   */
  public Tensor mask(Tensor like) {
    int[] shape = like.shape();
    if (maskShape == null || !Arrays.equals(maskShape, shape)) {
      maskData = Layers.dropoutMask(rng, p, shape).data();
      maskShape = shape;
    }
    return Tensor.wrap(maskData, maskShape);
  }

  /** Forgets the kept mask: the next forward pass draws a new one. Call it once per training step. */
  public void resample() {
    maskData = null;
    maskShape = null;
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
