package dev.adjoint.spark.mllib;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * The binary logistic loss of one row, the objective of MLlib's own {@code LogisticGradient} (no intercept: add a
 * constant feature for one), written once as plain Java; the processor writes {@code LogisticLossGrad.loss}.
 */
public final class LogisticLoss {
  private LogisticLoss() {}

  /**
   * {@code log(1 + exp(-z))} for label 1 and {@code log(1 + exp(z))} for label 0, with {@code z = w·x}, written so it
   * never overflows. {@code x} must be as long as {@code w} ({@link RowLoss#LOGISTIC} checks).
   *
   * <p>One smooth branch per sign of {@code z}, not the branch-free {@code max(z, 0) - label·z + log1p(exp(-|z|))}:
   * that sum is smooth, but its terms have kinks at {@code z = 0}, where each term's derivative is a one-sided
   * choice and their sum is not the derivative {@code sigmoid(0) - label}. Every row has {@code z = 0} at the usual
   * starting point {@code w = 0}.
   */
  @Differentiable
  public static double loss(double[] w, @NoDerivative double[] x, @NoDerivative double label) {
    double z = 0;
    for (int i = 0; i < w.length; i++) {
      z += w[i] * x[i];
    }
    if (z >= 0) {
      return (1 - label) * z + Math.log1p(Math.exp(-z));
    }
    return Math.log1p(Math.exp(z)) - label * z;
  }
}
