package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * Seed 000: the three-parameter network y1 = w1*x + b1, y2 = y1*w2, y3 = 2*y2 with the squared
 * error against a label, at w1 = 10, b1 = 1, w2 = 20, x = 1, label = 500, written as plain doubles.
 */
public final class Seed000 {
  private Seed000() {}

  @Differentiable
  static double loss(double w1, double b1, double w2, @NoDerivative double x, @NoDerivative double label) {
    double y1 = w1 * x + b1;
    double y2 = y1 * w2;
    double y3 = 2 * y2;
    double diff = y3 - label;
    return diff * diff;
  }
}
