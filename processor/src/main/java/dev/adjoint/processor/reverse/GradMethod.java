package dev.adjoint.processor.reverse;

import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.List;

/**
 * The pullback of one method, ready to print: the forward sweep, the reverse sweep, the local that
 * holds the result, the seed parameter (the adjoint the result starts with), the adjoint of each
 * differentiated parameter, the indexes of differentiated parameters the result does not depend on
 * (their gradient is always 0), a Java name for every variable, the accumulating pullback (or
 * null), and the residuals: for a method that callers reverse in two halves ({@code mForward}
 * handing {@code mBackward} what it needs), the forward sweep's locals the reverse sweep uses
 * besides the value, in declaration order; else null.
 */
public record GradMethod(
    Method primal,
    List<Stmt> forward,
    List<Stmt> reverse,
    Var value,
    Var seed,
    List<Var> gradients,
    List<Integer> unusedParameters,
    Names names,
    Accumulating accumulating,
    List<Var> residuals) {
  public GradMethod {
    forward = List.copyOf(forward);
    reverse = List.copyOf(reverse);
    gradients = List.copyOf(gradients);
    unusedParameters = List.copyOf(unusedParameters);
  }

  /**
   * The pullback that adds into its caller's adjoint arrays ({@code dotVjpInto(w, x, seed, wBar,
   * xBar)}), for a static method whose differentiated parameters are all arrays: its forward sweep
   * keeps only what the reverse sweep reads, and its reverse sweep declares no adjoint arrays (they
   * are parameters). Null when the method does not qualify. {@code valueForward} is the forward
   * sweep of {@code dotValueVjpInto}, the same pullback that also returns the value: what the
   * reverse sweep reads and what the result needs.
   */
  public record Accumulating(List<Stmt> forward, List<Stmt> valueForward, List<Stmt> reverse) {
    public Accumulating {
      forward = List.copyOf(forward);
      valueForward = List.copyOf(valueForward);
      reverse = List.copyOf(reverse);
    }
  }

  /** The record's name: the method's name with its first letter upper-cased. */
  public String recordName() {
    String n = primal.name();
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }
}
