package dev.adjoint.nn;

import static dev.adjoint.testing.RuleCheck.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.tensor.Tensor;
import dev.adjoint.testing.Fd;
import java.util.Arrays;
import java.util.Random;
import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;

/** softplus, GELU (erf and tanh), leaky ReLU, layer norm and embedding: values and rules (GradCheck). */
class ActivationsTest {
  private final Random rng = new Random(151);
  private static final int[][] SHAPES = {{}, {1}, {6}, {2, 3}, {2, 1, 4}};

  @Test
  void erfMatchesHipparchusToFullPrecision() {
    for (int i = 0; i < 2000; i++) {
      double z = (rng.nextDouble() - 0.5) * 12;
      assertEquals(Erf.erf(z), dev.adjoint.nn.Erf.erf(z), 1e-15, "erf(" + z + ")");
      double c = Erf.erfc(z);
      // below 2.5 erfc is 1 - erf (a few ulps of 1 absolute); above, the continued fraction keeps it relative
      assertEquals(c, dev.adjoint.nn.Erf.erfc(z), z < 2.5 ? 1e-15 : 1e-14 * c, "erfc(" + z + ")");
    }
    assertEquals(0.0, dev.adjoint.nn.Erf.erfc(30), 0.0);
    assertEquals(-1.0, dev.adjoint.nn.Erf.erf(-30), 0.0);
  }

  @Test
  void valuesAgainstTheirFormulas() {
    Tensor x = Fd.randn(rng, 50).mul(4);
    Tensor sp = Activations.softplus(x);
    Tensor ge = Activations.gelu(x);
    Tensor gt = Activations.geluTanh(x);
    Tensor lr = Activations.leakyRelu(x, 0.1);
    for (int i = 0; i < x.size(); i++) {
      double v = x.data()[i];
      assertEquals(Math.log(1 + Math.exp(v)), sp.data()[i], 1e-14, "softplus");
      assertEquals(v * 0.5 * (1 + Erf.erf(v / Math.sqrt(2))), ge.data()[i], 1e-15, "gelu");
      assertEquals(0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))), gt.data()[i],
          1e-15, "geluTanh");
      assertEquals(v > 0 ? v : 0.1 * v, lr.data()[i], 0.0, "leakyRelu");
    }
    // softplus neither overflows nor loses the linear part
    assertEquals(800.0, Activations.softplus(Tensor.scalar(800)).item(), 0.0);
    assertEquals(Math.exp(-800), Activations.softplus(Tensor.scalar(-800)).item(), 0.0);
    // gelu far left is x·Φ(x), tiny but not 0 and not NaN
    assertEquals(-10 * 0.5 * Erf.erfc(10 / Math.sqrt(2)), Activations.gelu(Tensor.scalar(-10)).item(), 1e-35);
  }

  @Test
  void rules() {
    for (int[] s : SHAPES) {
      String w = Arrays.toString(s);
      Tensor x = Fd.awayFromZero(rng, s).mul(2);
      check("softplus " + w, rng, t -> Activations.softplus(t[0]), new Tensor[] {x},
          (gy, y, t) -> Activations.softplusVjpX(gy, y, t[0]));
      check("gelu " + w, rng, t -> Activations.gelu(t[0]), new Tensor[] {x},
          (gy, y, t) -> Activations.geluVjpX(gy, y, t[0]));
      check("geluTanh " + w, rng, t -> Activations.geluTanh(t[0]), new Tensor[] {x},
          (gy, y, t) -> Activations.geluTanhVjpX(gy, y, t[0]));
      for (double slope : new double[] {0.01, 0.2, -0.5}) {
        check("leakyRelu " + slope + " " + w, rng, t -> Activations.leakyRelu(t[0], slope), new Tensor[] {x},
            (gy, y, t) -> Activations.leakyReluVjpX(gy, y, t[0], slope));
        Tensor gy = Fd.randn(rng, s);
        assertEquals(Fd.vjpScalar(a -> Activations.leakyRelu(x, a), slope, gy),
            Activations.leakyReluVjpSlope(gy, Activations.leakyRelu(x, slope), x, slope), 1e-8, "slope " + w);
      }
    }
  }

  @Test
  void layerNorm() {
    for (int[] s : new int[][] {{5}, {3, 4}, {2, 3, 6}, {4, 1}}) {
      int d = s[s.length - 1];
      Tensor x = Fd.randn(rng, s).mul(2).add(1);
      Tensor w = Fd.randn(rng, d);
      Tensor b = Fd.randn(rng, d);
      for (double eps : new double[] {1e-5, 0.5}) {
        Tensor y = Layers.layerNorm(x, w, b, eps);
        Tensor mean = x.mean(-1, true);
        Tensor var = x.sub(mean).square().mean(-1, true);
        Tensor naive = x.sub(mean).div(var.add(eps).sqrt()).mul(w).add(b);
        Fd.assertClose(naive, y, 1e-12, 1e-12, "layerNorm value " + Arrays.toString(s));
        String where = "layerNorm " + Arrays.toString(s) + " eps " + eps;
        check(where, rng, t -> Layers.layerNorm(t[0], t[1], t[2], eps), new Tensor[] {x, w, b},
            (gy, yy, t) -> Layers.layerNormVjpX(gy, yy, t[0], t[1], t[2], eps),
            (gy, yy, t) -> Layers.layerNormVjpWeight(gy, yy, t[0], t[1], t[2], eps),
            (gy, yy, t) -> Layers.layerNormVjpBias(gy, yy, t[0], t[1], t[2], eps));
      }
      check("layerNorm default eps", rng, t -> Layers.layerNorm(t[0], t[1], t[2]), new Tensor[] {x, w, b},
          (gy, yy, t) -> Layers.layerNormVjpX(gy, yy, t[0], t[1], t[2]),
          (gy, yy, t) -> Layers.layerNormVjpWeight(gy, yy, t[0], t[1], t[2]),
          (gy, yy, t) -> Layers.layerNormVjpBias(gy, yy, t[0], t[1], t[2]));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layers.layerNorm(Tensor.zeros(2, 3), Tensor.ones(4), Tensor.zeros(3)));
    assertEquals("layerNorm: weight [4] and bias [3] must both have shape [3] (the input [2, 3]'s last dimension)",
        e.getMessage());
  }

  @Test
  void embedding() {
    Tensor table = Fd.randn(rng, 5, 3);
    int[] ids = {4, 0, 4, 2};
    Tensor y = Layers.embedding(table, ids);
    for (int i = 0; i < ids.length; i++) {
      for (int j = 0; j < 3; j++) {
        assertEquals(table.get(ids[i], j), y.get(i, j), 0.0);
      }
    }
    check("embedding", rng, t -> Layers.embedding(t[0], ids), new Tensor[] {table},
        (gy, yy, t) -> Layers.embeddingVjpWeight(gy, yy, t[0], ids));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layers.embedding(table, new int[] {5}));
    assertEquals("embedding: id 5 out of range for a table of shape [5, 3]", e.getMessage());
  }
}
