package dev.adjoint.processor.parse;

import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

/** Maps javax.lang.model types to IR types. */
public final class TypeMapper {
  private TypeMapper() {}

  /** The IR type, or null when the type has no IR counterpart (type variables, errors, ...). */
  static Type of(TypeMirror mirror) {
    return switch (mirror.getKind()) {
      case DOUBLE -> Prim.DOUBLE;
      case FLOAT -> Prim.FLOAT;
      case LONG -> Prim.LONG;
      case INT -> Prim.INT;
      case SHORT -> Prim.SHORT;
      case CHAR -> Prim.CHAR;
      case BYTE -> Prim.BYTE;
      case BOOLEAN -> Prim.BOOLEAN;
      case ARRAY -> {
        Type element = of(((javax.lang.model.type.ArrayType) mirror).getComponentType());
        yield element == null ? null : new ArrayType(element);
      }
      case DECLARED -> refType((TypeElement) ((DeclaredType) mirror).asElement());
      default -> null;
    };
  }

  /** double[], double[][] and float[]: the array types that carry a gradient. */
  static boolean isArrayOfDouble(Type type) {
    return CalleeResolver.isDifferentiable(type) && type instanceof ArrayType;
  }

  public static RefType refType(TypeElement type) {
    Deque<String> names = new ArrayDeque<>();
    Element e = type;
    while (e != null && e.getKind() != ElementKind.PACKAGE) {
      names.addFirst(e.getSimpleName().toString());
      e = e.getEnclosingElement();
    }
    String pkg = e == null ? "" : ((PackageElement) e).getQualifiedName().toString();
    return new RefType(pkg, List.copyOf(names));
  }
}
