package dev.adjoint.tensor;

import static dev.adjoint.testing.Fd.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.adjoint.testing.Fd;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every Tensor reverse rule against central finite differences, on random shapes incl. broadcasting and 0-d. */
class TensorRulesTest {
  private final Random rng = new Random(42);

  /** Pairs of shapes that broadcast: equal, trailing, both-sides, 0-d, size-1 dims, different ranks. */
  private static final int[][][] PAIRS = {
      {{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{4}, {3, 4}}, {{3, 1}, {1, 4}}, {{2, 3, 4}, {3, 1}},
      {{}, {2, 3}}, {{2, 3}, {}}, {{1}, {5}}, {{5}, {1}}, {{2, 1, 3}, {4, 1}}, {{}, {}}, {{1, 1}, {1}},
  };

  private interface BinRule {
    Tensor apply(Tensor gy, Tensor y, Tensor a, Tensor b);
  }

  private void checkBinary(String name, Function<Tensor[], Tensor> op, BinRule self, BinRule other, boolean nonZeroB) {
    for (int[][] pair : PAIRS) {
      Tensor a = Fd.randn(rng, pair[0]);
      Tensor b = nonZeroB ? Fd.awayFromZero(rng, pair[1]) : Fd.randn(rng, pair[1]);
      Tensor y = op.apply(new Tensor[] {a, b});
      Tensor gy = Fd.randn(rng, y.shape());
      Tensor[] in = {a, b};
      String where = name + " " + Arrays.toString(pair[0]) + " " + Arrays.toString(pair[1]);
      assertClose(Fd.vjp(op, in, 0, gy), self.apply(gy, y, a, b), where + " self");
      assertClose(Fd.vjp(op, in, 1, gy), other.apply(gy, y, a, b), where + " other");
    }
  }

  @Test
  void addSubMulDivBroadcasting() {
    checkBinary("add", t -> t[0].add(t[1]), Tensor::addVjpSelf, Tensor::addVjpOther, false);
    checkBinary("sub", t -> t[0].sub(t[1]), Tensor::subVjpSelf, Tensor::subVjpOther, false);
    checkBinary("mul", t -> t[0].mul(t[1]), Tensor::mulVjpSelf, Tensor::mulVjpOther, false);
    checkBinary("div", t -> t[0].div(t[1]), Tensor::divVjpSelf, Tensor::divVjpOther, true);
  }

  @Test
  void broadcastingVjpIsSummedOverBroadcastAxes() {
    // add of [3,4] and [4]: the bias adjoint is the column sums of gy (seed 003's b.g = y.g.sum(0)).
    Tensor a = Tensor.zeros(3, 4);
    Tensor b = Tensor.zeros(4);
    Tensor gy = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 3, 4);
    Tensor gb = Tensor.addVjpOther(gy, null, a, b);
    assertArrayEquals(new double[] {15, 18, 21, 24}, gb.toArray());
    assertSame(gy, Tensor.addVjpSelf(gy, null, a, b), "exact identity rule may return gy itself");
  }

  @Test
  void scalarVariants() {
    double c = 1.7;
    for (int[] shape : new int[][] {{}, {1}, {3}, {2, 3}}) {
      Tensor a = Fd.awayFromZero(rng, shape);
      Tensor gy = Fd.randn(rng, shape);
      String w = Arrays.toString(shape);
      assertClose(Fd.vjp(t -> t[0].add(c), new Tensor[] {a}, 0, gy), Tensor.addVjpSelf(gy, null, a, c), "add " + w);
      assertEquals(Fd.vjpScalar(x -> a.add(x), c, gy), Tensor.addVjpOther(gy, null, a, c), 1e-7, "addOther " + w);
      assertClose(Fd.vjp(t -> t[0].sub(c), new Tensor[] {a}, 0, gy), Tensor.subVjpSelf(gy, null, a, c), "sub " + w);
      assertEquals(Fd.vjpScalar(x -> a.sub(x), c, gy), Tensor.subVjpOther(gy, null, a, c), 1e-7, "subOther " + w);
      assertClose(Fd.vjp(t -> t[0].rsub(c), new Tensor[] {a}, 0, gy), Tensor.rsubVjpSelf(gy, null, a, c), "rsub " + w);
      assertEquals(Fd.vjpScalar(x -> a.rsub(x), c, gy), Tensor.rsubVjpOther(gy, null, a, c), 1e-7, "rsubO " + w);
      assertClose(Fd.vjp(t -> t[0].mul(c), new Tensor[] {a}, 0, gy), Tensor.mulVjpSelf(gy, null, a, c), "mul " + w);
      assertEquals(Fd.vjpScalar(x -> a.mul(x), c, gy), Tensor.mulVjpOther(gy, null, a, c), 1e-7, "mulOther " + w);
      assertClose(Fd.vjp(t -> t[0].div(c), new Tensor[] {a}, 0, gy), Tensor.divVjpSelf(gy, null, a, c), "div " + w);
      assertEquals(Fd.vjpScalar(x -> a.div(x), c, gy), Tensor.divVjpOther(gy, null, a, c), 1e-7, "divOther " + w);
      assertClose(Fd.vjp(t -> t[0].rdiv(c), new Tensor[] {a}, 0, gy), Tensor.rdivVjpSelf(gy, null, a, c), "rdiv " + w);
      assertEquals(Fd.vjpScalar(x -> a.rdiv(x), c, gy), Tensor.rdivVjpOther(gy, null, a, c), 1e-7, "rdivO " + w);
    }
  }

  private interface UnRule {
    Tensor apply(Tensor gy, Tensor y, Tensor x);
  }

  private void checkUnary(String name, Function<Tensor, Tensor> op, UnRule rule, Tensor x) {
    Tensor y = op.apply(x);
    Tensor gy = Fd.randn(rng, y.shape());
    assertClose(Fd.vjp(t -> op.apply(t[0]), new Tensor[] {x}, 0, gy), rule.apply(gy, y, x),
        name + " " + Arrays.toString(x.shape()));
  }

  @Test
  void unaryRules() {
    for (int[] shape : new int[][] {{}, {1}, {4}, {2, 3}, {2, 1, 3}}) {
      checkUnary("neg", Tensor::neg, Tensor::negVjpSelf, Fd.randn(rng, shape));
      checkUnary("exp", Tensor::exp, Tensor::expVjpSelf, Fd.randn(rng, shape));
      checkUnary("log", Tensor::log, Tensor::logVjpSelf, Fd.positive(rng, shape));
      checkUnary("tanh", Tensor::tanh, Tensor::tanhVjpSelf, Fd.randn(rng, shape));
      checkUnary("sigmoid", Tensor::sigmoid, Tensor::sigmoidVjpSelf, Fd.randn(rng, shape));
      checkUnary("relu", Tensor::relu, Tensor::reluVjpSelf, Fd.awayFromZero(rng, shape));
      checkUnary("sqrt", Tensor::sqrt, Tensor::sqrtVjpSelf, Fd.positive(rng, shape));
      checkUnary("abs", Tensor::abs, Tensor::absVjpSelf, Fd.awayFromZero(rng, shape));
      checkUnary("square", Tensor::square, Tensor::squareVjpSelf, Fd.randn(rng, shape));
      checkUnary("copy", Tensor::copy, Tensor::copyVjpSelf, Fd.randn(rng, shape));
      for (double p : new double[] {2, 3, 1, 0, -1}) {
        checkUnary("pow" + p, t -> t.pow(p), (gy, y, x) -> Tensor.powVjpSelf(gy, y, x, p), Fd.awayFromZero(rng, shape));
      }
      for (double p : new double[] {0.5, -1.5, 2.5}) {
        checkUnary("pow" + p, t -> t.pow(p), (gy, y, x) -> Tensor.powVjpSelf(gy, y, x, p), Fd.positive(rng, shape));
        Tensor x = Fd.positive(rng, shape);
        Tensor gy = Fd.randn(rng, shape);
        assertEquals(Fd.vjpScalar(e -> x.pow(e), p, gy), Tensor.powVjpExponent(gy, x.pow(p), x, p), 1e-7,
            "powExponent " + p);
      }
    }
  }

  @Test
  void scalarSigmoidRule() {
    for (double x : new double[] {-30, -2, 0, 0.7, 40}) {
      double h = 1e-5;
      double num = (Tensor.sigmoid(x + h) - Tensor.sigmoid(x - h)) / (2 * h);
      assertEquals(num, Tensor.sigmoidVjpX(1.0, Tensor.sigmoid(x), x), 1e-10, "sigmoid'(" + x + ")");
    }
    assertEquals(0.0, Tensor.sigmoid(-1000.0), 0.0);
    assertEquals(1.0, Tensor.sigmoid(1000.0), 0.0);
  }

  @Test
  void reluAndAbsHaveZeroDerivativeAtZeroAndPowIsFiniteAtZero() {
    Tensor x = Tensor.vector(-1, 0, 2);
    Tensor gy = Tensor.ones(3);
    assertArrayEquals(new double[] {0, 0, 1}, Tensor.reluVjpSelf(gy, x.relu(), x).toArray());
    assertArrayEquals(new double[] {-1, 0, 1}, Tensor.absVjpSelf(gy, x.abs(), x).toArray());
    assertArrayEquals(new double[] {-2, 0, 4}, Tensor.powVjpSelf(gy, x.pow(2), x, 2).toArray());
    Tensor z = Tensor.vector(0, 1);
    assertEquals(0.0, Tensor.powVjpExponent(Tensor.ones(2), z.pow(3), z, 3), 0.0);
  }

  private static final int[][][] MATMUL = {
      {{3, 4}, {4, 5}}, {{4}, {4, 5}}, {{3, 4}, {4}}, {{4}, {4}}, {{2, 3, 4}, {4, 5}}, {{2, 3, 4}, {2, 4, 5}},
      {{2, 1, 3, 4}, {5, 4, 2}}, {{1, 3, 4}, {2, 4, 5}}, {{3}, {2, 3, 4}}, {{2, 3, 4}, {4}}, {{1, 1}, {1, 1}},
      {{4, 5}, {2, 5, 3}},
  };

  @Test
  void matmulRulesAllCases() {
    for (int[][] pair : MATMUL) {
      Tensor a = Fd.randn(rng, pair[0]);
      Tensor b = Fd.randn(rng, pair[1]);
      Tensor y = a.matmul(b);
      Tensor gy = Fd.randn(rng, y.shape());
      Tensor[] in = {a, b};
      String w = "matmul " + Arrays.toString(pair[0]) + " " + Arrays.toString(pair[1]);
      assertClose(Fd.vjp(t -> t[0].matmul(t[1]), in, 0, gy), Tensor.matmulVjpSelf(gy, y, a, b), w + " self");
      assertClose(Fd.vjp(t -> t[0].matmul(t[1]), in, 1, gy), Tensor.matmulVjpOther(gy, y, a, b), w + " other");
    }
  }

  @Test
  void matmulValuesAgainstNaiveLoops() {
    for (int[][] pair : MATMUL) {
      Tensor a = Fd.randn(rng, pair[0]);
      Tensor b = Fd.randn(rng, pair[1]);
      assertClose(NaiveMatmul.matmul(a, b), a.matmul(b), 1e-12, 1e-12,
          "matmul value " + Arrays.toString(pair[0]) + Arrays.toString(pair[1]));
    }
  }

  @Test
  void shapeOpRules() {
    Tensor x = Fd.randn(rng, 2, 3, 4);
    Tensor m = Fd.randn(rng, 3, 5);
    checkUnary("transpose()", Tensor::transpose, Tensor::transposeVjpSelf, m);
    checkUnary("transpose() 1-d", Tensor::transpose, Tensor::transposeVjpSelf, Fd.randn(rng, 4));
    for (int[] d : new int[][] {{0, 2}, {1, -1}, {0, 1}, {2, 2}}) {
      checkUnary("transpose" + Arrays.toString(d), t -> t.transpose(d[0], d[1]),
          (gy, y, s) -> Tensor.transposeVjpSelf(gy, y, s, d[0], d[1]), x);
    }
    for (int[] s : new int[][] {{6, 4}, {-1, 2}, {24}, {4, 3, 2}, {1, 24, 1}}) {
      checkUnary("reshape" + Arrays.toString(s), t -> t.reshape(s), (gy, y, in) -> Tensor.reshapeVjpSelf(gy, y, in, s), x);
    }
    for (int d : new int[] {0, 1, 3, -1, -4}) {
      checkUnary("unsqueeze" + d, t -> t.unsqueeze(d), (gy, y, in) -> Tensor.unsqueezeVjpSelf(gy, y, in, d), x);
    }
    Tensor withOnes = Fd.randn(rng, 1, 3, 1);
    for (int d : new int[] {0, 2, -1}) {
      checkUnary("squeeze" + d, t -> t.squeeze(d), (gy, y, in) -> Tensor.squeezeVjpSelf(gy, y, in, d), withOnes);
    }
    int[][][] bcast = {{{3, 1}, {2, 3, 4}}, {{}, {2, 2}}, {{4}, {3, 4}}, {{1}, {1}}};
    for (int[][] p : bcast) {
      checkUnary("broadcastTo", t -> t.broadcastTo(p[1]), (gy, y, in) -> Tensor.broadcastToVjpSelf(gy, y, in, p[1]),
          Fd.randn(rng, p[0]));
      checkUnary("sumTo", t -> t.sumTo(p[0]), (gy, y, in) -> Tensor.sumToVjpSelf(gy, y, in, p[0]),
          Fd.randn(rng, p[1]));
    }
  }

  @Test
  void reductionRules() {
    for (int[] shape : new int[][] {{}, {5}, {2, 3}, {2, 3, 4}, {1, 3, 1}}) {
      Tensor x = Fd.randn(rng, shape);
      checkUnary("sum()", Tensor::sum, Tensor::sumVjpSelf, x);
      checkUnary("mean()", Tensor::mean, Tensor::meanVjpSelf, x);
      checkUnary("max()", Tensor::max, Tensor::maxVjpSelf, x);
      for (int d = -shape.length; d < shape.length; d++) {
        int dim = d;
        checkUnary("sum" + d, t -> t.sum(dim), (gy, y, s) -> Tensor.sumVjpSelf(gy, y, s, dim), x);
        checkUnary("mean" + d, t -> t.mean(dim), (gy, y, s) -> Tensor.meanVjpSelf(gy, y, s, dim), x);
        checkUnary("max" + d, t -> t.max(dim), (gy, y, s) -> Tensor.maxVjpSelf(gy, y, s, dim), x);
        for (boolean keep : new boolean[] {true, false}) {
          checkUnary("sumK" + d, t -> t.sum(dim, keep), (gy, y, s) -> Tensor.sumVjpSelf(gy, y, s, dim, keep), x);
          checkUnary("meanK" + d, t -> t.mean(dim, keep), (gy, y, s) -> Tensor.meanVjpSelf(gy, y, s, dim, keep), x);
          checkUnary("maxK" + d, t -> t.max(dim, keep), (gy, y, s) -> Tensor.maxVjpSelf(gy, y, s, dim, keep), x);
        }
      }
    }
  }

  @Test
  void maxRuleRoutesToFirstMaximumOnTies() {
    Tensor x = Tensor.of(new double[] {1, 3, 3, 2, 2, 0}, 2, 3);
    Tensor g = Tensor.maxVjpSelf(Tensor.vector(10, 20), x.max(1), x, 1);
    assertArrayEquals(new double[] {0, 10, 0, 20, 0, 0}, g.toArray());
  }

  @Test
  void conversionRules() {
    Tensor x = Fd.randn(rng, 2, 3);
    Tensor g = Tensor.getVjpSelf(2.5, x.get(1, 2), x, 1, 2);
    assertArrayEquals(new double[] {0, 0, 0, 0, 0, 2.5}, g.toArray());
    Tensor one = Tensor.of(new double[] {4}, 1, 1);
    Tensor gi = Tensor.itemVjpSelf(3.0, one.item(), one);
    assertArrayEquals(new int[] {1, 1}, gi.shape());
    assertEquals(3.0, gi.item());
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6},
        Tensor.toArrayVjpSelf(new double[] {1, 2, 3, 4, 5, 6}, x.toArray(), x).toArray());
    assertArrayEquals(new int[] {2, 3}, Tensor.toArrayVjpSelf(new double[6], x.toArray(), x).shape());
    assertEquals(7.0, Tensor.scalarVjpValue(Tensor.scalar(7), Tensor.scalar(1), 1));
    assertArrayEquals(new double[] {1, 2}, Tensor.ofVjpData(Tensor.vector(1, 2), null, new double[2], 2));
    assertArrayEquals(new double[] {1, 2}, Tensor.vectorVjpValues(Tensor.vector(1, 2), null, 0, 0));
  }

  @Test
  void rulesDoNotMutateArgumentsAndCheckGyShape() {
    Tensor a = Fd.randn(rng, 3, 4);
    Tensor b = Fd.randn(rng, 4);
    Tensor gy = Fd.randn(rng, 3, 4);
    double[] a0 = a.toArray();
    double[] b0 = b.toArray();
    double[] g0 = gy.toArray();
    Tensor y = a.mul(b);
    Tensor.mulVjpSelf(gy, y, a, b);
    Tensor.mulVjpOther(gy, y, a, b);
    Tensor.divVjpOther(gy, y, a, b);
    Tensor.matmulVjpSelf(gy.sum(1), a.matmul(b), a, b);
    assertArrayEquals(a0, a.toArray());
    assertArrayEquals(b0, b.toArray());
    assertArrayEquals(g0, gy.toArray());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Tensor.mulVjpSelf(Tensor.zeros(4), y, a, b));
    assertEquals("mulVjpSelf: gy has shape [4] but y has shape [3, 4]", e.getMessage());
  }
}
