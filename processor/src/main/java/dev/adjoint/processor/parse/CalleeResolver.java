package dev.adjoint.processor.parse;

import com.sun.source.util.Trees;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Finds the derivative of a user method that differentiable code calls: its generated gradient
 * (it is {@code @Differentiable}, in this build or compiled earlier) or its {@code @Derivative}
 * partials.
 */
final class CalleeResolver {
  static final String DIFFERENTIABLE = "dev.adjoint.Differentiable";
  static final String DERIVATIVE = "dev.adjoint.Derivative";
  static final String NO_DERIVATIVE = "dev.adjoint.NoDerivative";

  private final Trees trees;
  private final Elements elements;
  private final Reporter reporter;
  private final TypeElement caller;
  private final OnDemand demand;
  private final ExternalDerivatives external;

  CalleeResolver(Trees trees, Elements elements, Reporter reporter, TypeElement caller, OnDemand demand,
      ExternalDerivatives external) {
    this.external = external;
    this.trees = trees;
    this.elements = elements;
    this.reporter = reporter;
    this.caller = caller;
    this.demand = demand;
  }

  /** The method {@code name} of {@code owner} taking {@code arity} arguments, with its derivative. */
  Optional<Callee> resolve(TypeElement owner, String name, List<Type> argTypes, Pos pos, String shown) {
    int arity = argTypes.size();
    List<ExecutableElement> candidates = ElementFilter.methodsIn(elements.getAllMembers(owner)).stream()
        .filter(m -> m.getSimpleName().contentEquals(name) && m.getParameters().size() == arity)
        .toList();
    if (candidates.size() > 1) {
      // overloads, as javac picks among them (JLS 15.12.2): those applicable by widening, then
      // the most specific
      candidates = mostSpecific(candidates.stream().filter(m -> accepts(m, argTypes)).toList());
    }
    if (candidates.isEmpty()) {
      reporter.report(Diag.UNRESOLVED, pos, shown + " with " + arity + " argument" + (arity == 1 ? "" : "s"));
      return Optional.empty();
    }
    if (candidates.size() > 1) {
      reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "calling the overloaded method " + shown,
          "give the overloads different names");
      return Optional.empty();
    }
    ExecutableElement method = candidates.get(0);
    TypeElement declaring = (TypeElement) method.getEnclosingElement();
    String generated = generatedName(method);
    boolean onDemand = onDemandCandidate(method, declaring, name);
    boolean hidden = method.getModifiers().contains(Modifier.PRIVATE);
    if (hidden && !onDemand && !hasAnnotation(method, DIFFERENTIABLE)) {
      // (a private @Differentiable method, like a private helper differentiated on demand, gives
      // its value through its generated gradient)
      reporter.report(Diag.PRIVATE_MEMBER, pos, "method " + shown, generatedName());
      return Optional.empty();
    }
    if (!method.getModifiers().contains(Modifier.PUBLIC)
        && !elements.getPackageOf(declaring).equals(elements.getPackageOf(caller))) {
      reporter.report(Diag.PRIVATE_MEMBER, pos, "method " + shown + " (not public, in another package)",
          generatedName());
      return Optional.empty();
    }
    List<Type> types = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (VariableElement p : method.getParameters()) {
      Type t = TypeMapper.of(p.asType());
      if (t == null) {
        reporter.report(Diag.UNSUPPORTED_TYPE, pos, p.asType() + " (a parameter of " + shown + ")");
        return Optional.empty();
      }
      types.add(t);
      names.add(p.getSimpleName().toString());
    }
    Type result = TypeMapper.of(method.getReturnType());
    if (result != Prim.DOUBLE && result != Prim.FLOAT && !Type.TENSOR.equals(result)) {
      reporter.report(Diag.NOT_DIFFERENTIABLE_CALL, pos, shown + " (its result is "
          + method.getReturnType() + ", not double, float or Tensor)");
      return Optional.empty();
    }
    RefType ownerType = TypeMapper.refType(declaring);
    boolean readsModel = !method.getModifiers().contains(Modifier.STATIC) && isModel(declaring);
    if (readsModel && !hasAnnotation(method, DIFFERENTIABLE) && virtualPullback(method) == null && !onDemand) {
      reporter.report(Diag.NOT_DIFFERENTIABLE_CALL, pos, shown + " (an instance method of the model "
          + declaring.getSimpleName() + ", whose parameters it may read; mark it @Differentiable)");
      return Optional.empty();
    }
    List<String> written = new ArrayList<>(writtenArrayParameters(method));
    // an argument null is no array the callee could change (lgamma(z, null) with if (sign != null) sign[0] = s)
    for (int i = 0; i < argTypes.size(); i++) {
      if (ExpressionParser.NULL_TYPE.equals(argTypes.get(i))) {
        written.remove(method.getParameters().get(i).getSimpleName().toString());
      }
    }
    if (!written.isEmpty()) {
      reporter.report(Diag.CALLEE_WRITES_ARRAY, pos, shown, String.join("', '", written));
      return Optional.empty();
    }
    List<Callee.Partial> partials = new ArrayList<>();
    boolean plain = false;
    ExecutableElement virtual = virtualPullback(method);
    if (virtual != null) {
      for (int i = 0; i < types.size(); i++) {
        partials.add(Type.carriesGradient(types.get(i)) ? new Callee.FromVirtualPullback(virtual.getSimpleName().toString())
            : null);
      }
      return Optional.of(new Callee(ownerType, name, false, types, names, result, partials, false, true, false,
          false));
    }
    String refusal = onDemand ? demand.refusal(method) : null;
    if (refusal != null && hidden) {
      reporter.report(Diag.PRIVATE_CALLEE_REFUSED, pos, shown, refusal);
      return Optional.empty();
    } else if (refusal != null) {
      // tried and refused: callable as a plain method with constant arguments; the reverse builder
      // refuses a varying one, naming why
      for (int i = 0; i < types.size(); i++) {
        partials.add(null);
      }
      return Optional.of(new Callee(ownerType, generated, method.getModifiers().contains(Modifier.STATIC), types, names,
          result, partials, true, readsModel, false, false, true, hidden, refusal, name));
    } else if (onDemand || hasAnnotation(method, DIFFERENTIABLE)) {
      // @Differentiable, or differentiated on demand into its owner's generated class as if it were
      RefType grad = gradClass(ownerType);
      if (!onDemand && trees.getTree(method) == null && elements.getTypeElement(grad.qualifiedName()) == null) {
        reporter.report(Diag.GRAD_CLASS_MISSING, pos, shown, grad.qualifiedName(), declaring.getQualifiedName());
        return Optional.empty();
      }
      if (onDemand) {
        demand.want(method);
      }
      RefType record = new RefType(grad.packageName(),
          List.of(grad.simpleNames().get(0), Character.toUpperCase(generated.charAt(0)) + generated.substring(1)));
      List<String> wrt = stringValues(method, DIFFERENTIABLE, "wrt"); // empty on demand: the default
      for (int i = 0; i < types.size(); i++) {
        VariableElement p = method.getParameters().get(i);
        boolean differentiated = wrt.isEmpty()
            ? isDifferentiable(types.get(i)) && !hasAnnotation(p, NO_DERIVATIVE)
            : wrt.contains(names.get(i));
        partials.add(differentiated ? new Callee.FromGradient(grad, record, dev.adjoint.processor.ir.Method.component(names.get(i))) : null);
      }
    } else {
      for (int i = 0; i < types.size(); i++) {
        partials.add(null);
      }
      boolean any = false;
      for (ExecutableElement d : ElementFilter.methodsIn(declaring.getEnclosedElements())) {
        if (!hasAnnotation(d, DERIVATIVE) || !stringValue(d, DERIVATIVE, "of").equals(name)) {
          continue;
        }
        int param = derivativeParameter(d, method);
        if (param >= 0 && partials.get(param) == null) {
          partials.set(param, new Callee.FromDerivative(ownerType, d.getSimpleName().toString()));
          any = true;
        }
      }
      for (ExecutableElement d : external.of(method)) {
        int param = derivativeParameter(d, method);
        TypeElement rules = (TypeElement) d.getEnclosingElement();
        if (!d.getModifiers().contains(Modifier.PUBLIC)
            && !elements.getPackageOf(rules).equals(elements.getPackageOf(caller))) {
          reporter.report(Diag.PRIVATE_MEMBER, pos, "the rule " + rules.getSimpleName() + "." + d.getSimpleName()
              + " (not public, in another package)", generatedName());
          return Optional.empty();
        }
        if (param >= 0 && partials.get(param) == null) {
          partials.set(param, new Callee.FromDerivative(TypeMapper.refType(rules), d.getSimpleName().toString()));
          any = true;
        }
      }
      // a plain method (no partial at all) is fine as long as nothing varying reaches it (a
      // constant such as log Γ(n/2) from ints); the reverse builder reports ADJ214 otherwise
      plain = !any;
    }
    return Optional.of(new Callee(ownerType, generated, method.getModifiers().contains(Modifier.STATIC),
        types, names, result, partials, plain, readsModel, accumulates(method, types, result, partials),
        splits(method, result, onDemand), onDemand, hidden, null, name));
  }

  /**
   * The stem of the methods and record generated for {@code m}: its name, or for an overload that
   * is differentiated on demand beside another overload that is (or may be) differentiated, its
   * name and its number of parameters ({@code ibetaPowerTerms6}), so that both fit in one
   * generated class; its name again when that does not tell them apart (then ADJ108).
   */
  static String generatedName(ExecutableElement m) {
    String name = m.getSimpleName().toString();
    if (hasAnnotation(m, DIFFERENTIABLE)) {
      return name;
    }
    List<ExecutableElement> members = ElementFilter.methodsIn(m.getEnclosingElement().getEnclosedElements());
    List<ExecutableElement> others = members.stream()
        .filter(o -> !o.equals(m) && o.getSimpleName().contentEquals(name)
            && (hasAnnotation(o, DIFFERENTIABLE) || mayBeDifferentiated(o)))
        .toList();
    String numbered = name + m.getParameters().size();
    if (others.isEmpty() || others.stream().anyMatch(o -> o.getParameters().size() == m.getParameters().size())
        || members.stream().anyMatch(o -> o.getSimpleName().contentEquals(numbered))) {
      return name;
    }
    return numbered;
  }

  /** Whether {@code m} has a number or tensor result and a parameter that carries a gradient. */
  private static boolean mayBeDifferentiated(ExecutableElement m) {
    Type result = TypeMapper.of(m.getReturnType());
    return (result == Prim.DOUBLE || result == Prim.FLOAT || Type.TENSOR.equals(result))
        && m.getParameters().stream().anyMatch(p -> isDifferentiable(TypeMapper.of(p.asType())));
  }

  /**
   * Whether {@code method} is differentiated on demand when differentiable code calls it: it is not
   * {@code @Differentiable} and has no {@code @Derivative} partials, its body is in this
   * compilation, its result is a number or a tensor, and it has a parameter that carries a
   * gradient (a method without one, such as {@code lgamma(int n)}, is a constant to its callers).
   */
  private boolean onDemandCandidate(ExecutableElement method, TypeElement declaring, String name) {
    if (hasAnnotation(method, DIFFERENTIABLE) || method.getModifiers().contains(Modifier.ABSTRACT)
        || method.getModifiers().contains(Modifier.NATIVE) || trees.getTree(method) == null
        || trees.getTree(method).getBody() == null) {
      return false;
    }
    Type result = TypeMapper.of(method.getReturnType());
    if (result != Prim.DOUBLE && result != Prim.FLOAT && !Type.TENSOR.equals(result)) {
      return false;
    }
    boolean rules = !external.of(method).isEmpty() || ElementFilter.methodsIn(declaring.getEnclosedElements()).stream()
        .anyMatch(d -> hasAnnotation(d, DERIVATIVE) && stringValue(d, DERIVATIVE, "of").equals(name));
    return !rules && method.getParameters().stream()
        .anyMatch(p -> isDifferentiable(TypeMapper.of(p.asType())) && !hasAnnotation(p, NO_DERIVATIVE));
  }

  /**
   * Whether the callee's generated class has {@code nameVjpInto} and {@code nameValueVjpInto}: the
   * processor writes them for a static method with a number result whose differentiated parameters
   * are all arrays (the same rule as {@code ReverseBuilder.accumulates}); a class compiled earlier
   * must actually have them.
   */
  private boolean accumulates(ExecutableElement method, List<Type> types, Type result, List<Callee.Partial> partials) {
    if (!method.getModifiers().contains(Modifier.STATIC) || !(result instanceof Prim)) {
      return false;
    }
    boolean any = false;
    for (int i = 0; i < types.size(); i++) {
      if (partials.get(i) instanceof Callee.FromGradient) {
        if (!(types.get(i) instanceof dev.adjoint.processor.ir.ArrayType)) {
          return false;
        }
        any = true;
      }
    }
    if (!any || trees.getTree(method) != null) {
      return any;
    }
    TypeElement grad = elements.getTypeElement(gradClass(TypeMapper.refType((TypeElement) method.getEnclosingElement()))
        .qualifiedName());
    // both forms: callers use mValueVjpInto where they need the value and the pullback at once
    return grad != null && java.util.stream.Stream.of("VjpInto", "ValueVjpInto").allMatch(suffix ->
        ElementFilter.methodsIn(grad.getEnclosedElements()).stream()
            .anyMatch(m -> m.getSimpleName().contentEquals(method.getSimpleName() + suffix)));
  }

  /**
   * Whether the callee's generated class has {@code nameForward} and {@code nameBackward}: the
   * processor writes them for a {@code @Differentiable} instance method or one with a
   * {@code Tensor} result (the rule of {@code ReverseBuilder.splits}); a class compiled earlier
   * must actually have them.
   */
  private boolean splits(ExecutableElement method, Type result, boolean onDemand) {
    if (!hasAnnotation(method, DIFFERENTIABLE) && !onDemand
        || method.getModifiers().contains(Modifier.STATIC) && !Type.TENSOR.equals(result)) {
      return false;
    }
    if (trees.getTree(method) != null) {
      return true;
    }
    TypeElement grad = elements.getTypeElement(gradClass(TypeMapper.refType((TypeElement) method.getEnclosingElement()))
        .qualifiedName());
    return grad != null && ElementFilter.methodsIn(grad.getEnclosedElements()).stream()
        .anyMatch(m -> m.getSimpleName().contentEquals(method.getSimpleName() + "Backward"));
  }

  private static boolean accepts(ExecutableElement m, List<Type> argTypes) {
    for (int i = 0; i < argTypes.size(); i++) {
      if (!convertsTo(argTypes.get(i), TypeMapper.of(m.getParameters().get(i).asType()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean convertsTo(Type from, Type to) {
    if (ExpressionParser.NULL_TYPE.equals(from)) {
      return to != null && !(to instanceof Prim); // null: to any array or object type
    }
    return from instanceof Prim a && to instanceof Prim p ? a.widensTo(p) : to != null && to.equals(from);
  }

  /**
   * The applicable overloads no other is more specific than: {@code m1} is more specific than
   * {@code m2} when each of its parameter types converts to {@code m2}'s. One left means javac
   * picks it; several mean the call is ambiguous (javac reports it too).
   */
  private static List<ExecutableElement> mostSpecific(List<ExecutableElement> applicable) {
    return applicable.stream()
        .filter(m -> applicable.stream().allMatch(o -> o == m || moreSpecific(m, o)))
        .toList()
        .stream().findFirst().map(List::of).orElse(applicable);
  }

  private static boolean moreSpecific(ExecutableElement m1, ExecutableElement m2) {
    for (int i = 0; i < m1.getParameters().size(); i++) {
      if (!convertsTo(TypeMapper.of(m1.getParameters().get(i).asType()), TypeMapper.of(m2.getParameters().get(i).asType()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a class is a model: it has {@code Tensor} instance fields (parameters its instance
   * methods may read), or fields holding sub-modules (objects of classes with
   * {@code @Differentiable} instance methods), one or many ({@code Tensor[]}, {@code List<Layer>}:
   * a {@code Sequential} is a model, so a call of its {@code forward} reaches its pullback even when
   * the argument is constant).
   */
  static boolean isModel(TypeElement type) {
    for (javax.lang.model.element.VariableElement f : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      if (f.getModifiers().contains(Modifier.STATIC)) {
        continue;
      }
      javax.lang.model.type.TypeMirror held = heldType(f.asType());
      if (Type.TENSOR.equals(TypeMapper.of(held)) || isModule(held)) {
        return true;
      }
    }
    return false;
  }

  /** The element type of an array or a {@code List} field, else the field's own type. */
  private static javax.lang.model.type.TypeMirror heldType(javax.lang.model.type.TypeMirror type) {
    if (type instanceof javax.lang.model.type.ArrayType a) {
      return a.getComponentType();
    }
    if (type instanceof javax.lang.model.type.DeclaredType d && d.getTypeArguments().size() == 1
        && d.asElement() instanceof TypeElement t && isList(t)) {
      javax.lang.model.type.TypeMirror arg = d.getTypeArguments().get(0);
      if (arg instanceof javax.lang.model.type.WildcardType w && w.getExtendsBound() != null) {
        return w.getExtendsBound();
      }
      return arg;
    }
    return type;
  }

  private static boolean isList(TypeElement t) {
    return t.getQualifiedName().contentEquals("java.util.List") || t.getInterfaces().stream()
        .anyMatch(i -> i instanceof javax.lang.model.type.DeclaredType di && di.asElement() instanceof TypeElement e
            && e.getQualifiedName().contentEquals("java.util.List"));
  }

  /**
   * Whether values of {@code type} are sub-modules: a class with {@code @Differentiable} instance
   * methods, or a type with an abstract method and its pullback (an interface such as
   * {@code dev.adjoint.nn.Layer}, whose implementations are chosen at run time).
   */
  static boolean isModule(javax.lang.model.type.TypeMirror type) {
    if (!(type instanceof javax.lang.model.type.DeclaredType d) || !(d.asElement() instanceof TypeElement t)) {
      return false;
    }
    return ElementFilter.methodsIn(t.getEnclosedElements()).stream()
        .anyMatch(m -> !m.getModifiers().contains(Modifier.STATIC)
            && (hasAnnotation(m, DIFFERENTIABLE) || virtualPullback(m) != null));
  }

  /**
   * For an abstract method {@code R m(P1 a, …)} with exactly one parameter of a differentiable
   * type, its pullback {@code T mVjp(P1 a, …, R seed)} declared beside it, returning that
   * parameter's gradient (type T); else null. Implementations are picked at run time, so their
   * pullbacks are too.
   */
  static ExecutableElement virtualPullback(ExecutableElement m) {
    if (!m.getModifiers().contains(Modifier.ABSTRACT) || m.getModifiers().contains(Modifier.STATIC)) {
      return null;
    }
    List<? extends VariableElement> ps = m.getParameters();
    long differentiable = ps.stream().filter(p -> Type.carriesGradient(TypeMapper.of(p.asType()))).count();
    if (differentiable != 1) {
      return null;
    }
    VariableElement wrt = ps.stream().filter(p -> Type.carriesGradient(TypeMapper.of(p.asType()))).findFirst().get();
    for (ExecutableElement c : ElementFilter.methodsIn(m.getEnclosingElement().getEnclosedElements())) {
      List<? extends VariableElement> cs = c.getParameters();
      if (!c.getSimpleName().contentEquals(m.getSimpleName() + "Vjp") || cs.size() != ps.size() + 1
          || !c.getReturnType().toString().equals(wrt.asType().toString())
          || !cs.get(ps.size()).asType().toString().equals(m.getReturnType().toString())) {
        continue;
      }
      boolean same = true;
      for (int i = 0; i < ps.size(); i++) {
        same &= cs.get(i).asType().toString().equals(ps.get(i).asType().toString());
      }
      if (same) {
        return c;
      }
    }
    return null;
  }

  /** The method's source, when it is compiled in this round (null for a class file). */
  com.sun.source.tree.MethodTree sourceOf(ExecutableElement method) {
    return trees.getTree(method);
  }

  /**
   * The array parameters that {@code method} writes elements of: read from its source when it is
   * compiled in this build, else from the {@code @WritesArguments} its generated gradient carries.
   */
  List<String> writtenArrayParameters(ExecutableElement method) {
    com.sun.source.tree.MethodTree tree = trees.getTree(method);
    List<String> params = method.getParameters().stream().map(p -> p.getSimpleName().toString()).toList();
    java.util.Set<String> written = new java.util.LinkedHashSet<>();
    if (tree != null && tree.getBody() != null) {
      new com.sun.source.util.TreeScanner<Void, Void>() {
        private void target(com.sun.source.tree.ExpressionTree t) {
          while (t instanceof com.sun.source.tree.ArrayAccessTree a) {
            t = a.getExpression();
            if (t instanceof com.sun.source.tree.IdentifierTree id && params.contains(id.getName().toString())) {
              written.add(id.getName().toString());
            }
          }
        }

        @Override
        public Void visitAssignment(com.sun.source.tree.AssignmentTree node, Void unused) {
          target(node.getVariable());
          return super.visitAssignment(node, unused);
        }

        @Override
        public Void visitCompoundAssignment(com.sun.source.tree.CompoundAssignmentTree node, Void unused) {
          target(node.getVariable());
          return super.visitCompoundAssignment(node, unused);
        }

        @Override
        public Void visitUnary(com.sun.source.tree.UnaryTree node, Void unused) {
          target(node.getExpression());
          return super.visitUnary(node, unused);
        }
      }.scan(tree.getBody(), null);
      return List.copyOf(written);
    }
    TypeElement grad = elements.getTypeElement(gradClass(TypeMapper.refType((TypeElement) method.getEnclosingElement()))
        .qualifiedName());
    if (grad != null) {
      for (ExecutableElement m : ElementFilter.methodsIn(grad.getEnclosedElements())) {
        if (m.getSimpleName().equals(method.getSimpleName())) {
          written.addAll(stringValues(m, "dev.adjoint.WritesArguments", "value"));
        }
      }
    }
    return List.copyOf(written);
  }

  /**
   * The index of the parameter that {@code derivative} is the partial with respect to, or -1 when
   * it does not fit {@code primal} (the processor reports that where the rule is declared).
   */
  static int derivativeParameter(ExecutableElement derivative, ExecutableElement primal) {
    if (derivative.getParameters().size() != primal.getParameters().size()
        || derivative.getModifiers().contains(Modifier.STATIC) != primal.getModifiers().contains(Modifier.STATIC)) {
      return -1;
    }
    for (int i = 0; i < primal.getParameters().size(); i++) {
      if (!primal.getParameters().get(i).asType().toString()
          .equals(derivative.getParameters().get(i).asType().toString())) {
        return -1;
      }
    }
    String wrt = stringValue(derivative, DERIVATIVE, "wrt");
    int found = -1;
    for (int i = 0; i < primal.getParameters().size(); i++) {
      VariableElement p = primal.getParameters().get(i);
      Type t = TypeMapper.of(p.asType());
      boolean named = wrt.isEmpty() ? isDifferentiable(t) : p.getSimpleName().contentEquals(wrt);
      if (named) {
        if (found >= 0) {
          return -1; // wrt left out, but several parameters could be meant
        }
        found = i;
      }
    }
    if (found < 0 || !derivative.getReturnType().toString()
        .equals(primal.getParameters().get(found).asType().toString())
        && !(TypeMapper.of(derivative.getReturnType()) == Prim.DOUBLE
            && TypeMapper.of(primal.getParameters().get(found).asType()) == Prim.FLOAT)) {
      return -1;
    }
    return found;
  }

  /** double, float, double[], double[][] and float[]: the types that carry a gradient. */
  static boolean isDifferentiable(Type t) {
    return Type.carriesGradient(t);
  }

  /** The caller's generated class, for messages. */
  private String generatedName() {
    return gradClass(TypeMapper.refType(caller)).simpleNames().get(0);
  }

  /** {@code p.Foo} → {@code p.FooGrad}; {@code p.Outer.Inner} → {@code p.Outer_InnerGrad}. */
  static RefType gradClass(RefType owner) {
    return new RefType(owner.packageName(), List.of(String.join("_", owner.simpleNames()) + "Grad"));
  }

  static boolean hasAnnotation(javax.lang.model.element.Element e, String qualifiedName) {
    return e.getAnnotationMirrors().stream()
        .anyMatch(a -> ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
            .contentEquals(qualifiedName));
  }

  /** The string (or "" when absent) of element {@code key} of annotation {@code annotation}. */
  static String stringValue(javax.lang.model.element.Element e, String annotation, String key) {
    List<String> values = stringValues(e, annotation, key);
    return values.isEmpty() ? "" : values.get(0);
  }

  /** The strings of element {@code key} (a String or String[]) of annotation {@code annotation}. */
  static List<String> stringValues(javax.lang.model.element.Element e, String annotation, String key) {
    List<String> out = new ArrayList<>();
    for (AnnotationMirror mirror : e.getAnnotationMirrors()) {
      if (!((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().contentEquals(annotation)) {
        continue;
      }
      for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
          : mirror.getElementValues().entrySet()) {
        if (entry.getKey().getSimpleName().contentEquals(key)) {
          Object v = entry.getValue().getValue();
          if (v instanceof List<?> list) {
            list.forEach(x -> out.add(String.valueOf(((AnnotationValue) x).getValue())));
          } else {
            out.add(String.valueOf(v));
          }
        }
      }
    }
    return out;
  }
}
