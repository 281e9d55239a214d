package dev.adjoint.testing;

import dev.adjoint.check.GradCheck;
import dev.adjoint.check.Report;
import dev.adjoint.tensor.Tensor;
import java.util.Random;
import java.util.function.Function;

/**
 * Checks reverse rules with the runtime's {@link GradCheck} (central differences with a Richardson step) on
 * {@code L = Σ gy ⊙ f(inputs)} for a random gy: the rule for input k must equal dL/d inputs[k].
 */
public final class RuleCheck {
  private RuleCheck() {}

  /** One rule: the gradient for its input, from (gy, y, inputs). */
  public interface Rule {
    Tensor apply(Tensor gy, Tensor y, Tensor[] in);
  }

  /**
   * Checks {@code rules[k]} (null to skip an input without a rule, such as a mask) against the numerical gradient
   * for input k; the AssertionError names {@code what}.
   */
  public static void check(String what, Random rng, Function<Tensor[], Tensor> f, Tensor[] in, Rule... rules) {
    Tensor y = f.apply(in);
    Tensor gy = Tensor.randn(rng, y.shape());
    for (int k = 0; k < rules.length; k++) {
      if (rules[k] == null) {
        continue;
      }
      int input = k;
      Tensor analytic = rules[k].apply(gy, y, in);
      Tensor[] others = in.clone();
      Report r = GradCheck.checkTensors(t -> {
        others[input] = t[0];
        return Fd.dot(gy, f.apply(others));
      }, new Tensor[] {in[k]}, new Tensor[] {analytic});
      if (!r.passed()) {
        throw new AssertionError(what + " input " + k + ": " + r);
      }
    }
  }
}
