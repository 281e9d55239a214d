package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Supplies, by hand, the partial derivative of a method that {@link Differentiable} code calls but
 * the processor should not (or cannot) look into: a method with a loop it cannot reverse cheaply,
 * a numerically delicate formula, a call into a library.
 *
 * <p>The annotated method lives in the same class as the method it differentiates ({@link #of}),
 * is static exactly when that method is, takes exactly the same parameters (types and order), and
 * returns the partial derivative of the result with respect to the parameter named by
 * {@link #wrt}: a {@code double} for a {@code double} parameter, a {@code double[]} of the same
 * length for a {@code double[]} parameter (the gradient with respect to that array).
 *
 * <pre>{@code
 * static double softplus(double x) { return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0); }
 *
 * @Derivative(of = "softplus")
 * static double softplusDx(double x) { return 1 / (1 + Math.exp(-x)); }
 * }</pre>
 *
 * <p>Because every differentiated method returns a scalar, this partial is the whole pullback:
 * the generated code multiplies it by the adjoint of the call's result and adds it into the
 * argument's adjoint. Java has no out-parameters, so one method per parameter is the form that
 * stays a plain, testable function. A differentiable parameter without a {@code @Derivative} is a
 * compile error wherever a varying argument is passed to it (never a silent zero).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Derivative {
  /** The name of the method, in the same class, that this is a partial derivative of. */
  String of();

  /**
   * The parameter this is the partial derivative with respect to; may be left out when the method
   * has exactly one {@code double} or {@code double[]} parameter.
   */
  String wrt() default "";
}
