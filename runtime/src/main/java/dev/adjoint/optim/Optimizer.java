package dev.adjoint.optim;

/** Updates a fixed list of parameter tensors in place from their accumulated gradients. */
public interface Optimizer {
  /** Applies one update to every parameter whose gradient is non-null (others are skipped). */
  void step();

  /** Fills every existing gradient with zeros (null gradients stay null). */
  void zeroGrad();
}
