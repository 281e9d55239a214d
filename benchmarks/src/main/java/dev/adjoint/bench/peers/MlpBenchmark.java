package dev.adjoint.bench.peers;

import dev.adjoint.bench.kernels.Djl;
import dev.adjoint.bench.kernels.HandMlp;
import dev.adjoint.bench.kernels.Mlp;
import dev.adjoint.bench.kernels.MlpGrad;
import dev.adjoint.bench.kernels.SameDiffMlp;
import dev.adjoint.tensor.Gemm;
import dev.adjoint.tensor.Tensor;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Seed 003's MLP training step over {@link Tensor} (x 1000×784 → 50 → ReLU → 1, MSE; N = 39 301 parameters):
 * the loss alone, and the loss with its gradient by every engine. No Hipparchus: forward mode would need
 * 394 passes of 100 directions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
    "-Dai.djl.pytorch.num_interop_threads=1"})
public class MlpBenchmark {
  Mlp.Input m;

  /** Draws seed 003's instance. */
  @Setup
  public void load() {
    m = Mlp.seed003();
    System.err.println("[bench] mlp " + m.name() + ": N = " + m.inputs() + " inputs; runtime BLAS "
        + Gemm.implementation());
  }

  /** The loss alone. */
  @Benchmark
  public double primal() {
    return Mlp.loss(m.x(), m.w1(), m.b1(), m.w2(), m.b2(), m.target());
  }

  /** Adjoint's generated gradient. */
  @Benchmark
  public MlpGrad.Loss adjoint() {
    return MlpGrad.loss(m.x(), m.w1(), m.b1(), m.w2(), m.b2(), m.target());
  }

  /** The hand-written gradient over the same runtime ops. */
  @Benchmark
  public HandMlp.Gradient hand() {
    return HandMlp.loss(m.x(), m.w1(), m.b1(), m.w2(), m.b2(), m.target());
  }

  /** DJL / PyTorch autograd. */
  @Benchmark
  public Djl.Result djl(Torch torch) {
    return Djl.mlp(torch.manager, m.x().data(), m.w1().data(), m.b1().data(), m.w2().data(), m.b2().data(),
        m.target().data(), m.n(), m.in(), m.hidden());
  }

  /** ND4J SameDiff: the graph built once, fed fresh inputs each call. */
  @Benchmark
  public SameDiffMlp.Result nd4j(SameDiffGraph nd4j) {
    return nd4j.graph.loss(m.x().data(), m.w1().data(), m.b1().data(), m.w2().data(), m.b2().data(),
        m.target().data(), m.n());
  }
}
