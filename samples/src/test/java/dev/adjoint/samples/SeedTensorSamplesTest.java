package dev.adjoint.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.check.GradCheck;
import dev.adjoint.nn.Layers;
import dev.adjoint.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The seed examples written over {@code Tensor} and differentiated by the processor, each against
 * the seed's own oracle: its printed table, its hand-written backward formulas, or finite
 * differences where the seed's values are random.
 */
class SeedTensorSamplesTest {

  /** Seed 000's table, as the tutorial prints it (PyTorch/OneFlow formatting). */
  private static final String SEED_000_TABLE = String.join("\n",
      "------------before backward()---------------",
      "w1 = tensor(10., requires_grad=True)",
      "b1 = tensor(1., requires_grad=True)",
      "w2 = tensor(20., requires_grad=True)",
      "w1.grad = None",
      "b1.grad = None",
      "w2.grad = None",
      "------------after backward()---------------",
      "w1 = tensor(10., requires_grad=True)",
      "b1 = tensor(1., requires_grad=True)",
      "w2 = tensor(20., requires_grad=True)",
      "w1.grad = tensor(-4800.)",
      "b1.grad = tensor(-4800.)",
      "w2.grad = tensor(-2640.)",
      "------------after step()---------------",
      "w1 = tensor(34., requires_grad=True)",
      "b1 = tensor(25., requires_grad=True)",
      "w2 = tensor(33.2000, requires_grad=True)",
      "w1.grad = tensor(-4800.)",
      "b1.grad = tensor(-4800.)",
      "w2.grad = tensor(-2640.)",
      "------------after zero_grad()---------------",
      "w1 = tensor(34., requires_grad=True)",
      "b1 = tensor(25., requires_grad=True)",
      "w2 = tensor(33.2000, requires_grad=True)",
      "w1.grad = tensor(0.)",
      "b1.grad = tensor(0.)",
      "w2.grad = tensor(0.)") + "\n";

  @Test
  void seed000TensorPrintsTheTutorialsTable() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Seed000Tensor model = Seed000Tensor.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals(SEED_000_TABLE, bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    assertEquals(34.0, model.w1.item());
    assertEquals(25.0, model.b1.item());
    assertEquals(33.2, model.w2.item(), 1e-12);
  }

  @Test
  void seed000TensorGradientsAddUpAcrossCalls() {
    Seed000Tensor model = new Seed000Tensor();
    Seed000TensorGrad.forward(model, Tensor.scalar(1), Tensor.scalar(500));
    Seed000TensorGrad.forward(model, Tensor.scalar(1), Tensor.scalar(500));
    assertEquals(-9600.0, model.w1.grad().item()); // PyTorch semantics: backward adds into grad
  }

  @Test
  void seed000ConvGradientMatchesFiniteDifferencesAndTheStepUsesIt() {
    Random rng = new Random(7);
    Seed000Conv model = new Seed000Conv(rng);
    Tensor x = Tensor.randn(rng, 1, 1, 3, 3);
    Tensor label = Tensor.randn(rng, 1, 1, 1, 1);
    double[] before = model.w.toArray();
    Seed000ConvGrad.Forward g = Seed000ConvGrad.forward(model, x, label);
    assertEquals(model.forward(x, label), g.value());
    GradCheck.assertCloseTensors(ws -> {
      Tensor w = ws[0];
      return Layers.avgPool2d(Layers.conv2d(x, w, 1, 0), 2, 2).sub(label).square().mean().item();
    }, new Tensor[] {model.w.copy()}, new Tensor[] {model.w.grad()});
    new dev.adjoint.optim.Sgd(model.parameters(), 0.005).step();
    double[] grad = model.w.grad().toArray();
    double[] after = model.w.toArray();
    for (int i = 0; i < after.length; i++) {
      assertEquals(before[i] - 0.005 * grad[i], after[i], 1e-15);
    }
  }

  @Test
  void seed001GradientIsTheTutorialsBackwardFormulas() {
    Random rng = new Random(11);
    Tensor x = Tensor.randn(rng, 6, 5);
    Tensor w = Tensor.randn(rng, 5, 4);
    Tensor b = Tensor.randn(rng, 4);
    Tensor mask = Layers.dropoutMask(rng, 0.5, 6, 4);
    Tensor dout = Tensor.randn(rng, 6, 4);
    Seed001LayersGrad.Layers g = Seed001LayersGrad.layers(x, w, b, mask, dout);

    // the seed's formulas, by hand: dropout, then ReLU, then the linear layer
    Tensor z = x.matmul(w).add(b);
    Tensor dDrop = dout.mul(mask);                  // dout * mask
    Tensor dz = dDrop.mul(z.gt(0));                  // dout * (x > 0)
    Tensor dx = dz.matmul(w.transpose());            // dL/dx = dout · Wᵀ
    Tensor dw = x.transpose().matmul(dz);            // dW = xᵀ · dout
    Tensor db = dz.sum(0);                           // db = Σ dout
    assertArrayEquals(dx.toArray(), g.x().toArray(), 1e-12);
    assertArrayEquals(dw.toArray(), g.w().toArray(), 1e-12);
    assertArrayEquals(db.toArray(), g.b().toArray(), 1e-12);
  }

  @Test
  void seed003GradientEqualsTheHandWrittenBackPropagation() {
    Tensor[] d = Seed003Mlp.data(new Random(3));
    Tensor x = d[0];
    Tensor w1 = d[1];
    Tensor b1 = d[2];
    Tensor w2 = d[3];
    Tensor b2 = d[4];
    Tensor target = d[5];
    Seed003MlpGrad.Loss g = Seed003MlpGrad.loss(x, w1, b1, w2, b2, target);

    // forward, keeping what the tutorial's backward reads
    Tensor l1 = x.matmul(w1).add(b1);
    Tensor l2 = l1.relu();
    Tensor out = l2.matmul(w2).add(b2);
    Tensor diff = out.squeeze(1).sub(target);
    assertEquals(diff.square().mean().item(), g.value(), 1e-12);
    // back_mse: inp.g = 2 * (inp.squeeze() - targ).unsqueeze(-1) / inp.shape[0]
    Tensor outG = diff.mul(2).unsqueeze(1).div(out.shape()[0]);
    // back_lin (second layer): inp.g = out.g @ w.t(); w.g = inp.t() @ out.g; b.g = out.g.sum(0)
    Tensor l2G = outG.matmul(w2.transpose());
    Tensor w2G = l2.transpose().matmul(outG);
    Tensor b2G = outG.sum(0);
    // back_relu: inp.g = (inp > 0).float() * out.g
    Tensor l1G = l1.gt(0).mul(l2G);
    // back_lin (first layer); the tutorial's (inp.unsqueeze(-1) * out.g.unsqueeze(1)).sum(0) is xᵀ·out.g
    Tensor w1G = x.transpose().matmul(l1G);
    Tensor b1G = l1G.sum(0);
    assertClose(w1G, g.w1());
    assertClose(b1G, g.b1());
    assertClose(w2G, g.w2());
    assertClose(b2G, g.b2());
  }

  @Test
  void seed004GradientFollowsTheChainRuleLayerByLayer() {
    Tensor[] d = Seed004Sigmoid.data(new Random(4));
    Seed004SigmoidGrad.Cost g = Seed004SigmoidGrad.cost(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
    Tensor x = d[0];
    Tensor[] w = {d[1], d[3], d[5]};
    Tensor[] b = {d[2], d[4], d[6]};
    Tensor y = d[7];
    Tensor[] a = new Tensor[4];
    a[0] = x;
    for (int l = 0; l < 3; l++) {
      a[l + 1] = a[l].matmul(w[l]).add(b[l]).sigmoid();
    }
    int n = x.shape()[0];
    // the tutorial: dC/da(L) = 2(a − y), averaged over the batch; σ'(z) = a(1 − a);
    // dC/dw_jk = a_k(l-1) · σ'(z_j) · dC/da_j; dC/da(l-1) = Σ_j w_jk σ'(z_j) dC/da_j
    Tensor dA = a[3].sub(y).mul(2.0 / n);
    Tensor[] dW = new Tensor[3];
    Tensor[] dB = new Tensor[3];
    for (int l = 2; l >= 0; l--) {
      Tensor delta = dA.mul(a[l + 1].mul(a[l + 1].rsub(1)));
      dW[l] = a[l].transpose().matmul(delta);
      dB[l] = delta.sum(0);
      dA = delta.matmul(w[l].transpose());
    }
    Tensor[] got = {g.w1(), g.b1(), g.w2(), g.b2(), g.w3(), g.b3()};
    Tensor[] want = {dW[0], dB[0], dW[1], dB[1], dW[2], dB[2]};
    for (int i = 0; i < got.length; i++) {
      assertClose(want[i], got[i]);
    }
    // one neuron per layer: dC/dw1 = a0 · σ'(z1) · w2 · σ'(z2) · 2(a2 − y)
    double w1 = 0.5, b1 = 0.1, w2 = -1.2, b2 = 0.3, x0 = 0.8, y0 = 1.0;
    double a1 = 1 / (1 + Math.exp(-(w1 * x0 + b1)));
    double a2 = 1 / (1 + Math.exp(-(w2 * a1 + b2)));
    double dz2 = 2 * (a2 - y0) * a2 * (1 - a2);
    Seed004SigmoidGrad.Chain c = Seed004SigmoidGrad.chain(w1, b1, w2, b2, x0, y0);
    assertEquals(dz2 * a1, c.w2(), 1e-12);
    assertEquals(dz2 * w2 * a1 * (1 - a1) * x0, c.w1(), 1e-12);
    assertTrue(c.value() > 0);
  }

  private static void assertClose(Tensor want, Tensor got) {
    assertArrayEquals(want.shape(), got.shape());
    double[] a = want.toArray();
    double[] b = got.toArray();
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 1e-9 * Math.max(1, Math.abs(a[i])), "element " + i);
    }
  }

  @Test
  void seed001And003ForwardModeIsTheDirectionalDerivative() {
    Random rng = new Random(21);
    // seed 001: x, w, b differentiated; the mask and dout are constants
    Tensor x = Tensor.randn(rng, 6, 5);
    Tensor w = Tensor.randn(rng, 5, 4);
    Tensor b = Tensor.randn(rng, 4);
    Tensor mask = Layers.dropoutMask(rng, 0.5, 6, 4);
    Tensor dout = Tensor.randn(rng, 6, 4);
    Tensor[] at = {x, w, b};
    Tensor[] dir = {Tensor.randn(rng, 6, 5), Tensor.randn(rng, 5, 4), Tensor.randn(rng, 4)};
    Seed001LayersGrad.LayersJvp j1 = Seed001LayersGrad.layersJvp(x, w, b, mask, dout, dir[0], dir[1], dir[2]);
    Seed001LayersGrad.Layers g1 = Seed001LayersGrad.layers(x, w, b, mask, dout);
    assertEquals(Seed001Layers.layers(x, w, b, mask, dout), j1.value());
    double inner1 = dot(g1.x(), dir[0]) + dot(g1.w(), dir[1]) + dot(g1.b(), dir[2]);
    assertEquals(inner1, j1.tangent(), 1e-10 * Math.max(1, Math.abs(inner1)), "seed 001: <gradient, direction>");
    double fd1 = central(s -> Seed001Layers.layers(along(at, dir, s)[0], along(at, dir, s)[1], along(at, dir, s)[2],
        mask, dout));
    assertEquals(fd1, j1.tangent(), 1e-6 * Math.max(1, Math.abs(fd1)), "seed 001: central differences");

    // seed 003 (smaller than the tutorial's data): w1, b1, w2, b2 differentiated
    Tensor in = Tensor.randn(rng, 20, 8);
    Tensor target = Tensor.randn(rng, 20);
    Tensor[] p = {Tensor.randn(rng, 8, 6), Tensor.randn(rng, 6), Tensor.randn(rng, 6, 1), Tensor.randn(rng, 1)};
    Tensor[] d = {Tensor.randn(rng, 8, 6), Tensor.randn(rng, 6), Tensor.randn(rng, 6, 1), Tensor.randn(rng, 1)};
    Seed003MlpGrad.LossJvp j3 = Seed003MlpGrad.lossJvp(in, p[0], p[1], p[2], p[3], target, d[0], d[1], d[2], d[3]);
    Seed003MlpGrad.Loss g3 = Seed003MlpGrad.loss(in, p[0], p[1], p[2], p[3], target);
    assertEquals(Seed003Mlp.loss(in, p[0], p[1], p[2], p[3], target), j3.value());
    double inner3 = dot(g3.w1(), d[0]) + dot(g3.b1(), d[1]) + dot(g3.w2(), d[2]) + dot(g3.b2(), d[3]);
    assertEquals(inner3, j3.tangent(), 1e-10 * Math.max(1, Math.abs(inner3)), "seed 003: <gradient, direction>");
    double fd3 = central(s -> {
      Tensor[] q = along(p, d, s);
      return Seed003Mlp.loss(in, q[0], q[1], q[2], q[3], target);
    });
    assertEquals(fd3, j3.tangent(), 1e-6 * Math.max(1, Math.abs(fd3)), "seed 003: central differences");
  }

  private static Tensor[] along(Tensor[] x, Tensor[] d, double s) {
    Tensor[] out = new Tensor[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i].add(d[i].mul(s));
    }
    return out;
  }

  /** Central differences with one Richardson step. */
  private static double central(java.util.function.DoubleUnaryOperator f) {
    double h = 1e-4;
    double d1 = (f.applyAsDouble(h) - f.applyAsDouble(-h)) / (2 * h);
    double d2 = (f.applyAsDouble(h / 2) - f.applyAsDouble(-h / 2)) / h;
    return (4 * d2 - d1) / 3;
  }

  private static double dot(Tensor a, Tensor b) {
    double s = 0;
    for (int i = 0; i < a.size(); i++) {
      s += a.data()[i] * b.data()[i];
    }
    return s;
  }
}
