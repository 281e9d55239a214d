package dev.adjoint.spark;

import java.util.function.Supplier;

/**
 * Runs a Spark action and, when it fails because of one of this module's own exceptions in a task (a bad row, a
 * non-finite gradient), rethrows that exception on the driver instead of Spark's wrapper, so the caller catches the
 * type and reads the message that names the partition and row; Spark's wrapper is kept as a suppressed exception.
 */
public final class SparkJobs {
  private SparkJobs() {}

  /** Runs {@code action} (a Spark action), unwrapping this module's exceptions from a failed job. */
  public static <T> T run(Supplier<T> action) {
    try {
      return action.get();
    } catch (Exception e) { // Spark's SparkException is checked, but Scala throws it undeclared
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        if (c instanceof BadRowException || c instanceof NonFiniteGradientException) {
          RuntimeException own = (RuntimeException) c;
          own.addSuppressed(e);
          throw own;
        }
      }
      throw e;
    }
  }
}
