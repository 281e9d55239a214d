package dev.adjoint.rules;

import dev.adjoint.tensor.Tensor;
import java.util.Arrays;

/**
 * The seed a generated pullback starts its reverse sweep from, checked against the result it
 * weights: {@code mVjp(..., seed)} needs a seed of the result's shape, and {@code m(...)} (the
 * gradient, seed 1) needs a result of exactly one element.
 */
public final class Seeds {
  /**
   * What {@code m(...)} passes to {@code mVjp}: "the seed 1", valid only for a one-element
   * result. Recognised by identity, so it never stands for a seed a user built.
   */
  public static final Tensor ONE = Tensor.scalar(1);

  private Seeds() {}

  /**
   * The adjoint of a {@code Tensor} result {@code value} of the generated method {@code method}:
   * ones of its shape for {@link #ONE} (when it has one element), else {@code seed} itself,
   * which must have the result's shape.
   */
  public static Tensor tensor(Tensor seed, Tensor value, String method) {
    if (seed == ONE) {
      if (value.size() != 1) {
        throw new IllegalArgumentException(method + ": the result has shape " + Arrays.toString(value.shape())
            + ", not exactly one element, so it has no gradient; call " + method
            + "Vjp with a seed of that shape for the vector-Jacobian product");
      }
      return Tensor.ones(value.shape());
    }
    if (seed == null) {
      throw new IllegalArgumentException(method + "Vjp: the seed is null; pass a tensor of the result's shape "
          + Arrays.toString(value.shape()));
    }
    if (!Arrays.equals(seed.shape(), value.shape())) {
      throw new IllegalArgumentException(method + "Vjp: the seed has shape " + Arrays.toString(seed.shape())
          + " but the result has shape " + Arrays.toString(value.shape()) + "; they must be equal");
    }
    return seed;
  }

  /** The adjoint of a {@code double[]} result: {@code seed}, which must be as long as it (it is only read). */
  public static double[] array(double[] seed, double[] value, String method) {
    if (seed == null || seed.length != value.length) {
      throw new IllegalArgumentException(method + "Vjp: the seed has " + (seed == null ? "no" : seed.length)
          + " elements but the result has " + value.length + "; they must be equal");
    }
    return seed;
  }
}
