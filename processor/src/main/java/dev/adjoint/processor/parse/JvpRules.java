package dev.adjoint.processor.parse;

import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Forward rules of runtime ops, declared with {@code @Jvp(of = "op", wrt = "input")}: found by the
 * declaration (never by name) for an op's input, and checked where they are written, so that a
 * rule with a wrong signature is an error at the rule rather than a missing rule at some call.
 */
public final class JvpRules {
  static final String JVP = "dev.adjoint.Jvp";

  public JvpRules() {}

  /** Two types as the rules compare them: by their erased spelling (rules have no type variables). */
  private static boolean same(TypeMirror a, TypeMirror b) {
    return erased(a).equals(erased(b));
  }

  private static String erased(TypeMirror t) {
    String s = t.toString();
    int generic = s.indexOf('<');
    return generic < 0 ? s : s.substring(0, generic);
  }

  /** The inputs of an op in rule order: the receiver's type (instance methods), then the parameters' types. */
  private static List<TypeMirror> inputs(ExecutableElement op) {
    List<TypeMirror> out = new ArrayList<>();
    if (!op.getModifiers().contains(Modifier.STATIC)) {
      out.add(op.getEnclosingElement().asType());
    }
    for (VariableElement p : op.getParameters()) {
      out.add(p.asType());
    }
    return out;
  }

  /** The inputs' names in rule order: {@code self} for the receiver, then the parameters' names. */
  private static List<String> inputNames(ExecutableElement op) {
    List<String> out = new ArrayList<>();
    if (!op.getModifiers().contains(Modifier.STATIC)) {
      out.add("self");
    }
    for (VariableElement p : op.getParameters()) {
      out.add(p.getSimpleName().toString());
    }
    return out;
  }

  /** The name of the forward rule of {@code op}'s input {@code k} (0 is the receiver of an instance op), or null. */
  static String find(TypeElement owner, ExecutableElement op, int k) {
    String wrt = inputNames(op).get(k);
    for (ExecutableElement m : ElementFilter.methodsIn(owner.getEnclosedElements())) {
      if (op.getSimpleName().contentEquals(CalleeResolver.stringValue(m, JVP, "of"))
          && wrt.equals(CalleeResolver.stringValue(m, JVP, "wrt")) && problem(m, op, k) == null) {
        return m.getSimpleName().toString();
      }
    }
    return null;
  }

  /** What is wrong with {@code rule} as the forward rule of {@code op}'s input {@code k}, or null. */
  private static String problem(ExecutableElement rule, ExecutableElement op, int k) {
    if (!rule.getModifiers().contains(Modifier.PUBLIC) || !rule.getModifiers().contains(Modifier.STATIC)) {
      return "the rule must be public static";
    }
    List<TypeMirror> in = inputs(op);
    List<? extends VariableElement> ps = rule.getParameters();
    if (ps.size() != in.size() + 2 || !sameTypes(ps.subList(2, ps.size()), in)) {
      return "its parameters from the third must be the op's inputs " + in;
    }
    TypeMirror input = in.get(k);
    if (!same(ps.get(0).asType(), input)) {
      return "its first parameter (the tangent of '" + inputNames(op).get(k) + "') must have that input's type, "
          + input;
    }
    TypeMirror result = op.getReturnType();
    if (!same(ps.get(1).asType(), result) || !same(rule.getReturnType(), result)) {
      return "its second parameter (the op's value) and its result must have the op's result type, " + result;
    }
    return null;
  }

  private static boolean sameTypes(List<? extends VariableElement> ps, List<TypeMirror> in) {
    for (int i = 0; i < in.size(); i++) {
      if (!same(ps.get(i).asType(), in.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks one {@code @Jvp} declaration where it is written: its op is a public method of the same
   * class with an overload whose inputs are the rule's, {@code wrt} names one of them, and the
   * tangent, value and result types are that input's and the op's.
   */
  public void check(ExecutableElement rule, Reporter reporter, Pos pos) {
    TypeElement owner = (TypeElement) rule.getEnclosingElement();
    String of = CalleeResolver.stringValue(rule, JVP, "of");
    String wrt = CalleeResolver.stringValue(rule, JVP, "wrt");
    String shown = owner.getSimpleName() + "." + rule.getSimpleName();
    List<ExecutableElement> ops = ElementFilter.methodsIn(owner.getEnclosedElements()).stream()
        .filter(m -> m.getSimpleName().contentEquals(of) && !m.equals(rule) && m.getModifiers().contains(Modifier.PUBLIC)
            && CalleeResolver.stringValue(m, JVP, "of").isEmpty())
        .toList();
    if (ops.isEmpty()) {
      reporter.report(Diag.JVP_RULE, pos, of, wrt, shown, "there is no public method '" + of + "' in "
          + owner.getSimpleName());
      return;
    }
    String why = null;
    for (ExecutableElement op : ops) {
      List<? extends VariableElement> ps = rule.getParameters();
      List<TypeMirror> in = inputs(op);
      if (ps.size() != in.size() + 2 || !sameTypes(ps.subList(2, ps.size()), in)) {
        why = "no overload of '" + of + "' has the inputs " + (ps.size() < 2 ? "[]"
            : ps.subList(2, ps.size()).stream().map(p -> p.asType().toString()).toList())
            + " (the receiver first for an instance method)";
        continue;
      }
      int k = inputNames(op).indexOf(wrt);
      if (k < 0) {
        reporter.report(Diag.JVP_RULE, pos, of, wrt, shown, "'" + wrt + "' is not an input of " + of
            + "; its inputs are " + inputNames(op));
        return;
      }
      String p = problem(rule, op, k);
      if (p != null) {
        reporter.report(Diag.JVP_RULE, pos, of, wrt, shown, p);
      }
      return;
    }
    reporter.report(Diag.JVP_RULE, pos, of, wrt, shown, why);
  }
}
