package dev.adjoint.nn;

import static dev.adjoint.testing.Fd.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.Tensor;
import dev.adjoint.testing.Fd;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Losses: values, rules against finite differences, stability for large logits, shape errors. */
class LossTest {
  private final Random rng = new Random(11);

  @Test
  void mse() {
    Tensor p = Tensor.vector(1, 2, 3);
    Tensor t = Tensor.vector(1, 0, 0);
    Tensor y = Loss.mse(p, t);
    assertEquals(0, y.dim(), "losses are 0-d tensors");
    assertEquals(13.0 / 3, y.item(), 1e-15);
    for (int[] shape : new int[][] {{}, {4}, {3, 2}}) {
      Tensor a = Fd.randn(rng, shape);
      Tensor b = Fd.randn(rng, shape);
      Tensor gy = Tensor.scalar(1.7);
      Tensor[] in = {a, b};
      assertClose(Fd.vjp(x -> Loss.mse(x[0], x[1]), in, 0, gy), Loss.mseVjpPred(gy, null, a, b), "mse pred");
      assertClose(Fd.vjp(x -> Loss.mse(x[0], x[1]), in, 1, gy), Loss.mseVjpTarget(gy, null, a, b), "mse target");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Loss.mse(Tensor.zeros(1000, 1), Tensor.zeros(1000)));
    assertTrue(e.getMessage().startsWith("mse: shapes [1000, 1] and [1000] must be equal"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Loss.mse(Tensor.zeros(0), Tensor.zeros(0)));
    assertThrows(IllegalArgumentException.class, () -> Loss.mseVjpPred(Tensor.ones(1), null, p, t));
  }

  @Test
  void crossEntropyWithLabels() {
    Tensor z = Tensor.of(new double[] {1, 2, 3, 0, 0, 0}, 2, 3);
    int[] labels = {2, 0};
    double expected = ((Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3) + Math.log(3)) / 2;
    assertEquals(expected, Loss.crossEntropy(z, labels).item(), 1e-14);
    Tensor logits = Fd.randn(rng, 4, 5);
    int[] l = {0, 4, 2, 2};
    Tensor gy = Tensor.scalar(0.7);
    assertClose(Fd.vjp(x -> Loss.crossEntropy(x[0], l), new Tensor[] {logits}, 0, gy),
        Loss.crossEntropyVjpLogits(gy, null, logits, l), "ce labels");
    Tensor huge = Tensor.of(new double[] {1000, -1000, 0, 5000, 5001, 4999}, 2, 3);
    Tensor y = Loss.crossEntropy(huge, new int[] {1, 1});
    double row2 = Math.log(Math.exp(-1) + 1 + Math.exp(-2));
    assertEquals((2000 + row2) / 2, y.item(), 1e-9);
    Tensor g = Loss.crossEntropyVjpLogits(Tensor.scalar(1), y, huge, new int[] {1, 1});
    for (double v : g.toArray()) {
      assertTrue(Double.isFinite(v), "finite gradient for huge logits");
    }
    assertEquals(-0.5, g.get(0, 1), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(z, new int[] {3, 0}));
    assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(z, new int[] {1}));
    assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(Tensor.zeros(0, 3), new int[0]));
  }

  @Test
  void crossEntropyWithProbabilities() {
    Tensor logits = Fd.randn(rng, 3, 4);
    Tensor probs = Layers.softmax(Fd.randn(rng, 3, 4), 1);
    int[] labels = {1, 3, 0};
    Tensor onehot = Tensor.zeros(3, 4);
    for (int i = 0; i < 3; i++) {
      onehot.set(1, i, labels[i]);
    }
    assertEquals(Loss.crossEntropy(logits, labels).item(), Loss.crossEntropy(logits, onehot).item(), 1e-14);
    Tensor gy = Tensor.scalar(-1.3);
    Tensor[] in = {logits, probs};
    assertClose(Fd.vjp(x -> Loss.crossEntropy(x[0], x[1]), in, 0, gy),
        Loss.crossEntropyVjpLogits(gy, null, logits, probs), "ce probs logits");
    assertClose(Fd.vjp(x -> Loss.crossEntropy(x[0], x[1]), in, 1, gy),
        Loss.crossEntropyVjpTargetProbs(gy, null, logits, probs), "ce probs target");
    // unnormalised soft targets still get the exact gradient
    Tensor soft = Tensor.rand(rng, 0, 1, 3, 4);
    assertClose(Fd.vjp(x -> Loss.crossEntropy(x[0], soft), new Tensor[] {logits}, 0, gy),
        Loss.crossEntropyVjpLogits(gy, null, logits, soft), "ce unnormalised");
    Tensor huge = Tensor.of(new double[] {1e4, -1e4}, 1, 2);
    assertEquals(0.0, Loss.crossEntropy(huge, Tensor.of(new double[] {1, 0}, 1, 2)).item(), 0.0);
  }

  @Test
  void binaryCrossEntropy() {
    Tensor p = Tensor.rand(rng, 0.05, 0.95, 2, 3);
    Tensor t = Tensor.rand(rng, 0, 1, 2, 3);
    Tensor gy = Tensor.scalar(0.9);
    Tensor[] in = {p, t};
    assertClose(Fd.vjp(x -> Loss.binaryCrossEntropy(x[0], x[1]), in, 0, gy),
        Loss.binaryCrossEntropyVjpProbs(gy, null, p, t), "bce probs");
    assertClose(Fd.vjp(x -> Loss.binaryCrossEntropy(x[0], x[1]), in, 1, gy),
        Loss.binaryCrossEntropyVjpTargets(gy, null, p, t), "bce targets");
    assertEquals(100.0 / 2, Loss.binaryCrossEntropy(Tensor.vector(0, 1), Tensor.vector(1, 1)).item(), 1e-12,
        "log clamped at -100 as in PyTorch");
    assertThrows(IllegalArgumentException.class, () -> Loss.binaryCrossEntropy(Tensor.vector(1.5), Tensor.vector(1)));

    Tensor z = Fd.randn(rng, 4, 2);
    Tensor[] in2 = {z, Tensor.rand(rng, 0, 1, 4, 2)};
    assertClose(Fd.vjp(x -> Loss.binaryCrossEntropyWithLogits(x[0], x[1]), in2, 0, gy),
        Loss.binaryCrossEntropyWithLogitsVjpLogits(gy, null, in2[0], in2[1]), "bcel logits");
    assertClose(Fd.vjp(x -> Loss.binaryCrossEntropyWithLogits(x[0], x[1]), in2, 1, gy),
        Loss.binaryCrossEntropyWithLogitsVjpTargets(gy, null, in2[0], in2[1]), "bcel targets");
    Tensor big = Tensor.vector(800, -800, 0);
    Tensor tt = Tensor.vector(0, 1, 1);
    assertEquals((800 + 800 + Math.log(2)) / 3, Loss.binaryCrossEntropyWithLogits(big, tt).item(), 1e-12);
    Tensor sig = big.sigmoid();
    assertEquals(Loss.binaryCrossEntropy(Tensor.vector(0.3), Tensor.vector(1)).item(),
        Loss.binaryCrossEntropyWithLogits(Tensor.vector(Math.log(0.3 / 0.7)), Tensor.vector(1)).item(), 1e-12);
    assertEquals(3, sig.size());
  }
}
