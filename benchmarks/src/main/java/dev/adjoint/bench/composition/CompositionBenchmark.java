package dev.adjoint.bench.composition;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Composition through pullbacks (issue 11), each gradient beside the same computation written in
 * one method, in one run: logistic regression (n = 4000, d = 32) calling {@code dot} and
 * {@code softplus} per row; scalar and array recursion at two depths (the cost per level should
 * not grow with depth); a model of two {@code Linear} modules against the same network in one
 * method (x [256, 128] → 128 → tanh → 10).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
public class CompositionBenchmark {
  /** Recursion depth. */
  @Param({"100", "400"})
  public int depth;

  double[] w;
  double[][] xs;
  double[] y;
  double[] a;
  Tensor x;
  Tensor target;
  Composition.Composed composed;
  Composition.Flat flat;

  @Setup
  public void setUp() {
    Random rng = new Random(42);
    int n = 4000;
    int d = 32;
    w = new double[d];
    xs = new double[n][d];
    y = new double[n];
    for (int j = 0; j < d; j++) {
      w[j] = 0.3 * rng.nextGaussian();
    }
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextBoolean() ? 1 : 0;
      for (int j = 0; j < d; j++) {
        xs[i][j] = rng.nextGaussian();
      }
    }
    a = new double[depth];
    for (int i = 0; i < depth; i++) {
      a[i] = rng.nextGaussian();
    }
    x = Tensor.randn(rng, 256, 128);
    target = Tensor.randn(rng, 256, 10);
    Tensor w1 = Tensor.randn(rng, 128, 128).mul(0.1);
    Tensor b1 = Tensor.randn(rng, 128);
    Tensor w2 = Tensor.randn(rng, 128, 10).mul(0.1);
    Tensor b2 = Tensor.randn(rng, 10);
    composed = new Composition.Composed(new Composition.Linear(w1.copy(), b1.copy()),
        new Composition.Linear(w2.copy(), b2.copy()));
    flat = new Composition.Flat(w1.copy(), b1.copy(), w2.copy(), b2.copy());
  }

  @Benchmark
  public double logisticPrimal() {
    return Composition.logisticCalls(w, xs, y);
  }

  @Benchmark
  public Object logisticCallsGradient() {
    return CompositionGrad.logisticCalls(w, xs, y);
  }

  @Benchmark
  public Object logisticInlineGradient() {
    return CompositionGrad.logisticInline(w, xs, y);
  }

  @Benchmark
  public Object scalarRecursionGradient() {
    return CompositionGrad.scalarRecursion(0.3, depth);
  }

  @Benchmark
  public Object arrayRecursionGradient() {
    return CompositionGrad.arrayRecursion(a, 0);
  }

  @Benchmark
  public double composedModelGradient() {
    double v = Composition_ComposedGrad.loss(composed, x, target).value();
    composed.fc1.w.zeroGrad();
    composed.fc1.b.zeroGrad();
    composed.fc2.w.zeroGrad();
    composed.fc2.b.zeroGrad();
    return v;
  }

  @Benchmark
  public double flatModelGradient() {
    double v = Composition_FlatGrad.loss(flat, x, target).value();
    flat.w1.zeroGrad();
    flat.b1.zeroGrad();
    flat.w2.zeroGrad();
    flat.b2.zeroGrad();
    return v;
  }
}
