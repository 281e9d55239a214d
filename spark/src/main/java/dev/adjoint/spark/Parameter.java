package dev.adjoint.spark;

import dev.adjoint.tensor.Tensor;

/** One named trainable tensor of a model: what {@link ModelSpec#parameters} lists and the trainer ships. */
public record Parameter(String name, Tensor tensor) {
  /** Checks that both parts are present. */
  public Parameter {
    if (name == null || name.isEmpty() || tensor == null) {
      throw new IllegalArgumentException("Parameter: needs a name and a tensor, got " + name + " and " + tensor);
    }
  }
}
