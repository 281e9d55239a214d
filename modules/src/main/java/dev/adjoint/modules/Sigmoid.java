package dev.adjoint.modules;

import dev.adjoint.Differentiable;
import dev.adjoint.nn.Layer;
import dev.adjoint.tensor.Tensor;
import java.util.Map;

/** The logistic sigmoid 1/(1+exp(-x)), element-wise (PyTorch's {@code nn.Sigmoid}); no parameters. */
public final class Sigmoid implements Layer {
  @Differentiable
  @Override
  public Tensor forward(Tensor x) {
    return x.sigmoid();
  }

  @Override
  public Tensor forwardVjp(Tensor x, Tensor seed) {
    return SigmoidGrad.forwardVjp(this, x, seed).x();
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return SigmoidGrad.namedParameters(this);
  }
}
