package dev.adjoint.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The gradient checker: accuracy of its numerical gradient and the content of its reports. */
class GradCheckTest {

  @Test
  void richardsonIsAccurate() {
    double[] x = {0.3, -1.2, 2.0};
    double[] g = GradCheck.numericalGradient(v -> Math.sin(v[0]) * Math.exp(v[1]) + v[2] * v[2] * v[2], x, 1e-3);
    assertEquals(Math.cos(0.3) * Math.exp(-1.2), g[0], 1e-11);
    assertEquals(Math.sin(0.3) * Math.exp(-1.2), g[1], 1e-11);
    assertEquals(12.0, g[2], 1e-9);
    assertEquals(0.3, x[0], "input restored");
  }

  @Test
  void passesCorrectGradient() {
    double[] x = {1.5, -0.5};
    Report r = GradCheck.assertClose(v -> v[0] * v[0] * v[1], x, new double[] {2 * 1.5 * -0.5, 1.5 * 1.5});
    assertTrue(r.passed());
    assertTrue(r.maxAbsError() < 1e-9, r.toString());
    assertTrue(r.toString().startsWith("GradCheck PASSED"), r.toString());
  }

  @Test
  void failsWrongGradientAndNamesWorstElement() {
    double[] x = {1.5, -0.5, 2};
    double[] wrong = {2 * 1.5 * -0.5, 1.5 * 1.5 + 0.01, 0};
    Report r = GradCheck.check(v -> v[0] * v[0] * v[1] + v[2], x, wrong);
    assertFalse(r.passed());
    assertEquals(2, r.worstIndex(), r.toString()); // |0 - 1| beats |2.26 - 2.25|
    assertEquals(0.0, r.worstAnalytic());
    assertEquals(1.0, r.worstNumeric(), 1e-9);
    assertEquals(2, r.failures());
    AssertionError e = assertThrows(AssertionError.class, r::assertPassed);
    assertTrue(e.getMessage().contains("FAILED: 2 of 3 elements") && e.getMessage().contains("input 0 element 2"),
        e.getMessage());
  }

  @Test
  void nanIsNeverClose() {
    Report r = GradCheck.check(v -> v[0], new double[] {1}, new double[] {Double.NaN});
    assertFalse(r.passed());
  }

  @Test
  void tensorsAndArrays() {
    Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
    Tensor b = Tensor.vector(0.5, -1);
    // f = sum(a · b) with b broadcast over rows
    Tensor ga = Tensor.of(new double[] {0.5, -1, 0.5, -1}, 2, 2);
    Tensor gb = Tensor.vector(4, 6);
    Report ok = GradCheck.assertCloseTensors(t -> t[0].mul(t[1]).sum().item(), new Tensor[] {a, b},
        new Tensor[] {ga, gb});
    assertTrue(ok.passed());
    Tensor badA = Tensor.of(new double[] {0.5, -1, 0.5, 7}, 2, 2);
    Report bad = GradCheck.checkTensors(t -> t[0].mul(t[1]).sum().item(), new Tensor[] {a, b},
        new Tensor[] {badA, gb});
    assertTrue(bad.toString().contains("input 0 element 3 [1, 1] analytic 7"), bad.toString());
    assertEquals(1.0, a.get(0, 0), "inputs untouched");
    Report arrays = GradCheck.assertCloseArrays(xs -> xs[0][0] * xs[1][1], new double[][] {{2}, {3, 4}},
        new double[][] {{4}, {0, 2}});
    assertTrue(arrays.passed());
    assertThrows(IllegalArgumentException.class,
        () -> GradCheck.checkTensors(t -> 0, new Tensor[] {a}, new Tensor[] {b}));
    assertThrows(IllegalArgumentException.class, () -> new GradCheck.Options(-1, 0, 1e-3));
  }
  /** A model whose loss reads its own fields, as generated code's models do. */
  private static final class Model {
    final Tensor w = Tensor.randn(new java.util.Random(5), 3, 2).requiresGrad(true);
    final Tensor b = Tensor.vector(0.1, -0.2).requiresGrad(true);
    final Tensor x = Tensor.randn(new java.util.Random(6), 4, 3);

    double loss() {
      return dev.adjoint.nn.Layers.linear(x, w, b).tanh().square().sum().item();
    }

    /** The gradient by the runtime's rules, accumulated into the fields' grad(). */
    void backward() {
      Tensor z = dev.adjoint.nn.Layers.linear(x, w, b);
      Tensor h = z.tanh();
      Tensor gz = Tensor.tanhVjpSelf(h.mul(2.0), h, z);
      w.accumulateGrad(dev.adjoint.nn.Layers.linearVjpW(gz, z, x, w, b));
      b.accumulateGrad(dev.adjoint.nn.Layers.linearVjpB(gz, z, x, w, b));
    }
  }

  @Test
  void checkParametersPerturbsTheModelsOwnTensors() {
    Model m = new Model();
    m.backward();
    double[] w0 = m.w.toArray();
    java.util.List<Tensor> params = java.util.List.of(m.w, m.b);
    Report r = GradCheck.checkParameters(m::loss, params);
    assertTrue(r.passed(), r.toString());
    assertTrue(r.maxAbsError() < 1e-8, r.toString());
    org.junit.jupiter.api.Assertions.assertArrayEquals(w0, m.w.toArray(), 0.0, "restored bit for bit");
    // The symptom: checkTensors perturbs copies the loss never reads, so the numeric gradient is 0.
    Report copies = GradCheck.checkTensors(t -> m.loss(), new Tensor[] {m.w, m.b}, new Tensor[] {m.w.grad(), m.b.grad()});
    assertFalse(copies.passed());
    assertEquals(0.0, copies.worstNumeric());
    // A wrong gradient fails and is named.
    m.b.grad().data()[1] += 0.5;
    Report bad = GradCheck.checkParameters(m::loss, params);
    assertFalse(bad.passed());
    assertEquals(1, bad.worstInput());
    assertEquals(1, bad.worstIndex());
  }

  @Test
  void checkParametersNeedsTheGradients() {
    Model m = new Model();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.checkParameters(m::loss, java.util.List.of(m.w)));
    assertEquals("GradCheck: parameter 0 (shape [3, 2]) has no gradient: run the gradient first, or is it not marked "
        + "requiresGrad(true)?", e.getMessage());
  }
}
