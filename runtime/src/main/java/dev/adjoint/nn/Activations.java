package dev.adjoint.nn;

import dev.adjoint.Jvp;
import dev.adjoint.tensor.Parallel;
import dev.adjoint.tensor.Tensor;

/**
 * Smooth and leaky activations with their reverse rules (the convention of {@link Tensor}): softplus, GELU (the
 * exact erf form, PyTorch's default, and the tanh approximation) and leaky ReLU.
 */
public final class Activations {
  private static final double INV_SQRT2 = 0.7071067811865476;
  private static final double INV_SQRT_2PI = 0.3989422804014327;
  private static final double SQRT_2_OVER_PI = 0.7978845608028654;
  private static final double GELU_C = 0.044715;

  private Activations() {}

  private interface Fn {
    double at(double x);
  }

  private static Tensor map(Tensor x, Fn f) {
    double[] xd = x.data();
    double[] out = new double[xd.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = f.at(xd[i]);
      }
    });
    return Tensor.wrap(out, x.shape());
  }

  /** {@code gy * f'(x)} element-wise, after checking gy's shape. */
  private static Tensor chain(String rule, Tensor gy, Tensor x, Fn derivative) {
    Layers.checkGy(rule, gy, x.shape());
    double[] g = gy.data();
    double[] xd = x.data();
    double[] out = new double[xd.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = g[i] * derivative.at(xd[i]);
      }
    });
    return Tensor.wrap(out, x.shape());
  }

  // ------------------------------------------------------------------------------------------------ softplus

  /** {@code log(1 + e^x)}, computed as {@code max(x, 0) + log1p(e^-|x|)}: exact for any x (no threshold). */
  public static Tensor softplus(Tensor x) {
    return map(x, v -> Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
  }

  /** Rule of {@link #softplus}: {@code gy * sigmoid(x)}. */
  public static Tensor softplusVjpX(Tensor gy, Tensor y, Tensor x) {
    return chain("softplusVjpX", gy, x, Tensor::sigmoid);
  }

  // Forward rules: every activation here is element-wise, its Jacobian diagonal, so the forward rule is the reverse
  // rule applied to the tangent.

  /** Forward rule of {@link #softplus}: {@code dx * sigmoid(x)}. */
  @Jvp(of = "softplus", wrt = "x")
  public static Tensor softplusJvpX(Tensor dx, Tensor y, Tensor x) {
    return softplusVjpX(dx, y, x);
  }

  // ------------------------------------------------------------------------------------------------ GELU

  /** GELU, exact form (PyTorch's default {@code approximate='none'}): {@code x·Φ(x) = x/2·(1 + erf(x/√2))}. */
  public static Tensor gelu(Tensor x) {
    return map(x, v -> v * phiCdf(v));
  }

  /** Rule of {@link #gelu}: {@code gy * (Φ(x) + x·φ(x))}. */
  public static Tensor geluVjpX(Tensor gy, Tensor y, Tensor x) {
    return chain("geluVjpX", gy, x, v -> phiCdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
  }

  /** Forward rule of {@link #gelu}: {@code dx * (Φ(x) + x·φ(x))}. */
  @Jvp(of = "gelu", wrt = "x")
  public static Tensor geluJvpX(Tensor dx, Tensor y, Tensor x) {
    return geluVjpX(dx, y, x);
  }

  /** GELU, tanh approximation ({@code approximate='tanh'}): {@code x/2·(1 + tanh(√(2/π)(x + 0.044715x³)))}. */
  public static Tensor geluTanh(Tensor x) {
    return map(x, v -> 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + GELU_C * v * v * v))));
  }

  /** Rule of {@link #geluTanh}: the derivative of that formula. */
  public static Tensor geluTanhVjpX(Tensor gy, Tensor y, Tensor x) {
    return chain("geluTanhVjpX", gy, x, v -> {
      double t = Math.tanh(SQRT_2_OVER_PI * (v + GELU_C * v * v * v));
      return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_C * v * v);
    });
  }

  /** Forward rule of {@link #geluTanh}. */
  @Jvp(of = "geluTanh", wrt = "x")
  public static Tensor geluTanhJvpX(Tensor dx, Tensor y, Tensor x) {
    return geluTanhVjpX(dx, y, x);
  }

  /** The standard normal CDF Φ(x) = erfc(-x/√2)/2. */
  static double phiCdf(double x) {
    double z = x * INV_SQRT2;
    return z >= 0 ? 0.5 * (1 + Erf.erf(z)) : 0.5 * Erf.erfc(-z);
  }

  // ------------------------------------------------------------------------------------------------ leaky ReLU

  /** {@code x > 0 ? x : slope·x} (PyTorch's {@code negative_slope}, default 0.01). */
  public static Tensor leakyRelu(Tensor x, double slope) {
    return map(x, v -> v > 0 ? v : slope * v);
  }

  /** Rule of {@link #leakyRelu} for x: {@code gy * (x > 0 ? 1 : slope)} (slope at 0, as PyTorch). */
  public static Tensor leakyReluVjpX(Tensor gy, Tensor y, Tensor x, double slope) {
    return chain("leakyReluVjpX", gy, x, v -> v > 0 ? 1 : slope);
  }

  /** Rule of {@link #leakyRelu} for {@code slope}: {@code Σ gy·x} over the elements with x ≤ 0. */
  public static double leakyReluVjpSlope(Tensor gy, Tensor y, Tensor x, double slope) {
    Layers.checkGy("leakyReluVjpSlope", gy, x.shape());
    double[] g = gy.data();
    double[] xd = x.data();
    double s = 0;
    for (int i = 0; i < xd.length; i++) {
      s += xd[i] > 0 ? 0 : g[i] * xd[i];
    }
    return s;
  }

  /** Forward rule of {@link #leakyRelu} for x: {@code dx * (x > 0 ? 1 : slope)}. */
  @Jvp(of = "leakyRelu", wrt = "x")
  public static Tensor leakyReluJvpX(Tensor dx, Tensor y, Tensor x, double slope) {
    return leakyReluVjpX(dx, y, x, slope);
  }

  /** Forward rule of {@link #leakyRelu} for {@code slope}: {@code dSlope · x} where x ≤ 0, else 0. */
  @Jvp(of = "leakyRelu", wrt = "slope")
  public static Tensor leakyReluJvpSlope(double dSlope, Tensor y, Tensor x, double slope) {
    return map(x, v -> v > 0 ? 0 : dSlope * v);
  }
}
