package dev.adjoint.modules;

import static dev.adjoint.modules.LayerCheck.awayFromZero;
import static dev.adjoint.modules.LayerCheck.pullbackMatchesFiniteDifferences;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.adjoint.nn.Layers;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every module's pullback against finite differences, for its input and each of its parameters. */
class ModulesGradientTest {
  private final Random rng = new Random(2026);

  @Test
  void linearOnABatchAndOnABatchOfSequences() {
    Linear l = new Linear(5, 3, rng);
    pullbackMatchesFiniteDifferences(l, Tensor.randn(rng, 4, 5), List.of(l.w, l.b), rng);
    pullbackMatchesFiniteDifferences(l, Tensor.randn(rng, 2, 3, 5), List.of(l.w, l.b), rng);
  }

  @Test
  void linearInitialisationIsPyTorchsUniformBound() {
    Linear l = new Linear(16, 200, rng);
    double bound = 1 / Math.sqrt(16);
    for (double v : l.w.toArray()) {
      org.junit.jupiter.api.Assertions.assertTrue(Math.abs(v) <= bound, "w element " + v);
    }
    for (double v : l.b.toArray()) {
      org.junit.jupiter.api.Assertions.assertTrue(Math.abs(v) <= bound, "b element " + v);
    }
    org.junit.jupiter.api.Assertions.assertTrue(l.w.requiresGrad() && l.b.requiresGrad());
    assertArrayEquals(new int[] {16, 200}, l.w.shape());
    assertArrayEquals(new int[] {200}, l.b.shape());
  }

  @Test
  void conv2dWithStrideAndPadding() {
    Conv2d c = new Conv2d(2, 3, 3, 2, 1, rng);
    assertArrayEquals(new int[] {3, 2, 3, 3}, c.w.shape());
    pullbackMatchesFiniteDifferences(c, Tensor.randn(rng, 2, 2, 5, 6), List.of(c.w, c.b), rng);
  }

  @Test
  void conv2dIsTheRuntimesConv2d() {
    Conv2d c = new Conv2d(1, 2, 2, 1, 0, rng);
    Tensor x = Tensor.randn(rng, 3, 1, 4, 4);
    assertArrayEquals(Layers.conv2d(x, c.w, c.b, 1, 0).toArray(), c.forward(x).toArray(), 0.0);
  }

  @Test
  void pooling() {
    pullbackMatchesFiniteDifferences(new MaxPool2d(2), Tensor.randn(rng, 2, 3, 4, 6), List.of(), rng);
    pullbackMatchesFiniteDifferences(new MaxPool2d(3, 1), Tensor.randn(rng, 1, 2, 5, 5), List.of(), rng);
    pullbackMatchesFiniteDifferences(new AvgPool2d(2), Tensor.randn(rng, 2, 3, 4, 6), List.of(), rng);
    pullbackMatchesFiniteDifferences(new AvgPool2d(3, 2), Tensor.randn(rng, 1, 2, 7, 5), List.of(), rng);
  }

  @Test
  void activations() {
    pullbackMatchesFiniteDifferences(new Relu(), awayFromZero(rng, 0.05, 3, 4), List.of(), rng);
    pullbackMatchesFiniteDifferences(new Tanh(), Tensor.randn(rng, 2, 3, 4), List.of(), rng);
    pullbackMatchesFiniteDifferences(new Sigmoid(), Tensor.randn(rng, 5), List.of(), rng);
  }

  @Test
  void flattenKeepsTheBatchDimension() {
    Flatten f = new Flatten();
    Tensor x = Tensor.randn(rng, 2, 3, 2, 2);
    assertArrayEquals(new int[] {2, 12}, f.forward(x).shape());
    pullbackMatchesFiniteDifferences(f, x, List.of(), rng);
  }

  @Test
  void sequentialOfMixedLayers() {
    Conv2d conv = new Conv2d(1, 3, 3, 1, 1, rng);
    Linear fc1 = new Linear(3 * 3 * 3, 8, rng);
    Linear fc2 = new Linear(8, 2, rng);
    Sequential net = new Sequential(conv, new Relu(), new MaxPool2d(2), new Flatten(), fc1, new Tanh(),
        new Dropout(0.3, rng), new Sequential(fc2, new Sigmoid()));
    Tensor x = Tensor.randn(rng, 2, 1, 6, 6);
    pullbackMatchesFiniteDifferences(net, x, List.of(conv.w, conv.b, fc1.w, fc1.b, fc2.w, fc2.b), rng);
  }

  @Test
  void sequentialIsItsLayersInOrder() {
    Linear fc1 = new Linear(4, 6, rng);
    Linear fc2 = new Linear(6, 3, rng);
    Tensor x = Tensor.randn(rng, 5, 4);
    Tensor expected = Layers.linear(Layers.linear(x, fc1.w, fc1.b).relu(), fc2.w, fc2.b);
    assertArrayEquals(expected.toArray(), new Sequential(fc1, new Relu(), fc2).forward(x).toArray(), 0.0);
    assertArrayEquals(x.toArray(), new Sequential().forward(x).toArray(), 0.0);
  }
}
