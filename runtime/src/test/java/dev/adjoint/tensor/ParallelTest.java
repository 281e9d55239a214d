package dev.adjoint.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.nn.Activations;
import dev.adjoint.nn.Layers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Thread-count equivalence: every parallel op gives the same bits on 1, 2 and 4 threads, on tensors large enough
 * to be split (above {@link Parallel#GRAIN}), and the pool splits work as documented.
 */
class ParallelTest {
  private final int initial = Parallel.threads();

  @AfterEach
  void restore() {
    Parallel.setThreads(initial);
  }

  /** The results of a battery of ops (fresh inputs from one seed each time). */
  private static List<double[]> battery() {
    Random rng = new Random(99);
    List<double[]> out = new ArrayList<>();
    Tensor x = Tensor.randn(rng, 40, 30, 100);
    Tensor y = Tensor.randn(rng, 30, 1);
    Tensor z = Tensor.randn(rng, 40, 30, 100);
    Tensor gy = Tensor.randn(rng, 40, 30, 100);
    // element-wise, scalar, same-shape and general broadcasting
    out.add(x.exp().toArray());
    out.add(x.mul(2.5).toArray());
    out.add(x.add(z).toArray());
    out.add(x.sub(y).toArray());
    out.add(x.div(Tensor.scalar(3)).toArray());
    out.add(x.maximum(y).toArray());
    out.add(Tensor.tanhVjpSelf(gy, x.tanh(), x).toArray());
    out.add(Activations.gelu(x).toArray());
    out.add(Activations.geluVjpX(gy, null, x).toArray());
    // reductions: whole, by rows, by columns (one row), max, logsumexp, softmax
    out.add(new double[] {x.sum().item(), x.mean().item()});
    out.add(x.sum(0).toArray());
    out.add(x.sum(2).toArray());
    out.add(x.reshape(1, -1).sum(1).toArray());
    out.add(x.max(1).toArray());
    out.add(x.argmax(2).toArray());
    out.add(x.logsumexp(2).toArray());
    out.add(Layers.softmax(x, 2).toArray());
    out.add(Layers.softmaxVjpX(gy, Layers.softmax(x, 1), x, 1).toArray());
    out.add(Layers.logSoftmax(x, 1).toArray());
    // matmul: tall, batched, and both rules
    Tensor a = Tensor.randn(rng, 301, 203);
    Tensor b = Tensor.randn(rng, 203, 157);
    Tensor c = a.matmul(b);
    Tensor gc = Tensor.randn(rng, 301, 157);
    out.add(c.toArray());
    out.add(Tensor.matmulVjpSelf(gc, c, a, b).toArray());
    out.add(Tensor.matmulVjpOther(gc, c, a, b).toArray());
    Tensor ba = Tensor.randn(rng, 9, 61, 70);
    Tensor bb = Tensor.randn(rng, 9, 70, 53);
    out.add(ba.matmul(bb).toArray());
    Tensor bg = Tensor.randn(rng, 9, 61, 53);
    out.add(Tensor.matmulVjpOther(bg, null, ba, bb).toArray());
    // conv2d and pooling
    Tensor im = Tensor.randn(rng, 21, 3, 20, 20);
    Tensor w = Tensor.randn(rng, 5, 3, 3, 3);
    Tensor bias = Tensor.randn(rng, 5);
    Tensor conv = Layers.conv2d(im, w, bias, 1, 1);
    Tensor gconv = Tensor.randn(rng, conv.shape());
    out.add(conv.toArray());
    out.add(Layers.conv2dVjpX(gconv, conv, im, w, bias, 1, 1).toArray());
    out.add(Layers.conv2dVjpW(gconv, conv, im, w, bias, 1, 1).toArray());
    out.add(Layers.maxPool2d(conv, 2, 2).toArray());
    out.add(Layers.maxPool2dVjpX(Tensor.randn(rng, 21, 5, 10, 10), null, conv, 2, 2).toArray());
    out.add(Layers.avgPool2d(conv, 3, 1).toArray());
    out.add(Layers.avgPool2dVjpX(Tensor.randn(rng, 21, 5, 18, 18), null, conv, 3, 1).toArray());
    Tensor p = Tensor.zeros(40, 30, 100).requiresGrad(true);
    p.accumulateGrad(x);
    p.accumulateGrad(z);
    out.add(p.grad().toArray());
    return out;
  }

  @Test
  void everyParallelOpGivesTheSameBitsOnOneTwoAndFourThreads() {
    Parallel.setThreads(1);
    List<double[]> one = battery();
    for (int t : new int[] {2, 4}) {
      Parallel.setThreads(t);
      List<double[]> many = battery();
      for (int i = 0; i < one.size(); i++) {
        assertArrayEquals(one.get(i), many.get(i), 0.0, "result " + i + " on " + t + " threads");
      }
    }
  }

  @Test
  void theFullSumIsBlockedAndStillClose() {
    double[] a = new Random(3).doubles(200_001).map(v -> v - 0.5).toArray();
    double naive = 0;
    for (double v : a) {
      naive += v;
    }
    Parallel.setThreads(1);
    double one = Parallel.sum(a);
    Parallel.setThreads(3);
    assertEquals(one, Parallel.sum(a), 0.0);
    assertEquals(naive, one, 1e-10);
  }

  private static List<int[]> ranges(int n, long cost) {
    List<int[]> seen = new ArrayList<>();
    Parallel.range(n, cost, (lo, hi) -> {
      synchronized (seen) {
        seen.add(new int[] {lo, hi});
      }
    });
    seen.sort((u, v) -> Integer.compare(u[0], v[0]));
    return seen;
  }

  @Test
  void smallWorkStaysOnTheCallersThreadAndLargeWorkIsSplitIntoContiguousRanges() {
    Parallel.setThreads(4);
    assertEquals(1, ranges(Parallel.GRAIN, 1).size(), "below two grains: one range");
    List<int[]> split = ranges(10 * Parallel.GRAIN + 3, 1);
    assertEquals(4, split.size());
    int at = 0;
    for (int[] r : split) {
      assertEquals(at, r[0]);
      at = r[1];
    }
    assertEquals(10 * Parallel.GRAIN + 3, at);
    assertEquals(3, ranges(3, Parallel.GRAIN).size(), "at most one range per item");
    Parallel.setThreads(1);
    assertEquals(1, ranges(100 * Parallel.GRAIN, 1).size());
    // nested: a range inside a pool task runs serially rather than forking again
    Parallel.setThreads(2);
    AtomicInteger inner = new AtomicInteger();
    Parallel.range(4 * Parallel.GRAIN, (lo, hi) -> inner.addAndGet(ranges(4 * Parallel.GRAIN, 1).size()));
    assertEquals(2, inner.get());
    assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    assertTrue(Parallel.threads() >= 1);
  }
}
