package dev.adjoint.bench.peers;

import dev.adjoint.bench.adbench.AdBench;
import dev.adjoint.bench.adbench.AdBench.GmmInput;
import dev.adjoint.bench.kernels.Djl;
import dev.adjoint.bench.kernels.ForwardMode;
import dev.adjoint.bench.kernels.Gmm;
import dev.adjoint.bench.kernels.GmmGrad;
import dev.adjoint.bench.kernels.Hand;
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
 * ADBench GMM (n = 1000 points): the objective, and its gradient by every engine, in one run. The
 * {@code hipparchus} benchmark is one forward-mode pass over {@link #FORWARD_WIDTH} inputs; the full
 * gradient takes ⌈N / width⌉ such passes (N = k + k·d + k·d(d+1)/2), which the report multiplies out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
    "-Dai.djl.pytorch.num_interop_threads=1"})
public class GmmBenchmark {
  /** Forward-mode pass width: min(N, this). */
  public static final int FORWARD_WIDTH = 100;

  /** ADBench instance: d2_K5 and d10_K25 from ADBench's files, d20_K50 synthetic (not in shared/). */
  @Param({"d2_K5", "d10_K25", "d20_K50"})
  public String instance;

  GmmInput g;
  int width;

  /** Loads the instance. */
  @Setup
  public void load() {
    g = AdBench.gmm(instance);
    width = Math.min(g.inputs(), FORWARD_WIDTH);
    System.err.println("[bench] gmm " + g.name() + ": N = " + g.inputs() + " inputs, forward-mode width " + width
        + ", " + ForwardMode.chunks(g.inputs(), width) + " passes for the full gradient");
  }

  /** The objective alone. */
  @Benchmark
  public double primal() {
    return Gmm.gmm(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(), g.wishartM());
  }

  /** Adjoint's generated gradient. */
  @Benchmark
  public GmmGrad.Gmm adjoint() {
    return GmmGrad.gmm(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(), g.wishartM());
  }

  /** The hand-written gradient. */
  @Benchmark
  public Hand.GmmGradient hand() {
    return Hand.gmm(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(), g.wishartM());
  }

  /** One Hipparchus forward-mode pass of {@code width} directions. */
  @Benchmark
  public ForwardMode.Chunk hipparchus() {
    return ForwardMode.gmm(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(),
        g.wishartM(), 0, width);
  }

  /** DJL / PyTorch autograd, vectorised. */
  @Benchmark
  public Djl.Result djl(Torch torch) {
    return Djl.gmm(torch.manager, g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(),
        g.wishartM());
  }
}
