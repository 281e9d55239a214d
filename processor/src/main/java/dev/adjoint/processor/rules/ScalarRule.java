package dev.adjoint.processor.rules;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Prim;
import java.util.List;

/**
 * The derivative rule of one scalar primitive: how to type a call of it and the partial derivative
 * of its result with respect to each argument, as an expression of the arguments and the result.
 *
 * @param name the method name in {@code java.lang.Math} / {@code java.lang.StrictMath}
 * @param arity its number of arguments
 * @param result the result type for the (promoted) argument type
 * @param partial the partial derivatives; null for a function whose derivative is zero wherever
 *     it exists (floor, round, ...)
 */
public record ScalarRule(String name, int arity, ResultType result, Partial partial) {

  /** The partial derivative of the result with respect to argument {@code i}. */
  @FunctionalInterface
  public interface Partial {
    Expr of(int i, List<Expr> args, Expr value);
  }

  /** How the result type follows from the arguments' promoted type. */
  public enum ResultType {
    /** Always double (sin, exp, pow, ...). */
    DOUBLE,
    /** The promoted argument type (abs, max, min: int stays int, float stays float). */
    SAME,
    /** float stays float, everything else is double (signum, fma). */
    FLOAT_OR_DOUBLE,
    /** Math.round: int for float, long for double. */
    ROUND;

    public Prim of(Prim promotedArgs) {
      return switch (this) {
        case DOUBLE -> Prim.DOUBLE;
        case SAME -> promotedArgs;
        case FLOAT_OR_DOUBLE -> promotedArgs == Prim.FLOAT ? Prim.FLOAT : Prim.DOUBLE;
        case ROUND -> promotedArgs == Prim.FLOAT || promotedArgs.compareTo(Prim.FLOAT) < 0
            ? Prim.INT
            : Prim.LONG;
      };
    }
  }

  public boolean hasZeroDerivative() {
    return partial == null;
  }
}
