package dev.adjoint.processor;

import dev.adjoint.processor.diag.BufferedReporter;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.forward.ForwardBuilder;
import dev.adjoint.processor.forward.JvpMethod;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.parse.FrontEnd;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * The driver's part for forward mode: which methods get {@code mJvp} (those whose modes list
 * {@code FORWARD}, and every method of the same compilation with a generated gradient they call,
 * {@code @Differentiable} or differentiated on demand, so that a call is one more {@code gJvp}),
 * building them, and whether a callee compiled earlier has one.
 */
final class ForwardStage {
  private final ProcessingEnvironment env;
  private final Set<String> jvpGenerated = new LinkedHashSet<>();

  ForwardStage(ProcessingEnvironment env) {
    this.env = env;
  }

  /** The names of the modes of a {@code @Differentiable} method ({@code REVERSE} by default). */
  static Set<String> modes(ExecutableElement method) {
    for (AnnotationMirror a : method.getAnnotationMirrors()) {
      if (!((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals(AdjointProcessor.DIFFERENTIABLE)) {
        continue;
      }
      for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : a.getElementValues().entrySet()) {
        if (e.getKey().getSimpleName().contentEquals("modes") && e.getValue().getValue() instanceof List<?> values) {
          Set<String> out = new LinkedHashSet<>();
          for (Object v : values) {
            if (((AnnotationValue) v).getValue() instanceof VariableElement constant) {
              out.add(constant.getSimpleName().toString());
            }
          }
          return out;
        }
      }
    }
    return Set.of("REVERSE");
  }

  /**
   * Builds {@code mJvp} for the methods with {@code Mode.FORWARD} among {@code explicit} and,
   * transitively, for the methods of {@code irs} they call. An explicit method reports into its
   * own reporter; a method differentiated on demand that fails is reported at each call from a
   * forward-mode caller (ADJ229), and that caller gets no {@code mJvp}, so no generated code ever
   * calls a {@code gJvp} that was not generated.
   */
  Map<ExecutableElement, JvpMethod> jvps(Map<ExecutableElement, Method> irs, Set<ExecutableElement> explicit,
      Function<ExecutableElement, Reporter> reporters) {
    Set<ExecutableElement> closure = closure(irs, explicit);
    for (ExecutableElement m : closure) {
      jvpGenerated.add(key(m));
    }
    Map<ExecutableElement, JvpMethod> built = new LinkedHashMap<>();
    Map<String, String> failed = new LinkedHashMap<>(); // owner#name of an on-demand method -> why
    Map<ExecutableElement, BufferedReporter> held = new LinkedHashMap<>();
    for (ExecutableElement m : closure) {
      Reporter reporter = explicit.contains(m) ? reporters.apply(m) : held.computeIfAbsent(m, k -> new BufferedReporter());
      Method ir = irs.get(m);
      Optional<JvpMethod> jvp = calleesHaveJvp(ir, reporter) ? ForwardBuilder.jvp(ir, reporter) : Optional.empty();
      if (jvp.isPresent()) {
        built.put(m, jvp.get());
      } else if (!explicit.contains(m)) {
        failed.put(key(m), AdjointProcessor.refusal(m, held.get(m)));
      }
    }
    // a caller of a failed on-demand method fails too: an explicit one at the call, an on-demand one in turn
    boolean changed = true;
    while (changed) {
      changed = false;
      for (ExecutableElement m : List.copyOf(built.keySet())) {
        for (Expr.Invoke call : invokes(irs.get(m))) {
          String why = failed.get(call.callee().owner().qualifiedName() + "#" + call.callee().name());
          if (why == null || !built.containsKey(m)) {
            continue;
          }
          if (explicit.contains(m)) {
            Callee c = call.callee();
            String shown = c.owner().simpleNames().get(c.owner().simpleNames().size() - 1) + "." + c.name();
            reporters.apply(m).report(Diag.ON_DEMAND_FAILED, call.pos() == null ? Pos.NONE : call.pos(),
                shown + "(...)", why, shown);
          } else {
            failed.put(key(m), m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName()
                + " calls " + call.callee().name() + ", and " + why);
          }
          built.remove(m);
          changed = true;
        }
      }
    }
    return built;
  }

  private static String key(ExecutableElement m) {
    return ((TypeElement) m.getEnclosingElement()).getQualifiedName() + "#" + FrontEnd.generatedName(m);
  }

  /** The methods with {@code Mode.FORWARD}, and transitively the methods of {@code irs} they call. */
  private static Set<ExecutableElement> closure(Map<ExecutableElement, Method> irs, Set<ExecutableElement> explicit) {
    Set<ExecutableElement> out = new LinkedHashSet<>();
    Deque<ExecutableElement> work = new ArrayDeque<>();
    for (ExecutableElement m : irs.keySet()) {
      if (explicit.contains(m) && modes(m).contains("FORWARD")) {
        out.add(m);
        work.add(m);
      }
    }
    while (!work.isEmpty()) {
      for (Callee c : callees(irs.get(work.poll()))) {
        for (ExecutableElement candidate : irs.keySet()) {
          if (FrontEnd.generatedName(candidate).equals(c.name())
              && ((TypeElement) candidate.getEnclosingElement()).getQualifiedName().contentEquals(c.owner().qualifiedName())
              && out.add(candidate)) {
            work.add(candidate);
          }
        }
      }
    }
    return out;
  }

  /**
   * Whether every callee with a generated gradient that {@code ir} calls has {@code gJvp}: made in
   * this compilation, or found in its generated class; reports each that has not.
   */
  boolean calleesHaveJvp(Method ir, Reporter reporter) {
    boolean ok = true;
    Set<String> reported = new LinkedHashSet<>();
    for (Expr.Invoke call : invokes(ir)) {
      Callee c = call.callee();
      // a method differentiated on demand is in this compilation: it has a gJvp where the
      // call needs one (its arguments vary), and is called as it is where they do not
      // (a model's method is called through its gJvp even without such parameters: its own
      // parameters carry tangents); a Layer's method has no gJvp at all, which forward mode reports
      if (!c.partials().stream().anyMatch(Callee.FromGradient.class::isInstance) && !c.readsModel() || c.onDemand()
          || c.partials().stream().anyMatch(Callee.FromVirtualPullback.class::isInstance)
          || jvpGenerated.contains(c.owner().qualifiedName() + "#" + c.name())) {
        continue;
      }
      TypeElement grad = env.getElementUtils().getTypeElement(c.gradClass().qualifiedName());
      boolean has = grad != null && ElementFilter.methodsIn(grad.getEnclosedElements()).stream()
          .anyMatch(e -> e.getSimpleName().contentEquals(c.name() + "Jvp"));
      if (!has && reported.add(c.owner().qualifiedName() + "#" + c.name())) {
        String shortName = c.owner().simpleNames().get(c.owner().simpleNames().size() - 1) + "." + c.name();
        reporter.report(Diag.FORWARD_CALLEE_MISSING, call.pos() == null ? Pos.NONE : call.pos(), shortName, "FORWARD",
            c.gradClass().qualifiedName(), c.name() + "Jvp", shortName);
        ok = false;
      }
    }
    return ok;
  }

  private static List<Callee> callees(Method ir) {
    return invokes(ir).stream().map(Expr.Invoke::callee).toList();
  }

  private static List<Expr.Invoke> invokes(Method ir) {
    List<Expr.Invoke> out = new java.util.ArrayList<>();
    Rewrite.forEachStmt(ir.body(), s -> Rewrite.exprs(s, e -> {
      if (e instanceof Expr.Invoke i) {
        out.add(i);
      }
      return e;
    }));
    return out;
  }
}
