package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.forward.HvpMethod;
import dev.adjoint.processor.forward.JvpMethod;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.reverse.GradMethod;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;

/**
 * Writes the forward-mode members of {@code FooGrad}: the record {@code MJvp(value, tangent)} and
 * {@code mJvp(args, argDots)}, and the Hessian-vector product {@code mHvp(args, argDots)}.
 */
final class ForwardWriter {
  private ForwardWriter() {}

  static TypeSpec jvpRecord(JvpMethod m) {
    TypeName r = JavaTypes.of(m.primal().resultType());
    return TypeSpec.recordBuilder(m.recordName())
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("The value of {@code $L} and its directional derivative along the tangents.\n", m.primal().name())
        .recordConstructor(MethodSpec.constructorBuilder().addParameter(r, "value").addParameter(r, "tangent").build())
        .build();
  }

  /** {@code mJvp(args, argDots)}: one sweep, each active statement beside its tangent's. */
  static MethodSpec jvp(JvpMethod m, ClassName ownerName) {
    Method primal = m.primal();
    StmtWriter writer = new StmtWriter(m.names());
    ClassName record = GradClassWriter.gradClassName(primal.owner()).nestedClass(m.recordName());
    MethodSpec.Builder spec = MethodSpec.methodBuilder(primal.name() + "Jvp")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(record)
        .addJavadoc("Value of {@link $T#$L($L)} and its directional derivative (a Jacobian-vector product) along\n"
            + "$L: forward mode, one sweep that carries each value's tangent {@code xDot} beside it.\n",
            ownerName, primal.name(), GradClassWriter.paramTypes(primal),
            Stream.concat(m.tangents().stream().map(t -> "{@code " + m.names().of(t) + "}"),
                primal.fields().isEmpty() ? Stream.empty() : Stream.of("each model parameter's {@code tangent()}"))
                .collect(Collectors.joining(", ")));
    addParameters(spec, primal, m.names(), m.tangents(), ownerName);
    CodeBlock.Builder body = CodeBlock.builder();
    for (Stmt s : m.body()) {
      writer.write(s, body);
    }
    CodeBlock tangent = writer.expr(m.tangent());
    if (primal.resultType() == Prim.FLOAT) {
      tangent = CodeBlock.of("($T) $L", TypeName.FLOAT, maybeParens(m.tangent(), tangent));
    }
    body.addStatement("return new $T($L, $L)", record, writer.expr(m.value()), tangent);
    spec.addCode(body.build());
    return spec.build();
  }

  /** {@code mHvp(args, argDots)}: the gradient's sweeps, each adjoint's tangent beside it. */
  static MethodSpec hvp(HvpMethod h, ClassName ownerName) {
    GradMethod m = h.grad();
    Method primal = m.primal();
    StmtWriter writer = new StmtWriter(m.names());
    ClassName record = GradClassWriter.gradClassName(primal.owner()).nestedClass(m.recordName());
    MethodSpec.Builder spec = MethodSpec.methodBuilder(primal.name() + "Hvp")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(record)
        .addJavadoc("Value of {@link $T#$L($L)} and the Hessian times the direction ($L), by forward mode over\n"
            + "the gradient: each adjoint {@code xBar} of {@link #$L} carries its tangent {@code xBarDot}, so\n"
            + "the gradient's tangents are the record's components.\n",
            ownerName, primal.name(), GradClassWriter.paramTypes(primal),
            h.tangents().stream().map(t -> "{@code " + m.names().of(t) + "}").collect(Collectors.joining(", ")),
            primal.name());
    GradClassWriter.addWritesArguments(spec, m);
    addParameters(spec, primal, m.names(), h.tangents(), ownerName);
    CodeBlock.Builder body = CodeBlock.builder();
    body.add("// forward sweep, with the tangents along the direction\n");
    for (Stmt s : h.forward()) {
      writer.write(s, body);
    }
    body.add("\n");
    body.add("// reverse sweep from the seed 1, each adjoint with its tangent\n");
    for (Stmt s : h.reverse()) {
      if (s instanceof Stmt.Comment) {
        body.add("\n");
      }
      writer.write(s, body);
    }
    body.add("\n");
    CodeBlock.Builder args = CodeBlock.builder().add("$N", m.names().of(m.value()));
    for (int k = 0; k < primal.wrt().size(); k++) {
      Expr p = h.products().get(k);
      if (primal.wrt().get(k).type() == Prim.FLOAT) {
        args.add(", ($T) $L", TypeName.FLOAT, maybeParens(p, writer.expr(p)));
      } else if (dev.adjoint.processor.ir.Type.isFloatArray(primal.wrt().get(k).type())
          && !dev.adjoint.processor.ir.Type.isFloatArray(p.type())) {
        // accumulated in double, rounded to float once here
        args.add(", $T.toFloats($L)", ClassName.get("dev.adjoint.rules", "ArrayRules"), writer.expr(p));
      } else {
        args.add(", $L", writer.expr(p));
      }
    }
    body.addStatement("return new $T($L)", record, args.build());
    spec.addCode(body.build());
    return spec.build();
  }

  private static CodeBlock maybeParens(Expr e, CodeBlock printed) {
    return e instanceof Expr.Read || e instanceof Expr.Literal ? printed : CodeBlock.of("($L)", printed);
  }

  private static void addParameters(MethodSpec.Builder spec, Method primal, dev.adjoint.processor.reverse.Names names,
      List<Var> tangents, ClassName ownerName) {
    if (primal.self() != null) {
      spec.addParameter(GradClassWriter.selfTypeOf(primal, ownerName), names.of(primal.self()));
    }
    for (Var p : primal.params()) {
      spec.addParameter(JavaTypes.of(p.type()), names.of(p));
    }
    for (Var t : tangents) {
      spec.addParameter(JavaTypes.of(t.type()), names.of(t));
    }
  }
}
