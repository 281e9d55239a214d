package dev.adjoint.samples;

import dev.adjoint.Differentiable;

/**
 * Seed 002: a computational graph y = w * x + b evaluated at w = 2, x = 3, b = 1. The tutorial's
 * graph of Variable / Add / Mul nodes becomes one line of Java; the generated {@link
 * Seed002GraphGrad#line} is the graph's backward pass.
 */
public final class Seed002Graph {
  private Seed002Graph() {}

  @Differentiable
  static double line(double w, double x, double b) {
    return w * x + b;
  }

  /** Seed 002's fan-out: x is used twice, so it receives the sum of both adjoints. */
  @Differentiable
  static double fanOut(double x) {
    double y = 2 * x + 1;
    return y * x;
  }

  public static void main(String[] args) {
    Seed002GraphGrad.Line g = Seed002GraphGrad.line(2, 3, 1);
    System.out.printf("seed 002: y = w*x + b at w=2, x=3, b=1%n");
    System.out.printf("  y = %s, w_grad = %s, x_grad = %s, b_grad = %s%n", g.value(), g.w(), g.x(), g.b());
    Seed002GraphGrad.FanOut f = Seed002GraphGrad.fanOut(3);
    System.out.printf("  fan-out (2x + 1) * x at x=3: value = %s, dx = %s (= 4x + 1)%n", f.value(), f.x());
  }
}
