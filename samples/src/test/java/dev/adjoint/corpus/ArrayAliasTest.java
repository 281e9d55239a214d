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

  /** Writes into a two-dimensional parameter: the generated method works on a deep copy. */
  @Differentiable
  static double squareRowsInPlace(double[][] w) {
    double s = 0;
    for (int i = 0; i < w.length; i++) {
      for (int j = 0; j < w[i].length; j++) {
        w[i][j] = w[i][j] * w[i][j];
        s += Math.sin(w[i][j]);
      }
    }
    return s;
  }

  @Test
  void twoDimensionalWritesDifferentiateWithRespectToEntryValues() {
    double[][] w = {{0.3, -0.7}, {1.1}};
    ArrayAliasTestGrad.SquareRowsInPlace g = ArrayAliasTestGrad.squareRowsInPlace(w);
    assertArrayEquals(new double[] {0.3, -0.7}, w[0]); // the caller's rows are left alone
    assertArrayEquals(new double[] {1.1}, w[1]);
    double[][] entry = {{0.3, -0.7}, {1.1}};
    for (int i = 0; i < entry.length; i++) {
      for (int j = 0; j < entry[i].length; j++) {
        double v = entry[i][j];
        double h = 1e-6;
        entry[i][j] = v + h;
        double up = squareRowsInPlace(copy(entry));
        entry[i][j] = v - h;
        double down = squareRowsInPlace(copy(entry));
        entry[i][j] = v;
        assertEquals((up - down) / (2 * h), g.w()[i][j], 1e-8); // central differences
        assertEquals(2 * v * Math.cos(v * v), g.w()[i][j], 1e-12); // d sin(v²)/dv
      }
    }
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
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
