package dev.adjoint.modules;

import dev.adjoint.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;

/** PyTorch's default parameter initialisation: uniform in ±1/sqrt(fan-in). */
final class Init {
  private Init() {}

  /** Uniform in ±1/sqrt(fanIn) with the given shape; {@code module} names the caller when an extent is not >= 1. */
  static Tensor uniform(String module, Random rng, int fanIn, int... shape) {
    for (int extent : shape) {
      if (extent < 1) {
        throw new IllegalArgumentException(module + ": every size must be >= 1, got parameter shape "
            + Arrays.toString(shape));
      }
    }
    double bound = 1 / Math.sqrt(fanIn);
    return Tensor.rand(rng, -bound, bound, shape);
  }
}
