package dev.adjoint.bench;

import dev.adjoint.bench.kernels.Scalar;
import dev.adjoint.bench.kernels.ScalarGrad;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reaction–diffusion (n = 1000) over many steps: the gradient with the time loop taped whole against
 * the same loop labelled {@code checkpoint:} (binomial schedule, default copies; target: at most 3x) and
 * {@code checkpoint20:} (20 copies), and the primal. At 100 000 steps the whole tape (800 MB) does not fit
 * the benchmark's heap ({@code -Xmx512m}); the checkpointed gradients do, their tape holding one step. The
 * tape sizes are checked by {@code CheckpointKernelTest}, a small heap by {@code CheckpointFixedHeapTest}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class CheckpointBenchmark {
  @Param({"10000", "100000"})
  public int steps;

  double[] u0;
  double[] target;

  @Setup
  public void load() {
    u0 = Cases.scalarInput(1000, 11);
    target = new double[u0.length];
  }

  /** The kernel alone. */
  @Benchmark
  public double primal() {
    return Scalar.reactionDiffusion(u0, target, steps, Cases.RD_R, Cases.RD_DT);
  }

  /** The gradient, every step taped (only at 10 000 steps: at 100 000 its tape exceeds the heap). */
  @Benchmark
  public Object taped() {
    if (steps > 10_000) {
      return null;
    }
    return ScalarGrad.reactionDiffusion(u0, target, steps, Cases.RD_R, Cases.RD_DT);
  }

  /** The gradient with the time loop checkpointed (default copies: 83 at 100 000 steps, 38 at 10 000). */
  @Benchmark
  public Object checkpointed() {
    return ScalarGrad.reactionDiffusionCheckpointed(u0, target, steps, Cases.RD_R, Cases.RD_DT);
  }

  /** The gradient with the time loop checkpointed with 20 copies of the state. */
  @Benchmark
  public Object checkpointed20() {
    return ScalarGrad.reactionDiffusionCheckpointed20(u0, target, steps, Cases.RD_R, Cases.RD_DT);
  }
}
