package dev.adjoint.processor.parse;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;

/**
 * The methods one parse asks to have differentiated on demand (callees whose source is in this
 * compilation but that are not {@code @Differentiable}), and those the processor already tried and
 * could not differentiate, with why: a call of one of those is refused at the call, naming the
 * reason, instead of generating code that calls a gradient that does not exist.
 */
public final class OnDemand {
  private final Set<ExecutableElement> wanted = new LinkedHashSet<>();
  private final Map<ExecutableElement, String> refused;

  /** @param refused the methods that could not be differentiated on demand, and why (read only) */
  public OnDemand(Map<ExecutableElement, String> refused) {
    this.refused = refused;
  }

  void want(ExecutableElement method) {
    wanted.add(method);
  }

  /** Why {@code method} could not be differentiated on demand, or null if nothing is known against it. */
  String refusal(ExecutableElement method) {
    return refused.get(method);
  }

  /** Of the callees this parse met, those among {@code differentiated} (matched by class, name and parameter types). */
  public Set<ExecutableElement> wantedAmong(Set<dev.adjoint.processor.ir.Callee> differentiated) {
    Set<ExecutableElement> out = new LinkedHashSet<>();
    for (ExecutableElement w : wanted) {
      String owner = ((javax.lang.model.element.TypeElement) w.getEnclosingElement()).getQualifiedName().toString();
      java.util.List<dev.adjoint.processor.ir.Type> types = w.getParameters().stream()
          .map(p -> TypeMapper.of(p.asType())).toList();
      if (differentiated.stream().anyMatch(c -> c.owner().qualifiedName().equals(owner)
          && c.method().contentEquals(w.getSimpleName()) && c.paramTypes().equals(types))) {
        out.add(w);
      }
    }
    return out;
  }

  /** The callees this parse needs differentiated, in the order it met them. */
  public Set<ExecutableElement> wanted() {
    return new LinkedHashSet<>(wanted);
  }
}
