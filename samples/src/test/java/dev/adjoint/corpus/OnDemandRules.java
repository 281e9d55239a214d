package dev.adjoint.corpus;

import dev.adjoint.Derivative;
import org.hipparchus.special.Gamma;

/**
 * Derivatives for a library method that cannot be annotated, written in the user's own class:
 * {@code of} names the class (as this file imports it) and the method.
 */
final class OnDemandRules {
  private OnDemandRules() {}

  /** d/dx log Γ(x) = ψ(x), the digamma function. */
  @Derivative(of = "Gamma.logGamma")
  static double logGammaDx(double x) {
    return Gamma.digamma(x);
  }
}
