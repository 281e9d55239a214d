package dev.adjoint.processor.ir;

/** The type of an IR value: a primitive, a class, or an array. */
public sealed interface Type permits Prim, RefType, ArrayType {
  /** Whether values of this type carry a derivative. */
  boolean isFloating();

  /** Java source spelling, for messages and debugging. */
  String display();
}
