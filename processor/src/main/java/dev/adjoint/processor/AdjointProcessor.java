package dev.adjoint.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import dev.adjoint.processor.diag.BufferedReporter;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.emit.GradClassWriter;
import dev.adjoint.processor.forward.ForwardBuilder;
import dev.adjoint.processor.forward.HvpMethod;
import dev.adjoint.processor.forward.JvpMethod;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.parse.DerivativeCheck;
import dev.adjoint.processor.parse.JvpRules;
import dev.adjoint.processor.parse.FrontEnd;
import dev.adjoint.processor.parse.OnDemand;
import dev.adjoint.processor.parse.TypeMapper;
import dev.adjoint.processor.reverse.CostReport;
import dev.adjoint.processor.reverse.FiniteChecks;
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
import javax.annotation.processing.SupportedOptions;
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
@SupportedOptions({AdjointProcessor.CHECK_FINITE, AdjointProcessor.REPORT, AdjointProcessor.SAVES,
    AdjointProcessor.TAPE_BUDGET})
public final class AdjointProcessor extends AbstractProcessor {
  /**
   * {@code -Aadjoint.saves=all}: the forward sweep saves every value it overwrites and the reverse
   * sweep recomputes nothing ({@link ReverseBuilder.Saves#ALL}), the plan the optimised one is tested against.
   */
  static final String SAVES = "adjoint.saves";
  /**
   * {@code -Aadjoint.tapeBudget=<bytes>} (or with K, M, G): a top-level loop the {@code checkpoint:} label
   * would fit is taped while the tapes hold at most that many bytes, and checkpointed past it.
   */
  static final String TAPE_BUDGET = "adjoint.tapeBudget";
  /** {@code -Aadjoint.report}: a note per gradient of what it tapes and recomputes ({@link CostReport}). */
  static final String REPORT = "adjoint.report";
  /** {@code -Aadjoint.checkFinite=true}: gradients test each adjoint they produce ({@link FiniteChecks}). */
  static final String CHECK_FINITE = "adjoint.checkFinite";
  static final String DIFFERENTIABLE = "dev.adjoint.Differentiable";
  static final String DERIVATIVE = "dev.adjoint.Derivative";
  static final String JVP = "dev.adjoint.Jvp";

  private FrontEnd frontEnd;
  private String notJavac;
  /** How long each method took to differentiate, for the report. */
  private final Map<ExecutableElement, Double> millis = new java.util.HashMap<>();

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
    TypeElement jvp = processingEnv.getElementUtils().getTypeElement(JVP);
    if (jvp != null && frontEnd != null) {
      JvpRules rules = new JvpRules();
      for (Element e : round.getElementsAnnotatedWith(jvp)) {
        if (e.getKind() == ElementKind.METHOD) {
          Reporter reporter = frontEnd.reporterFor(e);
          try {
            rules.check((ExecutableElement) e, reporter, frontEnd.positionOf((ExecutableElement) e, reporter));
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
    Map<ExecutableElement, Outcome> outcomes = differentiateAll(annotated);
    Set<ExecutableElement> explicit = new java.util.HashSet<>(annotated);
    Map<ExecutableElement, Method> irs = new LinkedHashMap<>();
    outcomes.forEach((m, o) -> {
      if (o.ir() != null && (o.grad() != null || explicit.contains(m))) {
        irs.put(m, o.ir());
      }
    });
    Map<ExecutableElement, JvpMethod> jvps = new ForwardStage(processingEnv).jvps(irs, explicit,
        m -> outcomes.get(m).diagnostics());
    Map<String, Method> sources = new java.util.HashMap<>();
    outcomes.forEach((m, o) -> {
      if (o.ir() != null) {
        sources.put(((TypeElement) m.getEnclosingElement()).getQualifiedName() + "#" + o.ir().name(), o.ir());
      }
    });
    java.util.function.Function<dev.adjoint.processor.ir.Expr.Invoke, Method> sourceOf =
        i -> sources.get(i.callee().owner().qualifiedName() + "#" + i.callee().name());
    boolean checkFinite = Boolean.parseBoolean(processingEnv.getOptions().get(CHECK_FINITE));
    // -Aadjoint.report alone means on
    String reportOption = processingEnv.getOptions().get(REPORT);
    boolean report = processingEnv.getOptions().containsKey(REPORT) && !"false".equals(reportOption);
    Map<TypeElement, Generated> byOwner = new LinkedHashMap<>();
    outcomes.forEach((m, o) -> {
      Generated g = byOwner.computeIfAbsent((TypeElement) m.getEnclosingElement(), k -> new Generated());
      if (o.grad() != null) {
        g.grads.add(checkFinite ? FiniteChecks.apply(o.grad()) : o.grad());
        if (report) {
          processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, CostReport.of(o.grad(), millis.get(m)), m);
        }
        if (explicit.contains(m) && ForwardStage.modes(m).contains("HVP")) {
          ForwardBuilder.hvp(o.grad(), sourceOf, o.diagnostics()).ifPresent(g.hvps::add);
        }
      }
      if (jvps.containsKey(m)) {
        g.jvps.add(jvps.get(m));
      }
      if (explicit.contains(m)) {
        o.diagnostics().replay(frontEnd.reporterFor(m)); // an on-demand method speaks through its callers
      }
    });
    byOwner.forEach((owner, g) -> {
      if (!g.grads.isEmpty() || !g.jvps.isEmpty()) {
        writeClass(owner, g);
      }
    });
    return claim;
  }

  /** The methods generated into one class, in the order their methods were differentiated. */
  private static final class Generated {
    final List<GradMethod> grads = new ArrayList<>();
    final List<JvpMethod> jvps = new ArrayList<>();
    final List<HvpMethod> hvps = new ArrayList<>();
  }

  /**
   * What differentiating one method gave: its IR (null when it did not parse), its gradient (null
   * when it failed, or its modes do not need one), its held diagnostics, its on-demand callees.
   */
  private record Outcome(Method ir, GradMethod grad, BufferedReporter diagnostics, Set<ExecutableElement> wanted) {}

  /**
   * Differentiates the annotated methods and, transitively, the methods they need differentiated
   * on demand. A callee that cannot be differentiated is refused and everything is tried again
   * with that known, so that its callers either call it with constants only or are refused at the
   * call, naming the callee's own first error: one error per cause, never code that calls a
   * gradient that was not generated.
   */
  private Map<ExecutableElement, Outcome> differentiateAll(List<ExecutableElement> annotated) {
    Set<ExecutableElement> explicit = new java.util.LinkedHashSet<>(annotated);
    Map<ExecutableElement, String> refused = new java.util.HashMap<>();
    boolean forwardWanted = annotated.stream().anyMatch(m -> ForwardStage.modes(m).contains("FORWARD"));
    while (true) {
      Map<ExecutableElement, Outcome> outcomes = new LinkedHashMap<>();
      java.util.ArrayDeque<ExecutableElement> work = new java.util.ArrayDeque<>(annotated);
      Map<TypeElement, Map<String, ExecutableElement>> names = new java.util.HashMap<>();
      while (!work.isEmpty()) {
        ExecutableElement m = work.poll();
        if (outcomes.containsKey(m)) {
          continue;
        }
        long start = System.nanoTime();
        Outcome o = differentiate(m, explicit.contains(m), forwardWanted, refused, names);
        millis.put(m, (System.nanoTime() - start) / 1e6);
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
      return outcomes;
    }
  }

  /** Why an on-demand method failed, for the error at its callers: its first error and where. */
  static String refusal(ExecutableElement m, BufferedReporter diagnostics) {
    BufferedReporter.Entry first = diagnostics.firstError();
    String where = m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName()
        + (first != null && first.pos().line() > 0 ? " (line " + first.pos().line() + ")" : "");
    return first == null ? where + " could not be differentiated" : where + " has: " + first.message();
  }

  private Outcome differentiate(ExecutableElement method, boolean explicit, boolean forwardWanted,
      Map<ExecutableElement, String> refused, Map<TypeElement, Map<String, ExecutableElement>> names) {
    BufferedReporter reporter = new BufferedReporter();
    OnDemand demand = new OnDemand(refused);
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    try {
      String gradName = GradClassWriter.gradClassName(TypeMapper.refType(owner)).simpleName();
      ExecutableElement same = names.computeIfAbsent(owner, k -> new java.util.HashMap<>())
          .putIfAbsent(dev.adjoint.processor.parse.FrontEnd.generatedName(method), method);
      if (same != null && !same.equals(method)) {
        reporter.report(Diag.OVERLOADED, frontEnd.positionOf(method, reporter), method.getSimpleName(),
            owner.getQualifiedName());
        return new Outcome(null, null, reporter, Set.of());
      }
      Optional<Method> ir = frontEnd.parse(method, gradName, reporter, demand);
      if (ir.isEmpty()) {
        return new Outcome(null, null, reporter, demand.wanted());
      }
      ir = dev.adjoint.processor.analysis.EmbeddedAssignments.lower(ir.get(), reporter);
      if (ir.isEmpty()) {
        return new Outcome(null, null, reporter, demand.wanted());
      }
      ir = dev.adjoint.processor.analysis.ValueObjects.lower(ir.get(), reporter);
      if (ir.isEmpty()) {
        return new Outcome(null, null, reporter, demand.wanted());
      }
      // only callees whose gradient is called need one: those called with constants are called as they are
      Set<ExecutableElement> wanted = demand.wantedAmong(ReverseBuilder.calleesDifferentiated(ir.get()));
      Set<String> modes = explicit ? ForwardStage.modes(method) : Set.of("REVERSE");
      if (forwardWanted) {
        // forward mode also calls the callees whose arguments vary, even where the result does not
        Set<ExecutableElement> more = new java.util.LinkedHashSet<>(wanted);
        more.addAll(demand.wantedAmong(ForwardBuilder.calleesWithTangents(ir.get())));
        wanted = more;
      }
      if (!modes.contains("REVERSE") && !modes.contains("HVP")) {
        // forward mode only: no gradient, but the same refusals where a derivative path is cut
        boolean ok = ReverseBuilder.checkDerivativePaths(ir.get(), reporter);
        return new Outcome(ok ? ir.get() : null, null, reporter, wanted);
      }
      Optional<GradMethod> built = ReverseBuilder.build(ir.get(), reporter,
          "all".equals(processingEnv.getOptions().get(SAVES)) ? ReverseBuilder.Saves.ALL : ReverseBuilder.Saves.NEEDED,
          processingEnv.getOptions().get(TAPE_BUDGET));
      if (built.isEmpty()) {
        return new Outcome(null, null, reporter, wanted);
      }
      GradMethod grad = built.get();
      if (explicit) {
        for (int i : grad.unusedParameters()) {
          reporter.report(Diag.ZERO_GRADIENT, ir.get().paramPositions().get(i),
              method.getSimpleName(), ir.get().params().get(i).name());
        }
      }
      return new Outcome(ir.get(), grad, reporter, wanted);
    } catch (RuntimeException e) {
      if (Boolean.getBoolean("adjoint.debug")) {
        e.printStackTrace(); // for developers of Adjoint: javac -J-Dadjoint.debug=true
      }
      reporter.report(Diag.INTERNAL_ERROR, Pos.NONE, e);
      return new Outcome(null, null, reporter, demand.wanted());
    }
  }

  private void writeClass(TypeElement owner, Generated g) {
    JavaFile file;
    try {
      boolean model = g.grads.stream().anyMatch(m -> !m.primal().isStatic());
      file = GradClassWriter.write(TypeMapper.refType(owner), g.grads, g.jvps, g.hvps, getClass().getName(), owner,
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
