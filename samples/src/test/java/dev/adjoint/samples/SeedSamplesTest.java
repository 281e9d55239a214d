package dev.adjoint.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The seed examples' printed numbers, exactly. */
class SeedSamplesTest {

  @Test
  void seed002LineAtThreeGivesTheTutorialsNumbers() {
    Seed002GraphGrad.Line g = Seed002GraphGrad.line(2, 3, 1);
    assertEquals(7.0, g.value(), 0.0);
    assertEquals(3.0, g.w(), 0.0); // w_grad = x
    assertEquals(2.0, g.x(), 0.0); // x_grad = w
    assertEquals(1.0, g.b(), 0.0);
  }

  @Test
  void seed002FanOutSumsBothAdjoints() {
    Seed002GraphGrad.FanOut g = Seed002GraphGrad.fanOut(3);
    assertEquals(21.0, g.value(), 0.0);
    assertEquals(13.0, g.x(), 0.0); // d/dx (2x + 1) x = 4x + 1
  }

  @Test
  void seed000ThreeParameterNetwork() {
    Seed000ScalarGrad.Loss g = Seed000ScalarGrad.loss(10, 1, 20, 1, 500);
    assertEquals(3600.0, g.value(), 0.0);
    assertEquals(-4800.0, g.w1(), 0.0);
    assertEquals(-4800.0, g.b1(), 0.0);
    assertEquals(-2640.0, g.w2(), 0.0);
    double lr = 0.005;
    assertEquals(34.0, 10 - lr * g.w1(), 1e-12);
    assertEquals(25.0, 1 - lr * g.b1(), 1e-12);
    assertEquals(33.2, 20 - lr * g.w2(), 1e-12);
  }
}
