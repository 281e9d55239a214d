package dev.adjoint.processor.ir;

import java.util.List;

/** A class or interface type, named by package and the chain of simple names (outer first). */
public record RefType(String packageName, List<String> simpleNames) implements Type {
  public RefType {
    simpleNames = List.copyOf(simpleNames);
  }

  @Override
  public boolean isFloating() {
    return false;
  }

  public String qualifiedName() {
    String nested = String.join(".", simpleNames);
    return packageName.isEmpty() ? nested : packageName + "." + nested;
  }

  @Override
  public String display() {
    return qualifiedName();
  }
}
