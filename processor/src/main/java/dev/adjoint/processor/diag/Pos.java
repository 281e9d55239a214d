package dev.adjoint.processor.diag;

/**
 * A place in the user's source: its line (for comments in generated code) and an opaque anchor
 * that only the parse stage, which made it, knows how to turn back into a javac tree.
 */
public record Pos(long line, Object anchor) {
  /** For nodes the processor makes itself, which have no source. */
  public static final Pos NONE = new Pos(0, null);
}
