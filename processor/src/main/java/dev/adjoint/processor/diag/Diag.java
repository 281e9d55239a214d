package dev.adjoint.processor.diag;

import javax.tools.Diagnostic.Kind;

/**
 * The catalogue of every message the processor reports. Each entry has a stable tag (quoted at the
 * start of the message, so users can search for it) and says what is wrong and what to do instead.
 */
public enum Diag {
  // 0xx: the processor itself
  INTERNAL_ERROR("ADJ000", Kind.ERROR,
      "internal error in Adjoint while differentiating this method (%s); please report it with the"
          + " method's source. Until it is fixed, remove @Differentiable from the method"),
  NOT_JAVAC("ADJ001", Kind.ERROR,
      "Adjoint reads method bodies through javac's tree API, which this compiler does not offer (%s);"
          + " compile with javac (JDK 17 or newer)"),

  // 1xx: the method's signature and the annotation
  NO_BODY("ADJ101", Kind.ERROR,
      "%s has no body to differentiate (it is abstract or native); put @Differentiable on a method"
          + " with a body"),
  BAD_RESULT_TYPE("ADJ102", Kind.ERROR,
      "the result of a @Differentiable method must be double, float or Tensor, not %s"),
  UNKNOWN_WRT("ADJ103", Kind.ERROR,
      "wrt names '%s', which is not a parameter of %s; its parameters are: %s"),
  WRT_NOT_DIFFERENTIABLE("ADJ104", Kind.ERROR,
      "wrt names parameter '%s' of type %s, which cannot be differentiated; only double, float,"
          + " double[], double[][] and float[] parameters can"),
  WRT_NO_DERIVATIVE("ADJ105", Kind.ERROR,
      "parameter '%s' is listed in wrt and also marked @NoDerivative; remove one of the two"),
  NOTHING_TO_DIFFERENTIATE("ADJ106", Kind.ERROR,
      "%s has no parameter to differentiate with respect to; give it a double or float parameter"
          + " (not marked @NoDerivative), or remove @Differentiable"),
  PARAMETER_NAMED_VALUE("ADJ107", Kind.ERROR,
      "parameters 'value' and 'valueBar' would both need the component 'valueBar' of the generated"
          + " record %s (the gradient of 'value' goes there, beside the result's component 'value');"
          + " rename one of them"),
  OVERLOADED("ADJ108", Kind.ERROR,
      "another @Differentiable method named '%s' exists in %s; the generated record is named after"
          + " the method, so overloads cannot both be differentiated; rename one of them"),
  UNSUPPORTED_PARAMETER_TYPE("ADJ109", Kind.ERROR,
      "parameter '%s' has type %s, which Adjoint cannot differentiate yet; mark it @NoDerivative"
          + " to treat it as a constant, or leave it out of wrt"),
  INACCESSIBLE_CLASS("ADJ110", Kind.ERROR,
      "%s is private, so the generated class %s cannot use it; make it package-private"),
  GENERIC_METHOD("ADJ111", Kind.ERROR,
      "generic methods cannot be differentiated yet; remove the type parameters of %s"),

  // 2xx: statements and expressions in the body
  // ADJ201 (loops), ADJ202 (branches) and ADJ206 (arrays) are retired: all three are supported.
  TRY("ADJ203", Kind.ERROR,
      "try/catch/finally cannot be differentiated: an exception would leave the reverse sweep"
          + " without the values it needs; validate inputs before the call instead"),
  LAMBDA("ADJ204", Kind.ERROR,
      "%s cannot be differentiated: the code it holds runs elsewhere; write the computation inline"),
  FIELD_WRITE("ADJ205", Kind.ERROR,
      "writing field '%s' is not supported: a gradient cannot flow through state outside the"
          + " method; use a local variable and return the value"),
  UNSUPPORTED_STATEMENT("ADJ207", Kind.ERROR,
      "%s is not supported in a @Differentiable method; %s"),
  UNSUPPORTED_EXPRESSION("ADJ208", Kind.ERROR,
      "%s is not supported in a @Differentiable method; %s"),
  NO_RULE("ADJ209", Kind.ERROR,
      "no derivative rule for %s; ways out: use a java.lang.Math function that has one, mark the"
          + " argument @NoDerivative if it is a constant, or move the call out of the method"),
  UNSUPPORTED_TYPE("ADJ210", Kind.ERROR,
      "values of type %s are not supported in a @Differentiable method yet; use double, float,"
          + " int, long or boolean"),
  UNRESOLVED("ADJ211", Kind.ERROR,
      "cannot resolve '%s' here; Adjoint reads parameters, locals, fields and static constants"),
  PRIVATE_MEMBER("ADJ212", Kind.ERROR,
      "%s is private, so the generated class %s cannot read it; make it package-private"),
  PRIVATE_CONSTANT("ADJ231", Kind.ERROR,
      "the private field %s cannot be copied into the generated class (which cannot read it): %s;"
          + " make it package-private, or read it into a @NoDerivative parameter"),
  ASSIGN_IN_EXPRESSION("ADJ213", Kind.ERROR,
      "an assignment or increment %s is not supported; write it as its own statement"),
  NOT_DIFFERENTIABLE_CALL("ADJ214", Kind.ERROR,
      "%s has no derivative; ways out: mark it @Differentiable (if its body is supported), give it"
          + " @Derivative partials, or compute the value outside and pass it in as a @NoDerivative"
          + " parameter"),
  // ADJ215 (labels and labelled break/continue) is retired: they are supported.
  ARRAY_ALIAS("ADJ216", Kind.ERROR,
      "'%s' would make two names for one array (or replace a whole array), and the gradient of"
          + " aliased arrays is ambiguous; %s"),
  ARRAY_IN_LOOP("ADJ217", Kind.ERROR,
      "array '%s' is created inside a loop, so every iteration would need its own copy kept for the"
          + " reverse sweep; create it once before the loop and overwrite its elements"),
  NO_PARTIAL("ADJ218", Kind.ERROR,
      "the argument for parameter '%s' of %s depends on the differentiated inputs, but %s; without"
          + " it the gradient would be silently wrong; %s"),
  GRAD_CLASS_MISSING("ADJ219", Kind.ERROR,
      "%s is @Differentiable, but its generated class %s is not on the class path; compile %s"
          + " with adjoint-processor in annotationProcessorPaths"),
  ON_DEMAND_FAILED("ADJ229", Kind.ERROR,
      "%s is differentiated on demand here (it is not @Differentiable, and an argument depends on the"
          + " inputs), but it cannot be: %s; fix that in %s, give it @Derivative partials, or pass it"
          + " values that do not depend on the inputs"),
  PRIVATE_CALLEE_REFUSED("ADJ230", Kind.ERROR,
      "%s is private, so the generated class takes its value from the gradient Adjoint generates for"
          + " it on demand, but it cannot be differentiated: %s; make it package-private (the generated"
          + " class then calls it), or fix that"),
  CALLEE_WRITES_ARRAY("ADJ224", Kind.ERROR,
      "%s writes into its array parameter '%s': the caller's reverse sweep would then read the"
          + " changed values; copy the array inside the callee, or inline the computation"),
  PRIVATE_CALL("ADJ228", Kind.ERROR,
      "%s is private, so the generated class %s cannot call it; make it package-private (the gradient"
          + " makes the calls the method makes)"),
  UNCHECKED_ARRAY_ARGUMENT("ADJ226", Kind.ERROR,
      "%s may write into the array '%s' it is given (its source is not at hand to check), and the reverse"
          + " sweep would then read changed values; make the call outside the @Differentiable method"),
  BIT_REINTERPRETATION("ADJ227", Kind.ERROR,
      "%s rebuilds a floating-point value from the bits of '%s', which depends on the differentiated"
          + " inputs: no derivative flows through bits, so the gradient would be silently zero; move the"
          + " computation into a method with @Derivative partials, or compute it with arithmetic"),
  ARRAY_CLONE("ADJ255", Kind.ERROR,
      "%s is supported only as the whole initializer of a local array declaration (double[] u = a.clone();),"
          + " which makes a fresh copy whose gradient flows back into the original; declare the copy that way"
          + " and use it here"),
  FORWARD_UNSUPPORTED("ADJ240", Kind.ERROR,
      "%s is not supported by %s yet; remove Mode.%s from modes (reverse mode supports it), or"
          + " move it into a method with a hand-written @Derivative"),
  CHECKPOINT("ADJ245", Kind.ERROR,
      "the loop labelled checkpoint: %s; remove the label (the loop is then taped whole) or rewrite the loop"),
  TAPE_BUDGET("ADJ247", Kind.ERROR,
      "-Aadjoint.tapeBudget=%s is not a number of bytes (like 268435456, 256M or 1G), so this loop cannot be"
          + " checked against it; fix the option or remove it"),
  CHECKPOINT_SLOTS("ADJ246", Kind.ERROR,
      "the label %s: asks for %s copies of the loop's state; write checkpoint<n>: with n from 1 to"
          + " 1000000, or checkpoint: to have the number chosen from the loop's steps"),
  HVP_UNSUPPORTED("ADJ244", Kind.ERROR,
      "%s is not supported by Mode.HVP yet; remove Mode.HVP from modes (reverse and forward mode support it)"),
  FORWARD_CALLEE_MISSING("ADJ241", Kind.ERROR,
      "%s is called from a method with Mode.%s, but its generated class %s has no %s; add"
          + " Mode.FORWARD to the modes of %s and recompile it"),
  OBJECT_METHOD("ADJ250", Kind.ERROR,
      "%s calls a method of an object that carries no derivative, but %s; compute the value outside"
          + " and pass it in as a @NoDerivative parameter"),
  VALUE_OBJECT("ADJ251", Kind.ERROR,
      "%s: a %s stands for a number, which Adjoint differentiates by replacing the object with its"
          + " parts; that needs a local variable created by one of its factories (%s) and only used through"
          + " %s; %s"),
  OBJECT_FROM_VARYING("ADJ252", Kind.ERROR,
      "new %s(...) is given a value that depends on the inputs, but the object carries no derivative,"
          + " so the derivative through it would be lost; pass it values that do not (mark the parameter"
          + " @NoDerivative or leave it out of wrt), or create the object outside"),
  HVP_RESULT("ADJ242", Kind.ERROR,
      "Mode.HVP needs a double or float result (a Hessian-vector product is the derivative of a"
          + " gradient); %s returns %s"),
  JVP_RULE("ADJ243", Kind.ERROR,
      "@Jvp(of = \"%s\", wrt = \"%s\") on %s: %s; a forward rule is public static, in the class of its op, with"
          + " the parameters (tangent of the input, the op's result, the op's inputs with the receiver first)"
          + " and the op's result type"),
  DERIVATIVE_TARGET("ADJ220", Kind.ERROR,
      "@Derivative(of = \"%s\"): %s"),
  DERIVATIVE_SIGNATURE("ADJ221", Kind.ERROR,
      "@Derivative method %s must %s, to be the partial derivative of %s"),
  DERIVATIVE_WRT("ADJ222", Kind.ERROR,
      "@Derivative(wrt = \"%s\"): %s"),
  DERIVATIVE_DUPLICATE("ADJ223", Kind.ERROR,
      "a second @Derivative of %s with respect to '%s' (the first is %s); keep one"),

  // 3xx: warnings
  ZERO_GRADIENT("ADJ301", Kind.WARNING,
      "the result of %s does not depend on parameter '%s' (through any differentiable path), so its"
          + " gradient is always 0; leave it out of wrt or mark it @NoDerivative if that is intended"),
  PRIVATE_PARAMETER("ADJ303", Kind.WARNING,
      "the private field '%s' of %s holds parameters that namedParameters cannot list (generated code cannot"
          + " read it); make it package-private or public"),
  UNUSED_DERIVATIVE("ADJ302", Kind.WARNING,
      "this @Derivative is never used: %s is @Differentiable, so callers use its generated"
          + " gradient; remove @Derivative, or remove @Differentiable to use the hand-written rule");

  private final String tag;
  private final Kind kind;
  private final String template;

  Diag(String tag, Kind kind, String template) {
    this.tag = tag;
    this.kind = kind;
    this.template = template;
  }

  public String tag() {
    return tag;
  }

  public Kind kind() {
    return kind;
  }

  /** The full message: the tag in brackets, then the filled-in template. */
  public String format(Object... args) {
    return "[" + tag + "] " + String.format(template, args);
  }
}
