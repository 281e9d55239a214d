package dev.adjoint.processor.parse;

import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Resolves calls of runtime ops ({@code Tensor} methods, {@code Layers}, {@code Loss}, or any class
 * following the convention) and finds each input's reverse rule, {@code <op>Vjp<Input>}, among the
 * static methods of the op's class, and its forward rule, declared {@code @Jvp(of, wrt)} (see
 * {@link JvpRules}). The rules are read from the runtime itself, so a new op with its rules needs
 * no change here.
 */
final class OpResolver {
  private final Elements elements;
  private final Reporter reporter;

  OpResolver(Elements elements, Reporter reporter) {
    this.elements = elements;
    this.reporter = reporter;
  }

  /** Whether a static method {@code name} of {@code owner} has reverse rules by the convention. */
  static boolean hasRules(TypeElement owner, String name) {
    return ElementFilter.methodsIn(owner.getEnclosedElements()).stream()
        .anyMatch(m -> m.getSimpleName().toString().startsWith(name + "Vjp"));
  }

  /**
   * The op {@code receiver.name(args)} (receiver null for a static method of {@code owner}), or
   * empty after reporting why it cannot be differentiated.
   */
  Optional<Expr> resolve(TypeElement owner, String name, Expr receiver, List<Expr> args, Pos pos, String shown) {
    List<Type> argTypes = args.stream().map(Expr::type).toList();
    List<ExecutableElement> candidates = ElementFilter.methodsIn(elements.getAllMembers(owner)).stream()
        .filter(m -> m.getSimpleName().contentEquals(name) && m.getModifiers().contains(Modifier.PUBLIC)
            && m.getModifiers().contains(Modifier.STATIC) == (receiver == null)
            && accepts(m, argTypes))
        .toList();
    if (candidates.size() != 1) {
      reporter.report(Diag.NO_RULE, pos, shown + (candidates.isEmpty()
          ? " (no public method with these argument types)" : " (ambiguous overloads)"));
      return Optional.empty();
    }
    ExecutableElement method = candidates.get(0);
    Type result = TypeMapper.of(method.getReturnType());
    if (result == null) {
      reporter.report(Diag.UNSUPPORTED_TYPE, pos, method.getReturnType() + " (the result of " + shown + ")");
      return Optional.empty();
    }
    List<Type> inputTypes = new ArrayList<>();
    List<String> inputNames = new ArrayList<>();
    if (receiver != null) {
      inputTypes.add(receiver.type());
      inputNames.add("Self");
    }
    List<? extends VariableElement> params = method.getParameters();
    boolean expanded = method.isVarArgs() && !(args.size() == params.size()
        && args.get(args.size() - 1).type() instanceof ArrayType);
    for (int i = 0; i < args.size(); i++) {
      // one rule entry per argument as written; arguments spread into a varargs array get none
      // (its rule returns the whole array's gradient), so a varying one is reported, not lost
      VariableElement p = params.get(Math.min(i, params.size() - 1));
      boolean spread = expanded && i >= params.size() - 1;
      inputTypes.add(spread ? null : args.get(i).type());
      String n = p.getSimpleName().toString();
      inputNames.add(Character.toUpperCase(n.charAt(0)) + n.substring(1));
    }
    List<String> rules = new ArrayList<>();
    for (int k = 0; k < inputNames.size(); k++) {
      String rule = name + "Vjp" + inputNames.get(k);
      boolean found = Type.carriesGradient(inputTypes.get(k)) && ruleExists(owner, rule, result, method, receiver);
      rules.add(found ? rule : null);
    }
    // forward mode: each input's @Jvp rule, found by its declaration; an argument spread into a
    // varargs array has none (as in reverse mode), so a varying one is reported, never dropped
    List<String> tangents = new ArrayList<>();
    for (int k = 0; k < inputNames.size(); k++) {
      tangents.add(Type.carriesGradient(inputTypes.get(k)) ? JvpRules.find(owner, method, k) : null);
    }
    if (dev.adjoint.processor.rules.Rules.isZeroDerivativeOp(owner.getQualifiedName().toString(), name)) {
      rules.replaceAll(r -> null); // a mask, a factory, a shape: nothing flows back
      tangents.replaceAll(r -> null);
    }
    return Optional.of(new Expr.Op(TypeMapper.refType(owner), name, receiver, args, result, rules, tangents, pos));
  }

  /** Whether {@code owner} declares {@code static rule(gy, y, [receiver,] params...)}. */
  private boolean ruleExists(TypeElement owner, String rule, Type result, ExecutableElement op, Expr receiver) {
    for (ExecutableElement m : ElementFilter.methodsIn(owner.getEnclosedElements())) {
      if (!m.getSimpleName().contentEquals(rule) || !m.getModifiers().contains(Modifier.STATIC)) {
        continue;
      }
      List<? extends VariableElement> ps = m.getParameters();
      int inputs = op.getParameters().size() + (receiver == null ? 0 : 1);
      if (ps.size() != inputs + 2 || !result.equals(TypeMapper.of(ps.get(0).asType()))) {
        continue;
      }
      int offset = 2 + (receiver == null ? 0 : 1);
      boolean same = true;
      for (int i = 0; i < op.getParameters().size(); i++) {
        same &= ps.get(offset + i).asType().toString().equals(op.getParameters().get(i).asType().toString());
      }
      if (same) {
        return true;
      }
    }
    return false;
  }

  /** Whether the method's parameters accept arguments of these types (varargs included). */
  private static boolean accepts(ExecutableElement m, List<Type> argTypes) {
    List<? extends VariableElement> ps = m.getParameters();
    boolean varargs = m.isVarArgs();
    if (!varargs && ps.size() != argTypes.size() || varargs && argTypes.size() < ps.size() - 1) {
      return false;
    }
    for (int i = 0; i < argTypes.size(); i++) {
      Type p;
      if (varargs && i >= ps.size() - 1) {
        Type last = TypeMapper.of(ps.get(ps.size() - 1).asType());
        boolean passesArray = argTypes.size() == ps.size() && last.equals(argTypes.get(i));
        p = passesArray ? last : ((ArrayType) last).element();
      } else {
        p = TypeMapper.of(ps.get(i).asType());
      }
      if (!fits(p, argTypes.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean fits(Type param, Type arg) {
    if (param instanceof Prim p && arg instanceof Prim a) {
      if (p == Prim.BOOLEAN || a == Prim.BOOLEAN) {
        return p == a;
      }
      return Prim.promote(p, a) == p;
    }
    return param != null && param.equals(arg);
  }
}
