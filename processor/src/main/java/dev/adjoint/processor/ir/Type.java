package dev.adjoint.processor.ir;

/** The type of an IR value: a primitive, a class, or an array. */
public sealed interface Type permits Prim, RefType, ArrayType {
  /** Whether values of this type carry a derivative. */
  boolean isFloating();

  /** The runtime's tensor class. */
  RefType TENSOR = new RefType("dev.adjoint.tensor", java.util.List.of("Tensor"));
  /** A model's {@code Tensor[]} (or {@code List<Tensor>}, read as one) parameter field. */
  ArrayType TENSOR_ARRAY = new ArrayType(TENSOR);

  /** Whether values of this type have an adjoint: double, float, double[], double[][], float[], Tensor. */
  static boolean carriesGradient(Type t) {
    return t != null && (t.isFloating() || TENSOR.equals(t)
        || t instanceof ArrayType a && (a.element() == Prim.DOUBLE || a.element() == Prim.FLOAT
            || a.element() instanceof ArrayType inner && inner.element() == Prim.DOUBLE));
  }

  /**
   * The type of the adjoint (or of a tangent computed inside generated code) of a value of type
   * {@code t}: double for a double or float, double[] for a double[] or float[]. Adjoints of float
   * values accumulate in double, which is more accurate (many small contributions are summed); they
   * are rounded to float once, where the gradient is returned.
   */
  static Type adjointType(Type t) {
    if (t instanceof Prim) {
      return Prim.DOUBLE;
    }
    if (t instanceof ArrayType a && a.element() == Prim.FLOAT) {
      return new ArrayType(Prim.DOUBLE);
    }
    return t;
  }

  /** Whether {@code t} is float[]. */
  static boolean isFloatArray(Type t) {
    return t instanceof ArrayType a && a.element() == Prim.FLOAT;
  }

  /** Java source spelling, for messages and debugging. */
  String display();
}
