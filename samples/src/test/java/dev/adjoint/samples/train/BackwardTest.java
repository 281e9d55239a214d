package dev.adjoint.samples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.adjoint.check.GradCheck;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The hand-written reverse sweeps of {@link Mlp} and {@link LeNet} against central finite differences (Richardson
 * extrapolated, {@link GradCheck}) on a tiny batch of real digits. They are the oracle for the generated gradients
 * of issue 5, so they are checked element by element for every parameter.
 */
class BackwardTest {
  private static final Digits.Split DATA = Digits.load();

  /** The first {@code n} training images and their labels. */
  private static Tensor x(int n) {
    return DATA.train().batch(identity(n), 0, n);
  }

  private static int[] labels(int n) {
    return DATA.train().batchLabels(identity(n), 0, n);
  }

  private static int[] identity(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  /**
   * Non-zero biases: with zero biases, blank pixels put many pre-activations exactly on ReLU's kink, where finite
   * differences see half a slope.
   */
  private static Tensor bias(Random rng, int n) {
    return Tensor.randn(rng, n).mul(0.3);
  }

  private static Mlp smallMlp(long seed) {
    Random rng = new Random(seed);
    return new Mlp(Tensor.randn(rng, 64, 12).mul(0.3), bias(rng, 12), Tensor.randn(rng, 12, 10).mul(0.4),
        bias(rng, 10));
  }

  private static LeNet lenet(long seed) {
    Random rng = new Random(seed);
    return new LeNet(Tensor.randn(rng, 6, 1, 3, 3).mul(0.5), bias(rng, 6), Tensor.randn(rng, 16, 6, 3, 3).mul(0.2),
        bias(rng, 16), Tensor.randn(rng, 64, 10).mul(0.2), bias(rng, 10));
  }

  private static Tensor[] copies(List<Tensor> ps) {
    return ps.stream().map(Tensor::copy).toArray(Tensor[]::new);
  }

  private static Tensor[] grads(List<Tensor> ps) {
    return ps.stream().map(Tensor::grad).toArray(Tensor[]::new);
  }

  private static void checkAgainstFiniteDifferences(Model model, Function<Tensor[], Model> rebuild, Tensor x,
      int[] labels) {
    Tensor[] at = copies(model.parameters());
    double value = model.lossAndGradient(x, labels);
    // f re-runs the primal loss with perturbed copies of the parameters.
    GradCheck.checkTensors(ps -> lossOf(rebuild.apply(ps), x, labels), at, grads(model.parameters()))
        .assertPassed();
    assertEquals(lossOf(model, x, labels), value, 0.0, "the backward's value is the primal's, bit for bit");
  }

  private static double lossOf(Model m, Tensor x, int[] labels) {
    return m instanceof Mlp mlp ? mlp.loss(x, labels) : ((LeNet) m).loss(x, labels);
  }

  @Test
  void generatedGradientsPassGradCheckOnTheModelsOwnFields() {
    // checkParameters perturbs the fields the loss reads, in place: no rebuilding of the model from copies.
    Mlp mlp = smallMlp(4);
    mlp.lossAndGradient(x(4), labels(4));
    GradCheck.checkParameters(() -> mlp.loss(x(4), labels(4)), mlp.parameters()).assertPassed();
    // the point of lenetBackwardMatchesFiniteDifferences, which has no max-pool near-tie or ReLU kink within a step
    LeNet cnn = lenet(2);
    cnn.lossAndGradient(x(3), labels(3));
    GradCheck.checkParameters(() -> cnn.loss(x(3), labels(3)), cnn.parameters()).assertPassed();
  }

  @Test
  void lenetForLargerImagesMatchesFiniteDifferences() {
    // side 12 (the Fashion-MNIST demo uses 28): random pixels, a small step so that no ReLU kink is crossed
    Random rng = new Random(12);
    LeNet cnn = new LeNet(Tensor.randn(rng, 6, 1, 3, 3).mul(0.5), bias(rng, 6),
        Tensor.randn(rng, 16, 6, 3, 3).mul(0.2), bias(rng, 16), Tensor.randn(rng, LeNet.flatSize(12), 10).mul(0.2),
        bias(rng, 10));
    assertEquals(12, cnn.side);
    Tensor x = Tensor.rand(rng, 0, 1, 2, 144);
    int[] labels = {3, 7};
    assertEquals(cnn.loss(x, labels), cnn.lossAndGradient(x, labels), 0.0);
    GradCheck.checkParameters(() -> cnn.loss(x, labels), cnn.parameters(), new GradCheck.Options(1e-5, 1e-8, 1e-6))
        .assertPassed();
    assertEquals(2, cnn.logits(x).size(0));
  }

  @Test
  void mlpBackwardMatchesFiniteDifferences() {
    checkAgainstFiniteDifferences(smallMlp(1), ps -> new Mlp(ps[0], ps[1], ps[2], ps[3]), x(5), labels(5));
  }

  @Test
  void lenetBackwardMatchesFiniteDifferences() {
    checkAgainstFiniteDifferences(lenet(2), ps -> new LeNet(ps[0], ps[1], ps[2], ps[3], ps[4], ps[5]), x(3),
        labels(3));
  }

  @Test
  void mlpWithTheDemosInitialisationMatchesFiniteDifferences() {
    // He initialisation and zero biases as in the demo (no kinks: every row has ink), a narrower hidden layer.
    checkAgainstFiniteDifferences(new Mlp(new Random(3), 64, 32, 10), ps -> new Mlp(ps[0], ps[1], ps[2], ps[3]),
        x(2), labels(2));
  }

  @Test
  void theCheckCatchesAWrongGradient() {
    LeNet m = lenet(2);
    Tensor[] at = copies(m.parameters());
    Tensor x = x(3);
    int[] labels = labels(3);
    m.lossAndGradient(x, labels);
    Tensor[] wrong = grads(m.parameters());
    wrong[3] = wrong[3].mul(1.001); // b2's gradient off by 0.1%
    var report = GradCheck.checkTensors(
        ps -> new LeNet(ps[0], ps[1], ps[2], ps[3], ps[4], ps[5]).loss(x, labels), at, wrong);
    assertFalse(report.passed(), report.toString());
  }

  @Test
  void gradientsAccumulateAcrossCalls() {
    Mlp m = smallMlp(4);
    m.lossAndGradient(x(4), labels(4));
    double[] once = m.w1.grad().toArray();
    m.lossAndGradient(x(4), labels(4));
    double[] twice = m.w1.grad().toArray();
    for (int i = 0; i < once.length; i++) {
      assertEquals(2 * once[i], twice[i], 1e-12 * (1 + Math.abs(once[i])));
    }
  }

  @Test
  void parametersThatDoNotRequireGradGetNone() {
    LeNet m = lenet(5);
    m.w3.requiresGrad(false);
    m.lossAndGradient(x(2), labels(2));
    assertNull(m.w3.grad());
    assertArrayEquals(new int[] {6, 1, 3, 3}, m.w1.grad().shape());
  }

  @Test
  void logitsAgreeWithTheLoss() {
    for (Model m : List.<Model>of(smallMlp(6), lenet(6))) {
      Tensor logits = m.logits(x(4));
      assertArrayEquals(new int[] {4, 10}, logits.shape());
      double ce = dev.adjoint.nn.Loss.crossEntropy(logits, labels(4)).item();
      assertEquals(ce, lossOf(m, x(4), labels(4)), 1e-12);
    }
  }

  @Test
  void generatedGradientsEqualTheHandWrittenReverseSweep() {
    for (int which = 0; which < 2; which++) {
      Model generated = which == 0 ? smallMlp(5) : lenet(5);
      Model byHand = which == 0 ? smallMlp(5) : lenet(5);
      Tensor x = x(5);
      int[] labels = labels(5);
      double v1 = generated.lossAndGradient(x, labels); // MlpGrad.loss / LeNetGrad.loss
      double v2 = byHand instanceof Mlp m ? m.lossAndGradientByHand(x, labels)
          : ((LeNet) byHand).lossAndGradientByHand(x, labels);
      assertEquals(v2, v1, 0.0);
      Tensor[] g1 = grads(generated.parameters());
      Tensor[] g2 = grads(byHand.parameters());
      for (int k = 0; k < g1.length; k++) {
        double[] a = g1[k].toArray();
        double[] b = g2[k].toArray();
        for (int i = 0; i < a.length; i++) {
          assertEquals(b[i], a[i], 1e-12 * Math.max(1, Math.abs(b[i])), generated.name() + " parameter " + k);
        }
      }
    }
  }
}
