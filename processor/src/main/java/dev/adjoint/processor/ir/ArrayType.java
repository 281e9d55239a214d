package dev.adjoint.processor.ir;

/** An array type. */
public record ArrayType(Type element) implements Type {
  @Override
  public boolean isFloating() {
    return false;
  }

  @Override
  public String display() {
    return element.display() + "[]";
  }
}
