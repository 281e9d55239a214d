package dev.adjoint.processor.parse;

import com.sun.source.util.Trees;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.Method;
import java.util.List;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;

/** The parse stage's entry point: the one door from javax.lang.model into the IR. */
public final class FrontEnd {
  private final ProcessingEnvironment env;
  private final Trees trees;
  /** The rules written outside their method's class, kept for the whole compilation. */
  private final ExternalDerivatives external = new ExternalDerivatives();

  private FrontEnd(ProcessingEnvironment env, Trees trees) {
    this.env = env;
    this.trees = trees;
  }

  /**
   * The front end for this compiler.
   *
   * @throws IllegalArgumentException if the compiler is not javac (no tree API)
   */
  public static FrontEnd create(ProcessingEnvironment env) {
    return new FrontEnd(env, Trees.instance(env));
  }

  /** A reporter that points at trees inside {@code element}, or at the element itself. */
  public Reporter reporterFor(Element element) {
    return new TreeReporter(trees, env.getMessager(), element);
  }

  /**
   * The method's IR, or empty after reporting why it cannot be differentiated. The callees it
   * needs differentiated on demand are added to {@code demand}.
   */
  public Optional<Method> parse(ExecutableElement method, String gradClassName, Reporter reporter, OnDemand demand) {
    List<String> wrt = CalleeResolver.stringValues(method, CalleeResolver.DIFFERENTIABLE, "wrt");
    boolean onDemand = !CalleeResolver.hasAnnotation(method, CalleeResolver.DIFFERENTIABLE);
    return new MethodParser(trees, env.getElementUtils(), reporter, method, gradClassName, demand, external)
        .parse(wrt, onDemand);
  }

  /** The checker of {@code @Derivative} rules, which also records those written outside their method's class. */
  public DerivativeCheck derivativeCheck() {
    return new DerivativeCheck(trees, env.getElementUtils(), external);
  }

  /** Where the parameters of the model class {@code model} are: its tensor and sub-module fields. */
  public dev.adjoint.processor.ir.ModelParameters modelParameters(javax.lang.model.element.TypeElement model) {
    return new ModelReader(env.getElementUtils()).read(model, this::reporterFor);
  }

  /** Where {@code method} is declared, for diagnostics about it as a whole. */
  public dev.adjoint.processor.diag.Pos positionOf(ExecutableElement method, Reporter reporter) {
    return new MethodParser(trees, env.getElementUtils(), reporter, method, "", new OnDemand(java.util.Map.of()), external)
        .methodPos();
  }

  /** The stem of the methods and record generated for {@code m} (see {@code CalleeResolver.generatedName}). */
  public static String generatedName(javax.lang.model.element.ExecutableElement m) {
    return CalleeResolver.generatedName(m);
  }
}
