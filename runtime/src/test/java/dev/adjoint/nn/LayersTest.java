package dev.adjoint.nn;

import static dev.adjoint.testing.Fd.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.Tensor;
import dev.adjoint.testing.Fd;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Layers: values against naive loops, rules against finite differences. */
class LayersTest {
  private final Random rng = new Random(3);

  /** Direct 7-loop convolution (PyTorch cross-correlation semantics). */
  static Tensor naiveConv(Tensor x, Tensor w, Tensor b, int s, int p) {
    int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
    int co = w.size(0), kh = w.size(2), kw = w.size(3);
    int ho = (h + 2 * p - kh) / s + 1, wo = (wd + 2 * p - kw) / s + 1;
    Tensor y = Tensor.zeros(n, co, ho, wo);
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < co; o++) {
        for (int oh = 0; oh < ho; oh++) {
          for (int ow = 0; ow < wo; ow++) {
            double acc = b == null ? 0 : b.get(o);
            for (int ch = 0; ch < c; ch++) {
              for (int ki = 0; ki < kh; ki++) {
                for (int kj = 0; kj < kw; kj++) {
                  int ih = oh * s - p + ki, iw = ow * s - p + kj;
                  if (ih >= 0 && ih < h && iw >= 0 && iw < wd) {
                    acc += x.get(i, ch, ih, iw) * w.get(o, ch, ki, kj);
                  }
                }
              }
            }
            y.set(acc, i, o, oh, ow);
          }
        }
      }
    }
    return y;
  }

  private static final int[][] CONV = {
      // n, c, h, w, cout, kh, kw, stride, pad
      {2, 1, 5, 5, 1, 3, 3, 1, 0}, {2, 2, 6, 5, 3, 3, 2, 2, 1}, {1, 3, 4, 4, 2, 1, 1, 1, 0},
      {1, 1, 3, 3, 1, 2, 2, 1, 0}, {3, 2, 7, 7, 2, 3, 3, 3, 2}, {1, 2, 5, 4, 2, 5, 4, 1, 0},
  };

  @Test
  void conv2dValuesAndRules() {
    for (int[] g : CONV) {
      Tensor x = Fd.randn(rng, g[0], g[1], g[2], g[3]);
      Tensor w = Fd.randn(rng, g[4], g[1], g[5], g[6]);
      Tensor b = Fd.randn(rng, g[4]);
      int s = g[7], p = g[8];
      String where = "conv " + java.util.Arrays.toString(g);
      Tensor y = Layers.conv2d(x, w, b, s, p);
      assertClose(naiveConv(x, w, b, s, p), y, 1e-12, 1e-12, where + " value");
      assertClose(naiveConv(x, w, null, s, p), Layers.conv2d(x, w, s, p), 1e-12, 1e-12, where + " value no bias");
      Tensor gy = Fd.randn(rng, y.shape());
      Tensor[] in = {x, w, b};
      java.util.function.Function<Tensor[], Tensor> f = t -> naiveConv(t[0], t[1], t[2], s, p);
      assertClose(Fd.vjp(f, in, 0, gy), Layers.conv2dVjpX(gy, y, x, w, b, s, p), where + " x");
      assertClose(Fd.vjp(f, in, 1, gy), Layers.conv2dVjpW(gy, y, x, w, b, s, p), where + " w");
      assertClose(Fd.vjp(f, in, 2, gy), Layers.conv2dVjpB(gy, y, x, w, b, s, p), where + " b");
      assertClose(Layers.conv2dVjpX(gy, y, x, w, b, s, p), Layers.conv2dVjpX(gy, y, x, w, s, p), where + " x nb");
      assertClose(Layers.conv2dVjpW(gy, y, x, w, b, s, p), Layers.conv2dVjpW(gy, y, x, w, s, p), where + " w nb");
    }
  }

  @Test
  void conv2dErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layers.conv2d(Tensor.zeros(1, 2, 5, 5), Tensor.zeros(1, 3, 3, 3), 1, 0));
    assertTrue(e.getMessage().startsWith("conv2d: input of shape [1, 2, 5, 5] has 2 channels"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Layers.conv2d(Tensor.zeros(0, 1, 5, 5), Tensor.zeros(1, 1, 3, 3), 1, 0));
    assertThrows(IllegalArgumentException.class, () -> Layers.conv2d(Tensor.zeros(1, 1, 2, 2), Tensor.zeros(1, 1, 3, 3), 1, 0));
    assertThrows(IllegalArgumentException.class, () -> Layers.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 3, 3), 0, 0));
    assertThrows(IllegalArgumentException.class,
        () -> Layers.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(2, 1, 3, 3), Tensor.zeros(3), 1, 0));
  }

  static Tensor naivePool(Tensor x, int k, int s, boolean max) {
    int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    int ho = (h - k) / s + 1, wo = (w - k) / s + 1;
    Tensor y = Tensor.zeros(n, c, ho, wo);
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        for (int oh = 0; oh < ho; oh++) {
          for (int ow = 0; ow < wo; ow++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            for (int a = 0; a < k; a++) {
              for (int bb = 0; bb < k; bb++) {
                double v = x.get(i, ch, oh * s + a, ow * s + bb);
                acc = max ? Math.max(acc, v) : acc + v / (k * k);
              }
            }
            y.set(acc, i, ch, oh, ow);
          }
        }
      }
    }
    return y;
  }

  @Test
  void poolingValuesAndRules() {
    int[][] cfg = {{2, 2, 4, 4, 2, 2}, {1, 3, 5, 5, 3, 2}, {2, 1, 5, 6, 2, 1}, {1, 1, 3, 3, 3, 1}};
    for (int[] g : cfg) {
      Tensor x = Fd.randn(rng, g[0], g[1], g[2], g[3]);
      int k = g[4], s = g[5];
      String where = "pool " + java.util.Arrays.toString(g);
      Tensor ya = Layers.avgPool2d(x, k, s);
      Tensor ym = Layers.maxPool2d(x, k, s);
      assertClose(naivePool(x, k, s, false), ya, 1e-12, 1e-12, where + " avg value");
      assertClose(naivePool(x, k, s, true), ym, 0, 0, where + " max value");
      Tensor gy = Fd.randn(rng, ya.shape());
      assertClose(Fd.vjp(t -> naivePool(t[0], k, s, false), new Tensor[] {x}, 0, gy),
          Layers.avgPool2dVjpX(gy, ya, x, k, s), where + " avg rule");
      assertClose(Fd.vjp(t -> naivePool(t[0], k, s, true), new Tensor[] {x}, 0, gy),
          Layers.maxPool2dVjpX(gy, ym, x, k, s), where + " max rule");
    }
  }

  @Test
  void maxPoolRoutesTiesToFirstMaximum() {
    Tensor x = Tensor.of(new double[] {5, 5, 5, 5}, 1, 1, 2, 2);
    Tensor g = Layers.maxPool2dVjpX(Tensor.ones(1, 1, 1, 1), null, x, 2, 2);
    assertArrayEquals(new double[] {1, 0, 0, 0}, g.toArray());
  }

  @Test
  void linearMatchesMatmulPlusBiasAndItsRules() {
    for (int[] xs : new int[][] {{5, 4}, {4}, {2, 3, 4}}) {
      Tensor x = Fd.randn(rng, xs);
      Tensor w = Fd.randn(rng, 4, 3);
      Tensor b = Fd.randn(rng, 3);
      Tensor y = Layers.linear(x, w, b);
      assertClose(x.matmul(w).add(b), y, 1e-14, 1e-14, "linear value");
      Tensor gy = Fd.randn(rng, y.shape());
      Tensor[] in = {x, w, b};
      java.util.function.Function<Tensor[], Tensor> f = t -> t[0].matmul(t[1]).add(t[2]);
      assertClose(Fd.vjp(f, in, 0, gy), Layers.linearVjpX(gy, y, x, w, b), "linear x");
      assertClose(Fd.vjp(f, in, 1, gy), Layers.linearVjpW(gy, y, x, w, b), "linear w");
      assertClose(Fd.vjp(f, in, 2, gy), Layers.linearVjpB(gy, y, x, w, b), "linear b");
      assertClose(Layers.linearVjpX(gy, y, x, w, b), Layers.linearVjpX(gy, y, x, w), "linear x no bias");
      assertClose(Layers.linearVjpW(gy, y, x, w, b), Layers.linearVjpW(gy, y, x, w), "linear w no bias");
      assertClose(x.matmul(w), Layers.linear(x, w), 0, 0, "linear no bias value");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layers.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), Tensor.zeros(5)));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 5]"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Layers.linear(Tensor.zeros(2, 4), Tensor.zeros(4, 5), Tensor.zeros(4)));
  }

  @Test
  void softmaxAndLogSoftmax() {
    Tensor x = Fd.randn(rng, 2, 3, 4);
    for (int d : new int[] {0, 1, 2, -1}) {
      Tensor s = Layers.softmax(x, d);
      assertClose(Tensor.ones(s.sum(d).shape()), s.sum(d), 1e-14, 1e-14, "softmax sums to 1");
      assertClose(s.log(), Layers.logSoftmax(x, d), 1e-12, 1e-12, "log of softmax");
      Tensor gy = Fd.randn(rng, x.shape());
      assertClose(Fd.vjp(t -> Layers.softmax(t[0], d), new Tensor[] {x}, 0, gy), Layers.softmaxVjpX(gy, s, x, d),
          "softmax rule " + d);
      Tensor ls = Layers.logSoftmax(x, d);
      assertClose(Fd.vjp(t -> Layers.logSoftmax(t[0], d), new Tensor[] {x}, 0, gy),
          Layers.logSoftmaxVjpX(gy, ls, x, d), "logSoftmax rule " + d);
    }
    Tensor big = Tensor.vector(1000, 999, -1000);
    Tensor s = Layers.softmax(big, 0);
    assertEquals(1 / (1 + Math.exp(-1)), s.get(0), 1e-15);
    assertEquals(0.0, s.get(2), 0.0);
    Tensor ls = Layers.logSoftmax(big, 0);
    assertEquals(-2000 - Math.log1p(Math.exp(-1)), ls.get(2), 1e-9);
    for (double v : Layers.softmaxVjpX(Tensor.vector(1, 2, 3), s, big, 0).toArray()) {
      assertTrue(Double.isFinite(v));
    }
  }

  @Test
  void dropout() {
    Tensor m = Layers.dropoutMask(new Random(1), 0.25, 1000);
    int zeros = 0;
    for (double v : m.toArray()) {
      assertTrue(v == 0 || Math.abs(v - 1 / 0.75) < 1e-15, "mask value " + v);
      zeros += v == 0 ? 1 : 0;
    }
    assertTrue(zeros > 200 && zeros < 300, "about a quarter dropped: " + zeros);
    assertArrayEquals(m.toArray(), Layers.dropoutMask(new Random(1), 0.25, 1000).toArray(), "deterministic");
    Tensor x = Fd.randn(rng, 1000);
    Tensor y = Layers.dropout(x, m);
    Tensor gy = Fd.randn(rng, 1000);
    assertClose(gy.mul(m), Layers.dropoutVjpX(gy, y, x, m), 0, 0, "seed 001: dout * mask");
    assertClose(gy.mul(x), Layers.dropoutVjpMask(gy, y, x, m), 0, 0, "mask rule");
    assertArrayEquals(new double[] {0, 0}, Layers.dropoutMask(new Random(1), 1.0, 2).toArray());
    assertArrayEquals(new double[] {1, 1}, Layers.dropoutMask(new Random(1), 0.0, 2).toArray());
    assertThrows(IllegalArgumentException.class, () -> Layers.dropoutMask(new Random(1), 1.5, 2));
    assertThrows(IllegalArgumentException.class, () -> Layers.dropout(x, Tensor.ones(3)));
    assertEquals(1000, Layers.dropout(x, 0.5, new Random(2)).size());
  }

  @Test
  void activationDelegates() {
    Tensor x = Fd.awayFromZero(rng, 3, 2);
    Tensor gy = Fd.randn(rng, 3, 2);
    assertClose(x.relu(), Layers.relu(x), 0, 0, "relu");
    assertClose(Tensor.reluVjpSelf(gy, x.relu(), x), Layers.reluVjpX(gy, x.relu(), x), 0, 0, "relu rule");
    assertClose(Tensor.sigmoidVjpSelf(gy, x.sigmoid(), x), Layers.sigmoidVjpX(gy, Layers.sigmoid(x), x), 0, 0, "sig");
    assertClose(Tensor.tanhVjpSelf(gy, x.tanh(), x), Layers.tanhVjpX(gy, Layers.tanh(x), x), 0, 0, "tanh");
  }
}
