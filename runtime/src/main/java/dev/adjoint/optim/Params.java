package dev.adjoint.optim;

import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Argument validation and bookkeeping shared by the optimizers. */
final class Params {
  /** Where the optimizers' warnings go ({@code System.Logger}, so java.util.logging by default). */
  static final System.Logger LOG = System.getLogger("dev.adjoint.optim");

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
    checkRequiresGrad(opt, out);
    return List.copyOf(out);
  }

  /**
   * A parameter without {@code requiresGrad(true)} never receives a gradient from generated code, so training it
   * silently does nothing: none marked is an error, some unmarked a warning naming them.
   */
  private static void checkRequiresGrad(String opt, List<Tensor> params) {
    List<Integer> unmarked = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      if (!params.get(i).requiresGrad()) {
        unmarked.add(i);
      }
    }
    if (unmarked.size() == params.size()) {
      throw new IllegalArgumentException(opt + ": none of the " + params.size() + " parameters requires a gradient;"
          + " mark them with requiresGrad(true), or they are never trained");
    }
    if (!unmarked.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, opt + ": parameters " + unmarked + " (of " + params.size()
          + ") do not require a gradient and will not be trained; mark them with requiresGrad(true)");
    }
  }

  /**
   * Warns once per optimizer (when {@code warned} is false; returns the new state) if no parameter has a gradient
   * at a step: the loss reached none of them, or the gradient was not computed before {@code step()}.
   */
  static boolean warnIfNoGradient(String opt, List<Tensor> params, boolean warned) {
    if (warned) {
      return true;
    }
    for (Tensor p : params) {
      if (p.grad() != null) {
        return false;
      }
    }
    LOG.log(System.Logger.Level.WARNING, opt + ": step() found no gradient on any of its " + params.size()
        + " parameters (every grad() is null), so nothing was updated: did the loss depend on them, and did its"
        + " gradient run before step()? (warned once)");
    return true;
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
