package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;

/** Composition: a module, a model built from two of them, a tensor result, a helper called per row. */
class Modules {
  /** A module: its fields are its parameters, its forward returns a tensor. */
  static final class Linear {
    final Tensor w;
    final Tensor b;

    Linear(Tensor w, Tensor b) {
      this.w = w;
      this.b = b;
    }

    @Differentiable
    Tensor forward(Tensor x) {
      return Layers.linear(x, w, b);
    }
  }

  /** Sub-modules as fields: each call is reversed through the sub-module's pullback. */
  static final class Net {
    final Linear fc1;
    final Linear fc2;

    Net(Linear fc1, Linear fc2) {
      this.fc1 = fc1;
      this.fc2 = fc2;
    }

    @Differentiable
    Tensor forward(@NoDerivative Tensor x) {
      Tensor h = fc1.forward(x).relu();
      return fc2.forward(h);
    }

    @Differentiable
    double loss(@NoDerivative Tensor x, @NoDerivative Tensor target) {
      Tensor y = forward(x);
      return Loss.mse(y, target).item();
    }
  }

  /** A double[] result: only its pullback is generated, seeded with a vector. */
  @Differentiable
  static double[] scaled(double[] x, double a) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = a * Math.sin(x[i]);
    }
    return y;
  }

  @Differentiable
  static double dot(double[] w, double[] x) {
    double s = 0;
    for (int j = 0; j < w.length; j++) {
      s += w[j] * x[j];
    }
    return s;
  }

  /** A helper with array arguments, called per row: its pullback runs in the reverse sweep. */
  @Differentiable
  static double rows(double[] w, double[][] xs) {
    double total = 0;
    for (int i = 0; i < xs.length; i++) {
      double z = dot(w, xs[i]);
      total += Math.tanh(z);
    }
    return total;
  }
}
