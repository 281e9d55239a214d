package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import org.apache.commons.numbers.core.DD;
import org.apache.commons.numbers.core.Sum;

/**
 * Library objects that stand for numbers, taken apart into their parts: Commons Numbers' DD
 * (exp(-x*x) corrected by the round-off of x*x, as BoostErf.expmxx) and Sum (a compensated sum
 * added to in a loop and by a chain, as BoostGamma.lgammaSmall).
 */
final class ValueObjects {
  private ValueObjects() {}

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double expmxx(double x) {
    final DD x2 = DD.ofSquare(x);
    final double ea = Math.exp(-x2.hi());
    return ea * -x2.lo() + ea;
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double logSum(double z, double y) {
    final Sum result = Sum.create();
    for (int i = 0; i < 3; i++) {
      result.add(Math.log(z + i));
    }
    result.addProduct(z, y).add(-y);
    return result.getAsDouble();
  }
}
