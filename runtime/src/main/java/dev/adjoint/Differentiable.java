package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose reverse-mode gradient Adjoint generates at compile time.
 *
 * <p>For a method {@code double m(double a, double b)} in class {@code p.Foo}, the annotation
 * processor writes {@code p.FooGrad} with a nested {@code record M(double value, double a, double b)}
 * and {@code static M m(double a, double b)} returning the value and the gradient of the result.
 * The result must be {@code double}, {@code float} or a scalar {@code Tensor}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Differentiable {
  /**
   * Names of the parameters to differentiate with respect to. Empty (the default) means every
   * parameter of a differentiable type ({@code double}, {@code float}, {@code double[]},
   * {@code Tensor}) that is not marked {@link NoDerivative}.
   */
  String[] wrt() default {};

  /**
   * Which derivative methods to generate: {@link Mode#REVERSE} (the default) the pullback
   * {@code mVjp} and gradient {@code m}; {@link Mode#FORWARD} the Jacobian-vector product
   * {@code mJvp}; {@link Mode#HVP} the Hessian-vector product {@code mHvp} (scalar results). The
   * reverse-mode methods are generated whenever {@code REVERSE} or {@code HVP} is listed.
   */
  Mode[] modes() default {Mode.REVERSE};
}
