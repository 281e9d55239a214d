package dev.adjoint.processor.forward;

import dev.adjoint.processor.diag.Pos;

/**
 * What the tangent transform cannot handle yet, and where: reported as
 * {@link dev.adjoint.processor.diag.Diag#FORWARD_UNSUPPORTED} by the driver, never as a crash.
 */
public final class Unsupported extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Pos pos;

  public Unsupported(String what, Pos pos) {
    super(what, null, false, false);
    this.pos = pos;
  }

  /** Where, or null when only the enclosing statement knows. */
  public Pos pos() {
    return pos;
  }

  Unsupported at(Pos where) {
    return pos != null || where == null ? this : new Unsupported(getMessage(), where);
  }
}
