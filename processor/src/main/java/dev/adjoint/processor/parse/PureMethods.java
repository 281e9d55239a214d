package dev.adjoint.processor.parse;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * Recognises the methods whose value depends on nothing but their arguments and final fields
 * ({@code double getEps() { return eps; }}, {@code static Policy getDefault() { return DEFAULT; }}):
 * generated code may call them again in the reverse sweep and get the same value, which a call
 * of {@code random.nextGaussian()} would not give.
 */
final class PureMethods {
  private PureMethods() {}

  /**
   * Whether {@code m}'s source is in the compilation and its body is one {@code return} of an
   * expression of its parameters, final fields of its class, literals, arithmetic and comparisons.
   */
  static boolean readsOnlyFinalState(ExecutableElement m, CalleeResolver callees) {
    MethodTree tree = callees.sourceOf(m);
    if (tree == null || tree.getBody() == null || tree.getBody().getStatements().size() != 1
        || !(tree.getBody().getStatements().get(0) instanceof ReturnTree r) || r.getExpression() == null) {
      return false;
    }
    return pure(r.getExpression(), m);
  }

  private static boolean pure(ExpressionTree e, ExecutableElement m) {
    if (e instanceof LiteralTree) {
      return true;
    }
    if (e instanceof ParenthesizedTree p) {
      return pure(p.getExpression(), m);
    }
    if (e instanceof UnaryTree u) {
      return switch (u.getKind()) {
        case UNARY_MINUS, UNARY_PLUS, LOGICAL_COMPLEMENT, BITWISE_COMPLEMENT -> pure(u.getExpression(), m);
        default -> false; // ++ and --
      };
    }
    if (e instanceof BinaryTree b) {
      return pure(b.getLeftOperand(), m) && pure(b.getRightOperand(), m);
    }
    if (e instanceof ConditionalExpressionTree c) {
      return pure(c.getCondition(), m) && pure(c.getTrueExpression(), m) && pure(c.getFalseExpression(), m);
    }
    if (e instanceof TypeCastTree c) {
      return pure(c.getExpression(), m);
    }
    if (e instanceof IdentifierTree id) {
      String name = id.getName().toString();
      return m.getParameters().stream().anyMatch(p -> p.getSimpleName().contentEquals(name))
          || finalField((TypeElement) m.getEnclosingElement(), name);
    }
    if (e instanceof MemberSelectTree s && s.getIdentifier().contentEquals("length")
        && s.getExpression() instanceof IdentifierTree a) {
      // array.length of an array parameter: fixed for the array's life (its elements are not read)
      return m.getParameters().stream().anyMatch(p -> p.getSimpleName().contentEquals(a.getName())
          && p.asType().getKind() == javax.lang.model.type.TypeKind.ARRAY);
    }
    if (e instanceof MemberSelectTree s && s.getExpression() instanceof IdentifierTree q
        && q.getName().contentEquals("this")) {
      return finalField((TypeElement) m.getEnclosingElement(), s.getIdentifier().toString());
    }
    return false; // calls, object creation, assignments, array reads (an array's elements may change)
  }

  /** Whether {@code name} is a final field of {@code type} or of a class enclosing it. */
  private static boolean finalField(TypeElement type, String name) {
    for (Element e = type; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      for (VariableElement f : ElementFilter.fieldsIn(t.getEnclosedElements())) {
        if (f.getSimpleName().contentEquals(name)) {
          return f.getModifiers().contains(Modifier.FINAL);
        }
      }
    }
    return false;
  }
}
