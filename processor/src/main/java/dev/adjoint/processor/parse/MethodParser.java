package dev.adjoint.processor.parse;

import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * Turns the javac tree of one {@code @Differentiable} method body into IR, typing every expression
 * itself (bodies are not attributed yet while processors run). Every construct outside the
 * supported subset is reported at its own tree, and parsing goes on so that one compile shows all
 * of a method's problems; the result is empty if any error was reported.
 *
 * <p>This class reads the signature and checks the method as a whole; {@link StatementParser},
 * {@link SwitchParser} and {@link ExpressionParser} parse the body.
 */
public final class MethodParser {
  private final Trees trees;
  private final ExecutableElement element;
  private final MethodTree tree;
  private final RefType ownerType;
  private final ParseContext cx;
  private final Reporter reporter;
  private final SourceText source;

  public MethodParser(
      Trees trees,
      Elements elements,
      Reporter reporter,
      ExecutableElement element,
      String generatedClassName,
      OnDemand demand,
      ExternalDerivatives external) {
    this.trees = trees;
    this.element = element;
    TypeElement owner = (TypeElement) element.getEnclosingElement();
    TreePath path = trees.getPath(element);
    this.tree = (MethodTree) path.getLeaf();
    this.ownerType = TypeMapper.refType(owner);
    Var self = element.getModifiers().contains(Modifier.STATIC) ? null : new Var("self", ownerType, Var.Kind.SELF);
    this.cx = new ParseContext(elements, reporter, new SourceText(trees, path.getCompilationUnit()),
        new ClassResolver(elements, path.getCompilationUnit(), owner), owner, generatedClassName, self, demand,
        new ConstantCopier(trees, elements), external);
    this.reporter = cx.reporter;
    this.source = cx.source;
  }

  /** The position of the method's declaration, for method-level diagnostics. */
  public Pos methodPos() {
    return source.pos(tree);
  }

  /**
   * @param wrtNames the parameters named by {@code wrt} (empty: the default)
   * @param onDemand whether the method is differentiated because another calls it, not because it
   *     is annotated
   */
  public Optional<Method> parse(List<String> wrtNames, boolean onDemand) {
    int errorsBefore = reporter.errorCount();
    Pos methodPos = source.pos(tree);

    checkAccessible(methodPos);
    if (!element.getTypeParameters().isEmpty()) {
      reporter.report(Diag.GENERIC_METHOD, methodPos, element.getSimpleName());
    }
    Type result = TypeMapper.of(element.getReturnType());
    boolean arrayResult = result instanceof dev.adjoint.processor.ir.ArrayType at && at.element() == Prim.DOUBLE;
    Type resultType = result == Prim.DOUBLE || result == Prim.FLOAT || Type.TENSOR.equals(result) || arrayResult
        ? result : null;
    if (resultType == null) {
      reporter.report(Diag.BAD_RESULT_TYPE, source.pos(tree.getReturnType()), element.getReturnType());
    }
    if (tree.getBody() == null) {
      reporter.report(Diag.NO_BODY, methodPos, element.getSimpleName());
      return Optional.empty();
    }

    cx.pushScope();
    List<Var> params = new ArrayList<>();
    List<Var> wrt = new ArrayList<>();
    List<Pos> paramPositions = new ArrayList<>();
    int errorsBeforeParameters = reporter.errorCount();
    readParameters(params, paramPositions, wrt, wrtNames, methodPos);
    boolean parameterErrors = reporter.errorCount() > errorsBeforeParameters;

    cx.pushScope();
    StatementParser statements = new StatementParser(cx, new ExpressionParser(cx, trees));
    List<Stmt> body = statements.methodBody(tree.getBody());
    if (wrt.isEmpty() && cx.fieldVars.isEmpty() && !cx.callsModel && !parameterErrors) {
      reporter.report(Diag.NOTHING_TO_DIFFERENTIATE, methodPos, element.getSimpleName());
    }
    if (arrayResult) {
      checkArrayReturn(body);
    }
    if (reporter.errorCount() > errorsBefore || !statements.returned()) {
      return Optional.empty(); // without a return, javac itself reports "missing return statement"
    }
    return Optional.of(new Method(ownerType, CalleeResolver.generatedName(element), cx.self, params,
        paramPositions, wrt, resultType, body, identifiers(), cx.owner.getTypeParameters().size(), methodPos,
        List.copyOf(cx.fieldVars.values()), List.copyOf(cx.listFields), onDemand,
        cx.constants.copies()));
  }

  /**
   * A {@code double[]} result is returned once, by the method's last statement, as an array
   * variable: the pullback adds the seed into that array's adjoint, and the value is a copy (the
   * reverse sweep may put back elements the method overwrote).
   */
  private void checkArrayReturn(List<Stmt> body) {
    dev.adjoint.processor.ir.Rewrite.forEachStmt(body, s -> {
      if (s instanceof Stmt.Return r) {
        boolean last = !body.isEmpty() && body.get(body.size() - 1) == s;
        if (!last || !(r.value() instanceof dev.adjoint.processor.ir.Expr.Read)) {
          reporter.report(Diag.UNSUPPORTED_STATEMENT, r.pos(), "this return of a double[] result",
              "return an array variable once, as the method's last statement (double[] r = new double[n]; ... return r;)");
        }
      }
    });
  }

  private void readParameters(List<Var> params, List<Pos> paramPositions, List<Var> wrt, List<String> wrtNames, Pos methodPos) {
    List<? extends VariableElement> elems = element.getParameters();
    List<String> names = elems.stream().map(p -> p.getSimpleName().toString()).toList();
    for (String name : wrtNames) {
      if (!names.contains(name)) {
        reporter.report(Diag.UNKNOWN_WRT, methodPos, name, element.getSimpleName(), String.join(", ", names));
      }
    }
    for (int i = 0; i < elems.size(); i++) {
      VariableElement p = elems.get(i);
      VariableTree pTree = tree.getParameters().get(i);
      Pos pos = source.pos(pTree);
      String name = names.get(i);
      Type type = TypeMapper.of(p.asType());
      boolean noDerivative = CalleeResolver.hasAnnotation(p, CalleeResolver.NO_DERIVATIVE);
      boolean listed = wrtNames.contains(name);
      boolean differentiableType = CalleeResolver.isDifferentiable(type);
      boolean candidateType = differentiableType || TypeMapper.isArrayOfDouble(type) || isTensor(type);
      boolean differentiate;
      if (listed) {
        if (noDerivative) {
          reporter.report(Diag.WRT_NO_DERIVATIVE, pos, name);
        }
        if (!differentiableType) {
          reporter.report(Diag.WRT_NOT_DIFFERENTIABLE, pos, name, p.asType());
        }
        differentiate = true;
      } else {
        differentiate = wrtNames.isEmpty() && !noDerivative && candidateType;
        if (differentiate && !differentiableType) {
          reporter.report(Diag.UNSUPPORTED_PARAMETER_TYPE, pos, name, p.asType());
        } else if (wrtNames.isEmpty() && !noDerivative && isFloatArray(type)) {
          // float[][] carries values with derivatives, but has no gradient yet: say so, not "nothing to differentiate"
          reporter.report(Diag.UNSUPPORTED_PARAMETER_TYPE, pos, name, p.asType());
        }
      }
      if (type == null) {
        reporter.report(Diag.UNSUPPORTED_PARAMETER_TYPE, pos, name, p.asType());
        type = Prim.INT;
      }
      if (differentiate && name.equals("valueBar") && element.getParameters().stream()
          .anyMatch(o -> o.getSimpleName().contentEquals("value"))) {
        reporter.report(Diag.PARAMETER_NAMED_VALUE, pos, cx.generatedClassName + "." + recordName());
      }
      if (p.asType() instanceof javax.lang.model.type.DeclaredType d) {
        // a parameter of a private type (a private enum, say): the generated methods could not name it
        for (Element e = d.asElement(); e instanceof TypeElement t; e = e.getEnclosingElement()) {
          if (t.getModifiers().contains(Modifier.PRIVATE)) {
            reporter.report(Diag.INACCESSIBLE_CLASS, pos, t.getQualifiedName(), cx.generatedClassName);
            break;
          }
        }
      }
      Var var = new Var(name, type, Var.Kind.PARAMETER);
      cx.declare(var);
      params.add(var);
      paramPositions.add(pos);
      if (differentiate) {
        wrt.add(var);
      }
    }

  }

  private String recordName() {
    String n = element.getSimpleName().toString();
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }

  private void checkAccessible(Pos pos) {
    for (Element e = cx.owner; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      if (t.getModifiers().contains(Modifier.PRIVATE)) {
        reporter.report(Diag.INACCESSIBLE_CLASS, pos, t.getQualifiedName(), cx.generatedClassName);
      }
    }
  }

  /** {@code float[][]}, which has no gradient yet ({@code float[]} has one). */
  private static boolean isFloatArray(Type type) {
    return type instanceof dev.adjoint.processor.ir.ArrayType a
        && a.element() instanceof dev.adjoint.processor.ir.ArrayType inner && inner.element() == Prim.FLOAT;
  }

  private static boolean isTensor(Type type) {
    return type instanceof RefType r && r.qualifiedName().equals("dev.adjoint.tensor.Tensor");
  }

  /** Every identifier and variable name in the method, so generated names can avoid them. */
  private List<String> identifiers() {
    TreeSet<String> names = new TreeSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree node, Void unused) {
        names.add(node.getName().toString());
        return null;
      }

      @Override
      public Void visitVariable(VariableTree node, Void unused) {
        names.add(node.getName().toString());
        return super.visitVariable(node, unused);
      }
    }.scan(tree, null);
    for (Element member : cx.owner.getEnclosedElements()) {
      if (member.getKind() == ElementKind.FIELD) {
        names.add(member.getSimpleName().toString());
      }
    }
    return List.copyOf(names);
  }
}
