package dev.adjoint.modules;

import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;

/** Constructor-argument checks shared by the modules: each failure names the module and the values. */
final class Checks {
  private Checks() {}

  static String str(Tensor t) {
    return Shapes.str(t.shape());
  }

  /** Returns {@code kernel} after checking that it and {@code stride} are >= 1. */
  static int pool(String module, int kernel, int stride) {
    if (kernel < 1 || stride < 1) {
      throw new IllegalArgumentException(module + ": kernel and stride must be >= 1, got " + kernel + " and "
          + stride);
    }
    return kernel;
  }
}
