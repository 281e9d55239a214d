package dev.adjoint.processor.ir;

import java.util.List;

/**
 * A user method that differentiable code may call, and where its derivative comes from.
 *
 * @param owner the class declaring the method
 * @param isStatic whether it is static (an instance method is called on the receiver)
 * @param paramTypes the parameter types
 * @param paramNames the parameter names
 * @param result the result type
 * @param partials for each parameter: how to get the partial derivative of the result with
 *     respect to it (null when it has none: an int, or a parameter the method is not
 *     differentiated with respect to)
 * @param plain whether the method has no derivative at all (neither {@code @Differentiable} nor
 *     {@code @Derivative}): callable only with arguments that do not vary, like a constant
 * @param accumulates whether its generated class has {@code nameVjpInto(args, seed, adjoint
 *     arrays...)}, the pullback that adds into the caller's adjoint arrays, and
 *     {@code nameValueVjpInto} (the same, also returning the value)
 * @param splits whether its generated class has {@code nameForward} (the forward sweep, returning
 *     the value and residuals) and {@code nameBackward} (the reverse sweep from them)
 * @param readsModel whether it is an instance method of a model (a class with {@code Tensor}
 *     fields or sub-modules): its value depends on the receiver's parameters, and its pullback adds
 *     their seed-weighted gradients into their {@code grad()}
 * @param onDemand whether the method is not {@code @Differentiable} but its source is in this
 *     compilation, so the processor differentiates it too, into its owner's generated class
 * @param hidden whether generated code cannot call the method itself (it is private): its value
 *     comes from its generated gradient instead
 * @param refusal for a method the processor tried to differentiate on demand and could not, why
 *     (its first error and where); null otherwise
 * @param method the method's own name, which calls of it use; {@code name}, the stem of its
 *     generated methods and record, differs from it for an overload differentiated on demand
 *     beside another one ({@code ibetaPowerTerms6})
 */
public record Callee(
    RefType owner,
    String name,
    boolean isStatic,
    List<Type> paramTypes,
    List<String> paramNames,
    Type result,
    List<Partial> partials,
    boolean plain,
    boolean readsModel,
    boolean accumulates,
    boolean splits,
    boolean onDemand,
    boolean hidden,
    String refusal,
    String method) {
  /** A callee the processor does not differentiate on demand (annotated, with rules, or compiled). */
  public Callee(RefType owner, String name, boolean isStatic, List<Type> paramTypes, List<String> paramNames,
      Type result, List<Partial> partials, boolean plain, boolean readsModel, boolean accumulates, boolean splits) {
    this(owner, name, isStatic, paramTypes, paramNames, result, partials, plain, readsModel, accumulates, splits,
        false, false, null, name);
  }

  public Callee {
    paramTypes = List.copyOf(paramTypes);
    paramNames = List.copyOf(paramNames);
    partials = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(partials));
  }

  /** {@code p.FooGrad} for a method of {@code p.Foo} ({@code p.Outer_InnerGrad} for a nested class). */
  public RefType gradClass() {
    return new RefType(owner.packageName(), List.of(String.join("_", owner.simpleNames()) + "Grad"));
  }

  /** A record of the generated class, named after the method: {@code M} plus {@code suffix}. */
  public RefType generatedRecord(String suffix) {
    return new RefType(owner.packageName(),
        List.of(gradClass().simpleNames().get(0), Character.toUpperCase(name.charAt(0)) + name.substring(1) + suffix));
  }

  /** Where one partial derivative of a callee comes from. */
  public sealed interface Partial {}

  /**
   * The callee is {@code @Differentiable}: its generated {@code gradClass.name(args)} returns a
   * record whose component {@code component} holds the partial.
   */
  public record FromGradient(RefType gradClass, RefType record, String component) implements Partial {}

  /**
   * A {@code @Derivative} method {@code owner.method(args)} returns the partial: {@code owner} is the
   * callee's class, or for a static callee another class that holds rules for it (a third-party
   * method the user cannot annotate).
   */
  public record FromDerivative(RefType owner, String method) implements Partial {}

  /**
   * An abstract method (an interface's {@code Tensor forward(Tensor x)}) whose type declares its
   * pullback {@code forwardVjp(x, seed)}: called on the receiver, it returns this parameter's
   * seed-weighted gradient (and adds the receiver's parameters' into their {@code grad()}).
   */
  public record FromVirtualPullback(String method) implements Partial {}
}
