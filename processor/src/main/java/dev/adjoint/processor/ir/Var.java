package dev.adjoint.processor.ir;

/**
 * A variable of the method or of the generated code. Compared by identity: two locals of the same
 * name in sibling blocks are two variables, and the emitter gives each a distinct Java name.
 */
public final class Var {
  /** Where a variable comes from; decides how the generated code names and declares it. */
  public enum Kind {
    PARAMETER,
    LOCAL,
    /** The receiver of an instance method, a parameter of the generated static method. */
    SELF,
    /** Made by the processor: adjoints, saved values, temporaries. */
    SYNTHETIC,
    /**
     * A {@code Tensor} field of the receiver, read once into a local of the field's name: a model
     * parameter, whose gradient is added into the field's {@code grad()}.
     */
    FIELD
  }

  private final String name;
  private final Type type;
  private final Kind kind;

  public Var(String name, Type type, Kind kind) {
    this.name = name;
    this.type = type;
    this.kind = kind;
  }

  /** The preferred Java name (the user's own, for user variables). */
  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public String toString() {
    return name;
  }
}
