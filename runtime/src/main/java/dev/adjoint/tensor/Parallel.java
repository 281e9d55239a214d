package dev.adjoint.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * The thread pool the tensor ops split their work over: element-wise ops by element ranges, reductions along a
 * dimension and softmax by output rows, batched matmul by batch entry, conv2d and pooling by image.
 *
 * <p>Threads: {@link #setThreads(int)}, else the system property {@code adjoint.threads}, else the machine's
 * cores. 1 runs everything on the caller's thread. Work smaller than {@link #GRAIN} elements is never split, so
 * small ops pay no fork/join cost; an op called from inside a pool task (nested parallelism) runs serially.
 *
 * <p>Results are bit-identical for every thread count: each output element is computed by the same arithmetic in
 * the same order whichever thread computes it. Where a result is a sum over the split (the full {@code sum()},
 * conv2d's weight gradient summed over images), the split is into fixed blocks whose partial sums are added in
 * block order, independent of the thread count.
 */
public final class Parallel {
  /** The least number of elements (or element-sized work units) worth one task. */
  public static final int GRAIN = 1 << 15;

  private static volatile int threads = initialThreads();
  private static ForkJoinPool pool;

  private Parallel() {}

  /** A range body: processes items {@code lo} (inclusive) to {@code hi} (exclusive). */
  @FunctionalInterface
  public interface Range {
    void run(int lo, int hi);
  }

  private static int initialThreads() {
    String p = System.getProperty("adjoint.threads");
    if (p != null) {
      try {
        return checked(Integer.parseInt(p.trim()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("adjoint.threads must be a positive integer, got \"" + p + "\"", e);
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }

  private static int checked(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("Parallel: threads must be >= 1, got " + n);
    }
    return n;
  }

  /** Sets the number of threads (1: everything on the caller's thread). */
  public static synchronized void setThreads(int n) {
    threads = checked(n);
    if (pool != null && pool.getParallelism() != n) {
      pool.shutdown();
      pool = null;
    }
  }

  /** The number of threads in use. */
  public static int threads() {
    return threads;
  }

  private static synchronized ForkJoinPool pool(int t) {
    if (pool == null || pool.getParallelism() != t) {
      if (pool != null) {
        pool.shutdown();
      }
      pool = new ForkJoinPool(t);
    }
    return pool;
  }

  /**
   * Runs {@code body} over {@code [0, n)}, split into at most {@link #threads()} contiguous ranges of at least
   * {@code grain} items each; {@code cost} is the work per item in elements, so that {@code n·cost < GRAIN} stays
   * on the caller's thread.
   */
  public static void range(int n, long cost, Range body) {
    int t = threads;
    long work = (long) n * Math.max(1, cost);
    int chunks = (int) Math.min(Math.min(t, n), work / GRAIN);
    if (chunks <= 1 || ForkJoinTask.inForkJoinPool()) {
      body.run(0, n);
      return;
    }
    pool(t).invoke(new Split(body, n, 0, chunks));
  }

  /** {@link #range(int, long, Range)} for element-wise work (cost 1 per item). */
  public static void range(int n, Range body) {
    range(n, 1, body);
  }

  /** Chunks {@code from..to-1} of {@code chunks} equal parts of {@code [0, n)}, split in halves. */
  private static final class Split extends RecursiveAction {
    private final Range body;
    private final int n;
    private final int from;
    private final int to;
    private final int chunks;

    Split(Range body, int n, int from, int chunks) {
      this(body, n, from, chunks, chunks);
    }

    private Split(Range body, int n, int from, int to, int chunks) {
      this.body = body;
      this.n = n;
      this.from = from;
      this.to = to;
      this.chunks = chunks;
    }

    @Override
    protected void compute() {
      if (to - from == 1) {
        body.run((int) ((long) n * from / chunks), (int) ((long) n * to / chunks));
        return;
      }
      int mid = (from + to) >>> 1;
      invokeAll(new Split(body, n, from, mid, chunks), new Split(body, n, mid, to, chunks));
    }
  }

  /** Sums {@code a[0..n)} in fixed blocks of {@link #GRAIN} added in order: the same bits for any thread count. */
  static double sum(double[] a) {
    int n = a.length;
    if (n <= GRAIN) {
      return sumRange(a, 0, n);
    }
    int blocks = (n + GRAIN - 1) / GRAIN;
    double[] partial = new double[blocks];
    range(blocks, GRAIN, (lo, hi) -> {
      for (int b = lo; b < hi; b++) {
        partial[b] = sumRange(a, b * GRAIN, Math.min(n, (b + 1) * GRAIN));
      }
    });
    return sumRange(partial, 0, blocks);
  }

  private static double sumRange(double[] a, int lo, int hi) {
    double s = 0;
    for (int i = lo; i < hi; i++) {
      s += a[i];
    }
    return s;
  }
}
