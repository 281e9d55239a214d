package dev.adjoint.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Forward values, factories, gradients bookkeeping, formatting and error messages of Tensor. */
class TensorOpsTest {

  @Test
  void factoriesAndAccessors() {
    double[] d = {1, 2, 3, 4, 5, 6};
    Tensor t = Tensor.of(d, 2, 3);
    d[0] = 100; // of() copies
    assertEquals(1.0, t.get(0, 0));
    Tensor w = Tensor.wrap(d, 3, 2);
    d[1] = 200; // wrap() shares
    assertEquals(200.0, w.get(0, 1));
    assertArrayEquals(new int[] {2, 3}, t.shape());
    assertEquals(2, t.dim());
    assertEquals(6, t.size());
    assertEquals(3, t.size(1));
    assertEquals(3, t.size(-1));
    assertEquals(6.0, t.get(1, 2));
    t.set(9, 1, 2);
    assertEquals(9.0, t.data()[5]);
    assertEquals(0, Tensor.scalar(3).dim());
    assertEquals(3.0, Tensor.scalar(3).item());
    assertArrayEquals(new double[] {0, 0}, Tensor.zeros(2).toArray());
    assertArrayEquals(new double[] {1, 1}, Tensor.ones(1, 2).toArray());
    assertArrayEquals(new double[] {7, 7, 7}, Tensor.full(7, 3).toArray());
    assertArrayEquals(new int[] {2, 3}, Tensor.zerosLike(t).shape());
    assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, Tensor.onesLike(t).toArray());
    Tensor r1 = Tensor.randn(new Random(5), 3);
    Tensor r2 = Tensor.randn(new Random(5), 3);
    assertArrayEquals(r1.toArray(), r2.toArray());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[5], 2, 3));
    assertEquals("of: shape [2, 3] has 6 elements but the data array has length 5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> t.item());
    assertThrows(IllegalArgumentException.class, () -> t.get(2, 0));
    assertThrows(IllegalArgumentException.class, () -> t.get(0));
  }

  @Test
  void identityEqualityAndAllClose() {
    Tensor a = Tensor.vector(1, 2);
    Tensor b = Tensor.vector(1, 2);
    assertNotEquals(a, b);
    assertEquals(a, a);
    assertTrue(Tensor.allClose(a, b, 0, 0));
    assertTrue(Tensor.allClose(a, Tensor.vector(1, 2.0000001), 1e-6, 0));
    assertFalse(Tensor.allClose(a, Tensor.vector(1, 2.1), 1e-6, 1e-6));
    assertFalse(Tensor.allClose(a, Tensor.of(new double[] {1, 2}, 1, 2), 1, 1));
    assertFalse(Tensor.allClose(Tensor.vector(Double.NaN), Tensor.vector(Double.NaN), 1, 1));
  }

  @Test
  void gradBookkeeping() {
    Tensor p = Tensor.zeros(2).requiresGrad(true);
    assertTrue(p.requiresGrad());
    assertNull(p.grad());
    p.zeroGrad();
    assertNull(p.grad(), "zeroGrad leaves a null gradient null");
    Tensor g = Tensor.vector(1, 2);
    p.accumulateGrad(g);
    assertNotSame(g, p.grad(), "the first gradient is copied, never aliased");
    p.accumulateGrad(Tensor.vector(10, 20));
    assertArrayEquals(new double[] {11, 22}, p.grad().toArray());
    assertArrayEquals(new double[] {1, 2}, g.toArray(), "accumulating never mutates the argument");
    p.zeroGrad();
    assertArrayEquals(new double[] {0, 0}, p.grad().toArray());
    assertThrows(IllegalArgumentException.class, () -> p.accumulateGrad(Tensor.zeros(3)));
    assertSame(g, Tensor.accumulate(null, g));
    Tensor acc = Tensor.vector(5, 5);
    assertArrayEquals(new double[] {6, 7}, Tensor.accumulate(acc, g).toArray());
    assertArrayEquals(new double[] {5, 5}, acc.toArray());
  }

  @Test
  void elementwiseValuesWithBroadcasting() {
    Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor col = Tensor.of(new double[] {10, 20}, 2, 1);
    assertArrayEquals(new double[] {11, 12, 13, 24, 25, 26}, a.add(col).toArray());
    assertArrayEquals(new double[] {2, 4, 6, 5, 7, 9}, a.add(Tensor.vector(1, 2, 3)).toArray());
    assertArrayEquals(new double[] {-9, -8, -7, -16, -15, -14}, a.sub(col).toArray());
    assertArrayEquals(new double[] {10, 20, 30, 80, 100, 120}, a.mul(col).toArray());
    assertArrayEquals(new double[] {0.5, 1, 1.5, 2, 2.5, 3}, a.div(2).toArray());
    assertArrayEquals(new int[] {2, 2, 3}, a.add(Tensor.zeros(2, 1, 3)).shape());
    assertArrayEquals(new double[] {3, 1}, Tensor.vector(1, 2).rsub(4).add(Tensor.vector(0, -1)).toArray());
    assertArrayEquals(new double[] {4, 2}, Tensor.vector(1, 2).rdiv(4).toArray());
    assertArrayEquals(new double[] {0, 0, 1, 1, 1, 1}, a.gt(2).toArray());
    assertArrayEquals(new double[] {1, 1, 0, 0, 0, 0}, a.le(2).toArray());
    assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0}, a.eq(2).toArray());
    assertArrayEquals(new double[] {1, 0, 0, 0, 0, 0}, a.lt(Tensor.vector(2, 2, 2)).toArray());
    assertArrayEquals(new double[] {0, 1, 1, 1, 1, 1}, a.ge(Tensor.scalar(2)).toArray());
    Tensor x = Tensor.vector(-2, 0, 4);
    assertArrayEquals(new double[] {0, 0, 4}, x.relu().toArray());
    assertArrayEquals(new double[] {2, 0, 4}, x.abs().toArray());
    assertArrayEquals(new double[] {4, 0, 16}, x.square().toArray());
    assertArrayEquals(new double[] {-8, 0, 64}, x.pow(3).toArray());
    assertArrayEquals(new double[] {2, -0.0, -4}, x.neg().toArray());
    assertEquals(2.0, Tensor.vector(4).sqrt().item());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(Tensor.zeros(4)));
    assertTrue(e.getMessage().startsWith("add: shapes [2, 3] and [4] cannot be broadcast together"), e.getMessage());
  }

  @Test
  void sigmoidIsStableForLargeInputs() {
    Tensor s = Tensor.vector(-1000, 0, 1000).sigmoid();
    assertArrayEquals(new double[] {0, 0.5, 1}, s.toArray());
    Tensor g = Tensor.sigmoidVjpSelf(Tensor.ones(3), s, Tensor.vector(-1000, 0, 1000));
    assertArrayEquals(new double[] {0, 0.25, 0}, g.toArray());
  }

  @Test
  void matmulValuesAndErrors() {
    Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor b = Tensor.of(new double[] {7, 8, 9, 10, 11, 12}, 3, 2);
    assertArrayEquals(new double[] {58, 64, 139, 154}, a.matmul(b).toArray());
    assertEquals(32.0, Tensor.vector(1, 2, 3).matmul(Tensor.vector(4, 5, 6)).item());
    assertEquals(0, Tensor.vector(1, 2, 3).matmul(Tensor.vector(4, 5, 6)).dim());
    assertArrayEquals(new double[] {14, 32}, a.matmul(Tensor.vector(1, 2, 3)).toArray());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)));
    assertEquals("matmul: shapes [2, 3] and [4, 5] do not match: inner dimensions 3 and 4 differ", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).matmul(Tensor.zeros(1)));
    // empty inner dimension: the product is zeros
    assertArrayEquals(new double[] {0, 0, 0, 0}, Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 2)).toArray());
  }

  @Test
  void shapeOps() {
    Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor t = a.transpose();
    assertArrayEquals(new int[] {3, 2}, t.shape());
    assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, t.toArray());
    Tensor x = Tensor.of(new double[24], 2, 3, 4);
    for (int i = 0; i < 24; i++) {
      x.data()[i] = i;
    }
    Tensor xt = x.transpose(0, 2);
    assertArrayEquals(new int[] {4, 3, 2}, xt.shape());
    assertEquals(x.get(1, 2, 3), xt.get(3, 2, 1));
    assertArrayEquals(new int[] {6, 4}, x.reshape(-1, 4).shape());
    assertThrows(IllegalArgumentException.class, () -> x.reshape(5, -1));
    assertThrows(IllegalArgumentException.class, () -> x.reshape(-1, -1));
    assertArrayEquals(new int[] {2, 3, 1, 4}, x.unsqueeze(2).shape());
    assertArrayEquals(new int[] {2, 3, 4, 1}, x.unsqueeze(-1).shape());
    assertArrayEquals(new int[] {3}, Tensor.zeros(1, 3).squeeze(0).shape());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.squeeze(0));
    assertTrue(e.getMessage().contains("extent 2"), e.getMessage());
    assertArrayEquals(new double[] {1, 2, 1, 2}, Tensor.vector(1, 2).broadcastTo(2, 2).toArray());
    assertArrayEquals(new double[] {5, 7, 9}, a.sumTo(3).toArray());
    assertArrayEquals(new double[] {6, 15}, a.sumTo(2, 1).toArray());
    assertArrayEquals(new double[] {21}, a.sumTo(1, 1).toArray());
    assertThrows(IllegalArgumentException.class, () -> a.sumTo(2));
    assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).broadcastTo(2, 2));
    assertThrows(IllegalArgumentException.class, () -> x.transpose());
  }

  @Test
  void reductions() {
    Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertEquals(21.0, a.sum().item());
    assertEquals(0, a.sum().dim());
    assertArrayEquals(new double[] {5, 7, 9}, a.sum(0).toArray());
    assertArrayEquals(new double[] {6, 15}, a.sum(-1).toArray());
    assertArrayEquals(new int[] {2, 1}, a.sum(1, true).shape());
    assertEquals(3.5, a.mean().item());
    assertArrayEquals(new double[] {2, 5}, a.mean(1).toArray());
    assertArrayEquals(new int[] {1, 3}, a.mean(0, true).shape());
    assertArrayEquals(new double[] {3, 6}, a.max(1).toArray());
    assertEquals(6.0, a.max().item());
    assertThrows(IllegalArgumentException.class, () -> a.sum(2));
    assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).mean());
    assertArrayEquals(new double[] {0, 0}, Tensor.zeros(2, 0).sum(1).toArray());
    assertTrue(Double.isNaN(Tensor.vector(1, Double.NaN, 3).max().item()), "max propagates NaN");
  }

  @Test
  void toStringLikePyTorch() {
    assertEquals("tensor(34.)", Tensor.scalar(34).toString());
    assertEquals("tensor(33.2000)", Tensor.scalar(33.2).toString());
    assertEquals("tensor(-4800., requires_grad=True)", Tensor.scalar(-4800).requiresGrad(true).toString());
    assertEquals("tensor([[1., 2.],\n        [3., 4.]])", Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).toString());
    assertEquals("tensor([ 0.5000, -1.2500])", Tensor.vector(0.5, -1.25).toString());
    String big = Tensor.zeros(2000).toString();
    assertTrue(big.contains("..."), big);
    assertTrue(big.length() < 100, big);
  }
}
