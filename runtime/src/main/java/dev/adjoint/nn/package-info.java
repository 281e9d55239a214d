/** Functional layers ({@link dev.adjoint.nn.Layers}) and losses ({@link dev.adjoint.nn.Loss}) with their reverse rules. */
package dev.adjoint.nn;
