package dev.adjoint.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.fuzz.Failure.Category;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checker itself, without the processor: hand-written "generated" classes that are right,
 * wrong in the value, wrong in a partial, throwing, hanging, or evaluated on a kink.
 */
class GradientCheckerSelfTest {
  private static Class<?> primal;
  private static Class<?> grad;

  private static final String SOURCE = String.join("\n",
      "package fuzz;",
      "class Hand {",
      "  static double f(double a, double[] x, int n) { x[0] = x[0] * a; return Math.sin(a) * x[0] + n * x[1]; }",
      "  static double kink(double a) { return Math.abs(a); }",
      "  static double loop(double a) { return a; }",
      "}",
      "class HandGrad {",
      "  public record R(double value, double a, double[] x) {}",
      "  public record K(double value, double a) {}",
      "  public static R f(double a, double[] x, int n) {",
      "    double x0 = x[0];",
      "    double v = Math.sin(a) * x0 * a + n * x[1];",
      "    double[] gx = new double[x.length];",
      "    gx[0] = Math.sin(a) * a;",
      "    gx[1] = n;",
      "    return new R(v, Math.cos(a) * x0 * a + Math.sin(a) * x0, gx);",
      "  }",
      "  public static R wrongPartial(double a, double[] x, int n) {",
      "    R r = f(a, x, n);",
      "    double[] gx = r.x().clone();",
      "    gx[1] += 1e-4;",
      "    return new R(r.value(), r.a(), gx);",
      "  }",
      "  public static R wrongValue(double a, double[] x, int n) {",
      "    R r = f(a, x, n);",
      "    return new R(r.value() * (1 + 1e-9), r.a(), r.x());",
      "  }",
      "  public static R wrongShape(double a, double[] x, int n) {",
      "    R r = f(a, x, n);",
      "    return new R(r.value(), r.a(), new double[1]);",
      "  }",
      "  public static R throwing(double a, double[] x, int n) { return new R(0, 0, new double[x.length + 1]).x()[x.length + 5] > 0 ? null : null; }",
      "  public static K kink(double a) { return new K(Math.abs(a), Math.signum(a)); }",
      "  public static K loop(double a) { while (a == a) { a = a + 1e-300; } return new K(a, 1); }",
      "}");

  @BeforeAll
  static void compile() throws Exception {
    Compilation c = FuzzHarness.compile("fuzz.Hand", SOURCE, false);
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
    ClassLoader loader = FuzzHarness.load(c);
    primal = loader.loadClass("fuzz.Hand");
    grad = loader.loadClass("fuzz.HandGrad");
  }

  private static FuzzHarness.Result check(String primalName, String gradName, String point) {
    try (FuzzHarness h = new FuzzHarness(1_000)) {
      return h.check(primal, grad, primalName, m -> List.of(Point.parse(point, m)), true, gradName);
    }
  }

  @Test
  void aCorrectGradientPasses() {
    FuzzHarness.Result r = check("f", "f", "a=0.7 x={1.5, -0.25, 2.0} n=3");
    assertNull(r.failure, () -> String.valueOf(r.failure));
    assertEquals(1, r.pointsChecked);
    assertEquals(4, r.coordsChecked);
  }

  @Test
  void aWrongPartialIsAMismatch() {
    FuzzHarness.Result r = check("f", "wrongPartial", "a=0.7 x={1.5, -0.25, 2.0} n=3");
    assertNotNull(r.failure);
    assertEquals(Category.GRADIENT_MISMATCH, r.failure.category());
    assertTrue(r.failure.detail().contains("d/dx[1]"), r.failure.detail());
  }

  @Test
  void aWrongValueIsAMismatch() {
    FuzzHarness.Result r = check("f", "wrongValue", "a=0.7 x={1.5, -0.25, 2.0} n=3");
    assertEquals(Category.VALUE_MISMATCH, r.failure.category());
  }

  @Test
  void aWrongShapeIsAMismatch() {
    FuzzHarness.Result r = check("f", "wrongShape", "a=0.7 x={1.5, -0.25, 2.0} n=3");
    assertEquals("GRADIENT_MISMATCH shape", r.failure.signature());
  }

  @Test
  void anExceptionIsACrash() {
    FuzzHarness.Result r = check("f", "throwing", "a=0.7 x={1.5, -0.25, 2.0} n=3");
    assertEquals("EXCEPTION ArrayIndexOutOfBoundsException", r.failure.signature());
  }

  @Test
  void aHangIsATimeout() {
    FuzzHarness.Result r = check("loop", "loop", "a=0.5");
    assertEquals(Category.TIMEOUT, r.failure.category(), () -> r.failure.toString());
  }

  @Test
  void aPointOnAKinkIsSkippedNotFailed() {
    FuzzHarness.Result r = check("kink", "kink", "a=1e-9");
    assertNull(r.failure, () -> String.valueOf(r.failure));
    assertEquals(1, r.pointsSkipped);
    FuzzHarness.Result away = check("kink", "kink", "a=0.5");
    assertEquals(1, away.pointsChecked);
  }
}
