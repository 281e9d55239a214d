package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import dev.adjoint.NoDerivative;

/** float[] parameters: their adjoints accumulate in double, their gradient is a float[]; int[] data are constants. */
class Floats {
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static float logistic(float[] w, @NoDerivative float[] x, @NoDerivative int[] pick, float b) {
    float z = b;
    for (int i = 0; i < pick.length; i++) {
      z += w[pick[i]] * x[i];
    }
    w[0] *= 0.5f;
    return (float) Math.log1p(Math.exp(-z)) + w[0] * w[0];
  }
}
