package dev.adjoint.samples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.modules.Conv2d;
import dev.adjoint.modules.Linear;
import dev.adjoint.optim.Adam;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The LeNet composed of library modules against the one-method {@link LeNet}: on the same weights, the same logits,
 * loss and parameter gradients; and a few training steps lower its loss.
 */
class ComposedLeNetTest {
  private static final Digits.Split DATA = Digits.load();

  private static int[] rows(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  /** The composed network holding copies of {@code lenet}'s tensors. */
  private static ComposedLeNet sameWeights(LeNet lenet) {
    return new ComposedLeNet(
        new Conv2d(lenet.w1.copy(), lenet.b1.copy(), LeNet.STRIDE, LeNet.PADDING),
        new Conv2d(lenet.w2.copy(), lenet.b2.copy(), LeNet.STRIDE, LeNet.PADDING),
        new Linear(lenet.w3.copy(), lenet.b3.copy()));
  }

  @Test
  void gradientsEqualTheOneMethodLeNetsOnTheSameWeights() {
    Random rng = new Random(17);
    // non-zero biases, so the two networks are compared away from the all-zero start
    LeNet lenet = new LeNet(Tensor.randn(rng, 6, 1, 3, 3).mul(0.5), Tensor.randn(rng, 6).mul(0.3),
        Tensor.randn(rng, 16, 6, 3, 3).mul(0.2), Tensor.randn(rng, 16).mul(0.3), Tensor.randn(rng, 64, 10).mul(0.2),
        Tensor.randn(rng, 10).mul(0.3));
    ComposedLeNet composed = sameWeights(lenet);
    int[] rows = rows(0, 64);
    Tensor x = DATA.train().batch(rows, 0, rows.length);
    int[] labels = DATA.train().batchLabels(rows, 0, rows.length);

    assertArrayEquals(lenet.logits(x).toArray(), composed.logits(x).toArray(), 1e-12);
    double expected = lenet.lossAndGradient(x, labels);
    double actual = composed.lossAndGradient(x, labels);
    assertEquals(expected, actual, 1e-12);
    List<Tensor> a = lenet.parameters();
    List<Tensor> b = composed.parameters();
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).shape(), b.get(i).shape(), "parameter " + i);
      assertArrayEquals(a.get(i).grad().toArray(), b.get(i).grad().toArray(), 1e-9, "gradient of parameter " + i);
    }
  }

  @Test
  void aFewTrainingStepsReduceTheLoss() {
    ComposedLeNet model = new ComposedLeNet(new Random(3));
    int[] rows = rows(0, 128);
    Tensor x = DATA.train().batch(rows, 0, rows.length);
    int[] labels = DATA.train().batchLabels(rows, 0, rows.length);
    Adam adam = new Adam(model.parameters(), 3e-3);
    double previous = Double.POSITIVE_INFINITY;
    for (int step = 0; step < 10; step++) {
      adam.zeroGrad();
      double loss = model.lossAndGradient(x, labels); // before this step's update
      assertTrue(loss < previous, "step " + step + ": loss " + previous + " -> " + loss);
      previous = loss;
      adam.step();
    }
    assertTrue(model.loss(x, labels) < previous);
  }

  @Test
  void parametersAreTheModulesTensorsAndTrainable() {
    ComposedLeNet model = new ComposedLeNet(new Random(1));
    assertEquals(List.of("net.layers.0.w", "net.layers.0.b", "net.layers.3.w", "net.layers.3.b", "net.layers.7.w",
        "net.layers.7.b"), List.copyOf(ComposedLeNetGrad.namedParameters(model).keySet()));
    assertEquals(6, model.parameters().size());
    for (Tensor p : model.parameters()) {
      assertTrue(p.requiresGrad());
    }
    assertArrayEquals(new int[] {64, 10}, model.parameters().get(4).shape());
  }
}
