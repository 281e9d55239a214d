package dev.adjoint.processor;

import java.util.Set;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Which annotations the processor claims in a round, so that {@code javac -Xlint:all} does not report "No processor
 * claimed any of these annotations": Adjoint's own ({@code dev.adjoint.*}) always, and {@code @Generated} only when
 * every class carrying it in the round was written by Adjoint, so another processor never loses one of its own.
 */
final class OwnAnnotations {
  static final String GENERATED = "javax.annotation.processing.Generated";

  private OwnAnnotations() {}

  /** True (claim them all) unless {@code @Generated} marks in this round a class Adjoint did not write. */
  static boolean claim(Set<? extends TypeElement> annotations, RoundEnvironment round, String processorName) {
    for (TypeElement annotation : annotations) {
      if (annotation.getQualifiedName().contentEquals(GENERATED)) {
        for (Element e : round.getElementsAnnotatedWith(annotation)) {
          if (!writtenBy(e, annotation, processorName)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static boolean writtenBy(Element e, TypeElement generated, String processorName) {
    for (AnnotationMirror m : e.getAnnotationMirrors()) {
      if (m.getAnnotationType().asElement().equals(generated)) {
        return m.getElementValues().entrySet().stream().anyMatch(v ->
            v.getKey().getSimpleName().contentEquals("value") && v.getValue().toString().contains(processorName));
      }
    }
    return false;
  }
}
