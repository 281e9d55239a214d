package dev.adjoint.processor.fuzz;

/**
 * Why a program failed. Two failures are "the same" for the shrinker when their
 * {@link #signature()}s are equal: the category and its key (a diagnostic tag such as ADJ201, a
 * javac error code, an exception class).
 */
record Failure(Category category, String key, String detail, Point point) {
  enum Category {
    /** The processor reported an error diagnostic for the program's methods. */
    COMPILE_ERROR,
    /** The processor wrote a gradient class that javac rejects. */
    GENERATED_CODE_ERROR,
    /** The processor (or javac with it) threw instead of reporting. */
    PROCESSOR_CRASH,
    /** The generated gradient threw. */
    EXCEPTION,
    /** The generated gradient did not finish in time. */
    TIMEOUT,
    /** The gradient's value() differs from the primal's result. */
    VALUE_MISMATCH,
    /** A partial derivative differs from finite differences (or the gradient has the wrong shape). */
    GRADIENT_MISMATCH,
    /** The generated program itself is broken (javac rejects it, or it throws): a fuzzer bug. */
    INVALID_PROGRAM;

    boolean isMismatch() {
      return this == VALUE_MISMATCH || this == GRADIENT_MISMATCH;
    }
  }

  String signature() {
    return key.isEmpty() ? category.toString() : category + " " + key;
  }

  @Override
  public String toString() {
    return signature() + ": " + detail + (point == null ? "" : "\n  at " + point);
  }
}
