package dev.adjoint.modules;

import dev.adjoint.Differentiable;
import dev.adjoint.nn.Layer;
import dev.adjoint.tensor.Tensor;
import java.util.Map;

/** Flattens every dimension but the first (the batch): [N, d1, d2, …] to [N, d1·d2·…]; no parameters. */
public final class Flatten implements Layer {
  @Differentiable
  @Override
  public Tensor forward(Tensor x) {
    return x.reshape(x.size(0), -1);
  }

  @Override
  public Tensor forwardVjp(Tensor x, Tensor seed) {
    return FlattenGrad.forwardVjp(this, x, seed).x();
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return FlattenGrad.namedParameters(this);
  }
}
