package dev.adjoint.processor.parse;

import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import com.sun.source.util.Trees;

/**
 * Checks each {@code @Derivative} declaration where it is written, so that a rule with a wrong
 * signature is an error at the rule (not a puzzling "no derivative" at some call) and a rule that
 * can never be used is a warning.
 */
public final class DerivativeCheck {
  /** The first rule seen for each (primal method, parameter), to report duplicates. */
  private final Map<String, String> seen = new HashMap<>();
  private final Trees trees;
  private final Elements elements;
  private final ExternalDerivatives external;

  DerivativeCheck(Trees trees, Elements elements, ExternalDerivatives external) {
    this.trees = trees;
    this.elements = elements;
    this.external = external;
  }

  public void check(ExecutableElement rule, Reporter reporter, Pos pos) {
    TypeElement owner = (TypeElement) rule.getEnclosingElement();
    String of = CalleeResolver.stringValue(rule, CalleeResolver.DERIVATIVE, "of");
    if (of.contains(".")) {
      checkExternal(rule, of, reporter, pos);
      return;
    }
    List<ExecutableElement> primals = ElementFilter.methodsIn(owner.getEnclosedElements()).stream()
        .filter(m -> m.getSimpleName().contentEquals(of) && !m.equals(rule))
        .toList();
    if (primals.isEmpty()) {
      reporter.report(Diag.DERIVATIVE_TARGET, pos, of, "there is no method of that name in "
          + owner.getSimpleName() + " (name a method of another class as \"Class.method\")");
      return;
    }
    checkAgainst(rule, primals, of, owner, reporter, pos);
  }

  /**
   * A rule for a static method of another class, {@code of = "Gamma.logGamma"} (the class as the
   * rule's file would spell it: imported, nested or fully qualified): among that class's methods of
   * the name, the one whose parameters are the rule's.
   */
  private void checkExternal(ExecutableElement rule, String of, Reporter reporter, Pos pos) {
    String className = of.substring(0, of.lastIndexOf('.'));
    String methodName = of.substring(of.lastIndexOf('.') + 1);
    TypeElement ruleOwner = (TypeElement) rule.getEnclosingElement();
    TypeElement target = elements.getTypeElement(className);
    if (target == null && trees.getPath(rule) != null) {
      ClassResolver classes = new ClassResolver(elements, trees.getPath(rule).getCompilationUnit(), ruleOwner);
      target = className.contains(".") ? null : classes.resolveSimple(className).orElse(null);
    }
    if (target == null) {
      reporter.report(Diag.DERIVATIVE_TARGET, pos, of, "there is no class '" + className
          + "' here; import it or write its fully qualified name");
      return;
    }
    List<ExecutableElement> primals = ElementFilter.methodsIn(target.getEnclosedElements()).stream()
        .filter(m -> m.getSimpleName().contentEquals(methodName))
        .toList();
    if (primals.isEmpty()) {
      reporter.report(Diag.DERIVATIVE_TARGET, pos, of, "there is no method '" + methodName + "' in "
          + target.getQualifiedName());
      return;
    }
    List<ExecutableElement> same = primals.stream().filter(m -> sameParameters(rule, m)).toList();
    if (same.size() == 1 && !same.get(0).getModifiers().contains(Modifier.STATIC)) {
      reporter.report(Diag.DERIVATIVE_TARGET, pos, of, "a rule written outside the class of its method can only"
          + " be for a static method; " + methodName + " is an instance method");
      return;
    }
    if (checkAgainst(rule, same.isEmpty() ? primals : same, of, target, reporter, pos)) {
      external.add(same.get(0), rule);
    }
  }

  /** Checks {@code rule} against the method it is for; false after reporting why it does not fit. */
  private boolean checkAgainst(ExecutableElement rule, List<ExecutableElement> primals, String of, TypeElement owner,
      Reporter reporter, Pos pos) {
    if (primals.size() > 1) {
      reporter.report(Diag.DERIVATIVE_TARGET, pos, of, owner.getSimpleName() + " has several methods named '"
          + of + "'; give the one with a hand-written derivative its own name");
      return false;
    }
    ExecutableElement primal = primals.get(0);
    if (CalleeResolver.hasAnnotation(primal, CalleeResolver.DIFFERENTIABLE)) {
      reporter.report(Diag.UNUSED_DERIVATIVE, pos, of);
      return false;
    }
    if (rule.getModifiers().contains(Modifier.PRIVATE)) {
      reporter.report(Diag.PRIVATE_MEMBER, pos, "method " + rule.getSimpleName(),
          "of any caller (" + CalleeResolver.gradClass(TypeMapper.refType(owner)).simpleNames().get(0) + ", …)");
      return false;
    }
    String signature = primal.getParameters().stream()
        .map(p -> p.asType() + " " + p.getSimpleName())
        .collect(Collectors.joining(", "));
    boolean isStatic = primal.getModifiers().contains(Modifier.STATIC);
    if (!sameParameters(rule, primal) || rule.getModifiers().contains(Modifier.STATIC) != isStatic) {
      reporter.report(Diag.DERIVATIVE_SIGNATURE, pos, rule.getSimpleName(),
          "take exactly the parameters (" + signature + ") and be " + (isStatic ? "static" : "an instance method"),
          of);
      return false;
    }
    String wrt = CalleeResolver.stringValue(rule, CalleeResolver.DERIVATIVE, "wrt");
    VariableElement param = wrtParameter(primal, wrt, reporter, pos);
    if (param == null) {
      return false;
    }
    Type want = TypeMapper.of(param.asType());
    Type got = TypeMapper.of(rule.getReturnType());
    boolean fits = want != null && (want.equals(got) || want == Prim.FLOAT && got == Prim.DOUBLE);
    if (!fits) {
      reporter.report(Diag.DERIVATIVE_SIGNATURE, pos, rule.getSimpleName(),
          "return " + param.asType() + " (the type of parameter '" + param.getSimpleName() + "'), not "
              + rule.getReturnType(), of);
      return false;
    }
    String key = owner.getQualifiedName() + "." + of + "/" + param.getSimpleName();
    String first = seen.putIfAbsent(key, rule.getSimpleName().toString());
    if (first != null) {
      reporter.report(Diag.DERIVATIVE_DUPLICATE, pos, of, param.getSimpleName(), first);
    }
    return true;
  }

  private static boolean sameParameters(ExecutableElement a, ExecutableElement b) {
    if (a.getParameters().size() != b.getParameters().size()) {
      return false;
    }
    for (int i = 0; i < a.getParameters().size(); i++) {
      if (!a.getParameters().get(i).asType().toString().equals(b.getParameters().get(i).asType().toString())) {
        return false;
      }
    }
    return true;
  }

  /** The parameter named by wrt (or the only differentiable one); null after reporting. */
  private static VariableElement wrtParameter(ExecutableElement primal, String wrt, Reporter reporter, Pos pos) {
    List<? extends VariableElement> params = primal.getParameters();
    if (!wrt.isEmpty()) {
      for (VariableElement p : params) {
        if (p.getSimpleName().contentEquals(wrt)) {
          if (!CalleeResolver.isDifferentiable(TypeMapper.of(p.asType()))) {
            reporter.report(Diag.DERIVATIVE_WRT, pos, wrt, "parameter '" + wrt + "' has type " + p.asType()
                + ", which carries no derivative (double, float, double[] and double[][] do)");
            return null;
          }
          return p;
        }
      }
      reporter.report(Diag.DERIVATIVE_WRT, pos, wrt, "'" + primal.getSimpleName() + "' has no parameter named '"
          + wrt + "'; its parameters are: "
          + params.stream().map(p -> p.getSimpleName().toString()).collect(Collectors.joining(", ")));
      return null;
    }
    List<? extends VariableElement> candidates = params.stream()
        .filter(p -> CalleeResolver.isDifferentiable(TypeMapper.of(p.asType())))
        .toList();
    if (candidates.size() != 1) {
      reporter.report(Diag.DERIVATIVE_WRT, pos, "", "'" + primal.getSimpleName() + "' has "
          + (candidates.isEmpty() ? "no" : candidates.size()) + " differentiable parameters; name the one this"
          + " is the partial derivative with respect to");
      return null;
    }
    return candidates.get(0);
  }
}
