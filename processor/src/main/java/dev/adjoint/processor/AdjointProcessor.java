package dev.adjoint.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import dev.adjoint.processor.diag.BufferedReporter;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.emit.GradClassWriter;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.parse.DerivativeCheck;
import dev.adjoint.processor.parse.FrontEnd;
import dev.adjoint.processor.parse.OnDemand;
import dev.adjoint.processor.parse.TypeMapper;
import dev.adjoint.processor.reverse.GradMethod;
import dev.adjoint.processor.reverse.ReverseBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * The thin driver: for each {@code @Differentiable} method, runs parse, analysis, reverse and emit,
 * and writes one {@code FooGrad} per class. A method with an error gets no code; the others in the
 * class still do, and nothing ever escapes to javac as an exception.
 */
@AutoService(Processor.class)
@SupportedAnnotationTypes({"dev.adjoint.*", OwnAnnotations.GENERATED})
public final class AdjointProcessor extends AbstractProcessor {
  static final String DIFFERENTIABLE = "dev.adjoint.Differentiable";
  static final String DERIVATIVE = "dev.adjoint.Derivative";

  private FrontEnd frontEnd;
  private String notJavac;

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    try {
      frontEnd = FrontEnd.create(env);
    } catch (IllegalArgumentException e) {
      notJavac = env.getClass().getName();
    }
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    TypeElement annotation = processingEnv.getElementUtils().getTypeElement(DIFFERENTIABLE);
    if (annotation == null) {
      return false;
    }
    boolean claim = OwnAnnotations.claim(annotations, round, getClass().getName());
    TypeElement derivative = processingEnv.getElementUtils().getTypeElement(DERIVATIVE);
    if (derivative != null && frontEnd != null) {
      DerivativeCheck check = frontEnd.derivativeCheck();
      for (Element e : round.getElementsAnnotatedWith(derivative)) {
        if (e.getKind() == ElementKind.METHOD) {
          Reporter reporter = frontEnd.reporterFor(e);
          try {
            check.check((ExecutableElement) e, reporter, frontEnd.positionOf((ExecutableElement) e, reporter));
          } catch (RuntimeException ex) {
            reporter.report(Diag.INTERNAL_ERROR, Pos.NONE, ex);
          }
        }
      }
    }
    List<ExecutableElement> annotated = new ArrayList<>();
    for (Element e : round.getElementsAnnotatedWith(annotation)) {
      if (e.getKind() == ElementKind.METHOD) {
        annotated.add((ExecutableElement) e);
      }
    }
    if (annotated.isEmpty()) {
      return claim;
    }
    if (frontEnd == null) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, Diag.NOT_JAVAC.format(notJavac),
          annotated.get(0).getEnclosingElement());
      return claim;
    }
    Map<TypeElement, List<GradMethod>> byOwner = new LinkedHashMap<>();
    for (Built b : differentiateAll(annotated)) {
      byOwner.computeIfAbsent(b.origin(), k -> new ArrayList<>()).add(b.grad());
    }
    byOwner.forEach(this::writeClass);
    return claim;
  }

  /** A generated gradient and the class it belongs to. */
  private record Built(TypeElement origin, GradMethod grad) {}

  /** What differentiating one method gave: its gradient or null, its held diagnostics, its on-demand callees. */
  private record Outcome(GradMethod grad, BufferedReporter diagnostics, Set<ExecutableElement> wanted) {}

  /**
   * Differentiates the annotated methods and, transitively, the methods they need differentiated
   * on demand. A callee that cannot be differentiated is refused and everything is tried again
   * with that known, so that its callers either call it with constants only or are refused at the
   * call, naming the callee's own first error: one error per cause, never code that calls a
   * gradient that was not generated.
   */
  private List<Built> differentiateAll(List<ExecutableElement> annotated) {
    Set<ExecutableElement> explicit = new java.util.LinkedHashSet<>(annotated);
    Map<ExecutableElement, String> refused = new java.util.HashMap<>();
    while (true) {
      Map<ExecutableElement, Outcome> outcomes = new LinkedHashMap<>();
      java.util.ArrayDeque<ExecutableElement> work = new java.util.ArrayDeque<>(annotated);
      Map<TypeElement, Map<String, ExecutableElement>> names = new java.util.HashMap<>();
      while (!work.isEmpty()) {
        ExecutableElement m = work.poll();
        if (outcomes.containsKey(m)) {
          continue;
        }
        Outcome o = differentiate(m, explicit.contains(m), refused, names);
        outcomes.put(m, o);
        o.wanted().stream().filter(w -> !outcomes.containsKey(w)).forEach(work::add);
      }
      boolean more = false;
      for (Map.Entry<ExecutableElement, Outcome> e : outcomes.entrySet()) {
        if (!explicit.contains(e.getKey()) && e.getValue().grad() == null && !refused.containsKey(e.getKey())) {
          refused.put(e.getKey(), refusal(e.getKey(), e.getValue().diagnostics()));
          more = true;
        }
      }
      if (more) {
        continue;
      }
      List<Built> built = new ArrayList<>();
      outcomes.forEach((m, o) -> {
        if (explicit.contains(m)) {
          o.diagnostics().replay(frontEnd.reporterFor(m)); // an on-demand method speaks through its callers
        }
        if (o.grad() != null) {
          built.add(new Built((TypeElement) m.getEnclosingElement(), o.grad()));
        }
      });
      return built;
    }
  }

  /** Why an on-demand method failed, for the error at its callers: its first error and where. */
  private static String refusal(ExecutableElement m, BufferedReporter diagnostics) {
    BufferedReporter.Entry first = diagnostics.firstError();
    String where = m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName()
        + (first != null && first.pos().line() > 0 ? " (line " + first.pos().line() + ")" : "");
    return first == null ? where + " could not be differentiated" : where + " has: " + first.message();
  }

  private Outcome differentiate(ExecutableElement method, boolean explicit, Map<ExecutableElement, String> refused,
      Map<TypeElement, Map<String, ExecutableElement>> names) {
    BufferedReporter reporter = new BufferedReporter();
    OnDemand demand = new OnDemand(refused);
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    try {
      String gradName = GradClassWriter.gradClassName(TypeMapper.refType(owner)).simpleName();
      ExecutableElement same = names.computeIfAbsent(owner, k -> new java.util.HashMap<>())
          .putIfAbsent(method.getSimpleName().toString(), method);
      if (same != null && !same.equals(method)) {
        reporter.report(Diag.OVERLOADED, frontEnd.positionOf(method, reporter), method.getSimpleName(),
            owner.getQualifiedName());
        return new Outcome(null, reporter, Set.of());
      }
      Optional<Method> ir = frontEnd.parse(method, gradName, reporter, demand);
      if (ir.isEmpty()) {
        return new Outcome(null, reporter, demand.wanted());
      }
      ir = dev.adjoint.processor.analysis.EmbeddedAssignments.lower(ir.get(), reporter);
      if (ir.isEmpty()) {
        return new Outcome(null, reporter, demand.wanted());
      }
      // only callees whose gradient is called need one: those called with constants are called as they are
      Set<ExecutableElement> wanted = demand.wantedAmong(ReverseBuilder.calleesDifferentiated(ir.get()));
      Optional<GradMethod> built = ReverseBuilder.build(ir.get(), reporter);
      if (built.isEmpty()) {
        return new Outcome(null, reporter, wanted);
      }
      GradMethod grad = built.get();
      if (explicit) {
        for (int i : grad.unusedParameters()) {
          reporter.report(Diag.ZERO_GRADIENT, ir.get().paramPositions().get(i),
              method.getSimpleName(), ir.get().params().get(i).name());
        }
      }
      return new Outcome(grad, reporter, wanted);
    } catch (RuntimeException e) {
      if (Boolean.getBoolean("adjoint.debug")) {
        e.printStackTrace(); // for developers of Adjoint: javac -J-Dadjoint.debug=true
      }
      reporter.report(Diag.INTERNAL_ERROR, Pos.NONE, e);
      return new Outcome(null, reporter, demand.wanted());
    }
  }

  private void writeClass(TypeElement owner, List<GradMethod> grads) {
    JavaFile file;
    try {
      boolean model = grads.stream().anyMatch(g -> !g.primal().isStatic());
      file = GradClassWriter.write(grads.get(0).primal().owner(), grads, getClass().getName(), owner,
          model ? frontEnd.modelParameters(owner) : null);
    } catch (RuntimeException e) {
      if (Boolean.getBoolean("adjoint.debug")) {
        e.printStackTrace();
      }
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, Diag.INTERNAL_ERROR.format(e), owner);
      return;
    }
    try {
      file.writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          Diag.INTERNAL_ERROR.format("cannot write " + file.packageName() + "." + file.typeSpec().name()
              + ": " + e.getMessage()), owner);
    }
  }
}
