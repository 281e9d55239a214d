package dev.adjoint.bench.peers;

import dev.adjoint.bench.Cases;
import dev.adjoint.bench.kernels.Djl;
import dev.adjoint.bench.kernels.ForwardMode;
import dev.adjoint.bench.kernels.Hand;
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
 * The loop-heavy scalar kernels: the Rosenbrock chain and the reaction–diffusion chain
 * ({@value Cases#RD_STEPS} steps), over n inputs; the objective and its gradient by every engine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
    "-Dai.djl.pytorch.num_interop_threads=1"})
public class ScalarBenchmark {
  /** Which kernel. */
  @Param({"rosenbrock", "reactionDiffusion"})
  public String kernel;

  /** Number of inputs. */
  @Param({"100", "1000"})
  public int n;

  double[] x;
  double[] target;
  boolean rd;
  int width;

  /** Builds the inputs exactly as {@link Cases} does. */
  @Setup
  public void load() {
    rd = kernel.equals("reactionDiffusion");
    x = Cases.scalarInput(n, rd ? 11 : 7);
    target = new double[n];
    for (int i = 0; i < n; i++) {
      target[i] = 0.25 * Math.sin(2 * Math.PI * i / n);
    }
    width = Math.min(n, GmmBenchmark.FORWARD_WIDTH);
  }

  /** The objective alone. */
  @Benchmark
  public double primal() {
    return rd ? Scalar.reactionDiffusion(x, target, Cases.RD_STEPS, Cases.RD_R, Cases.RD_DT) : Scalar.rosenbrock(x);
  }

  /** Adjoint's generated gradient. */
  @Benchmark
  public Object adjoint() {
    return rd ? ScalarGrad.reactionDiffusion(x, target, Cases.RD_STEPS, Cases.RD_R, Cases.RD_DT)
        : ScalarGrad.rosenbrock(x);
  }

  /** The hand-written gradient. */
  @Benchmark
  public Hand.ArrayGradient hand() {
    return rd ? Hand.reactionDiffusion(x, target, Cases.RD_STEPS, Cases.RD_R, Cases.RD_DT) : Hand.rosenbrock(x);
  }

  /** One Hipparchus forward-mode pass of {@code width} directions. */
  @Benchmark
  public ForwardMode.Chunk hipparchus() {
    return rd ? ForwardMode.reactionDiffusion(x, target, Cases.RD_STEPS, Cases.RD_R, Cases.RD_DT, 0, width)
        : ForwardMode.rosenbrock(x, 0, width);
  }

  /** DJL / PyTorch autograd, vectorised. */
  @Benchmark
  public Djl.Result djl(Torch torch) {
    return rd ? Djl.reactionDiffusion(torch.manager, x, target, Cases.RD_STEPS, Cases.RD_R, Cases.RD_DT)
        : Djl.rosenbrock(torch.manager, x);
  }
}
