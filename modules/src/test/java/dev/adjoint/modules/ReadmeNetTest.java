package dev.adjoint.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.check.GradCheck;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The README's module example, compiled by the processor, against finite differences of the same network. */
class ReadmeNetTest {
  /** The README's {@code Net} (smaller sizes): two library Linears as sub-module fields. */
  static final class Net {
    public final Linear fc1;
    public final Linear fc2;

    Net(Random rng) {
      fc1 = new Linear(6, 5, rng);
      fc2 = new Linear(5, 3, rng);
    }

    @Differentiable
    public Tensor forward(Tensor x) {
      return fc2.forward(fc1.forward(x).relu());
    }

    @Differentiable
    public double loss(@NoDerivative Tensor x, @NoDerivative int[] labels) {
      return Loss.crossEntropy(forward(x), labels).item();
    }
  }

  @Test
  void everyParameterGetsItsGradient() {
    Random rng = new Random(9);
    Net net = new Net(rng);
    Tensor x = LayerCheck.awayFromZero(rng, 0.1, 4, 6);
    int[] labels = {0, 2, 1, 2};
    double value = ReadmeNetTest_NetGrad.loss(net, x, labels).value();
    assertEquals(net.loss(x, labels), value, 0.0);
    Tensor[] at = {net.fc1.w.copy(), net.fc1.b.copy(), net.fc2.w.copy(), net.fc2.b.copy()};
    GradCheck.assertCloseTensors(p -> Loss.crossEntropy(
        Layers.linear(Layers.linear(x, p[0], p[1]).relu(), p[2], p[3]), labels).item(), at,
        new Tensor[] {net.fc1.w.grad(), net.fc1.b.grad(), net.fc2.w.grad(), net.fc2.b.grad()});
  }
}
