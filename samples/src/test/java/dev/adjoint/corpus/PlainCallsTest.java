package dev.adjoint.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.Differentiable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Calls of methods without any derivative, with arguments that do not vary: allowed, as constants.
 * Such a method need not be pure; here it hands out the next number of a sequence on every call
 * and records what it handed out. The gradient must use the numbers the forward sweep drew (each
 * call runs exactly once per evaluation), never draw again.
 */
class PlainCallsTest {
  static final List<Double> DRAWN = new ArrayList<>();

  /** The next number of a sequence: 1.5, 2.5, 3.5, ... Not differentiable, not pure. */
  static double draw() {
    double d = 1.5 + DRAWN.size();
    DRAWN.add(d);
    return d;
  }

  /** A draw at top level, multiplying a varying value. */
  @Differentiable
  static double scaled(double x) {
    return x * draw() + Math.sin(x) * draw();
  }

  /** A draw per loop iteration: its value is needed by the reverse sweep of that iteration. */
  @Differentiable
  static double weighted(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * x[i] * draw();
    }
    return s;
  }

  /** A top-level for loop with a step that is not a literal (once an internal error, ADJ000). */
  @Differentiable
  static double stridedProduct(double[] x, int k) {
    double p = 1;
    for (int i = 0; i < x.length; i += k) {
      p = p * (1 + x[i]);
    }
    return p;
  }

  @Test
  void aTopLevelDrawIsUsedOnceAndItsValueReused() {
    DRAWN.clear();
    double x = 0.7;
    var g = PlainCallsTestGrad.scaled(x);
    assertEquals(List.of(1.5, 2.5), DRAWN, "each call ran once, in order");
    assertEquals(x * 1.5 + Math.sin(x) * 2.5, g.value(), 0.0);
    assertEquals(1.5 + Math.cos(x) * 2.5, g.x(), 1e-15);
  }

  @Test
  void aDrawInALoopIsTapedNotDrawnAgain() {
    DRAWN.clear();
    double[] x = {0.5, -1.25, 2.0};
    var g = PlainCallsTestGrad.weighted(x);
    assertEquals(List.of(1.5, 2.5, 3.5), DRAWN);
    assertArrayEquals(new double[] {2 * 0.5 * 1.5, 2 * -1.25 * 2.5, 2 * 2.0 * 3.5}, g.x(), 1e-15);
  }

  @Test
  void aLoopWithAVariableStepAtTopLevel() {
    double[] x = {0.5, -0.25, 2.0, 0.75, 1.5};
    for (int k = 1; k <= 3; k++) {
      var g = PlainCallsTestGrad.stridedProduct(x, k);
      assertEquals(PlainCallsTest.stridedProduct(x, k), g.value(), 0.0);
      for (int j = 0; j < x.length; j++) {
        double[] up = x.clone();
        double[] down = x.clone();
        double h = 1e-6;
        up[j] += h;
        down[j] -= h;
        double fd = (stridedProduct(up, k) - stridedProduct(down, k)) / (2 * h);
        assertEquals(fd, g.x()[j], 1e-8, "k = " + k + ", d/dx[" + j + "]");
      }
    }
  }
}
