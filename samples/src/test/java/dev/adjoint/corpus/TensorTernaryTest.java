package dev.adjoint.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.Differentiable;
import dev.adjoint.check.GradCheck;
import dev.adjoint.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A ternary choosing between two tensors: only the chosen one's adjoint code runs. */
class TensorTernaryTest {
  @Differentiable
  static double pick(Tensor x, boolean grow) {
    Tensor y = grow ? x.exp() : x.neg().mul(3);
    return y.sum().item();
  }

  @Test
  void bothChoicesMatchFiniteDifferences() {
    Tensor x = Tensor.randn(new Random(5), 2, 3);
    for (boolean grow : new boolean[] {true, false}) {
      TensorTernaryTestGrad.Pick g = TensorTernaryTestGrad.pick(x, grow);
      assertEquals(pick(x, grow), g.value());
      GradCheck.assertCloseTensors(p -> pick(p[0], grow), new Tensor[] {x.copy()}, new Tensor[] {g.x()});
    }
  }
}
