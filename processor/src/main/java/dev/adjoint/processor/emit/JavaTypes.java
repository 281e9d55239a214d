package dev.adjoint.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Type;
import java.util.List;

/** IR types as JavaPoet type names. */
final class JavaTypes {
  private JavaTypes() {}

  static TypeName of(Type type) {
    if (type instanceof Prim p) {
      return switch (p) {
        case BOOLEAN -> TypeName.BOOLEAN;
        case BYTE -> TypeName.BYTE;
        case SHORT -> TypeName.SHORT;
        case CHAR -> TypeName.CHAR;
        case INT -> TypeName.INT;
        case LONG -> TypeName.LONG;
        case FLOAT -> TypeName.FLOAT;
        case DOUBLE -> TypeName.DOUBLE;
      };
    }
    if (type instanceof ArrayType a) {
      return ArrayTypeName.of(of(a.element()));
    }
    return className((RefType) type);
  }

  static ClassName className(RefType type) {
    List<String> names = type.simpleNames();
    return ClassName.get(type.packageName(), names.get(0),
        names.subList(1, names.size()).toArray(new String[0]));
  }
}
