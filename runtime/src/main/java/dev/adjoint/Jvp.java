package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a forward-mode rule (a Jacobian–vector product) of a runtime op, beside the op's reverse rules:
 * the tangent that one input of {@code y = op(in0, in1, ...)} gives the result.
 *
 * <p>The annotated method is {@code public static}, lives in the class of the op ({@link #of} names a public
 * method of that class), and has the parameters {@code (dInput, y, <the op's own inputs in order, receiver
 * first>)}: {@code dInput} is the tangent of the input named by {@link #wrt} ({@code "self"} for the receiver
 * of an instance method, else the parameter's name), with that input's type and shape; {@code y} is the op's
 * value. It returns the op's tangent along {@code dInput}, with {@code y}'s type and shape. When several inputs
 * vary, generated code adds their rules' tangents (the tangent is linear in the input tangents).
 *
 * <pre>{@code
 * public Tensor mul(Tensor other) { ... }
 *
 * @Jvp(of = "mul", wrt = "other")
 * public static Tensor mulJvpOther(Tensor dOther, Tensor y, Tensor self, Tensor other) {
 *   return self.mul(dOther);
 * }
 * }</pre>
 *
 * <p>Rules never mutate their arguments and may return {@code dInput} itself when the tangent is exactly it
 * ({@code copy}, {@code add} with equal shapes). Forward mode finds rules by this annotation, not by name; the
 * processor checks a rule where it is written (an op, a parameter and a signature that match), and the
 * runtime's tests check that every runtime op with a reverse rule for an input also has this rule for it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Jvp {
  /** The op: the name of a public method of the same class. */
  String of();

  /** The input: {@code "self"} for the receiver, otherwise the name of one of the op's parameters. */
  String wrt();
}
