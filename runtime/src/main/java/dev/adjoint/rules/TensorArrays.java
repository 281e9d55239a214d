package dev.adjoint.rules;

import dev.adjoint.tensor.Tensor;
import java.util.List;

/**
 * Helpers that generated gradients call for a model's {@code Tensor[]} and {@code List<Tensor>}
 * fields: the parameters as an array, their adjoints, and the adjoints added into their
 * {@code grad()}.
 */
public final class TensorArrays {
  private TensorArrays() {}

  /** A {@code List<Tensor>} field's tensors, in order (the model's own, not copies). */
  public static Tensor[] of(List<Tensor> tensors) {
    return tensors.toArray(new Tensor[0]);
  }

  /** One adjoint per parameter, each null until a gradient reaches it. */
  public static Tensor[] adjointsOf(Tensor[] params) {
    return new Tensor[params.length];
  }

  /** Adds each adjoint that arrived into its parameter's {@code grad()}, if it requires one. */
  public static void accumulateGrads(Tensor[] params, Tensor[] adjoints) {
    for (int i = 0; i < params.length; i++) {
      if (adjoints[i] != null && params[i] != null && params[i].requiresGrad()) {
        params[i].accumulateGrad(adjoints[i]);
      }
    }
  }
}
