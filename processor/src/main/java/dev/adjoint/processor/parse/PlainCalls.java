package dev.adjoint.processor.parse;

import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Type;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;

/**
 * Static calls through which no derivative flows, kept as written in the forward sweep: calls whose
 * result carries none ({@code Double.isNaN(x)}, {@code Math.getExponent(x)}, {@code Long.bitCount(n)},
 * a user's {@code int bucket(double x)}: a boolean or an integer, piecewise constant like a cast to
 * int), calls made for their effect ({@code Objects.requireNonNull(a);}, {@code validate(n);}), and
 * the two calls that rebuild a floating-point value from bits, which analysis refuses when the bits
 * come from a varying value.
 */
final class PlainCalls {
  /** {@code Double.longBitsToDouble}, {@code Float.intBitsToFloat}: a number made from bits. */
  static final Set<String> FROM_BITS = Set.of("java.lang.Double#longBitsToDouble", "java.lang.Float#intBitsToFloat");

  /** Library classes known not to write into arrays they are given. */
  private static final Set<String> READ_ONLY = Set.of("java.util.Objects", "java.lang.Double", "java.lang.Float",
      "java.lang.Integer", "java.lang.Long", "java.lang.Math", "java.lang.StrictMath", "java.lang.String");

  private final ParseContext cx;
  private final CalleeResolver callees;

  PlainCalls(ParseContext cx, CalleeResolver callees) {
    this.cx = cx;
    this.callees = callees;
  }

  /** The static method {@code name} of {@code owner} these arguments call, when one applies. */
  Optional<ExecutableElement> find(TypeElement owner, String name, List<Expr> args) {
    ExecutableElement best = null;
    for (ExecutableElement m : ElementFilter.methodsIn(cx.elements.getAllMembers(owner))) {
      if (!m.getSimpleName().contentEquals(name) || m.getParameters().size() != args.size() || m.isVarArgs()
          || !m.getModifiers().contains(Modifier.STATIC) || !applies(m, args.stream().map(Expr::type).toList())) {
        continue;
      }
      if (best == null || m.getParameters().stream().allMatch(p -> TypeMapper.of(p.asType()) != null)
          && applies(best, m.getParameters().stream().map(p -> TypeMapper.of(p.asType())).toList())) {
        best = m; // more specific: the other's parameters accept its own (JLS 15.12.2.5)
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Whether a call of {@code m} is one to keep as it is in an expression: its result is a boolean
   * or an integer, or it is one of {@link #FROM_BITS}.
   */
  static boolean carriesNoDerivative(ExecutableElement m) {
    TypeKind k = m.getReturnType().getKind();
    return k == TypeKind.BOOLEAN || k == TypeKind.INT || k == TypeKind.LONG || k == TypeKind.SHORT
        || k == TypeKind.BYTE || k == TypeKind.CHAR || FROM_BITS.contains(key(m));
  }

  private static String key(ExecutableElement m) {
    return ((TypeElement) m.getEnclosingElement()).getQualifiedName() + "#" + m.getSimpleName();
  }

  /**
   * The call as IR, after checking that the generated class may make it and that it cannot change
   * an array with a gradient; empty after reporting why not. {@code forEffect}: a statement of its
   * own, whose result (of any type, void included) is dropped.
   */
  Optional<Expr> call(ExecutableElement m, List<Expr> args, Pos pos, String shown, boolean forEffect) {
    TypeElement declaring = (TypeElement) m.getEnclosingElement();
    if (m.getModifiers().contains(Modifier.PRIVATE)) {
      cx.reporter.report(Diag.PRIVATE_CALL, pos, "method " + shown, cx.generatedClassName);
      return Optional.empty();
    }
    if (!m.getModifiers().contains(Modifier.PUBLIC)
        && !cx.elements.getPackageOf(declaring).equals(cx.elements.getPackageOf(cx.owner))) {
      cx.reporter.report(Diag.PRIVATE_CALL, pos, "method " + shown + " (not public, in another package)",
          cx.generatedClassName);
      return Optional.empty();
    }
    List<String> written = null;
    for (int i = 0; i < args.size(); i++) {
      if (!Type.carriesGradient(args.get(i).type()) || !(args.get(i).type() instanceof ArrayType)) {
        continue;
      }
      String param = m.getParameters().get(i).getSimpleName().toString();
      if (READ_ONLY.contains(declaring.getQualifiedName().toString())) {
        continue;
      }
      if (written == null) {
        written = callees.writtenArrayParameters(m);
      }
      if (written.contains(param)) {
        cx.reporter.report(Diag.CALLEE_WRITES_ARRAY, pos, shown, param);
        return Optional.empty();
      }
      if (callees.sourceOf(m) == null) {
        cx.reporter.report(Diag.UNCHECKED_ARRAY_ARGUMENT, pos, shown, param);
        return Optional.empty();
      }
    }
    Type result = forEffect && !carriesNoDerivative(m) ? VOID : TypeMapper.of(m.getReturnType());
    List<Expr> converted = new java.util.ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      converted.add(ExpressionParser.convert(args.get(i), TypeMapper.of(m.getParameters().get(i).asType())));
    }
    return Optional.of(new Expr.Call(TypeMapper.refType(declaring), m.getSimpleName().toString(), converted, result));
  }

  /** Whether arguments of these types can be passed to {@code m}'s parameters (widening only). */
  private static boolean applies(ExecutableElement m, List<Type> argTypes) {
    for (int i = 0; i < argTypes.size(); i++) {
      javax.lang.model.type.TypeMirror declared = m.getParameters().get(i).asType();
      Type p = TypeMapper.of(declared);
      Type a = argTypes.get(i);
      boolean ok;
      if (declared.getKind() == TypeKind.TYPEVAR) {
        ok = a != null && !(a instanceof Prim); // Objects.requireNonNull(T obj): no boxing
      } else if (p instanceof Prim pp && a instanceof Prim ap) {
        ok = pp == ap || pp.isNumeric() && ap.isNumeric() && ap.widensTo(pp);
      } else if (p instanceof RefType r && r.qualifiedName().equals("java.lang.Object")) {
        ok = !(a instanceof Prim); // no boxing
      } else {
        ok = p != null && p.equals(a);
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The type of a call's dropped result. */
  private static final RefType VOID = new RefType("java.lang", List.of("Void"));
}
