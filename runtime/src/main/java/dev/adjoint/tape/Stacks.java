package dev.adjoint.tape;

/** What the typed stacks share: how they grow and how they fail. */
final class Stacks {
  /** Arrays cannot be longer than this on common JVMs. */
  private static final int MAX = Integer.MAX_VALUE - 8;

  private Stacks() {}

  static int grow(int length) {
    if (length >= MAX) {
      throw new IllegalStateException("tape is full: " + length + " entries");
    }
    return (int) Math.min(MAX, 2L * length);
  }

  /** A tape released with values left on it: the forward sweep pushed more than the reverse sweep read. */
  static IllegalStateException leftOver(String which, int size) {
    return new IllegalStateException(which + " released with " + size + " values left: the reverse sweep read"
        + " fewer values than the forward sweep recorded (please report this as an Adjoint bug)");
  }

  /**
   * A pop with nothing pushed means the reverse sweep and the forward sweep disagree: a bug in
   * the generated code, never something to recover from with a made-up value.
   */
  static IllegalStateException underflow(String which) {
    return new IllegalStateException(which + " popped while empty: the reverse sweep read more"
        + " values than the forward sweep recorded (please report this as an Adjoint bug)");
  }
}
