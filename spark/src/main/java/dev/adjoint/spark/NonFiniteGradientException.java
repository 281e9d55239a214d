package dev.adjoint.spark;

/** A worker's loss or gradient came out NaN or infinite: training stops instead of stepping into a poisoned model. */
public final class NonFiniteGradientException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the step, partition, parameter and element. */
  public NonFiniteGradientException(String message) {
    super(message);
  }
}
