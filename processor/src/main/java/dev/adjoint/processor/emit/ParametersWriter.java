package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.adjoint.processor.ir.ModelParameters;
import dev.adjoint.processor.ir.ModelParameters.Field;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code namedParameters(self)}: every tensor reachable from a model, by dotted name
 * ({@code fc1.w}, {@code blocks.0.b}) in the order the fields are declared, for optimizers and
 * for saving.
 */
final class ParametersWriter {
  private static final ClassName TENSOR = ClassName.get("dev.adjoint.tensor", "Tensor");
  private static final ClassName MAP = ClassName.get("java.util", "Map");
  private static final ClassName LINKED = ClassName.get("java.util", "LinkedHashMap");

  private ParametersWriter() {}

  static MethodSpec namedParameters(ModelParameters model, TypeName selfType, ClassName ownerName) {
    TypeName result = ParameterizedTypeName.get(MAP, ClassName.get(String.class), TENSOR);
    CodeBlock.Builder body = CodeBlock.builder()
        .addStatement("$T parameters = new $T<>()", result, LINKED);
    for (Field f : model.fields()) {
      switch (f.holder()) {
        case ONE -> add(body, f, CodeBlock.of("self.$N", f.name()), CodeBlock.of("$S", f.name()));
        case ARRAY -> {
          body.beginControlFlow("for (int i = 0; i < self.$N.length; i++)", f.name());
          add(body, f, CodeBlock.of("self.$N[i]", f.name()), CodeBlock.of("$S + i", f.name() + "."));
          body.endControlFlow();
        }
        case LIST -> {
          body.beginControlFlow("for (int i = 0; i < self.$N.size(); i++)", f.name());
          add(body, f, CodeBlock.of("self.$N.get(i)", f.name()), CodeBlock.of("$S + i", f.name() + "."));
          body.endControlFlow();
        }
      }
    }
    body.addStatement("return parameters");
    return MethodSpec.methodBuilder("namedParameters")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(result)
        .addParameter(selfType, "self")
        .addJavadoc("The parameters of a {@link $T}: every tensor reachable from it, by dotted name, in the order\n"
            + "its fields are declared (a sub-module's after its field's name: {@code fc1.w}, {@code blocks.0.b}).\n"
            + "Null fields are left out.\n", ownerName)
        .addCode(body.build())
        .build();
  }

  /** Adds the tensor {@code value} under {@code name}, or a sub-module's parameters under {@code name + "."}. */
  private static void add(CodeBlock.Builder body, Field f, CodeBlock value, CodeBlock name) {
    if (f.isTensor()) {
      body.beginControlFlow("if ($L != null)", value)
          .addStatement("parameters.put($L, $L)", name, value)
          .endControlFlow();
      return;
    }
    CodeBlock listed = f.virtual()
        ? CodeBlock.of("$L.namedParameters()", value)
        : CodeBlock.of("$T.namedParameters($L)", JavaTypes.className(f.module()), value);
    body.beginControlFlow("if ($L != null)", value)
        .addStatement("String prefix = $L + $S", name, ".")
        .addStatement("$L.forEach((n, p) -> parameters.put(prefix + n, p))", listed)
        .endControlFlow();
  }
}
