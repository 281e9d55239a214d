package dev.adjoint.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * Test oracle: plain central finite differences of {@code L = Σ gy ⊙ f(inputs)}, deliberately independent of
 * {@code GradCheck} (no Richardson step, its own step size), so the runtime's checker is not its own judge.
 */
public final class Fd {
  private static final double H = 1e-5;

  private Fd() {}

  /** Σ a ⊙ b. */
  public static double dot(Tensor a, Tensor b) {
    assertArrayEquals(a.shape(), b.shape(), "dot: shapes differ");
    double s = 0;
    for (int i = 0; i < a.size(); i++) {
      s += a.data()[i] * b.data()[i];
    }
    return s;
  }

  /** Numerical VJP of f with respect to input k: d/d inputs[k] of Σ gy ⊙ f(inputs). */
  public static Tensor vjp(Function<Tensor[], Tensor> f, Tensor[] inputs, int k, Tensor gy) {
    Tensor[] work = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      work[i] = inputs[i].copy();
    }
    double[] d = work[k].data();
    double[] g = new double[d.length];
    for (int j = 0; j < d.length; j++) {
      double x0 = d[j];
      double h = H * Math.max(1, Math.abs(x0));
      d[j] = x0 + h;
      double fp = dot(gy, f.apply(work));
      d[j] = x0 - h;
      double fm = dot(gy, f.apply(work));
      d[j] = x0;
      g[j] = (fp - fm) / (2 * h);
    }
    return Tensor.of(g, inputs[k].shape());
  }

  /** Numerical derivative of Σ gy ⊙ f(c) with respect to the scalar c. */
  public static double vjpScalar(DoubleFunction<Tensor> f, double c, Tensor gy) {
    double h = H * Math.max(1, Math.abs(c));
    return (dot(gy, f.apply(c + h)) - dot(gy, f.apply(c - h))) / (2 * h);
  }

  /** Asserts equal shapes and element-wise |e - a| <= atol + rtol·|e|, naming the first bad element. */
  public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape()));
    }
    for (int i = 0; i < expected.size(); i++) {
      double e = expected.data()[i];
      double a = actual.data()[i];
      if (!(Math.abs(e - a) <= atol + rtol * Math.abs(e))) {
        fail(what + ": element " + i + " is " + a + ", expected " + e + " (shape " + Arrays.toString(expected.shape())
            + ")");
      }
    }
  }

  /** Default tolerance for finite-difference comparisons. */
  public static void assertClose(Tensor expected, Tensor actual, String what) {
    assertClose(expected, actual, 1e-6, 1e-7, what);
  }

  /** Random normal tensor. */
  public static Tensor randn(Random rng, int... shape) {
    return Tensor.randn(rng, shape);
  }

  /** Random values with |x| in [0.5, 2] and random sign: away from kinks and poles. */
  public static Tensor awayFromZero(Random rng, int... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      double v = 0.5 + 1.5 * rng.nextDouble();
      t.data()[i] = rng.nextBoolean() ? v : -v;
    }
    return t;
  }

  /** Random values in [0.5, 2]. */
  public static Tensor positive(Random rng, int... shape) {
    return Tensor.rand(rng, 0.5, 2.0, shape);
  }
}
