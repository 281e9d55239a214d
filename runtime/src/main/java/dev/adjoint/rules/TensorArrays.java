package dev.adjoint.rules;

import dev.adjoint.tensor.Tensor;
import java.util.List;

/**
 * Helpers that generated gradients call for a model's {@code Tensor[]} and {@code List<Tensor>}
 * fields: the parameters as an array, their adjoints, and the adjoints added into their
 * {@code grad()}; and, for forward mode, each parameter's tangent.
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

  /**
   * A model parameter's forward-mode direction: its {@link Tensor#tangent()}, or zeros of its shape if it has none
   * (null for a null field, such as an absent bias, which the method then cannot use either).
   */
  public static Tensor tangentOf(Tensor param) {
    if (param == null) {
      return null;
    }
    Tensor t = param.tangent();
    return t != null ? t : Tensor.zerosLike(param);
  }

  /** {@link #tangentOf(Tensor)} of each parameter of a {@code Tensor[]} (or {@code List<Tensor>}) field. */
  public static Tensor[] tangentsOf(Tensor[] params) {
    Tensor[] out = new Tensor[params.length];
    for (int i = 0; i < params.length; i++) {
      out[i] = tangentOf(params[i]);
    }
    return out;
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
