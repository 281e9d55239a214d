package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.reverse.GradMethod;
import javax.lang.model.element.Modifier;

/**
 * Writes a method's pullback in two halves, for callers that reverse it: {@code mForward} runs the
 * forward sweep and returns {@code MResiduals} (the value and the locals the reverse sweep needs),
 * {@code mBackward} runs the reverse sweep from them. A caller runs the first half where it calls
 * the method and the second in its own reverse sweep, so the callee's forward pass runs once.
 */
final class SplitWriter {
  private SplitWriter() {}

  static void write(GradMethod m, ClassName ownerName, TypeSpec.Builder type) {
    Method primal = m.primal();
    ClassName gradClass = GradClassWriter.gradClassName(primal.owner());
    ClassName residualsName = gradClass.nestedClass(m.recordName() + "Residuals");
    ClassName recordName = gradClass.nestedClass(m.recordName());
    String value = m.names().of(m.value());

    MethodSpec.Builder components = MethodSpec.constructorBuilder()
        .addParameter(JavaTypes.of(m.value().type()), "value");
    for (Var r : m.residuals()) {
      components.addParameter(JavaTypes.of(r.type()), component(m, r));
    }
    type.addType(TypeSpec.recordBuilder(residualsName.simpleName())
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("What the forward pass of {@code $L} leaves for its backward pass: the value, and the locals\n"
            + "its reverse sweep uses.\n", primal.name())
        .recordConstructor(components.build())
        .build());

    StmtWriter writer = new StmtWriter(m.names());
    MethodSpec.Builder forward = MethodSpec.methodBuilder(primal.name() + "Forward")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(residualsName)
        .addJavadoc("The first half of {@link #$LVjp}: the forward sweep, whose value and residuals\n"
            + "{@link #$LBackward} takes.\n", primal.name(), primal.name());
    GradClassWriter.addPrimalParameters(forward, m, ownerName);
    CodeBlock.Builder fwd = CodeBlock.builder();
    for (Stmt s : m.forward()) {
      writer.write(s, fwd);
    }
    CodeBlock.Builder args = CodeBlock.builder().add("$N", value);
    for (Var r : m.residuals()) {
      args.add(", $N", m.names().of(r));
    }
    fwd.addStatement("return new $T($L)", residualsName, args.build());
    type.addMethod(forward.addCode(fwd.build()).build());

    MethodSpec.Builder backward = MethodSpec.methodBuilder(primal.name() + "Backward")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(recordName)
        .addJavadoc("The second half of {@link #$LVjp}: the reverse sweep from what {@link #$LForward}\n"
            + "left; the arguments must be those it was called with.\n", primal.name(), primal.name());
    GradClassWriter.addPrimalParameters(backward, m, ownerName);
    String residualsParam = m.names().has("residuals") ? "residualsOf" + m.recordName() : "residuals";
    backward.addParameter(residualsName, residualsParam);
    backward.addParameter(JavaTypes.of(m.seed().type()), m.names().of(m.seed()));
    CodeBlock.Builder bwd = CodeBlock.builder();
    bwd.addStatement("$T $N = $N.value()", JavaTypes.of(m.value().type()), value, residualsParam);
    for (Var r : m.residuals()) {
      if (r.kind() == Var.Kind.PARAMETER) {
        // the forward sweep re-assigned it: the reverse sweep starts from its last value
        bwd.addStatement("$N = $N.$N()", m.names().of(r), residualsParam, component(m, r));
      } else {
        bwd.addStatement("$T $N = $N.$N()", JavaTypes.of(r.type()), m.names().of(r), residualsParam, component(m, r));
      }
    }
    bwd.add("\n");
    GradClassWriter.reverseSweep(m, m.reverse(), writer, bwd);
    bwd.add("\n");
    bwd.addStatement("return new $T($L)", recordName, GradClassWriter.recordArguments(m));
    type.addMethod(backward.addCode(bwd.build()).build());
  }

  /** A residual's record component: the local's name ({@code value} stays the result's). */
  private static String component(GradMethod m, Var r) {
    String n = m.names().of(r);
    return n.equals("value") ? "valueResidual" : n;
  }
}
