package dev.adjoint.bench;

import dev.adjoint.bench.kernels.ScalarGrad;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
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
 * Hessian-vector products of Rosenbrock: the generated {@code mHvp} (forward over reverse) against
 * the generated gradient (target: at most 4x) and against Hipparchus {@code DerivativeStructure}
 * of order 2 (the whole Hessian, then times the vector), for n >= 10.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
public class HvpBenchmark {
  @Param({"10", "30", "100"})
  public int n;

  double[] x;
  double[] v;
  DSFactory factory;

  @Setup
  public void load() {
    x = Cases.scalarInput(n, 7);
    v = new Random(5).doubles(n).toArray();
    factory = new DSFactory(n, 2);
  }

  /** The generated gradient. */
  @Benchmark
  public Object gradient() {
    return ScalarGrad.rosenbrock(x);
  }

  /** The generated Hessian-vector product. */
  @Benchmark
  public Object hvp() {
    return ScalarGrad.rosenbrockHvp(x, v);
  }

  /** Hipparchus second order: every second partial, then the Hessian times v. */
  @Benchmark
  public double[] hipparchusOrder2() {
    DerivativeStructure[] xs = new DerivativeStructure[n];
    for (int i = 0; i < n; i++) {
      xs[i] = factory.variable(i, x[i]);
    }
    DerivativeStructure f = factory.constant(0);
    for (int i = 0; i + 1 < n; i++) {
      DerivativeStructure a = xs[i + 1].subtract(xs[i].multiply(xs[i]));
      DerivativeStructure b = xs[i].negate().add(1);
      f = f.add(a.multiply(a).multiply(100)).add(b.multiply(b));
    }
    double[] hv = new double[n];
    int[] orders = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        orders[i]++;
        orders[j]++;
        hv[i] += f.getPartialDerivative(orders) * v[j];
        orders[i]--;
        orders[j]--;
      }
    }
    return hv;
  }
}
