package dev.adjoint.modules;

import dev.adjoint.Differentiable;
import dev.adjoint.nn.Layer;
import dev.adjoint.tensor.Tensor;
import java.util.Map;

/** The rectified linear unit, max(x, 0), element-wise (PyTorch's {@code nn.Relu}); no parameters. */
public final class Relu implements Layer {
  @Differentiable
  @Override
  public Tensor forward(Tensor x) {
    return x.relu();
  }

  @Override
  public Tensor forwardVjp(Tensor x, Tensor seed) {
    return ReluGrad.forwardVjp(this, x, seed).x();
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return ReluGrad.namedParameters(this);
  }
}
