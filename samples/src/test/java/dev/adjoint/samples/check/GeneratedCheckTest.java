package dev.adjoint.samples.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.check.Report;
import dev.adjoint.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The generated {@code FooGrad.mCheck(...)}: passes on correct gradients of every parameter kind, fails (naming the
 * parameter) on a wrong {@code @Derivative}, and leaves the caller's arguments, fields and gradients as they were.
 */
class GeneratedCheckTest {
  private final Random rng = new Random(15);

  @Test
  void scalarParametersPass() {
    Report r = CheckSubjectsGrad.scalarsCheck(0.7, 1.3f, -2.0, 3).assertPassed();
    assertEquals(2 * 1, count(r), "a and b are checked, not the constants");
  }

  @Test
  void floatMethodPassesWithSinglePrecisionDefaults() {
    CheckSubjectsGrad.singleCheck(0.4f, -1.7).assertPassed();
  }

  @Test
  void arraysPassAndAreNotChanged() {
    double[] x = {0.3, -1.1, 0.8};
    double[][] m = {{1.5, -0.5, 2.0}, {0.25}, {}, {-1.0, 3.0}};
    double[] x0 = x.clone();
    double[][] m0 = CopyOf.rows(m);
    CheckSubjectsGrad.arraysCheck(x, m).assertPassed();
    assertArrayEquals(x0, x);
    for (int i = 0; i < m.length; i++) {
      assertArrayEquals(m0[i], m[i]);
    }
  }

  @Test
  void methodWritingIntoItsArgumentIsCheckedFromTheSamePoint() {
    double[] x = {0.3, -0.6, 0.9};
    CheckSubjectsGrad.inPlaceCheck(x, 1.4).assertPassed();
    assertArrayEquals(new double[] {0.3, -0.6, 0.9}, x);
  }

  @Test
  void tensorParametersPass() {
    Tensor x = Tensor.randn(rng, 5, 3);
    Tensor w = Tensor.randn(rng, 3, 2);
    Tensor target = Tensor.randn(rng, 5, 2);
    double[] w0 = w.data().clone();
    CheckSubjectsGrad.tensorsCheck(x, w, target).assertPassed();
    assertArrayEquals(w0, w.data());
  }

  @Test
  void wrongDerivativeRuleFailsAndTheReportNamesTheParameter() {
    Report r = CheckSubjectsGrad.wrongInBCheck(0.5, 1.5);
    assertFalse(r.passed());
    assertEquals("b", r.worstInputName());
    assertEquals(2 * 1.5 * 1.5, r.worstAnalytic(), 1e-12); // the wrong rule, 2b²
    assertEquals(3 * 1.5 * 1.5, r.worstNumeric(), 1e-6); // the truth, 3b²
    AssertionError e = assertThrows(AssertionError.class, r::assertPassed);
    assertTrue(e.getMessage().contains("CheckSubjects.wrongInB") && e.getMessage().contains("worst: b element 0"),
        e.getMessage());
  }

  @Test
  void modelFieldsAndParametersPassAndTheCallersGradientsAreKept() {
    CheckModel model = model();
    Tensor x = Tensor.randn(rng, 6, 3);
    Tensor target = Tensor.randn(rng, 6, 2);
    CheckModelGrad.loss(model, x, target); // the user's own step: w1, b1, w2 now hold gradients
    Tensor w1Grad = model.w1.grad();
    double[] w1GradValues = w1Grad.data().clone();
    model.b1.clearGrad(); // and one field without any
    double[] w1Values = model.w1.data().clone();

    Report r = CheckModelGrad.lossCheck(model, x, target).assertPassed();

    assertEquals(3 * 4 + 4 + 4 * 2 + 6 * 3, count(r), "w1, b1, w2 and x; not the frozen tensor");
    assertSame(w1Grad, model.w1.grad(), "the same gradient object, which an optimizer may hold");
    assertArrayEquals(w1GradValues, model.w1.grad().data());
    assertNull(model.b1.grad());
    assertNull(model.frozen.grad());
    assertArrayEquals(w1Values, model.w1.data(), "perturbed in place and restored bit for bit");
  }

  @Test
  void methodOfFieldsOnlyPasses() {
    CheckModel model = model();
    Report r = CheckModelGrad.penaltyCheck(model).assertPassed();
    assertEquals(3 * 4 + 4 + 4 * 2, count(r));
    assertNull(model.w1.grad());
  }

  @Test
  void aWrongGradientOfAFieldFailsAndIsNamedAfterTheField() {
    CheckModel model = model();
    Report r = CheckModelGrad.wrongInW1Check(model);
    assertFalse(r.passed());
    assertEquals("this.w1", r.worstInputName(), r.toString());
    assertNull(model.w1.grad());
  }

  private CheckModel model() {
    return new CheckModel(Tensor.randn(rng, 3, 4), Tensor.randn(rng, 4), Tensor.randn(rng, 4, 2),
        Tensor.randn(rng, 2));
  }

  private static int count(Report r) {
    return r.checked();
  }

  /** Deep copies for the assertions. */
  private static final class CopyOf {
    static double[][] rows(double[][] m) {
      double[][] c = new double[m.length][];
      for (int i = 0; i < m.length; i++) {
        c[i] = m[i].clone();
      }
      return c;
    }
  }
}
