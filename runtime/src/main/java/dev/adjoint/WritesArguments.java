package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Put by the processor on a generated gradient method whose primal writes into some of its array
 * parameters (named in {@link #value}). A differentiable caller compiled later reads it: passing an
 * array to such a method would change the array under the caller's reverse sweep, so the processor
 * reports that call instead of producing a wrong gradient. Not meant to be written by hand.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface WritesArguments {
  /** The names of the array parameters the primal writes into. */
  String[] value();
}
