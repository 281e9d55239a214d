package dev.adjoint.samples.check;

import dev.adjoint.Derivative;
import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;

/** {@code @Differentiable} methods over every parameter kind, whose generated {@code ...Check} methods are tested. */
final class CheckSubjects {
  private CheckSubjects() {}

  /** double and float parameters next to constants of other kinds. */
  @Differentiable
  static double scalars(double a, float b, @NoDerivative double c, int n) {
    return Math.sin(a) * b * b + c * a / n + Math.exp(b / 4);
  }

  /** Computed in float: checked with the single-precision defaults. */
  @Differentiable
  static float single(float a, double b) {
    return (float) Math.log1p(Math.exp(a * b));
  }

  /** double[] and a ragged double[][]. */
  @Differentiable
  static double arrays(double[] x, double[][] m) {
    double s = 0;
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[i].length; j++) {
        s += m[i][j] * Math.tanh(x[j]) * x[j];
      }
    }
    return s;
  }

  /** Writes into its argument: every evaluation of the check must start from the same point. */
  @Differentiable
  static double inPlace(double[] x, double w) {
    for (int i = 0; i < x.length; i++) {
      x[i] = x[i] * w;
    }
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += Math.exp(x[i]) * x[i];
    }
    return s;
  }

  /** Tensor parameters and a constant tensor. */
  @Differentiable
  static double tensors(Tensor x, Tensor w, @NoDerivative Tensor target) {
    return Loss.mse(x.matmul(w).tanh(), target).item();
  }

  static double cube(double x) {
    return x * x * x;
  }

  /** Deliberately wrong (3x² is right): the generated check must catch it and name the parameter. */
  @Derivative(of = "cube")
  static double cubeDx(double x) {
    return 2 * x * x;
  }

  /** Right in a, wrong in b through cube's rule. */
  @Differentiable
  static double wrongInB(double a, double b) {
    return a * a + cube(b);
  }
}
