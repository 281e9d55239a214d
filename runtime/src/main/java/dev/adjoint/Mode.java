package dev.adjoint;

/**
 * Which derivative methods {@link Differentiable} generates for a method {@code m}.
 *
 * <ul>
 *   <li>{@link #REVERSE}: the pullback {@code mVjp(args, seed)} and the gradient {@code m(args)};
 *       one reverse sweep gives the derivative with respect to every input, at a few times the cost
 *       of {@code m}, plus a tape for what loops overwrite.
 *   <li>{@link #FORWARD}: {@code mJvp(args, argDots)}, the value and the directional derivative
 *       along the tangents {@code argDots}; one sweep, no tape, about twice the cost of {@code m}
 *       per direction.
 *   <li>{@link #HVP}: {@code mHvp(args, argDots)}, the gradient's derivative along
 *       {@code argDots} (the Hessian times that vector), by forward mode over the reverse sweep: a
 *       small multiple of the gradient's cost. Implies {@link #REVERSE}.
 * </ul>
 */
public enum Mode {
  REVERSE,
  FORWARD,
  HVP
}
