package dev.adjoint.samples;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * Seed 000: the three-parameter network y1 = w1*x + b1, y2 = y1*w2, y3 = 2*y2 with the squared
 * error against a label, at w1 = 10, b1 = 1, w2 = 20, x = 1, label = 500, written as plain doubles.
 */
public final class Seed000Scalar {
  private Seed000Scalar() {}

  @Differentiable
  static double loss(double w1, double b1, double w2, @NoDerivative double x, @NoDerivative double label) {
    double y1 = w1 * x + b1;
    double y2 = y1 * w2;
    double y3 = 2 * y2;
    double diff = y3 - label;
    return diff * diff;
  }

  public static void main(String[] args) {
    Seed000ScalarGrad.Loss g = Seed000ScalarGrad.loss(10, 1, 20, 1, 500);
    double lr = 0.005;
    System.out.printf("seed 000: three-parameter network, loss = (2*(w1*x + b1)*w2 - label)^2%n");
    System.out.printf("  loss = %s%n", g.value());
    System.out.printf("  w1.grad = %s, b1.grad = %s, w2.grad = %s%n", g.w1(), g.b1(), g.w2());
    System.out.printf("  after one SGD step (lr %s): w1 = %s, b1 = %s, w2 = %s%n", lr,
        10 - lr * g.w1(), 1 - lr * g.b1(), 20 - lr * g.w2());
  }
}
