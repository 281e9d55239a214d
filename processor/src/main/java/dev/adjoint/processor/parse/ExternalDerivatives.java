package dev.adjoint.processor.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.ExecutableElement;

/**
 * The {@code @Derivative} rules written outside the class of the method they differentiate
 * ({@code @Derivative(of = "Gamma.logGamma")} in the user's own class, for a library method they
 * cannot annotate), by the method they belong to. Filled as the rules are checked, read when a
 * call is resolved.
 */
public final class ExternalDerivatives {
  private final Map<ExecutableElement, List<ExecutableElement>> byTarget = new LinkedHashMap<>();

  void add(ExecutableElement target, ExecutableElement rule) {
    List<ExecutableElement> rules = byTarget.computeIfAbsent(target, k -> new ArrayList<>());
    if (!rules.contains(rule)) {
      rules.add(rule);
    }
  }

  /** The rules for {@code target} written in other classes, in the order they were checked. */
  List<ExecutableElement> of(ExecutableElement target) {
    return byTarget.getOrDefault(target, List.of());
  }
}
