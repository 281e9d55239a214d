package dev.adjoint.bench.peers;

import dev.adjoint.bench.adbench.AdBench;
import dev.adjoint.bench.adbench.AdBench.LstmInput;
import dev.adjoint.bench.kernels.Djl;
import dev.adjoint.bench.kernels.ForwardMode;
import dev.adjoint.bench.kernels.Hand;
import dev.adjoint.bench.kernels.Lstm;
import dev.adjoint.bench.kernels.LstmGrad;
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
 * ADBench LSTM (l = 2 layers, c = 1024 characters, b = 14): the objective, and its gradient by every engine
 * (N = 266 inputs; forward mode in passes of {@link GmmBenchmark#FORWARD_WIDTH}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
    "-Dai.djl.pytorch.num_interop_threads=1"})
public class LstmBenchmark {
  /** ADBench's lstm_l2_c1024. */
  @Param({"l2_c1024"})
  public String instance;

  LstmInput s;
  int width;

  /** Loads the instance. */
  @Setup
  public void load() {
    s = AdBench.lstm();
    width = Math.min(s.inputs(), GmmBenchmark.FORWARD_WIDTH);
    System.err.println("[bench] lstm " + s.name() + ": N = " + s.inputs() + " inputs, forward-mode width " + width
        + ", " + ForwardMode.chunks(s.inputs(), width) + " passes for the full gradient");
  }

  /** The objective alone. */
  @Benchmark
  public double primal() {
    return Lstm.lstm(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b());
  }

  /** Adjoint's generated gradient. */
  @Benchmark
  public LstmGrad.Lstm adjoint() {
    return LstmGrad.lstm(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b());
  }

  /** The hand-written gradient. */
  @Benchmark
  public Hand.LstmGradient hand() {
    return Hand.lstm(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b());
  }

  /** One Hipparchus forward-mode pass of {@code width} directions. */
  @Benchmark
  public ForwardMode.Chunk hipparchus() {
    return ForwardMode.lstm(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b(), 0, width);
  }

  /** DJL / PyTorch autograd, vectorised over the hidden units. */
  @Benchmark
  public Djl.Result djl(Torch torch) {
    return Djl.lstm(torch.manager, s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b());
  }
}
