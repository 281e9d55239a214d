package dev.adjoint.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.fuzz.Failure.Category;
import dev.adjoint.processor.fuzz.GradientChecker.Outcome;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tensor checker itself, without the processor: hand-written "generated" classes that are
 * right, or wrong in one element, in the value's last bit, in a gradient's shape, with a null
 * gradient, or in a model parameter's {@code grad()}; and primals that are not smooth at the point
 * (a kink, a value decided by an exact comparison), which must be skipped, not reported.
 */
class TensorCheckerSelfTest {
  private static final String SOURCE = String.join("\n",
      "package fuzz;",
      "import dev.adjoint.tensor.Tensor;",
      "import java.util.Random;",
      "class TH {",
      "  static Object[] fuzzArgs(Random r) { return new Object[] {Tensor.rand(r, -1, 1, 2, 3), 0.5}; }",
      "  static double f(Tensor x, double a) { return x.mul(a).square().sum().item(); }",
      "  static Tensor g(Tensor x, double a) { return x.mul(a).tanh(); }",
      "  static double jump(Tensor x, double a) { return a == 0.5 ? 10 * a : a; }",
      "  static double kink(Tensor x, double a) { return Math.max(a - 0.5, 0) + x.sum().item(); }",
      "}",
      "class THGrad {",
      "  public record F(double value, Tensor x, double a) {}",
      "  public record G(Tensor value, Tensor x, double a) {}",
      "  public static F f(Tensor x, double a) { return fVjp(x, a, 1); }",
      "  public static F fVjp(Tensor x, double a, double s) {",
      "    return new F(TH.f(x, a), x.mul(2 * a * a * s), s * 2 * a * x.square().sum().item());",
      "  }",
      "  public static G gVjp(Tensor x, double a, Tensor s) {",
      "    Tensor y = TH.g(x, a);",
      "    Tensor dy = s.mul(y.square().rsub(1));",
      "    return new G(y, dy.mul(a), dy.mul(x).sum().item());",
      "  }",
      "  public static F jump(Tensor x, double a) { return new F(TH.jump(x, a), Tensor.zeros(2, 3), a == 0.5 ? 10 : 1); }",
      "  public static F jumpVjp(Tensor x, double a, double s) { F r = jump(x, a); return new F(r.value(), r.x(), s * r.a()); }",
      "  public static F kink(Tensor x, double a) { return new F(TH.kink(x, a), Tensor.onesLike(x), a > 0.5 ? 1 : 0); }",
      "  public static F kinkVjp(Tensor x, double a, double s) { F r = kink(x, a); return new F(r.value(), r.x().mul(s), s * r.a()); }",
      "}",
      "class WrongElementGrad {",
      "  public static THGrad.F f(Tensor x, double a) { return fVjp(x, a, 1); }",
      "  public static THGrad.F fVjp(Tensor x, double a, double s) {",
      "    THGrad.F r = THGrad.fVjp(x, a, s);",
      "    Tensor gx = r.x().copy();",
      "    gx.data()[4] += 1e-4;",
      "    return new THGrad.F(r.value(), gx, r.a());",
      "  }",
      "}",
      "class WrongValueGrad {",
      "  public static THGrad.F f(Tensor x, double a) {",
      "    THGrad.F r = THGrad.f(x, a);",
      "    return new THGrad.F(Math.nextUp(r.value()), r.x(), r.a());",
      "  }",
      "}",
      "class WrongShapeGrad {",
      "  public static THGrad.F f(Tensor x, double a) {",
      "    THGrad.F r = THGrad.f(x, a);",
      "    return new THGrad.F(r.value(), r.x().sum(0), r.a());",
      "  }",
      "}",
      "class NullGrad {",
      "  public static THGrad.F f(Tensor x, double a) {",
      "    THGrad.F r = THGrad.f(x, a);",
      "    return new THGrad.F(r.value(), null, r.a());",
      "  }",
      "}",
      "class JvpGrad {",
      "  public record FJvp(double value, double tangent) {}",
      "  public static THGrad.F f(Tensor x, double a) { return THGrad.f(x, a); }",
      "  public static THGrad.F fVjp(Tensor x, double a, double s) { return THGrad.fVjp(x, a, s); }",
      "  public static FJvp fJvp(Tensor x, double a, Tensor xDot, double aDot) {",
      "    return new FJvp(TH.f(x, a), 2 * a * a * x.mul(xDot).sum().item() + 2 * a * x.square().sum().item() * aDot);",
      "  }",
      "}",
      "class WrongJvpGrad {",
      "  public static THGrad.F f(Tensor x, double a) { return THGrad.f(x, a); }",
      "  public static THGrad.F fVjp(Tensor x, double a, double s) { return THGrad.fVjp(x, a, s); }",
      "  public static JvpGrad.FJvp fJvp(Tensor x, double a, Tensor xDot, double aDot) {",
      "    JvpGrad.FJvp r = JvpGrad.fJvp(x, a, xDot, aDot);",
      "    return new JvpGrad.FJvp(r.value(), r.tangent() + 1e-4);",
      "  }",
      "}",
      "class TM {",
      "  final Tensor w;",
      "  final java.util.List<TB> blocks;",
      "  TM(Random r) { w = Tensor.rand(r, -1, 1, 3).requiresGrad(true); blocks = java.util.List.of(new TB(r), new TB(r)); }",
      "  static Object[] fuzzArgs(Random r) { return new Object[] {new TM(r), Tensor.rand(r, -1, 1, 2, 3)}; }",
      "  double loss(Tensor x) { return x.mul(w).add(blocks.get(1).b).square().sum().item(); }",
      "}",
      "class TB {",
      "  final Tensor b;",
      "  TB(Random r) { b = Tensor.rand(r, -1, 1, 2, 3).requiresGrad(true); }",
      "}",
      "class TMGrad {",
      "  public record Loss(double value) {}",
      "  public static Loss loss(TM self, Tensor x) { return lossVjp(self, x, 1); }",
      "  public static Loss lossVjp(TM self, Tensor x, double s) {",
      "    Tensor z = x.mul(self.w).add(self.blocks.get(1).b).mul(2 * s);",
      "    self.w.accumulateGrad(z.mul(x).sum(0));",
      "    self.blocks.get(1).b.accumulateGrad(z);",
      "    return new Loss(self.loss(x));",
      "  }",
      "}",
      "class TMJvpGrad {",
      "  public record LossJvp(double value, double tangent) {}",
      "  public static TMGrad.Loss loss(TM self, Tensor x) { return TMGrad.loss(self, x); }",
      "  public static TMGrad.Loss lossVjp(TM self, Tensor x, double s) { return TMGrad.lossVjp(self, x, s); }",
      "  public static LossJvp lossJvp(TM self, Tensor x) { return lossJvp(self, x, true); }",
      "  static LossJvp lossJvp(TM self, Tensor x, boolean withB) {",
      "    Tensor b = self.blocks.get(1).b;",
      "    Tensor z = x.mul(self.w).add(b);",
      "    Tensor dz = x.mul(dev.adjoint.rules.TensorArrays.tangentOf(self.w));",
      "    if (withB) { dz = dz.add(dev.adjoint.rules.TensorArrays.tangentOf(b)); }",
      "    return new LossJvp(self.loss(x), 2 * z.mul(dz).sum().item());",
      "  }",
      "}",
      "class WrongModelJvpGrad {",
      "  public static TMGrad.Loss loss(TM self, Tensor x) { return TMGrad.loss(self, x); }",
      "  public static TMGrad.Loss lossVjp(TM self, Tensor x, double s) { return TMGrad.lossVjp(self, x, s); }",
      "  public static TMJvpGrad.LossJvp lossJvp(TM self, Tensor x) { return TMJvpGrad.lossJvp(self, x, false); }",
      "}",
      "class WrongModelGrad {",
      "  public static TMGrad.Loss loss(TM self, Tensor x) {",
      "    TMGrad.Loss r = TMGrad.loss(self, x);",
      "    self.blocks.get(1).b.grad().data()[2] *= 1.001;",
      "    return r;",
      "  }",
      "}");

  private static ClassLoader loader;

  @BeforeAll
  static void compile() {
    Compilation c = FuzzHarness.compile("fuzz.TH", SOURCE, false);
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
    loader = FuzzHarness.load(c);
  }

  private static Outcome check(String primal, String grad, String method, long seed) throws Exception {
    // the model's loss has no gradient for x: it is a constant, as if marked @NoDerivative
    return TensorChecker.check(loader.loadClass("fuzz." + primal), loader.loadClass("fuzz." + grad), method,
        primal.equals("TM") ? Set.of("x") : Set.of(), seed);
  }

  @Test
  void correctGradientsPassThroughMAndThroughMVjp() throws Exception {
    for (long seed : new long[] {2, 3}) {
      Outcome o = check("TH", "THGrad", "f", seed);
      assertNull(o.failure, () -> String.valueOf(o.failure));
      assertEquals(7, o.coordsChecked);
    }
    Outcome g = check("TH", "THGrad", "g", 5);
    assertNull(g.failure, () -> String.valueOf(g.failure));
    assertEquals(7, g.coordsChecked);
  }

  @Test
  void oneWrongElementIsAMismatchNamingIt() throws Exception {
    for (long seed : new long[] {2, 3}) {
      Outcome o = check("TH", "WrongElementGrad", "f", seed);
      assertNotNull(o.failure);
      assertEquals(Category.GRADIENT_MISMATCH, o.failure.category());
      assertTrue(o.failure.detail().contains("d/dx[1, 1]"), o.failure.detail());
      assertEquals("seed=" + seed, o.failure.point().toString());
    }
  }

  @Test
  void theValueMustBeExact() throws Exception {
    assertEquals(Category.VALUE_MISMATCH, check("TH", "WrongValueGrad", "f", 2).failure.category());
  }

  @Test
  void aWrongShapeOrANullGradientIsAMismatch() throws Exception {
    assertEquals("GRADIENT_MISMATCH shape", check("TH", "WrongShapeGrad", "f", 2).failure.signature());
    Failure f = check("TH", "NullGrad", "f", 2).failure;
    assertEquals(Category.GRADIENT_MISMATCH, f.category());
    assertTrue(f.detail().contains("(null gradient)"), f.detail());
  }

  @Test
  void forwardModeIsCheckedAgainstTheGradientAlongADirection() throws Exception {
    for (long seed : new long[] {2, 3}) {
      Outcome right = check("TH", "JvpGrad", "f", seed);
      assertNull(right.failure, () -> String.valueOf(right.failure));
      assertEquals(8, right.coordsChecked); // the 7 partials, then the tangent's central difference
      Outcome wrong = check("TH", "WrongJvpGrad", "f", seed);
      assertEquals("GRADIENT_MISMATCH jvp", wrong.failure.signature());
    }
  }

  @Test
  void aModelsForwardModeIsCheckedAlongItsParametersTangents() throws Exception {
    for (long seed : new long[] {2, 3}) {
      Outcome right = check("TM", "TMJvpGrad", "loss", seed);
      assertNull(right.failure, () -> String.valueOf(right.failure));
      assertEquals(16, right.coordsChecked); // the 15 parameters' partials, then the tangent's central difference
      Outcome wrong = check("TM", "WrongModelJvpGrad", "loss", seed);
      assertEquals("GRADIENT_MISMATCH jvp", wrong.failure.signature());
    }
  }

  @Test
  void modelParametersAreCheckedThroughTheirGrad() throws Exception {
    Outcome ok = check("TM", "TMGrad", "loss", 3);
    assertNull(ok.failure, () -> String.valueOf(ok.failure));
    // w (3), the two blocks' b (6 each; the first block's gradient is null, and right)
    assertEquals(15, ok.coordsChecked);
    Outcome wrong = check("TM", "WrongModelGrad", "loss", 2);
    assertEquals(Category.GRADIENT_MISMATCH, wrong.failure.category());
    assertTrue(wrong.failure.detail().contains("this.blocks[1].b.grad()[0, 2]"), wrong.failure.detail());
  }

  @Test
  void pointsWhereThePrimalIsNotSmoothAreSkippedNotReported() throws Exception {
    // a == 0.5 ? 10 * a : a at a = 0.5: f(a) is not (f(a + h) + f(a - h)) / 2 at any step, while the
    // central differences (1) agree at every step and differ from the branch taken (10)
    Outcome jump = check("TH", "THGrad", "jump", 2);
    assertNull(jump.failure, () -> String.valueOf(jump.failure));
    assertEquals(1, jump.coordsSkipped);
    // max(a - 0.5, 0) at a = 0.5: the central differences (1/2) agree at every step too
    Outcome kink = check("TH", "THGrad", "kink", 2);
    assertNull(kink.failure, () -> String.valueOf(kink.failure));
    assertEquals(1, kink.coordsSkipped);
    assertEquals(6, kink.coordsChecked);
  }
}
