package dev.adjoint.check;

import java.util.StringJoiner;

/**
 * Thrown by a gradient generated with {@code -Aadjoint.checkFinite=true} when the adjoint code of
 * one primal statement produces a NaN or an infinity: the message names the method, the statement
 * and its line, the adjoints it produced and the values that code read, so the first bad step of a
 * gradient is found without a debugger. Generated code builds it only on that path: a gradient
 * that stays finite pays one {@code Double.isFinite} test per adjoint written.
 */
public final class NonFiniteAdjointException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  private final String method;
  private final int line;

  private NonFiniteAdjointException(String message, String method, int line) {
    super(message);
    this.method = method;
    this.line = line;
  }

  /** The differentiated method, as {@code Class.method}. */
  public String method() {
    return method;
  }

  /** The line of the primal statement whose adjoint code produced the non-finite value. */
  public int line() {
    return line;
  }

  /**
   * The exception for the statement {@code statement} at {@code line} of {@code method}:
   * {@code produced} names the adjoints it wrote and {@code read} the values their code read
   * (comma-separated), {@code values} holds the former's values, then the latter's.
   */
  public static NonFiniteAdjointException at(String method, int line, String statement, String produced,
      String read, double... values) {
    String[] out = produced.isEmpty() ? new String[0] : produced.split(", ");
    String[] in = read.isEmpty() ? new String[0] : read.split(", ");
    if (values.length != out.length + in.length) {
      throw new IllegalArgumentException(
          values.length + " values for " + (out.length + in.length) + " names: " + produced + "; " + read);
    }
    StringJoiner bad = new StringJoiner(", ");
    StringJoiner fine = new StringJoiner(", ");
    for (int i = 0; i < out.length; i++) {
      if (out[i].endsWith("[*]")) {
        // a whole array written at once (by a call): its first non-finite element, if it has one
        if (!Double.isFinite(values[i])) {
          bad.add("an element of " + out[i].substring(0, out[i].length() - 3) + " = " + values[i]);
        }
      } else {
        (Double.isFinite(values[i]) ? fine : bad).add(out[i] + " = " + values[i]);
      }
    }
    StringJoiner inputs = new StringJoiner(", ");
    for (int i = 0; i < in.length; i++) {
      inputs.add(in[i] + " = " + values[out.length + i]);
    }
    StringBuilder m = new StringBuilder()
        .append("non-finite adjoint in the gradient of ").append(method)
        .append(", from line ").append(line).append(": ").append(statement)
        .append("\n  produced ").append(bad);
    if (fine.length() > 0) {
      m.append(" (and ").append(fine).append(')');
    }
    if (inputs.length() > 0) {
      m.append("\n  from ").append(inputs);
    }
    return new NonFiniteAdjointException(m.toString(), method, line);
  }

  /** The first element of {@code a} that is NaN or infinite, or 0 when there is none. */
  public static double firstNonFinite(double[] a) {
    for (double v : a) {
      if (!Double.isFinite(v)) {
        return v;
      }
    }
    return 0;
  }

  /** The first element of {@code a} (row by row) that is NaN or infinite, or 0 when there is none. */
  public static double firstNonFinite(double[][] a) {
    for (double[] row : a) {
      double v = firstNonFinite(row);
      if (v != 0) {
        return v;
      }
    }
    return 0;
  }
}
