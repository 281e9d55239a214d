package dev.adjoint.seeds;

import static dev.adjoint.testing.Fd.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.check.GradCheck;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.optim.Sgd;
import dev.adjoint.tensor.Tensor;
import dev.adjoint.testing.Fd;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The seed tutorials' examples, with the reverse sweep written by hand the way generated code calls the rules. */
class SeedExamplesTest {

  @Test
  void seed000ScalarNetworkGradientsStepAndZeroGrad() {
    Tensor w1 = Tensor.scalar(10).requiresGrad(true);
    Tensor b1 = Tensor.scalar(1).requiresGrad(true);
    Tensor w2 = Tensor.scalar(20).requiresGrad(true);
    Tensor x = Tensor.scalar(1);
    Tensor label = Tensor.scalar(500);
    // forward: y1 = w1*x + b1; y2 = y1*w2; y3 = 2*y2; loss = MSE(y3, label)
    Tensor y1a = w1.mul(x);
    Tensor y1 = y1a.add(b1);
    Tensor y2 = y1.mul(w2);
    Tensor y3 = y2.mul(2.0);
    Tensor loss = Loss.mse(y3, label);
    assertEquals(3600.0, loss.item());
    // reverse
    Tensor lossBar = Tensor.scalar(1);
    Tensor y3Bar = Loss.mseVjpPred(lossBar, loss, y3, label);
    Tensor y2Bar = Tensor.mulVjpSelf(y3Bar, y3, y2, 2.0);
    Tensor y1Bar = Tensor.mulVjpSelf(y2Bar, y2, y1, w2);
    w2.accumulateGrad(Tensor.mulVjpOther(y2Bar, y2, y1, w2));
    Tensor y1aBar = Tensor.addVjpSelf(y1Bar, y1, y1a, b1);
    b1.accumulateGrad(Tensor.addVjpOther(y1Bar, y1, y1a, b1));
    w1.accumulateGrad(Tensor.mulVjpSelf(y1aBar, y1a, w1, x));
    assertEquals(-4800.0, w1.grad().item());
    assertEquals(-4800.0, b1.grad().item());
    assertEquals(-2640.0, w2.grad().item());
    assertEquals("tensor(-4800.)", w1.grad().toString());

    Sgd sgd = new Sgd(List.of(w1, b1, w2), 0.005);
    sgd.step();
    assertEquals(34.0, w1.item(), 1e-12);
    assertEquals(25.0, b1.item(), 1e-12);
    assertEquals(33.2, w2.item(), 1e-12);
    assertEquals("tensor(33.2000, requires_grad=True)", w2.toString());
    sgd.zeroGrad();
    assertEquals(0.0, w1.grad().item());
    assertEquals(0.0, b1.grad().item());
    assertEquals(0.0, w2.grad().item());
  }

  /** Seed 000, part 2: Conv2d(1→1, 2×2, no bias) → AvgPool2d(2×2) → MSE on a random 1×1×3×3 input. */
  private static double convPoolLoss(Tensor x, Tensor w, Tensor target) {
    return Loss.mse(Layers.avgPool2d(Layers.conv2d(x, w, 1, 0), 2, 2), target).item();
  }

  @Test
  void seed000ConvPoolGradientsEqualFiniteDifferences() {
    Random rng = new Random(0);
    Tensor x = Tensor.randn(rng, 1, 1, 3, 3);
    Tensor w = Tensor.randn(rng, 1, 1, 2, 2);
    Tensor target = Tensor.full(0.5, 1, 1, 1, 1);
    Tensor c = Layers.conv2d(x, w, 1, 0);
    Tensor p = Layers.avgPool2d(c, 2, 2);
    Tensor loss = Loss.mse(p, target);
    Tensor pBar = Loss.mseVjpPred(Tensor.scalar(1), loss, p, target);
    Tensor cBar = Layers.avgPool2dVjpX(pBar, p, c, 2, 2);
    Tensor wBar = Layers.conv2dVjpW(cBar, c, x, w, 1, 0);
    Tensor xBar = Layers.conv2dVjpX(cBar, c, x, w, 1, 0);
    GradCheck.assertCloseTensors(t -> convPoolLoss(t[0], t[1], target), new Tensor[] {x, w},
        new Tensor[] {xBar, wBar});
  }

  @Test
  void seed002FanOutSumsBothAdjoints() {
    // y = 2x + 1 at x = 3 → 7, dy/dx = 2; and z = x·x uses x twice: both adjoints are summed.
    Tensor x = Tensor.scalar(3);
    Tensor y = x.mul(2.0).add(1.0);
    assertEquals(7.0, y.item());
    assertEquals(2.0, Tensor.mulVjpSelf(Tensor.addVjpSelf(Tensor.scalar(1), y, x.mul(2.0), 1.0), null, x, 2.0).item());
    Tensor z = x.mul(x);
    Tensor one = Tensor.scalar(1);
    Tensor xBar = Tensor.accumulate(Tensor.accumulate(null, Tensor.mulVjpSelf(one, z, x, x)),
        Tensor.mulVjpOther(one, z, x, x));
    assertEquals(6.0, xBar.item());
  }

  @Test
  void seed003BroadcastingNetworkMatchesHandWrittenBackward() {
    Random rng = new Random(0);
    int n = 64;
    int d = 30;
    int h = 10;
    Tensor input = Tensor.randn(rng, n, d);
    Tensor target = Tensor.randn(rng, n);
    Tensor w1 = Tensor.randn(rng, d, h);
    Tensor b1 = Tensor.randn(rng, h);
    Tensor w2 = Tensor.randn(rng, h, 1);
    Tensor b2 = Tensor.randn(rng, 1);
    // forward
    Tensor l1 = Layers.linear(input, w1, b1);
    Tensor l2 = l1.relu();
    Tensor out = Layers.linear(l2, w2, b2);
    Tensor pred = out.squeeze(-1);
    Tensor loss = Loss.mse(pred, target);

    // the seed's hand-written backward (unsqueeze / broadcast multiply / sum)
    Tensor outG = pred.sub(target).unsqueeze(-1).mul(2.0).div(n); // back_mse
    Tensor l2G = outG.unsqueeze(1).mul(w2).sum(-1); // back_lin inp.g
    Tensor w2G = l2.unsqueeze(-1).mul(outG.unsqueeze(1)).sum(0);
    Tensor b2G = outG.sum(0);
    Tensor l1G = l1.gt(0).mul(l2G); // back_relu
    Tensor inG = l1G.unsqueeze(1).mul(w1).sum(-1);
    Tensor w1G = input.unsqueeze(-1).mul(l1G.unsqueeze(1)).sum(0);
    Tensor b1G = l1G.sum(0);

    // the runtime's rules, as generated code would chain them
    Tensor predBar = Loss.mseVjpPred(Tensor.scalar(1), loss, pred, target);
    Tensor outBar = Tensor.squeezeVjpSelf(predBar, pred, out, -1);
    Tensor l2Bar = Layers.linearVjpX(outBar, out, l2, w2, b2);
    Tensor l1Bar = Tensor.reluVjpSelf(l2Bar, l2, l1);
    assertClose(outG, outBar, 1e-12, 1e-14, "out.g");
    assertClose(w2G, Layers.linearVjpW(outBar, out, l2, w2, b2), 1e-10, 1e-12, "w2.g");
    assertClose(b2G, Layers.linearVjpB(outBar, out, l2, w2, b2), 1e-10, 1e-12, "b2.g");
    assertClose(l2G, l2Bar, 1e-10, 1e-12, "l2.g");
    assertClose(inG, Layers.linearVjpX(l1Bar, l1, input, w1, b1), 1e-10, 1e-12, "input.g");
    assertClose(w1G, Layers.linearVjpW(l1Bar, l1, input, w1, b1), 1e-10, 1e-12, "w1.g");
    assertClose(b1G, Layers.linearVjpB(l1Bar, l1, input, w1, b1), 1e-10, 1e-12, "b1.g");

    // and one weight column against finite differences of the whole network
    Tensor w2Bar = Layers.linearVjpW(outBar, out, l2, w2, b2);
    Tensor num = Fd.vjp(t -> Loss.mse(Layers.linear(Layers.linear(input, w1, b1).relu(), t[0], b2).squeeze(-1),
        target), new Tensor[] {w2}, 0, Tensor.scalar(1));
    assertClose(num, w2Bar, 1e-6, 1e-8, "w2 vs finite differences");
  }
}
