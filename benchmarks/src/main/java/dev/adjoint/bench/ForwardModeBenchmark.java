package dev.adjoint.bench;

import dev.adjoint.bench.adbench.AdBench;
import dev.adjoint.bench.adbench.AdBench.GmmInput;
import dev.adjoint.bench.adbench.AdBench.LstmInput;
import dev.adjoint.bench.kernels.ForwardMode;
import dev.adjoint.bench.kernels.Gmm;
import dev.adjoint.bench.kernels.GmmGrad;
import dev.adjoint.bench.kernels.Lstm;
import dev.adjoint.bench.kernels.LstmGrad;
import dev.adjoint.bench.kernels.Scalar;
import dev.adjoint.bench.kernels.ScalarGrad;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward mode: the generated {@code mJvp} (one direction) against the kernel itself (target: at
 * most 2x), against Hipparchus {@code Gradient} of width 1 (one direction; target: at least 20x
 * faster), and against the generated gradient (reverse mode, every direction at once); the generated
 * Hessian-vector product along the same direction (target: at most 4x the gradient).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
public class ForwardModeBenchmark {
  /** rosenbrock (n = 1000), or an ADBench instance. */
  @Param({"rosenbrock", "gmm_d10_K25", "lstm_l2_c1024"})
  public String kernel;

  double[] x;
  double[] xDot;
  GmmInput g;
  double[] alphasDot;
  double[] meansDot;
  double[] icfDot;
  LstmInput s;
  double[] mainDot;
  double[] extraDot;

  /** Inputs as the peer benchmarks load them; directions are seeded Gaussians. */
  @Setup
  public void load() {
    Random r = new Random(3);
    if (kernel.equals("rosenbrock")) {
      x = Cases.scalarInput(1000, 7);
      xDot = r.doubles(x.length).toArray();
    } else if (kernel.startsWith("gmm")) {
      g = AdBench.gmm(kernel.substring(4));
      alphasDot = r.doubles(g.alphas().length).toArray();
      meansDot = r.doubles(g.means().length).toArray();
      icfDot = r.doubles(g.icf().length).toArray();
    } else {
      s = AdBench.lstm();
      mainDot = r.doubles(s.mainParams().length).toArray();
      extraDot = r.doubles(s.extraParams().length).toArray();
    }
  }

  /** The kernel alone. */
  @Benchmark
  public double primal() {
    if (x != null) {
      return Scalar.rosenbrock(x);
    }
    if (g != null) {
      return Gmm.gmm(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(), g.wishartM());
    }
    return Lstm.lstm(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b());
  }

  /** The generated forward mode, one direction. */
  @Benchmark
  public Object jvp() {
    if (x != null) {
      return ScalarGrad.rosenbrockJvp(x, xDot);
    }
    if (g != null) {
      return GmmGrad.gmmJvp(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(), g.wishartM(),
          alphasDot, meansDot, icfDot);
    }
    return LstmGrad.lstmJvp(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b(), mainDot,
        extraDot);
  }

  /** Hipparchus forward mode, one direction (a Gradient of width 1). */
  @Benchmark
  public ForwardMode.Chunk hipparchusOneDirection() {
    if (x != null) {
      return ForwardMode.rosenbrock(x, 0, 1);
    }
    if (g != null) {
      return ForwardMode.gmm(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(),
          g.wishartM(), 0, 1);
    }
    return ForwardMode.lstm(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b(), 0, 1);
  }

  /** The generated Hessian-vector product along the same direction (forward over reverse, calls inlined). */
  @Benchmark
  public Object hvp() {
    if (x != null) {
      return ScalarGrad.rosenbrockHvp(x, xDot);
    }
    if (g != null) {
      return GmmGrad.gmmHvp(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(), g.wishartM(),
          alphasDot, meansDot, icfDot);
    }
    return LstmGrad.lstmHvp(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b(), mainDot,
        extraDot);
  }

  /** The generated gradient (reverse mode). */
  @Benchmark
  public Object gradient() {
    if (x != null) {
      return ScalarGrad.rosenbrock(x);
    }
    if (g != null) {
      return GmmGrad.gmm(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(), g.wishartM());
    }
    return LstmGrad.lstm(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b());
  }
}
