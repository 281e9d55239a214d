package dev.adjoint.tensor;

import static dev.adjoint.testing.RuleCheck.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Fd;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The trigonometric, selection, slicing, indexing, cat/stack and logsumexp ops: values against plain loops and
 * every rule against GradCheck's Richardson differences, on random shapes with broadcasting where it applies.
 */
class SelectionOpsTest {
  private final Random rng = new Random(15);

  private static final int[][] SHAPES = {{}, {1}, {5}, {2, 3}, {2, 1, 3}, {3, 4, 2}};

  /** Pairs that broadcast: equal, trailing, both sides, 0-d, size-1 dims, different ranks. */
  private static final int[][][] PAIRS = {
      {{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{4}, {3, 4}}, {{3, 1}, {1, 4}}, {{2, 3, 4}, {3, 1}},
      {{}, {2, 3}}, {{2, 3}, {}}, {{1}, {5}}, {{2, 1, 3}, {4, 1}},
  };

  @Test
  void sinCos() {
    for (int[] s : SHAPES) {
      Tensor x = Fd.randn(rng, s).mul(2);
      check("sin " + Arrays.toString(s), rng, t -> t[0].sin(), new Tensor[] {x},
          (gy, y, in) -> Tensor.sinVjpSelf(gy, y, in[0]));
      check("cos " + Arrays.toString(s), rng, t -> t[0].cos(), new Tensor[] {x},
          (gy, y, in) -> Tensor.cosVjpSelf(gy, y, in[0]));
      for (int i = 0; i < x.size(); i++) {
        assertEquals(Math.sin(x.data()[i]), x.sin().data()[i], 0.0);
        assertEquals(Math.cos(x.data()[i]), x.cos().data()[i], 0.0);
      }
    }
  }

  /** Random values at least 0.05 away from lo and hi, so that no difference step crosses a kink. */
  private Tensor awayFrom(double lo, double hi, int... shape) {
    Tensor t = Fd.randn(rng, shape);
    double[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      while (Math.abs(d[i] - lo) < 0.05 || Math.abs(d[i] - hi) < 0.05) {
        d[i] = rng.nextGaussian();
      }
    }
    return t;
  }

  @Test
  void clamp() {
    double lo = -0.3;
    double hi = 0.4;
    for (int[] s : SHAPES) {
      Tensor x = awayFrom(lo, hi, s);
      Tensor y = x.clamp(lo, hi);
      for (int i = 0; i < x.size(); i++) {
        assertEquals(Math.min(Math.max(x.data()[i], lo), hi), y.data()[i], 0.0);
      }
      String w = "clamp " + Arrays.toString(s);
      check(w, rng, t -> t[0].clamp(lo, hi), new Tensor[] {x}, (gy, yy, in) -> Tensor.clampVjpSelf(gy, yy, in[0], lo, hi));
      Tensor gy = Fd.randn(rng, s);
      assertEquals(Fd.vjpScalar(m -> x.clamp(m, hi), lo, gy), Tensor.clampVjpMin(gy, y, x, lo, hi), 1e-7, w + " min");
      assertEquals(Fd.vjpScalar(m -> x.clamp(lo, m), hi, gy), Tensor.clampVjpMax(gy, y, x, lo, hi), 1e-7, w + " max");
    }
    assertTrue(Double.isNaN(Tensor.vector(Double.NaN).clamp(0, 1).item()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.vector(1).clamp(2, 1));
    assertEquals("clamp: min 2.0 is greater than max 1.0", e.getMessage());
  }

  @Test
  void minimumMaximumBroadcasting() {
    for (int[][] p : PAIRS) {
      Tensor a = Fd.randn(rng, p[0]);
      Tensor b = Fd.randn(rng, p[1]);
      String w = Arrays.toString(p[0]) + " " + Arrays.toString(p[1]);
      Tensor[] in = {a, b};
      check("minimum " + w, rng, t -> t[0].minimum(t[1]), in,
          (gy, y, t) -> Tensor.minimumVjpSelf(gy, y, t[0], t[1]), (gy, y, t) -> Tensor.minimumVjpOther(gy, y, t[0], t[1]));
      check("maximum " + w, rng, t -> t[0].maximum(t[1]), in,
          (gy, y, t) -> Tensor.maximumVjpSelf(gy, y, t[0], t[1]), (gy, y, t) -> Tensor.maximumVjpOther(gy, y, t[0], t[1]));
      Tensor lo = a.minimum(b);
      Tensor hi = a.maximum(b);
      Tensor ab = a.broadcastTo(lo.shape());
      Tensor bb = b.broadcastTo(lo.shape());
      for (int i = 0; i < lo.size(); i++) {
        assertEquals(Math.min(ab.data()[i], bb.data()[i]), lo.data()[i], 0.0);
        assertEquals(Math.max(ab.data()[i], bb.data()[i]), hi.data()[i], 0.0);
      }
    }
    // A tie splits the adjoint in half between the two inputs, as PyTorch does.
    Tensor a = Tensor.vector(1, 2);
    Tensor b = Tensor.vector(1, 3);
    Tensor gy = Tensor.vector(4, 4);
    assertArrayEquals(new double[] {2, 0}, Tensor.maximumVjpSelf(gy, a.maximum(b), a, b).toArray());
    assertArrayEquals(new double[] {2, 4}, Tensor.maximumVjpOther(gy, a.maximum(b), a, b).toArray());
    assertArrayEquals(new double[] {2, 4}, Tensor.minimumVjpSelf(gy, a.minimum(b), a, b).toArray());
  }

  @Test
  void whereBroadcastsAllThree() {
    int[][][] triples = {
        {{3, 4}, {3, 4}, {3, 4}}, {{3, 4}, {4}, {}}, {{3, 1}, {1, 4}, {3, 4}}, {{4}, {2, 3, 4}, {3, 1}},
        {{}, {2, 2}, {2}}, {{2, 1, 3}, {3}, {2, 4, 1}},
    };
    for (int[][] s : triples) {
      Tensor mask = Fd.randn(rng, s[0]).gt(0);
      Tensor a = Fd.randn(rng, s[1]);
      Tensor b = Fd.randn(rng, s[2]);
      String w = "where " + Arrays.toString(s[0]) + Arrays.toString(s[1]) + Arrays.toString(s[2]);
      check(w, rng, t -> Tensor.where(t[0], t[1], t[2]), new Tensor[] {mask, a, b}, null,
          (gy, y, t) -> Tensor.whereVjpA(gy, y, t[0], t[1], t[2]), (gy, y, t) -> Tensor.whereVjpB(gy, y, t[0], t[1], t[2]));
      Tensor y = Tensor.where(mask, a, b);
      Tensor m = mask.broadcastTo(y.shape());
      Tensor ab = a.broadcastTo(y.shape());
      Tensor bb = b.broadcastTo(y.shape());
      for (int i = 0; i < y.size(); i++) {
        assertEquals(m.data()[i] != 0 ? ab.data()[i] : bb.data()[i], y.data()[i], 0.0, w);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Tensor.where(Tensor.ones(3), Tensor.ones(4), Tensor.ones(1)));
  }

  @Test
  void argmax() {
    Tensor x = Tensor.of(new double[] {1, 5, 5, 2, 9, 0}, 2, 3);
    assertEquals(4, x.argmax());
    assertArrayEquals(new double[] {1, 1}, x.argmax(1).toArray());
    assertArrayEquals(new double[] {1, 1, 0}, x.argmax(0).toArray());
    assertArrayEquals(new int[] {3}, x.argmax(-2).shape());
    for (int[] s : new int[][] {{2, 3, 4}, {5}, {3, 1, 2}}) {
      Tensor r = Fd.randn(rng, s);
      for (int d = 0; d < s.length; d++) {
        Tensor idx = r.argmax(d);
        Tensor max = r.max(d);
        for (int i = 0; i < idx.size(); i++) {
          // the value at the returned index is the maximum
          int[] full = unflatten(i, idx.shape(), d, (int) idx.data()[i]);
          assertEquals(max.data()[i], r.get(full), 0.0);
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).argmax());
  }

  /** The full index of reduced element i with {@code at} inserted at dimension d. */
  private static int[] unflatten(int i, int[] reduced, int d, int at) {
    int[] idx = new int[reduced.length + 1];
    for (int k = reduced.length - 1; k >= 0; k--) {
      idx[k < d ? k : k + 1] = i % reduced[k];
      i /= reduced[k];
    }
    idx[d] = at;
    return idx;
  }

  @Test
  void logsumexp() {
    for (int[] s : new int[][] {{5}, {2, 3}, {2, 3, 4}, {1, 3, 1}}) {
      Tensor x = Fd.randn(rng, s).mul(3);
      for (int d = -s.length; d < s.length; d++) {
        int dim = d;
        for (boolean keep : new boolean[] {false, true}) {
          Tensor y = x.logsumexp(dim, keep);
          Tensor naive = x.exp().sum(dim, keep).log();
          Fd.assertClose(naive, y, 1e-13, 1e-13, "logsumexp value " + Arrays.toString(s) + " " + d);
          check("logsumexp " + Arrays.toString(s) + " " + d + " " + keep, rng, t -> t[0].logsumexp(dim, keep),
              new Tensor[] {x}, (gy, yy, t) -> Tensor.logsumexpVjpSelf(gy, yy, t[0], dim, keep));
        }
        check("logsumexp(d) " + d, rng, t -> t[0].logsumexp(dim), new Tensor[] {x},
            (gy, yy, t) -> Tensor.logsumexpVjpSelf(gy, yy, t[0], dim));
      }
    }
    // Shifted by the maximum: finite where exp overflows, and -inf for an all -inf row.
    Tensor big = Tensor.matrix(new double[][] {{1000, 1000}, {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}});
    Tensor y = big.logsumexp(1);
    assertEquals(1000 + Math.log(2), y.get(0), 1e-12);
    assertEquals(Double.NEGATIVE_INFINITY, y.get(1), 0.0);
    assertArrayEquals(new double[] {0.5, 0.5, 0, 0}, Tensor.logsumexpVjpSelf(Tensor.vector(1, 1), y, big, 1).toArray(),
        1e-13);
  }

  @Test
  void narrowSelectIndexSelect() {
    Tensor x = Fd.randn(rng, 3, 4, 5);
    int[][] narrows = {{0, 1, 2}, {1, 0, 4}, {2, 3, 2}, {-1, 0, 1}, {1, 2, 0}};
    for (int[] n : narrows) {
      Tensor y = x.narrow(n[0], n[1], n[2]);
      int d = n[0] < 0 ? n[0] + 3 : n[0];
      for (int i = 0; i < y.size(); i++) {
        int[] idx = Shapes.unflatten(i, y.shape());
        int[] src = idx.clone();
        src[d] += n[1];
        assertEquals(x.get(src), y.get(idx), 0.0);
      }
      check("narrow " + Arrays.toString(n), rng, t -> t[0].narrow(n[0], n[1], n[2]), new Tensor[] {x},
          (gy, yy, t) -> Tensor.narrowVjpSelf(gy, yy, t[0], n[0], n[1], n[2]));
    }
    for (int[] sel : new int[][] {{0, 2}, {1, -1}, {2, 0}, {-1, 3}}) {
      Tensor y = x.select(sel[0], sel[1]);
      int d = sel[0] < 0 ? sel[0] + 3 : sel[0];
      int at = sel[1] < 0 ? sel[1] + x.size(d) : sel[1];
      assertArrayEquals(Shapes.remove(x.shape(), d), y.shape());
      for (int i = 0; i < y.size(); i++) {
        assertEquals(x.get(unflatten(i, y.shape(), d, at)), y.data()[i], 0.0);
      }
      check("select " + Arrays.toString(sel), rng, t -> t[0].select(sel[0], sel[1]), new Tensor[] {x},
          (gy, yy, t) -> Tensor.selectVjpSelf(gy, yy, t[0], sel[0], sel[1]));
    }
    int[][] picks = {{2, 0, 2, -1}, {1}, {}, {3, 3, 3}};
    for (int dim = 0; dim < 3; dim++) {
      for (int[] p : picks) {
        int d = dim;
        int[] ok = Arrays.stream(p).map(v -> Math.floorMod(v, x.size(d))).toArray();
        Tensor y = x.indexSelect(d, ok);
        for (int i = 0; i < y.size(); i++) {
          int[] idx = Shapes.unflatten(i, y.shape());
          int[] src = idx.clone();
          src[d] = ok[idx[d]];
          assertEquals(x.get(src), y.get(idx), 0.0);
        }
        check("indexSelect " + d + " " + Arrays.toString(ok), rng, t -> t[0].indexSelect(d, ok), new Tensor[] {x},
            (gy, yy, t) -> Tensor.indexSelectVjpSelf(gy, yy, t[0], d, ok));
      }
    }
    assertEquals(x.select(0, 2).sum().item(), x.indexSelect(0, new int[] {-1}).sum().item(), 0.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.narrow(1, 3, 2));
    assertEquals("narrow: start 3 and length 2 out of range for dimension 1 of shape [3, 4, 5]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> x.indexSelect(0, new int[] {3}));
    assertEquals("indexSelect: index 3 out of range for dimension 0 of extent 3 (shape [3, 4, 5])", e.getMessage());
  }

  @Test
  void catAndStack() {
    for (int d = -3; d < 3; d++) {
      int dim = d;
      int nd = d < 0 ? d + 3 : d;
      int[] sa = {2, 3, 4};
      int[] sb = sa.clone();
      sb[nd] = 1;
      int[] sc = sa.clone();
      sc[nd] = 2;
      Tensor a = Fd.randn(rng, sa);
      Tensor b = Fd.randn(rng, sb);
      Tensor c = Fd.randn(rng, sc);
      Tensor y = Tensor.cat(dim, a, b, c);
      assertEquals(a.size() + b.size() + c.size(), y.size());
      Fd.assertClose(a, y.narrow(dim, 0, sa[nd]), 0, 0, "cat part a");
      Fd.assertClose(b, y.narrow(dim, sa[nd], 1), 0, 0, "cat part b");
      Fd.assertClose(c, y.narrow(dim, sa[nd] + 1, 2), 0, 0, "cat part c");
      Tensor[] in = {a, b, c};
      check("cat " + d, rng, t -> Tensor.cat(dim, t), in,
          (gy, yy, t) -> Tensor.catVjpTensors(gy, yy, dim, t)[0], (gy, yy, t) -> Tensor.catVjpTensors(gy, yy, dim, t)[1],
          (gy, yy, t) -> Tensor.catVjpTensors(gy, yy, dim, t)[2]);
      check("cat(a, b) " + d, rng, t -> Tensor.cat(t[0], t[1], dim), new Tensor[] {a, b},
          (gy, yy, t) -> Tensor.catVjpA(gy, yy, t[0], t[1], dim), (gy, yy, t) -> Tensor.catVjpB(gy, yy, t[0], t[1], dim));
    }
    for (int d = -4; d < 4; d++) {
      int dim = d;
      Tensor a = Fd.randn(rng, 2, 3, 4);
      Tensor b = Fd.randn(rng, 2, 3, 4);
      Tensor c = Fd.randn(rng, 2, 3, 4);
      Tensor y = Tensor.stack(dim, a, b, c);
      assertEquals(3, y.size(dim));
      Fd.assertClose(b, y.select(dim, 1), 0, 0, "stack slice b " + d);
      check("stack " + d, rng, t -> Tensor.stack(dim, t), new Tensor[] {a, b, c},
          (gy, yy, t) -> Tensor.stackVjpTensors(gy, yy, dim, t)[0], (gy, yy, t) -> Tensor.stackVjpTensors(gy, yy, dim, t)[1],
          (gy, yy, t) -> Tensor.stackVjpTensors(gy, yy, dim, t)[2]);
      check("stack(a, b) " + d, rng, t -> Tensor.stack(t[0], t[1], dim), new Tensor[] {a, b},
          (gy, yy, t) -> Tensor.stackVjpA(gy, yy, t[0], t[1], dim), (gy, yy, t) -> Tensor.stackVjpB(gy, yy, t[0], t[1], dim));
    }
    Tensor s = Tensor.stack(0, Tensor.scalar(1), Tensor.scalar(2));
    assertArrayEquals(new double[] {1, 2}, s.toArray());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tensor.cat(0, Tensor.zeros(2, 3), Tensor.zeros(2, 4)));
    assertEquals("cat: shapes [2, 3], [2, 4] differ outside dimension 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Tensor.stack(0, Tensor.zeros(2), Tensor.zeros(3)));
    assertEquals("stack: shapes [2], [3] must all be equal", e.getMessage());
  }
}
