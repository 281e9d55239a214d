package dev.adjoint.processor.reverse;

import dev.adjoint.processor.ir.Var;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * Gives every variable of the generated method a distinct Java name. User variables keep their own
 * names (a second local of the same name, from a sibling block, gets a suffix); generated ones
 * ({@code xBar}, {@code value}, ...) never take a name the user spelled anywhere in the method.
 */
public final class Names {
  private final Set<String> userIdentifiers;
  private final Set<String> taken = new HashSet<>();
  private final Map<Var, String> names = new IdentityHashMap<>();

  public Names(Collection<String> userIdentifiers) {
    this.userIdentifiers = Set.copyOf(userIdentifiers);
  }

  /** Names a user variable, preferring its own name. */
  public void user(Var v) {
    names.put(v, pick(v.name(), false));
  }

  /** Names a generated variable, avoiding every user identifier. */
  public void generated(Var v) {
    names.put(v, pick(v.name(), true));
  }

  public String of(Var v) {
    String n = names.get(v);
    if (n == null) {
      throw new IllegalStateException("variable without a name: " + v);
    }
    return n;
  }

  /** Whether {@code name} is the name of a variable of the method (user's or generated). */
  public boolean has(String name) {
    return taken.contains(name);
  }

  private String pick(String preferred, boolean avoidUser) {
    String candidate = preferred;
    for (int i = 2; !free(candidate, avoidUser); i++) {
      candidate = preferred + i;
    }
    taken.add(candidate);
    return candidate;
  }

  private boolean free(String name, boolean avoidUser) {
    return !taken.contains(name)
        && !(avoidUser && userIdentifiers.contains(name))
        && !SourceVersion.isKeyword(name);
  }
}
