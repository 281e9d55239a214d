// Adjoint fuzz regression (oracle): ((1.5 + s) - s) % 0.75 is 0.75 or 0 depending on how s rounds, so
// near such s the primal is not the midpoint of its neighbours and a difference quotient across the
// jump is meaningless; the checker must see that (f(x) vs (f(x+h) + f(x-h)) / 2) and skip, not report
// a mismatch. All three modes: the forward and Hessian-vector checks go through the same oracle.
// from: -Dadjoint.fuzz.seed=20261202 -Dadjoint.fuzz.count=10000 (program 7758, reduced by hand)
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;

class Seed20261202_p7758 {
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double p7758(double s, double a) {
    double r = ((1.5 + s) - s) % 0.75;
    return a * r + Math.sin(s) * a * a;
  }
}
