package dev.adjoint.modules;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad sizes and inputs of the wrong shape throw IllegalArgumentException naming the module or op and the shapes. */
class ShapeErrorsTest {
  private final Random rng = new Random(1);

  private static void fails(Executable e, String... fragments) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    for (String f : fragments) {
      assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' lacks '" + f + "'");
    }
  }

  @Test
  void badConstructorArguments() {
    fails(() -> new Linear(0, 3, rng), "Linear", "[0, 3]");
    fails(() -> new Linear(Tensor.zeros(4, 3), Tensor.zeros(4)), "Linear", "[4, 3]", "[4]");
    fails(() -> new Conv2d(1, 2, 3, 0, 1, rng), "Conv2d", "stride");
    fails(() -> new Conv2d(1, 2, 3, 1, -1, rng), "Conv2d", "padding");
    fails(() -> new Conv2d(Tensor.zeros(2, 1, 3), Tensor.zeros(2), 1, 0), "Conv2d", "[2, 1, 3]");
    fails(() -> new MaxPool2d(0), "MaxPool2d", "kernel");
    fails(() -> new AvgPool2d(2, 0), "AvgPool2d", "stride");
    fails(() -> new Dropout(1.5, rng), "Dropout", "1.5");
  }

  @Test
  void inputsOfTheWrongShape() {
    Linear l = new Linear(4, 3, rng);
    fails(() -> l.forward(Tensor.zeros(2, 5)), "linear", "[2, 5]", "[4, 3]");
    fails(() -> l.forwardVjp(Tensor.zeros(2, 5), Tensor.zeros(2, 3)), "linear", "[2, 5]");
    fails(() -> l.forwardVjp(Tensor.zeros(2, 4), Tensor.zeros(2, 4)), "[2, 4]", "[2, 3]");
    Conv2d c = new Conv2d(3, 2, 3, 1, 0, rng);
    fails(() -> c.forward(Tensor.zeros(1, 2, 5, 5)), "conv2d", "[1, 2, 5, 5]", "channels");
    fails(() -> c.forward(Tensor.zeros(2, 5, 5)), "conv2d", "4-D");
    fails(() -> new MaxPool2d(3).forward(Tensor.zeros(1, 1, 2, 2)), "maxPool2d", "[1, 1, 2, 2]");
    fails(() -> new AvgPool2d(2).forward(Tensor.zeros(4, 4)), "avgPool2d", "4-D");
    fails(() -> new Flatten().forward(Tensor.scalar(1)), "size");
    Sequential missingFlatten = new Sequential(new Conv2d(1, 2, 3, 1, 1, rng), new Linear(8, 2, rng));
    fails(() -> missingFlatten.forward(Tensor.zeros(1, 1, 2, 2)), "linear", "[1, 2, 2, 2]", "[8, 2]");
  }
}
