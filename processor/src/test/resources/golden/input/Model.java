package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

class Model {
  static final double SCALE = 0.5;
  double w = 2;
  float bias = 1f;

  /** An instance method: fields are read through self, as constants. */
  @Differentiable(wrt = {"x"})
  double predict(double x, float gain, @NoDerivative double label, int n) {
    double y = w * x + bias;
    y *= gain * SCALE;
    double err = y - label;
    return err * err / n;
  }

  static class Inner {
    /** A nested class: its gradient class is Model_InnerGrad. */
    @Differentiable
    static float soft(float a, double b) {
      return (float) Math.log1p(Math.exp(a * b));
    }
  }
}
