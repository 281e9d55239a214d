package dev.adjoint.bench;

import dev.adjoint.bench.kernels.Mlp;
import dev.adjoint.bench.kernels.MlpGrad;
import dev.adjoint.tensor.Parallel;
import dev.adjoint.tensor.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The runtime's thread pool ({@link Parallel}) on 1 and 2 threads: element-wise ops on tensors far larger than
 * the caches, against plain array copies of the same size in the same run (the memory bandwidth they are bound
 * by), and seed 003's MLP gradient step. Bytes moved per call: copy 16n (read + write), add 24n, mul/exp/relu 16n;
 * GB/s = bytes / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ThreadsBenchmark {
  /** Threads of the runtime's pool. */
  @Param({"1", "2"})
  public int threads;

  /** Elements per tensor: 4M doubles, 32 MB, far beyond the last-level cache. */
  @Param({"4194304"})
  public int n;

  Tensor x;
  Tensor y;
  double[] dst;
  Mlp.Input mlp;

  /** Sets the pool and draws the inputs. */
  @Setup(Level.Trial)
  public void setUp() {
    Parallel.setThreads(threads);
    Random rng = new Random(1);
    x = Tensor.randn(rng, n);
    y = Tensor.randn(rng, n);
    dst = new double[n];
    mlp = Mlp.seed003();
  }

  /** One thread's {@code System.arraycopy} into an existing array: the bandwidth baseline. */
  @Benchmark
  public double[] copy() {
    System.arraycopy(x.data(), 0, dst, 0, n);
    return dst;
  }

  /** {@code arraycopy} split over the pool into an existing array. */
  @Benchmark
  public double[] copyParallel() {
    double[] src = x.data();
    Parallel.range(n, (lo, hi) -> System.arraycopy(src, lo, dst, lo, hi - lo));
    return dst;
  }

  /** {@code clone()}: a copy into a freshly allocated array, as every op's result is. */
  @Benchmark
  public double[] copyAllocating() {
    return x.data().clone();
  }

  /** Same-shape add. */
  @Benchmark
  public Tensor add() {
    return x.add(y);
  }

  /** Multiplication by a scalar. */
  @Benchmark
  public Tensor mulScalar() {
    return x.mul(1.5);
  }

  /** ReLU. */
  @Benchmark
  public Tensor relu() {
    return x.relu();
  }

  /** exp (compute-bound rather than memory-bound). */
  @Benchmark
  public Tensor exp() {
    return x.exp();
  }

  /** Seed 003's MLP step: loss and gradient of 1000×784 → 50 → ReLU → 1, MSE (generated code). */
  @Benchmark
  public MlpGrad.Loss mlpStep() {
    return MlpGrad.loss(mlp.x(), mlp.w1(), mlp.b1(), mlp.w2(), mlp.b2(), mlp.target());
  }
}
