package dev.adjoint.processor.ir;

import java.util.List;

/**
 * Where a model's parameters are: its fields that hold tensors or sub-modules, in declaration
 * order, for {@code FooGrad.namedParameters(self)}.
 */
public record ModelParameters(List<Field> fields) {
  public ModelParameters {
    fields = List.copyOf(fields);
  }

  /** How a field holds its parameters. */
  public enum Holder {
    /** one value: {@code self.w} */
    ONE,
    /** an array: {@code self.ws[i]} */
    ARRAY,
    /** a {@code java.util.List}: {@code self.ws.get(i)} */
    LIST
  }

  /**
   * One field.
   *
   * @param name the field's name, the first part of its parameters' dotted names
   * @param holder one value, an array or a list
   * @param module null for tensors; else the generated class whose {@code namedParameters} lists a
   *     sub-module's parameters, or null with {@code virtual} for a {@code Layer} chosen at run time
   * @param virtual whether the sub-module lists its own parameters ({@code layer.namedParameters()})
   */
  public record Field(String name, Holder holder, RefType module, boolean virtual) {
    public boolean isTensor() {
      return module == null && !virtual;
    }
  }
}
