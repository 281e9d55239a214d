package dev.adjoint.processor.ir;

/** The type of an IR value: a primitive, a class, or an array. */
public sealed interface Type permits Prim, RefType, ArrayType {
  /** Whether values of this type carry a derivative. */
  boolean isFloating();

  /** The runtime's tensor class. */
  RefType TENSOR = new RefType("dev.adjoint.tensor", java.util.List.of("Tensor"));
  /** A model's {@code Tensor[]} (or {@code List<Tensor>}, read as one) parameter field. */
  ArrayType TENSOR_ARRAY = new ArrayType(TENSOR);

  /** Whether values of this type have an adjoint: double, float, double arrays, Tensor. */
  static boolean carriesGradient(Type t) {
    return t != null && (t.isFloating() || TENSOR.equals(t)
        || t instanceof ArrayType a && (a.element() == Prim.DOUBLE
            || a.element() instanceof ArrayType inner && inner.element() == Prim.DOUBLE));
  }

  /** Java source spelling, for messages and debugging. */
  String display();
}
