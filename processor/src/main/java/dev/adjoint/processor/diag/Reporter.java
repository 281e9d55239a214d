package dev.adjoint.processor.diag;

/** Where diagnostics go; counts the errors so a stage can tell whether to stop. */
public interface Reporter {
  void report(Diag diag, Pos pos, Object... args);

  int errorCount();
}
