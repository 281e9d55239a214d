package dev.adjoint.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.emit.GradClassWriter;
import dev.adjoint.processor.forward.ForwardBuilder;
import dev.adjoint.processor.forward.HvpMethod;
import dev.adjoint.processor.forward.JvpMethod;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.parse.DerivativeCheck;
import dev.adjoint.processor.parse.FrontEnd;
import dev.adjoint.processor.parse.TypeMapper;
import dev.adjoint.processor.reverse.GradMethod;
import dev.adjoint.processor.reverse.ReverseBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
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
      DerivativeCheck check = new DerivativeCheck();
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
    Map<TypeElement, List<ExecutableElement>> byOwner = new LinkedHashMap<>();
    for (Element e : round.getElementsAnnotatedWith(annotation)) {
      if (e.getKind() == ElementKind.METHOD) {
        byOwner.computeIfAbsent((TypeElement) e.getEnclosingElement(), k -> new ArrayList<>())
            .add((ExecutableElement) e);
      }
    }
    if (byOwner.isEmpty()) {
      return claim;
    }
    if (frontEnd == null) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, Diag.NOT_JAVAC.format(notJavac),
          byOwner.keySet().iterator().next());
      return claim;
    }
    ForwardStage forward = new ForwardStage(processingEnv, frontEnd);
    Set<ExecutableElement> jvps = forward.jvpMethods(byOwner.values().stream().flatMap(List::stream).toList());
    byOwner.forEach((owner, methods) -> processClass(owner, methods, forward, jvps));
    return claim;
  }

  private void processClass(TypeElement owner, List<ExecutableElement> methods, ForwardStage forward,
      Set<ExecutableElement> jvpMethods) {
    List<GradMethod> grads = new ArrayList<>();
    List<JvpMethod> jvps = new ArrayList<>();
    List<HvpMethod> hvps = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Optional<ClassName> gradClass = Optional.empty();
    for (ExecutableElement method : methods) {
      Reporter reporter = frontEnd.reporterFor(method);
      try {
        String gradName = GradClassWriter.gradClassName(
            TypeMapper.refType(owner)).simpleName();
        if (!seen.add(method.getSimpleName().toString())) {
          reporter.report(Diag.OVERLOADED, frontEnd.positionOf(method, reporter),
              method.getSimpleName(), owner.getQualifiedName());
          continue;
        }
        Optional<Method> ir = frontEnd.parse(method, gradName, reporter);
        if (ir.isEmpty()) {
          continue;
        }
        Set<String> modes = ForwardStage.modes(method);
        if (jvpMethods.contains(method) && forward.calleesHaveJvp(ir.get(), reporter)) {
          ForwardBuilder.jvp(ir.get(), reporter).ifPresent(jvps::add);
        }
        if (!modes.contains("REVERSE") && !modes.contains("HVP")) {
          continue;
        }
        Optional<GradMethod> built = ReverseBuilder.build(ir.get(), reporter);
        if (built.isEmpty()) {
          continue;
        }
        GradMethod grad = built.get();
        for (int i : grad.unusedParameters()) {
          reporter.report(Diag.ZERO_GRADIENT, ir.get().paramPositions().get(i),
              method.getSimpleName(), ir.get().params().get(i).name());
        }
        grads.add(grad);
        if (modes.contains("HVP")) {
          ForwardBuilder.hvp(grad, reporter).ifPresent(hvps::add);
        }
      } catch (RuntimeException e) {
        if (Boolean.getBoolean("adjoint.debug")) {
          e.printStackTrace(); // for developers of Adjoint: javac -J-Dadjoint.debug=true
        }
        reporter.report(Diag.INTERNAL_ERROR, Pos.NONE, e);
      }
    }
    if (grads.isEmpty() && jvps.isEmpty()) {
      return;
    }
    JavaFile file;
    try {
      boolean model = grads.stream().anyMatch(g -> !g.primal().isStatic());
      file = GradClassWriter.write(TypeMapper.refType(owner), grads, jvps, hvps, getClass().getName(), owner,
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
