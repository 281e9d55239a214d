package dev.adjoint.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.rules.ArrayRules;
import org.junit.jupiter.api.Test;

/** float[] parameters in the generated checks, and the float[] helpers of generated gradients. */
class MethodCheckFloatTest {
  /** Σ a_i² + a_0 a_1, in float as the checked method would compute it. */
  private static double f(float[] a) {
    float s = 0;
    for (float v : a) {
      s += v * v;
    }
    return s + a[0] * a[1];
  }

  @Test
  void aFloatArrayGradientIsCheckedElementByElement() {
    float[] a = {0.5f, -1.25f, 2f};
    float[] right = {2 * 0.5f - 1.25f, 2 * -1.25f + 0.5f, 4f};
    MethodCheck good = new MethodCheck("f", MethodCheck.SINGLE_PRECISION);
    float[] at = good.array("a", a, right);
    Report passed = good.run(() -> f(at));
    assertTrue(passed.passed(), passed.toString());
    assertEquals(3, passed.checked());

    float[] wrong = right.clone();
    wrong[2] += 0.05f;
    MethodCheck bad = new MethodCheck("f", MethodCheck.SINGLE_PRECISION);
    float[] at2 = bad.array("a", a, wrong);
    Report failed = bad.run(() -> f(at2));
    assertFalse(failed.passed());
    assertEquals(2, failed.worstIndex());
    assertArrayEquals(new float[] {0.5f, -1.25f, 2f}, a, "the caller's array is left alone");
  }

  @Test
  void aGradientOfTheWrongLengthIsNamed() {
    MethodCheck check = new MethodCheck("f", MethodCheck.SINGLE_PRECISION);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> check.array("a", new float[3], new float[2]));
    assertTrue(e.getMessage().contains("gradient of a has 2 elements but the parameter has 3"), e.getMessage());
  }

  @Test
  void floatAdjointsAreRoundedOnceAndFloatPartialsAddIntoDoubleAdjoints() {
    assertArrayEquals(new float[] {(float) 0.1, -3f}, ArrayRules.toFloats(new double[] {0.1, -3}));
    double[] acc = {1, 2};
    ArrayRules.add(acc, new float[] {0.5f, -1f});
    assertArrayEquals(new double[] {1.5, 1}, acc);
    ArrayRules.addScaled(acc, 2, new float[] {0.25f, 1f});
    assertArrayEquals(new double[] {2, 3}, acc);
    assertThrows(IllegalArgumentException.class, () -> ArrayRules.add(acc, new float[3]));
  }
}
