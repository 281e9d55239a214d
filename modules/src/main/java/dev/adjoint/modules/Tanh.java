package dev.adjoint.modules;

import dev.adjoint.Differentiable;
import dev.adjoint.nn.Layer;
import dev.adjoint.tensor.Tensor;
import java.util.Map;

/** The hyperbolic tangent, element-wise (PyTorch's {@code nn.Tanh}); no parameters. */
public final class Tanh implements Layer {
  @Differentiable
  @Override
  public Tensor forward(Tensor x) {
    return x.tanh();
  }

  @Override
  public Tensor forwardVjp(Tensor x, Tensor seed) {
    return TanhGrad.forwardVjp(this, x, seed).x();
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return TanhGrad.namedParameters(this);
  }
}
