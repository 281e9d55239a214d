/**
 * N-dimensional double tensors and their reverse (vector–Jacobian) rules; the naming and signature convention the
 * annotation processor relies on is documented on {@link dev.adjoint.tensor.Tensor}.
 */
package dev.adjoint.tensor;
