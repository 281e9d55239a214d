package dev.adjoint.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.reverse.GradMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code mCheck(...)} beside each generated {@code m(...)}: the generated gradient compared with Richardson
 * central differences of the method itself at the given point, through the runtime's {@code MethodCheck}, so that a
 * user's test of the gradient is one line. No reflection: the method is called by name in a lambda.
 */
final class CheckMethodWriter {
  private static final ClassName METHOD_CHECK = ClassName.get("dev.adjoint.check", "MethodCheck");
  private static final ClassName OPTIONS = ClassName.get("dev.adjoint.check", "GradCheck", "Options");
  private static final ClassName REPORT = ClassName.get("dev.adjoint.check", "Report");

  private CheckMethodWriter() {}

  /**
   * Adds {@code mCheck(args…)} and {@code mCheck(options, args…)} for {@code m} to {@code type}, unless the class
   * already differentiates a method of that name.
   */
  static void addTo(TypeSpec.Builder type, GradMethod m, List<GradMethod> all, ClassName ownerName, Element owner) {
    String name = m.primal().name() + "Check";
    if (all.stream().anyMatch(o -> o.primal().name().equals(name))) {
      return;
    }
    type.addMethod(withDefaults(m, name, ownerName));
    type.addMethod(check(m, name, ownerName, owner));
  }

  private static MethodSpec withDefaults(GradMethod m, String name, ClassName ownerName) {
    Method primal = m.primal();
    boolean single = primal.resultType() == Prim.FLOAT
        || primal.wrt().stream().anyMatch(p -> p.type() == Prim.FLOAT || dev.adjoint.processor.ir.Type.isFloatArray(p.type()));
    CodeBlock args = CodeBlock.join(signature(m).stream().map(p -> CodeBlock.of("$N", p)).toList(), ", ");
    return MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(REPORT)
        .addJavadoc("{@link #$L} checked against finite differences of {@link $T#$L} at this point, with the default\n"
            + "tolerances$L; {@code .assertPassed()} makes it a one-line test.\n", primal.name(), ownerName,
            primal.name(), single ? " for float arithmetic" : "")
        .addParameters(signature(m))
        .addStatement("return $N($L, $L)", name,
            single ? CodeBlock.of("$T.SINGLE_PRECISION", METHOD_CHECK) : CodeBlock.of("$T.DEFAULT", OPTIONS), args)
        .build();
  }

  private static MethodSpec check(GradMethod m, String name, ClassName ownerName, Element owner) {
    Method primal = m.primal();
    List<ParameterSpec> params = signature(m);
    Set<String> used = new HashSet<>();
    params.forEach(p -> used.add(p.name()));
    String options = fresh("options", used);
    String check = fresh("check", used);
    String gradient = fresh("gradient", used);
    List<String> written = GradClassWriter.writtenArrayParameters(m);

    CodeBlock.Builder body = CodeBlock.builder();
    body.add("$T $N = new $T($S, $N)", METHOD_CHECK, check, METHOD_CHECK,
        String.join(".", ownerName.simpleNames()) + "." + primal.name(), options);
    for (Var f : primal.fields()) {
      body.add("\n    .$L($S, $N.$N)", dev.adjoint.processor.ir.Type.TENSOR_ARRAY.equals(f.type()) ? "fields" : "field",
          f.name(), m.names().of(primal.self()), f.name());
    }
    body.add(";\n");
    ClassName recordName = GradClassWriter.gradClassName(primal.owner()).nestedClass(m.recordName());
    CodeBlock gradientArgs = arguments(m, p -> copied(m, p, written));
    CodeBlock gradientCall = CodeBlock.of("$N($L)", primal.name(), withSelf(m, gradientArgs));
    CodeBlock call = primal.fields().isEmpty() ? gradientCall
        : CodeBlock.of("$N.gradient(() -> $L)", check, gradientCall);
    if (primal.wrt().isEmpty()) {
      body.addStatement("$L", call); // only the fields' gradients, which the check has taken
    } else {
      body.addStatement("$T $N = $L", recordName, gradient, call);
    }

    List<String> holders = new ArrayList<>();
    for (Var p : primal.wrt()) {
      String at = fresh(m.names().of(p) + "At", used);
      holders.add(at);
      String register = p.type() instanceof Prim ? "scalar" : p.type() instanceof ArrayType ? "array" : "tensor";
      TypeName holderType = p.type() instanceof Prim ? ArrayTypeName.of(JavaTypes.of(p.type()))
          : JavaTypes.of(p.type());
      body.addStatement("$T $N = $N.$L($S, $N, $N.$N())", holderType, at, check, register, p.name(),
          m.names().of(p), gradient, Method.component(p.name()));
    }
    CodeBlock primalArgs = arguments(m, p -> {
      int i = primal.wrt().indexOf(p);
      if (i < 0) {
        return copied(m, p, written);
      }
      String at = holders.get(i);
      return p.type() instanceof Prim ? CodeBlock.of("$N[0]", at) : copy(p.type(), CodeBlock.of("$N", at),
          written.contains(p.name()));
    });
    body.addStatement("return $N.run(() -> $L)", check, primalCall(m, ownerName, owner, primalArgs));

    return MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(REPORT)
        .addJavadoc("Compares {@link #$L} with Richardson central differences of {@link $T#$L} at this point, for\n"
            + "every differentiated parameter$L; the report names the worst one.\n"
            + "Nothing passed in is changed.\n", primal.name(), ownerName, primal.name(),
            primal.fields().isEmpty() ? "" : "\nand every field that requires grad (its {@code grad()} is kept)")
        .addParameter(OPTIONS, options)
        .addParameters(params)
        .addCode(body.build())
        .build();
  }

  /**
   * The method itself, called as the user wrote it; a private one (which this class cannot call) through the
   * value of its generated gradient, which equals it bit for bit.
   */
  private static CodeBlock primalCall(GradMethod m, ClassName ownerName, Element owner, CodeBlock args) {
    Method primal = m.primal();
    if (isPrivate(owner, primal)) {
      return CodeBlock.of("$N($L).value()", primal.name(), withSelf(m, args));
    }
    if (primal.isStatic()) {
      return CodeBlock.of("$T.$N($L)", ownerName, primal.name(), args);
    }
    return CodeBlock.of("$N.$N($L)", m.names().of(primal.self()), primal.name(), args);
  }

  private static boolean isPrivate(Element owner, Method primal) {
    for (Element e : owner.getEnclosedElements()) {
      if (e.getKind() == ElementKind.METHOD && e.getSimpleName().contentEquals(primal.name())
          && ((ExecutableElement) e).getParameters().size() == primal.params().size()) {
        return e.getModifiers().contains(Modifier.PRIVATE);
      }
    }
    return false;
  }

  /** The generated gradient's parameters: the receiver of an instance method, then the method's own. */
  private static List<ParameterSpec> signature(GradMethod m) {
    List<ParameterSpec> specs = new ArrayList<>();
    if (m.primal().self() != null) {
      specs.add(selfParameter(m));
    }
    for (Var p : m.primal().params()) {
      specs.add(ParameterSpec.builder(JavaTypes.of(p.type()), m.names().of(p)).build());
    }
    return specs;
  }

  /**
   * The receiver as the generated gradient declares it ({@code Box<?>} for a generic {@code Box<T>}); the same rule
   * as in {@link GradClassWriter}, kept here so that class's per-method code is untouched.
   */
  private static ParameterSpec selfParameter(GradMethod m) {
    Method primal = m.primal();
    ClassName owner = JavaTypes.className(primal.owner());
    TypeName type = owner;
    if (primal.ownerTypeParameters() > 0) {
      TypeName[] wildcards = new TypeName[primal.ownerTypeParameters()];
      Arrays.fill(wildcards, WildcardTypeName.subtypeOf(Object.class));
      type = ParameterizedTypeName.get(owner, wildcards);
    }
    return ParameterSpec.builder(type, m.names().of(primal.self())).build();
  }

  /** The method's own arguments (without the receiver), each as {@code each} spells it. */
  private static CodeBlock arguments(GradMethod m, Function<Var, CodeBlock> each) {
    return CodeBlock.join(m.primal().params().stream().map(each).toList(), ", ");
  }

  /** The generated gradient's arguments: the receiver of an instance method first. */
  private static CodeBlock withSelf(GradMethod m, CodeBlock args) {
    if (m.primal().isStatic()) {
      return args;
    }
    CodeBlock self = CodeBlock.of("$N", m.names().of(m.primal().self()));
    return args.isEmpty() ? self : CodeBlock.of("$L, $L", self, args);
  }

  /** A parameter as passed on: a copy if the method writes into it, so every call sees the same point. */
  private static CodeBlock copied(GradMethod m, Var p, List<String> written) {
    return copy(p.type(), CodeBlock.of("$N", m.names().of(p)), written.contains(p.name()));
  }

  private static CodeBlock copy(Type type, CodeBlock value, boolean needed) {
    if (!needed) {
      return value;
    }
    if (type instanceof ArrayType a && a.element() instanceof ArrayType inner
        && (inner.element() == Prim.DOUBLE || inner.element() == Prim.INT)) {
      return CodeBlock.of("$T.copy($L)", METHOD_CHECK, value);
    }
    return CodeBlock.of("$L.clone()", value);
  }

  private static String fresh(String preferred, Set<String> used) {
    String candidate = preferred;
    for (int i = 2; used.contains(candidate) || SourceVersion.isKeyword(candidate); i++) {
      candidate = preferred + i;
    }
    used.add(candidate);
    return candidate;
  }
}
