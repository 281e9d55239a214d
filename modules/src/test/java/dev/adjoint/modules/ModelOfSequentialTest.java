package dev.adjoint.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.check.GradCheck;
import dev.adjoint.nn.Layers;
import dev.adjoint.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A model holding a Sequential and calling its forward on a constant input: the Sequential is itself a model (its
 * parameters sit behind a {@code List<Layer>}), so the call is reversed through its pullback and every layer's
 * parameters get their gradient (formerly silently zero, or ADJ106 when nothing else varied).
 */
class ModelOfSequentialTest {
  /** A Sequential and a tensor of its own. */
  static final class Scaled {
    final Sequential net;
    final Tensor scale;

    Scaled(Sequential net, Tensor scale) {
      this.net = net;
      this.scale = scale.requiresGrad(true);
    }

    @Differentiable
    double loss(@NoDerivative Tensor x) {
      return net.forward(x).mul(scale).square().sum().item();
    }
  }

  /** Only a Sequential. */
  static final class Plain {
    final Sequential net;

    Plain(Sequential net) {
      this.net = net;
    }

    @Differentiable
    double loss(@NoDerivative Tensor x) {
      return net.forward(x).square().sum().item();
    }
  }

  private final Random rng = new Random(12);
  private final Linear a = new Linear(4, 5, rng);
  private final Linear b = new Linear(5, 2, rng);
  private final Tensor x = Tensor.randn(rng, 3, 4);

  private Tensor[] at() {
    return new Tensor[] {a.w.copy(), a.b.copy(), b.w.copy(), b.b.copy()};
  }

  private Tensor net(Tensor[] p) {
    return Layers.linear(Layers.linear(x, p[0], p[1]).tanh(), p[2], p[3]);
  }

  @Test
  void aSequentialBesideATensor() {
    Scaled model = new Scaled(new Sequential(a, new Tanh(), b), Tensor.randn(rng, 2));
    double value = ModelOfSequentialTest_ScaledGrad.loss(model, x).value();
    assertEquals(model.loss(x), value, 0.0);
    Tensor scale = model.scale.copy();
    GradCheck.assertCloseTensors(p -> net(p).mul(scale).square().sum().item(), at(),
        new Tensor[] {a.w.grad(), a.b.grad(), b.w.grad(), b.b.grad()});
  }

  @Test
  void onlyASequential() {
    Plain model = new Plain(new Sequential(a, new Tanh(), b));
    ModelOfSequentialTest_PlainGrad.loss(model, x);
    GradCheck.assertCloseTensors(p -> net(p).square().sum().item(), at(),
        new Tensor[] {a.w.grad(), a.b.grad(), b.w.grad(), b.b.grad()});
  }
}
