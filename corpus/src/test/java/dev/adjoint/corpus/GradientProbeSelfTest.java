package dev.adjoint.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The corpus's gradient probe accepts a right gradient, catches a wrong one, and does not trust a kink. */
class GradientProbeSelfTest {

  /** Primals, as a library would have them. */
  static final class Primal {
    static double cube(double x, double[] w) {
      return x * x * x + w[0] * w[1];
    }

    static double absolute(double x) {
      return Math.abs(x - 0.7);
    }
  }

  /** Gradients as the processor would generate them: a record per method. */
  public static final class Grads {
    public record Cube(double value, double x, double[] w) {}

    public record Absolute(double value, double x) {}

    public static Cube cube(double x, double[] w) {
      return new Cube(Primal.cube(x, w), 3 * x * x, new double[] {w[1], w[0], 0});
    }

    public static Absolute absolute(double x) {
      return new Absolute(Primal.absolute(x), Math.signum(x - 0.7));
    }
  }

  /** The same gradient with one partial off by 1e-4 (relative): a silently wrong gradient. */
  public static final class WrongGrads {
    public static Grads.Cube cube(double x, double[] w) {
      return new Grads.Cube(Primal.cube(x, w), 3 * x * x, new double[] {w[1], w[0] * (1 + 1e-4), 0});
    }
  }

  private static Method method(Class<?> c, String name) {
    for (Method m : c.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        m.setAccessible(true);
        return m;
      }
    }
    throw new AssertionError(name);
  }

  @Test
  void rightGradientIsTrustedAtEveryCoordinate() {
    GradientProbe.Result r = new GradientProbe(method(Primal.class, "cube"), method(Grads.class, "cube"),
        List.of("x", "w")).run();
    assertNull(r.failure());
    assertEquals(SamplePoints.COUNT * 4, r.trusted());
  }

  @Test
  void wrongPartialIsCaught() {
    GradientProbe.Result r = new GradientProbe(method(Primal.class, "cube"), method(WrongGrads.class, "cube"),
        List.of("x", "w")).run();
    assertNotNull(r.failure());
    assertTrue(r.failure().contains("d/dw[1]"), r.failure());
  }

  @Test
  void kinkAtTheSamplePointIsNotTrusted() {
    // 0.7 is a sample value: there |x - 0.7| has a kink and signum gives 0, which no difference quotient matches.
    GradientProbe.Result r = new GradientProbe(method(Primal.class, "absolute"), method(Grads.class, "absolute"),
        List.of("x")).run();
    assertNull(r.failure());
    assertTrue(r.trusted() > 0 && r.trusted() < SamplePoints.COUNT, "trusted " + r.trusted());
  }
}
