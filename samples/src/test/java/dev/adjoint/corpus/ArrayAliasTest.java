package dev.adjoint.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.Differentiable;
import org.junit.jupiter.api.Test;

/**
 * A method that writes into one array parameter and reads another: the generated gradient works
 * on a copy, and refuses the same array passed twice (the primal would see its own writes through
 * the other name, the copy would not, and the gradient would be ambiguous).
 */
class ArrayAliasTest {
  @Differentiable
  static double scaleThenDot(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] = a[i] * 2;
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void distinctArraysWorkAndTheCallersArrayIsLeftAlone() {
    double[] a = {1, 2, 3};
    double[] b = {4, 5, 6};
    ArrayAliasTestGrad.ScaleThenDot g = ArrayAliasTestGrad.scaleThenDot(a, b);
    assertEquals(2 * (4 + 10 + 18), g.value());
    assertArrayEquals(new double[] {8, 10, 12}, g.a()); // d/da_i (2 a_i b_i) = 2 b_i
    assertArrayEquals(new double[] {2, 4, 6}, g.b());
    assertArrayEquals(new double[] {1, 2, 3}, a);
  }

  @Test
  void theSameArrayTwiceIsRefused() {
    double[] a = {1, 2, 3};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ArrayAliasTestGrad.scaleThenDot(a, a));
    assertTrue(e.getMessage().contains("parameters 'a' and 'b' are the same array"), e.getMessage());
  }
}
