package dev.adjoint.modules;

import static dev.adjoint.modules.LayerCheck.pullbackMatchesFiniteDifferences;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Dropout keeps its mask until told to draw a new one, so its forward pass is pure and its pullback exact. */
class DropoutTest {
  private final Random rng = new Random(5);

  @Test
  void gradientEqualsFiniteDifferences() {
    Dropout d = new Dropout(0.4, rng);
    Tensor x = Tensor.randn(rng, 6, 7);
    pullbackMatchesFiniteDifferences(d, x, List.of(), rng);
    // the gradient is seed * mask, with the mask the forward pass used
    Tensor seed = Tensor.randn(rng, 6, 7);
    Tensor mask = d.mask(x);
    assertArrayEquals(seed.mul(mask).toArray(), d.forwardVjp(x, seed).toArray(), 0.0);
    assertArrayEquals(x.mul(mask).toArray(), d.forward(x).toArray(), 0.0);
  }

  @Test
  void oneMaskPerShapeIsKeptUntilResampled() {
    Dropout d = new Dropout(0.5, rng);
    Tensor x = Tensor.ones(8, 16);
    double[] first = d.forward(x).toArray();
    assertArrayEquals(first, d.forward(x).toArray(), 0.0);
    assertArrayEquals(first, d.forward(Tensor.ones(8, 16)).toArray(), 0.0);
    assertArrayEquals(new int[] {3, 16}, d.forward(Tensor.ones(3, 16)).shape());
    assertArrayEquals(first, d.forward(x).toArray(), 0.0, "another shape leaves this shape's mask alone");
    d.resample();
    assertFalse(Arrays.equals(first, d.forward(x).toArray()), "a new mask after resample()");
  }

  @Test
  void oneDropoutOnInputsOfTwoShapesInOneNetwork() {
    Dropout d = new Dropout(0.3, rng);
    Linear l = new Linear(6, 4, rng);
    Sequential net = new Sequential(d, l, new Tanh(), d);
    pullbackMatchesFiniteDifferences(net, Tensor.randn(rng, 5, 6), List.of(l.w, l.b), rng);
  }

  @Test
  void maskIsScaledZeroOrOneOverKeep() {
    Dropout d = new Dropout(0.25, rng);
    double[] m = d.mask(Tensor.zeros(100, 100)).toArray();
    int zeros = 0;
    for (double v : m) {
      assertTrue(v == 0 || v == 1 / 0.75, "mask element " + v);
      zeros += v == 0 ? 1 : 0;
    }
    assertEquals(0.25, zeros / (double) m.length, 0.02);
  }

  @Test
  void evaluationModeIsTheIdentity() {
    Dropout d = new Dropout(0.9, rng).train(false);
    assertFalse(d.training());
    Tensor x = Tensor.randn(rng, 4, 5);
    assertArrayEquals(x.toArray(), d.forward(x).toArray(), 0.0);
    Tensor seed = Tensor.randn(rng, 4, 5);
    assertArrayEquals(seed.toArray(), d.forwardVjp(x, seed).toArray(), 0.0);
    pullbackMatchesFiniteDifferences(d, x, List.of(), rng);
  }

  @Test
  void extremeProbabilities() {
    Tensor x = Tensor.randn(rng, 3, 3);
    assertArrayEquals(x.toArray(), new Dropout(0, rng).forward(x).toArray(), 0.0);
    assertArrayEquals(new double[9], new Dropout(1, rng).forward(x).toArray(), 0.0);
  }

  @Test
  void sequentialSwitchesModeAndResamplesNestedDropouts() {
    Dropout inner = new Dropout(0.5, rng);
    Dropout outer = new Dropout(0.5, rng);
    Sequential net = new Sequential(outer, new Relu(), new Sequential(inner));
    Tensor x = Tensor.ones(4, 32);
    Tensor before = inner.mask(x);
    assertSame(net, net.train(false));
    assertFalse(inner.training() || outer.training());
    assertArrayEquals(x.toArray(), net.forward(x).toArray(), 0.0);
    net.train(true);
    assertTrue(inner.training() && outer.training());
    double[] y = net.forward(x).toArray();
    assertArrayEquals(y, net.forward(x).toArray(), 0.0);
    net.resample();
    assertNotEquals(Arrays.toString(before.toArray()), Arrays.toString(inner.mask(x).toArray()));
  }
}
