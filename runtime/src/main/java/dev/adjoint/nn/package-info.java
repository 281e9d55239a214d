/**
 * Functional layers ({@link dev.adjoint.nn.Layers}), activations ({@link dev.adjoint.nn.Activations}) and losses
 * ({@link dev.adjoint.nn.Loss}) with their reverse rules.
 */
package dev.adjoint.nn;
