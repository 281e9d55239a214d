package dev.adjoint.bench;

import dev.adjoint.tensor.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tensor.matmul and its two reverse rules. GFLOP/s = 2·m·k·n / (time per op). Shapes: seed 003's first layer
 * (1000×784 · 784×50) and a square 256³ product.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MatmulBenchmark {
  /** "m,k,n". */
  @Param({"1000,784,50", "256,256,256"})
  public String shape;

  private Tensor a;
  private Tensor b;
  private Tensor y;
  private Tensor gy;

  /** Allocates seeded random operands. */
  @Setup
  public void setup() {
    String[] p = shape.split(",");
    int m = Integer.parseInt(p[0]);
    int k = Integer.parseInt(p[1]);
    int n = Integer.parseInt(p[2]);
    Random rng = new Random(1);
    a = Tensor.randn(rng, m, k);
    b = Tensor.randn(rng, k, n);
    y = a.matmul(b);
    gy = Tensor.randn(rng, m, n);
    System.err.println("[bench] BLAS implementation: " + dev.adjoint.tensor.Gemm.implementation());
  }

  /** Forward product. */
  @Benchmark
  public Tensor matmul() {
    return a.matmul(b);
  }

  /** gy·Bᵀ. */
  @Benchmark
  public Tensor matmulVjpSelf() {
    return Tensor.matmulVjpSelf(gy, y, a, b);
  }

  /** Aᵀ·gy. */
  @Benchmark
  public Tensor matmulVjpOther() {
    return Tensor.matmulVjpOther(gy, y, a, b);
  }
}
