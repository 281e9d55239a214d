package forward;

import dev.adjoint.Derivative;
import dev.adjoint.Differentiable;
import dev.adjoint.Mode;

/** Scalar and control-flow programs, each with all three modes, checked by ForwardModeTest. */
class Corpus {
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double rosenbrock(double[] x) {
    double s = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      s += 100 * a * a + b * b;
    }
    return s;
  }

  @Differentiable(modes = {Mode.FORWARD, Mode.HVP})
  static double branches(double x, double y) {
    double z;
    if (x * y > 0.5) {
      z = Math.exp(x) * Math.sin(y);
    } else if (x < -1) {
      z = x * x * y;
    } else {
      z = Math.log(1 + x * x) / (2 + Math.cos(y));
    }
    double t = z > 0 ? Math.sqrt(1 + z * z) : Math.tanh(z) * y;
    return t + z * x;
  }

  @Differentiable(modes = {Mode.FORWARD, Mode.HVP})
  static double loops(double x, double y) {
    double s = x;
    int k = 0;
    while (true) {
      s = s * Math.cos(y) + 0.5 * Math.sin(s);
      k++;
      if (k > 6) {
        break;
      }
      if (s > 10) {
        return s * y;
      }
    }
    double p = 1;
    for (int i = 0; i < 4; i++) {
      if (i == 2) {
        continue;
      }
      p *= 1 + s * x / (i + 1);
    }
    do {
      p = p / 2 + x;
    } while (p > 3);
    return p + s;
  }

  @Differentiable(modes = {Mode.FORWARD, Mode.HVP})
  static double arrays(double[] a, double w) {
    double[] h = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      h[i] = Math.tanh(w * a[i]);
    }
    for (int i = 1; i < a.length; i++) {
      h[i] += h[i - 1] * a[i];
      a[i] = a[i] * w;
    }
    double s = 0;
    for (double v : h) {
      s += v * v;
    }
    return s + a[a.length - 1];
  }

  @Differentiable(modes = {Mode.FORWARD, Mode.HVP})
  static double matrix(double[][] m, double[] v) {
    double s = 0;
    for (int i = 0; i < m.length; i++) {
      double d = 0;
      for (int j = 0; j < v.length; j++) {
        d += m[i][j] * v[j];
      }
      s += d * d * 0.5 + Math.abs(d) * v[i];
    }
    return s;
  }

  @Differentiable(modes = {Mode.FORWARD, Mode.HVP})
  static double zoo(double x, double y) {
    double a = Math.pow(x, 3) + Math.pow(Math.abs(y) + 1, x);
    double b = Math.hypot(x, y) + Math.atan2(y, x);
    double c = (x * 7.3 + 20) % 3.0 + Math.max(x, y) - Math.min(x * y, 0.2);
    return a * b + c + Math.cbrt(x + 3) + StrictMath.expm1(y / 4) + Math.sqrt(x * x + 1);
  }

  /** Calls: sq has the default mode only; calling it from a FORWARD method gives it sqJvp. */
  @Differentiable(modes = Mode.FORWARD)
  static double calls(double x, double y) {
    double u = sq(x + y) * halfSquare(y);
    return sq(u) + sq(sq(x)) + (x > 0 ? sq(y) : 1);
  }

  @Differentiable
  static double sq(double x) {
    return x * x;
  }

  /** A hand-written derivative. */
  static double halfSquare(double y) {
    return 0.5 * y * y;
  }

  @Derivative(of = "halfSquare", wrt = "y")
  static double halfSquareDy(double y) {
    return y;
  }

  @Differentiable(modes = Mode.FORWARD)
  static double recursion(double x, int n) {
    return n == 0 ? x : Math.sin(recursion(x, n - 1)) + x;
  }

  /** A loop labelled checkpoint: the gradient reverses it from copies; forward mode and HVP tape it whole. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double checkpointed(double[] x, int steps) {
    double s = 0.5;
    double[] u = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      u[i] = x[i];
    }
    checkpoint:
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < u.length; i++) {
        u[i] = Math.sin(u[i]) * s + x[i];
      }
      s = s * 0.9 + u[0] * u[1];
    }
    return s + u[2] * u[3];
  }

  @Differentiable(modes = {Mode.FORWARD, Mode.HVP})
  static double dotCall(double[] a, double[] b) {
    return dot(a, b) * dot(a, a);
  }

  @Differentiable
  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /**
   * Hessian-vector products through calls (inlined): an annotated callee in a loop, a private
   * helper differentiated on demand with a loop, an early return and a private constant.
   */
  @Differentiable(modes = {Mode.FORWARD, Mode.HVP})
  static double helpers(double[] x, double w) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += sq(x[i] * w) + poly(x[i] + w, x);
    }
    return s + dot(x, x) * sq(w);
  }

  private static final double SCALE = 0.25;

  static final org.hipparchus.distribution.continuous.NormalDistribution NORMAL =
      new org.hipparchus.distribution.continuous.NormalDistribution(0.3, 1.2);

  /** Rules of library functions and of a distribution's methods (the receiver carries no derivative), in every mode. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double libraries(double x, double y) {
    return NORMAL.cumulativeProbability(x * y) + NORMAL.density(x) + org.hipparchus.special.Erf.erf(y) * x
        + Math.copySign(x * x + 1, 0.5 + y * y) + NORMAL.inverseCumulativeProbability(0.5 + 0.4 * Math.tanh(y));
  }

  private static double poly(double t, double[] c) {
    double p = 0;
    for (int i = 0; i < c.length; i++) {
      p = p * t + c[i];
      if (Math.abs(p) > 1e6) {
        return p;
      }
    }
    return Math.tanh(p * SCALE) * t;
  }

  /** A double[] result: the tangent is an array of the result's length. */
  @Differentiable(modes = Mode.FORWARD)
  static double[] softmax(double[] z) {
    double m = z[0];
    for (int i = 1; i < z.length; i++) {
      m = Math.max(m, z[i]);
    }
    double[] e = new double[z.length];
    double sum = 0;
    for (int i = 0; i < z.length; i++) {
      e[i] = Math.exp(z[i] - m);
      sum += e[i];
    }
    for (int i = 0; i < z.length; i++) {
      e[i] /= sum;
    }
    return e;
  }
}
