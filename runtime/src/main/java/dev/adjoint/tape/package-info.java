/**
 * Tapes for generated code: primitive stacks on which a forward sweep records what its reverse
 * sweep needs (overwritten values, branch decisions, trip counts) when loops run a statement many
 * times.
 */
package dev.adjoint.tape;
