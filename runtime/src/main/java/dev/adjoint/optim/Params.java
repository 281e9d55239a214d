package dev.adjoint.optim;

import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Argument validation and bookkeeping shared by the optimizers. */
final class Params {
  private Params() {}

  static List<Tensor> copy(String opt, List<Tensor> params) {
    if (params == null || params.isEmpty()) {
      throw new IllegalArgumentException(opt + ": got an empty parameter list");
    }
    List<Tensor> out = new ArrayList<>(params.size());
    for (int i = 0; i < params.size(); i++) {
      Tensor p = params.get(i);
      if (p == null) {
        throw new IllegalArgumentException(opt + ": parameter " + i + " is null");
      }
      out.add(p);
    }
    return List.copyOf(out);
  }

  static double nonNegative(String opt, String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(opt + ": " + name + " must be a finite value >= 0, got " + v);
    }
    return v;
  }

  static double beta(String opt, String name, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(opt + ": " + name + " must be in [0, 1), got " + v);
    }
    return v;
  }

  static void zeroGrad(List<Tensor> params) {
    for (Tensor p : params) {
      p.zeroGrad();
    }
  }

  static void checkGrad(String opt, int i, Tensor p, Tensor g) {
    if (g.size() != p.size()) {
      throw new IllegalStateException(opt + ": gradient of parameter " + i + " has " + g.size()
          + " elements but the parameter has " + p.size());
    }
  }
}
