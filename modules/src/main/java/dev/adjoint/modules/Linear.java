package dev.adjoint.modules;

import dev.adjoint.Differentiable;
import dev.adjoint.nn.Layer;
import dev.adjoint.nn.Layers;
import dev.adjoint.tensor.Tensor;
import java.util.Map;
import java.util.Random;

/** A fully connected layer {@code y = x·W + b} (PyTorch's {@code nn.Linear}, with W stored [in, out]). */
public final class Linear implements Layer {
  /** Weight [in, out]. Fields are not private: generated code reads them. */
  public final Tensor w;
  /** Bias [out]. */
  public final Tensor b;
  /** Input features: the last extent of x. */
  final int in;

  /** PyTorch's default initialisation: w and b uniform in ±1/sqrt(in). */
  public Linear(int in, int out, Random rng) {
    this(Init.uniform("Linear", rng, in, in, out), Init.uniform("Linear", rng, in, out));
  }

  /** A layer holding the given weight [in, out] and bias [out] (not copied), marked {@code requiresGrad(true)}. */
  public Linear(Tensor w, Tensor b) {
    if (w.dim() != 2 || !b.sameShape(w.size(1))) {
      throw new IllegalArgumentException("Linear: weight must be [in, out] and bias [out], got "
          + Checks.str(w) + " and " + Checks.str(b));
    }
    this.w = w.requiresGrad(true);
    this.b = b.requiresGrad(true);
    this.in = w.size(0);
  }

  @Differentiable
  @Override
  public Tensor forward(Tensor x) {
    return Layers.linear(x, w, b);
  }

  @Override
  public Tensor forwardVjp(Tensor x, Tensor seed) {
    return LinearGrad.forwardVjp(this, x, seed).x();
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return LinearGrad.namedParameters(this);
  }
}
