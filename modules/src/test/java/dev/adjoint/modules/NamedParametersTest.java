package dev.adjoint.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each module lists its parameters by dotted name in declaration order, through Sequential's list of layers. */
class NamedParametersTest {
  private final Random rng = new Random(4);

  @Test
  void layersWithParameters() {
    Linear l = new Linear(3, 2, rng);
    Map<String, Tensor> p = l.namedParameters();
    assertEquals(List.of("w", "b"), List.copyOf(p.keySet()));
    assertSame(l.w, p.get("w"));
    assertSame(l.b, p.get("b"));
    Conv2d c = new Conv2d(1, 2, 3, 1, 0, rng);
    assertEquals(List.of("w", "b"), List.copyOf(c.namedParameters().keySet()));
    assertSame(c.w, c.namedParameters().get("w"));
  }

  @Test
  void layersWithoutParameters() {
    for (var layer : List.of(new Relu(), new Tanh(), new Sigmoid(), new Flatten(), new MaxPool2d(2),
        new AvgPool2d(2), new Dropout(0.5, rng))) {
      assertTrue(layer.namedParameters().isEmpty(), layer.getClass().getSimpleName());
    }
  }

  @Test
  void sequentialNamesItsLayersByPosition() {
    Linear a = new Linear(4, 3, rng);
    Linear b = new Linear(3, 2, rng);
    Sequential net = new Sequential(a, new Relu(), new Sequential(new Dropout(0.1, rng), b));
    Map<String, Tensor> p = net.namedParameters();
    assertEquals(List.of("layers.0.w", "layers.0.b", "layers.2.layers.1.w", "layers.2.layers.1.b"),
        List.copyOf(p.keySet()));
    assertSame(b.b, p.get("layers.2.layers.1.b"));
  }
}
