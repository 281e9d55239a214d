package dev.adjoint.processor.diag;

/**
 * Thrown by a stage after it has reported an error, to abandon the current method; the driver
 * catches it and moves on to the next method.
 */
public final class StageException extends RuntimeException {
  public StageException() {
    super(null, null, false, false);
  }
}
