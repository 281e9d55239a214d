package dev.adjoint.bench.composition;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;

/**
 * Issue 11's composition kernels, each beside the same computation written in one method: a loss
 * that calls helpers per row, recursion, and a model built from modules.
 */
public final class Composition {
  private Composition() {}

  // ---- logistic regression: helpers per row against the same loss inlined --------------------

  @Differentiable
  public static double dot(double[] w, double[] x) {
    double s = 0;
    for (int j = 0; j < w.length; j++) {
      s += w[j] * x[j];
    }
    return s;
  }

  @Differentiable
  public static double softplus(double z) {
    return Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0);
  }

  /** Mean logistic loss; the rows are differentiated too, so dot's pullback fills two adjoints. */
  @Differentiable
  public static double logisticCalls(double[] w, double[][] xs, @NoDerivative double[] y) {
    double loss = 0;
    for (int i = 0; i < xs.length; i++) {
      double z = dot(w, xs[i]);
      loss += softplus(z) - y[i] * z;
    }
    return loss / xs.length;
  }

  /** The same loss with the helpers written inline. */
  @Differentiable
  public static double logisticInline(double[] w, double[][] xs, @NoDerivative double[] y) {
    double loss = 0;
    for (int i = 0; i < xs.length; i++) {
      double z = 0;
      for (int j = 0; j < w.length; j++) {
        z += w[j] * xs[i][j];
      }
      loss += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - y[i] * z;
    }
    return loss / xs.length;
  }

  // ---- recursion -------------------------------------------------------------------------------

  /** A scalar recursion: depth calls, each with one double. */
  @Differentiable
  public static double scalarRecursion(double x, int depth) {
    if (depth == 0) {
      return x;
    }
    return Math.sin(scalarRecursion(x, depth - 1)) + 0.5 * x;
  }

  /** A recursion over an array: depth = a.length calls, each passing the whole array. */
  @Differentiable
  public static double arrayRecursion(double[] a, int from) {
    if (from == a.length) {
      return 0;
    }
    return Math.sin(a[from]) * (1 + 0.5 * arrayRecursion(a, from + 1));
  }

  // ---- a model from modules against the same network in one method ---------------------------

  /** A module: y = x W + b. */
  public static final class Linear {
    public final Tensor w;
    public final Tensor b;

    public Linear(Tensor w, Tensor b) {
      this.w = w.requiresGrad(true);
      this.b = b.requiresGrad(true);
    }

    @Differentiable
    public Tensor forward(Tensor x) {
      return Layers.linear(x, w, b);
    }
  }

  /** Two modules: linear, tanh, linear, MSE. */
  public static final class Composed {
    public final Linear fc1;
    public final Linear fc2;

    public Composed(Linear fc1, Linear fc2) {
      this.fc1 = fc1;
      this.fc2 = fc2;
    }

    @Differentiable
    public double loss(@NoDerivative Tensor x, @NoDerivative Tensor target) {
      Tensor h = fc1.forward(x).tanh();
      return Loss.mse(fc2.forward(h), target).item();
    }
  }

  /** The same network in one method: its tensors are its own fields. */
  public static final class Flat {
    public final Tensor w1;
    public final Tensor b1;
    public final Tensor w2;
    public final Tensor b2;

    public Flat(Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
      this.w1 = w1.requiresGrad(true);
      this.b1 = b1.requiresGrad(true);
      this.w2 = w2.requiresGrad(true);
      this.b2 = b2.requiresGrad(true);
    }

    @Differentiable
    public double loss(@NoDerivative Tensor x, @NoDerivative Tensor target) {
      Tensor h = Layers.linear(x, w1, b1).tanh();
      return Loss.mse(Layers.linear(h, w2, b2), target).item();
    }
  }
}
