package dev.adjoint.bench;

import dev.adjoint.nn.Layers;
import dev.adjoint.tensor.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Layers.conv2d and its reverse rules on a LeNet-like first layer: batch 64, 1→6 channels, 5×5 kernel, 28×28. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Conv2dBenchmark {
  private Tensor x;
  private Tensor w;
  private Tensor b;
  private Tensor y;
  private Tensor gy;

  /** Allocates seeded random operands. */
  @Setup
  public void setup() {
    Random rng = new Random(1);
    x = Tensor.randn(rng, 64, 1, 28, 28);
    w = Tensor.randn(rng, 6, 1, 5, 5);
    b = Tensor.randn(rng, 6);
    y = Layers.conv2d(x, w, b, 1, 0);
    gy = Tensor.randn(rng, y.shape());
  }

  /** Forward convolution. */
  @Benchmark
  public Tensor conv2d() {
    return Layers.conv2d(x, w, b, 1, 0);
  }

  /** Input gradient (col2im of Wᵀ·gy). */
  @Benchmark
  public Tensor conv2dVjpX() {
    return Layers.conv2dVjpX(gy, y, x, w, b, 1, 0);
  }

  /** Weight gradient (gy·colsᵀ summed over the batch). */
  @Benchmark
  public Tensor conv2dVjpW() {
    return Layers.conv2dVjpW(gy, y, x, w, b, 1, 0);
  }
}
