package dev.adjoint.nn;

import dev.adjoint.tensor.Tensor;
import java.util.Map;

/**
 * A module whose class is chosen at run time (the layers of a {@code Sequential}): its forward
 * pass and that pass's pullback. Differentiable code may call {@code layer.forward(h)} on any
 * {@code Layer}; the reverse sweep calls {@code layer.forwardVjp(h, hBar)}.
 *
 * <p>An implementation whose {@code forward} is {@code @Differentiable} implements both other
 * methods with generated code: {@code return FooGrad.forwardVjp(this, x, seed).x();} and
 * {@code return FooGrad.namedParameters(this);}.
 */
public interface Layer {
  /** The layer applied to {@code x}. */
  Tensor forward(Tensor x);

  /**
   * The pullback of {@link #forward} at {@code x}: adds the seed-weighted gradients of the
   * layer's parameters into their {@code grad()} and returns the gradient of
   * {@code <seed, forward(x)>} with respect to {@code x} (seed has the shape of the result).
   */
  Tensor forwardVjp(Tensor x, Tensor seed);

  /** The layer's parameters by dotted name, in a stable order (its generated {@code namedParameters}). */
  Map<String, Tensor> namedParameters();
}
