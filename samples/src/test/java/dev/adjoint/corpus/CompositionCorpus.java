package dev.adjoint.corpus;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layer;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.List;

/**
 * Composition through pullbacks: tensor-valued functions and the scalar losses that call them,
 * helpers called per row with array arguments, recursion, a model's method calling another of
 * its own, and a model built from sub-modules. {@link CompositionCorpusTest} checks each against
 * finite differences.
 */
final class CompositionCorpus {
  private CompositionCorpus() {}

  // ---- tensor results -------------------------------------------------------------------------

  /** A layer as a function: [n, k] x [k, m] + [m], tanh. */
  @Differentiable
  static Tensor affineTanh(Tensor x, Tensor w, Tensor b) {
    return x.matmul(w).add(b).tanh();
  }

  /** A tensor result chosen by a branch, with an early return. */
  @Differentiable
  static Tensor branchy(Tensor x, double a) {
    Tensor y = x.mul(a);
    if (a > 0) {
      return y.exp();
    }
    return y.square().mul(0.5);
  }

  /** A one-element tensor result: its gradient method exists. */
  @Differentiable
  static Tensor energy(Tensor x) {
    return x.square().sum().mul(0.5);
  }

  /** A scalar loss calling a tensor-valued function: reversed through affineTanhVjp. */
  @Differentiable
  static double lossOfAffine(Tensor x, Tensor w, Tensor b) {
    Tensor h = affineTanh(x, w, b);
    return h.square().sum().item();
  }

  /** A tensor-valued function calling a tensor-valued function in a loop. */
  @Differentiable
  static Tensor stacked(Tensor x, Tensor w, Tensor b, int layers) {
    Tensor h = x;
    for (int i = 0; i < layers; i++) {
      h = affineTanh(h, w, b);
    }
    return h;
  }

  // ---- double[] results ----------------------------------------------------------------------

  /** Softmax, max-shifted: a vector-valued function whose pullback is a vector-Jacobian product. */
  @Differentiable
  static double[] softmax(double[] z) {
    double max = z[0];
    for (int i = 1; i < z.length; i++) {
      max = Math.max(max, z[i]);
    }
    double[] e = new double[z.length];
    double s = 0;
    for (int i = 0; i < z.length; i++) {
      e[i] = Math.exp(z[i] - max);
      s += e[i];
    }
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = e[i] / s;
    }
    return p;
  }

  /** Elements overwritten in place before the return: the value must be the final array. */
  @Differentiable
  static double[] scaledSquares(double[] x, double a) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i];
      y[i] *= a * x[i];
    }
    return y;
  }

  // ---- helpers with array arguments, called per row ------------------------------------------

  @Differentiable
  static double dot(double[] w, double[] x) {
    double s = 0;
    for (int j = 0; j < w.length; j++) {
      s += w[j] * x[j];
    }
    return s;
  }

  @Differentiable
  static double softplus(double z) {
    return Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0);
  }

  /** Logistic regression: X's rows are not constant, so dot's pullback fills both adjoints. */
  @Differentiable
  static double logistic(double[] w, double[][] xs, @NoDerivative double[] y) {
    double loss = 0;
    for (int i = 0; i < xs.length; i++) {
      double z = dot(w, xs[i]);
      loss += softplus(z) - y[i] * z;
    }
    return loss / xs.length;
  }

  /** Recursion over an array: each level calls the next one's pullback. */
  @Differentiable
  static double tailSum(double[] a, int from) {
    if (from == a.length) {
      return 0;
    }
    return Math.sin(a[from]) * (1 + tailSum(a, from + 1));
  }

  /** The same helper twice, on the same array (both pullbacks add into one adjoint). */
  @Differentiable
  static double selfDot(double[] w) {
    return dot(w, w) + 0.5 * dot(w, w);
  }

  // ---- models ------------------------------------------------------------------------------------

  /** A model whose method calls another of its own (formerly ADJ225): the inner call is seed-weighted. */
  static final class Scaled {
    final Tensor w;

    Scaled(Tensor w) {
      this.w = w.requiresGrad(true);
    }

    @Differentiable
    double inner(double s) {
      return w.square().sum().item() * s;
    }

    @Differentiable
    double outer(double s) {
      double f = inner(s);
      return f * f + inner(2 * s);
    }
  }

  /** A module: y = x W + b. */
  static final class Linear {
    final Tensor w;
    final Tensor b;

    Linear(Tensor w, Tensor b) {
      this.w = w.requiresGrad(true);
      this.b = b.requiresGrad(true);
    }

    @Differentiable
    Tensor forward(Tensor x) {
      return Layers.linear(x, w, b);
    }
  }

  /** Sub-modules in a list and in an array, iterated and indexed. */
  static final class Deep {
    final List<Linear> blocks;
    final Linear[] heads;

    Deep(List<Linear> blocks, Linear[] heads) {
      this.blocks = blocks;
      this.heads = heads;
    }

    /** Every block in turn, then the mean of the heads. */
    @Differentiable
    Tensor forward(Tensor x) {
      Tensor h = x;
      for (Linear l : blocks) {
        h = l.forward(h).tanh();
      }
      Tensor out = heads[0].forward(h);
      for (int k = 1; k < heads.length; k++) {
        out = out.add(heads[k].forward(h));
      }
      return out.div(heads.length);
    }

    /** The blocks by index, every other one skipped: get(i) and size(). */
    @Differentiable
    double evenBlocks(@NoDerivative Tensor x) {
      Tensor h = x;
      for (int i = 0; i < blocks.size(); i += 2) {
        h = blocks.get(i).forward(h).sigmoid();
      }
      return h.square().mean().item();
    }
  }

  /** Parameters in a Tensor[] field and a List<Tensor> field, indexed and iterated. */
  static final class Banks {
    final Tensor[] weights;
    final List<Tensor> biases;

    Banks(Tensor[] weights, List<Tensor> biases) {
      this.weights = weights;
      this.biases = biases;
      for (Tensor w : weights) {
        w.requiresGrad(true);
      }
      for (Tensor b : biases) {
        b.requiresGrad(true);
      }
    }

    @Differentiable
    double loss(@NoDerivative Tensor x) {
      Tensor h = x;
      for (int i = 0; i < weights.length; i++) {
        h = h.matmul(weights[i]).add(biases.get(i)).tanh();
      }
      Tensor extra = Tensor.zeros(1);
      for (Tensor b : biases) {
        extra = extra.add(b.square().sum());
      }
      return h.square().mean().item() + 0.1 * extra.item() + 0.01 * biases.size();
    }
  }

  /** A layer whose class is chosen at run time: its pullback is its generated one. */
  static final class Dense implements Layer {
    final Linear linear;

    Dense(Linear linear) {
      this.linear = linear;
    }

    @Differentiable
    @Override
    public Tensor forward(Tensor x) {
      return linear.forward(x).tanh();
    }

    @Override
    public Tensor forwardVjp(Tensor x, Tensor seed) {
      return CompositionCorpus_DenseGrad.forwardVjp(this, x, seed).x();
    }

    @Override
    public java.util.Map<String, Tensor> namedParameters() {
      return CompositionCorpus_DenseGrad.namedParameters(this);
    }
  }

  /** A layer with no parameters, also chosen at run time. */
  static final class Halve implements Layer {
    @Differentiable
    @Override
    public Tensor forward(Tensor x) {
      return x.mul(0.5);
    }

    @Override
    public Tensor forwardVjp(Tensor x, Tensor seed) {
      return CompositionCorpus_HalveGrad.forwardVjp(this, x, seed).x();
    }

    @Override
    public java.util.Map<String, Tensor> namedParameters() {
      return CompositionCorpus_HalveGrad.namedParameters(this);
    }
  }

  /** Layers of any class, in order: each call is reversed through the layer's own pullback. */
  static final class Chain {
    final List<Layer> layers;

    Chain(List<Layer> layers) {
      this.layers = layers;
    }

    @Differentiable
    double loss(@NoDerivative Tensor x, @NoDerivative Tensor target) {
      Tensor h = x;
      for (Layer layer : layers) {
        h = layer.forward(h);
      }
      return Loss.mse(h, target).item();
    }
  }

  /** A model built from two modules, PyTorch style: forward returns a tensor, loss calls forward. */
  static final class Net {
    final Linear fc1;
    final Linear fc2;

    Net(Linear fc1, Linear fc2) {
      this.fc1 = fc1;
      this.fc2 = fc2;
    }

    @Differentiable
    Tensor forward(Tensor x) {
      Tensor h = fc1.forward(x).tanh();
      return fc2.forward(h);
    }

    @Differentiable
    double loss(@NoDerivative Tensor x, @NoDerivative Tensor target) {
      return Loss.mse(forward(x), target).item();
    }

    /** The seed tutorial's form: the loss itself is the tensor result. */
    @Differentiable
    Tensor lossTensor(@NoDerivative Tensor x, @NoDerivative Tensor target) {
      Tensor y = this.forward(x);
      return Loss.mse(y, target);
    }
  }
}
