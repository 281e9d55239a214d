/** Optimizers that update parameter tensors in place from their accumulated gradients (PyTorch semantics). */
package dev.adjoint.optim;
