package dev.adjoint.processor;

import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.emit.GradClassWriter;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.parse.FrontEnd;
import dev.adjoint.processor.parse.TypeMapper;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * The driver's part for forward mode: which methods get {@code mJvp} (those whose modes list
 * {@code FORWARD}, and every {@code @Differentiable} method of the same compilation they call, so
 * that a call is one more {@code gJvp}), and whether a callee compiled earlier has one.
 */
final class ForwardStage {
  private final ProcessingEnvironment env;
  private final FrontEnd frontEnd;
  private final Set<String> jvpGenerated = new LinkedHashSet<>();

  ForwardStage(ProcessingEnvironment env, FrontEnd frontEnd) {
    this.env = env;
    this.frontEnd = frontEnd;
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
   * The methods that get {@code mJvp}: those with {@code Mode.FORWARD}, then, transitively, the
   * {@code @Differentiable} methods among {@code all} that they call. Callees are found by parsing
   * silently (the real parse reports).
   */
  Set<ExecutableElement> jvpMethods(Collection<ExecutableElement> all) {
    Set<ExecutableElement> out = new LinkedHashSet<>();
    Deque<ExecutableElement> work = new ArrayDeque<>();
    for (ExecutableElement m : all) {
      if (modes(m).contains("FORWARD")) {
        out.add(m);
        work.add(m);
      }
    }
    while (!work.isEmpty()) {
      ExecutableElement m = work.poll();
      TypeElement owner = (TypeElement) m.getEnclosingElement();
      Optional<Method> ir;
      try {
        ir = frontEnd.parse(m, GradClassWriter.gradClassName(TypeMapper.refType(owner)).simpleName(), new Silent());
      } catch (RuntimeException e) {
        continue; // the real parse reports it
      }
      if (ir.isEmpty()) {
        continue;
      }
      for (Callee c : callees(ir.get())) {
        for (ExecutableElement candidate : all) {
          if (candidate.getSimpleName().contentEquals(c.name())
              && ((TypeElement) candidate.getEnclosingElement()).getQualifiedName().contentEquals(c.owner().qualifiedName())
              && out.add(candidate)) {
            work.add(candidate);
          }
        }
      }
    }
    for (ExecutableElement m : out) {
      jvpGenerated.add(((TypeElement) m.getEnclosingElement()).getQualifiedName() + "#" + m.getSimpleName());
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
      if (!c.partials().stream().anyMatch(Callee.FromGradient.class::isInstance)
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

  /** Counts errors and prints nothing: the discovery parse's reporter. */
  private static final class Silent implements Reporter {
    private int errors;

    @Override
    public void report(Diag diag, Pos pos, Object... args) {
      if (diag.kind() == javax.tools.Diagnostic.Kind.ERROR) {
        errors++;
      }
    }

    @Override
    public int errorCount() {
      return errors;
    }
  }
}
