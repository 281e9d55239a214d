package dev.adjoint.corpus;

import dev.adjoint.Derivative;
import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import dev.adjoint.NoDerivative;

/**
 * The control-flow gradient-check corpus: {@code @Differentiable} methods with branches, switches,
 * loops of every kind (with break, continue and return inside), arrays (parameters, locals, 2-D,
 * element writes into parameters), calls (same class, other class, recursive, hand-written
 * {@link Derivative}s) and values that are not active. Each one has a forward-mode twin in
 * {@link ControlFlowCorpusTest} and is checked there against it and against finite differences.
 *
 * <p>Every method is ordinary numeric code: polynomials, piecewise functions, losses, small
 * solvers and a small network.
 */
public class ControlFlowCorpus {
  /** ln 2, a static constant. */
  static final double LN2 = 0.6931471805599453;

  /** Instance state read as constants by the instance methods. */
  final double shift;
  final double decay;

  ControlFlowCorpus(double shift, double decay) {
    this.shift = shift;
    this.decay = decay;
  }

  // ---------------------------------------------------------------------------------------------
  // 1. Branches

  /** A cubic on the left, a sine in the middle, a log on the right: if / else if / else. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double piecewise(double x) {
    double y;
    if (x < -1) {
      y = -x * x * x - 2;
    } else if (x < 1) {
      y = Math.sin(x * Math.PI / 2);
    } else {
      y = 1 + Math.log(x);
    }
    return y * y + x;
  }

  /** The Huber loss; both branches return. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double huber(double r, double delta) {
    double a = Math.abs(r);
    if (a <= delta) {
      return 0.5 * r * r;
    } else {
      return delta * (a - 0.5 * delta);
    }
  }

  /** Nested ifs on x > y and on the signs of x and y. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double nestedIfs(double x, double y) {
    double r = 0;
    if (x > y) {
      if (x > 0) {
        r = x * y + Math.exp(-x);
      } else {
        r = Math.sin(x) - y;
      }
    } else {
      if (y > 1) {
        r = y * y / (1 + x * x);
      } else if (x < -1) {
        r = Math.cos(x * y);
      } else {
        r = x - y * y * y;
      }
    }
    return r + 0.1 * x;
  }

  /** Bilinear interpolation on a 3×3 grid of values over [0, 2]²: nested ifs pick the cell. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double bilinear(double u, double v, double[][] f) {
    int i;
    int j;
    if (u < 1) {
      i = 0;
      if (v < 1) {
        j = 0;
      } else {
        j = 1;
      }
    } else {
      i = 1;
      if (v < 1) {
        j = 0;
      } else {
        j = 1;
      }
    }
    double s = u - i;
    double t = v - j;
    return (1 - s) * (1 - t) * f[i][j] + s * (1 - t) * f[i + 1][j] + (1 - s) * t * f[i][j + 1]
        + s * t * f[i + 1][j + 1];
  }

  /** Clamps x into [lo, hi] with nested ternaries; lo and hi are active. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double clampTernary(double x, double lo, double hi) {
    double c = x < lo ? lo : x > hi ? hi : x;
    return c * c + Math.sin(x) * c;
  }

  /** Ternaries on active comparisons, one of them inside an expression. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double ternaryMix(double x, double y) {
    double t = x > y ? x * y : x + y;
    double u = (x > 0 ? Math.sin(x) : Math.cos(x)) * t;
    return u + (t > 1 ? Math.sqrt(t) : 0.5 * (t * t + 1));
  }

  /** e^t truncated at the given order: the cases fall through from the highest order down. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  @SuppressWarnings("fallthrough")
  static double taylorExp(double t, int order) {
    double s = 0;
    switch (order) {
      case 4:
        s += t * t * t * t / 24;
      case 3:
        s += t * t * t / 6;
      case 2:
        s += t * t / 2;
      case 1:
        s += t;
      case 0:
        s += 1;
        break;
      default:
        s = Math.exp(t);
    }
    return s;
  }

  /**
   * A roughness penalty picked by kind: first differences, or second differences that fall through
   * into the boundary term of kind 2, or (default) an L1 penalty. Loops inside the cases.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  @SuppressWarnings("fallthrough")
  static double smoothingPenalty(double[] u, int kind) {
    int n = u.length;
    double s = 0;
    switch (kind) {
      case 0:
        for (int i = 1; i < n; i++) {
          double d = u[i] - u[i - 1];
          s += d * d;
        }
        break;
      case 1:
        for (int i = 1; i < n - 1; i++) {
          double d2 = u[i + 1] - 2 * u[i] + u[i - 1];
          s += d2 * d2;
        }
        // falls through: kind 1 also pays the boundary term
      case 2:
        s += 0.5 * u[0] * u[0] + 0.5 * u[n - 1] * u[n - 1];
        break;
      default:
        for (double v : u) {
          s += Math.abs(v);
        }
    }
    return s;
  }

  /** An activation function picked by an arrow switch; one case has two labels and a block. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double activation(double x, int kind) {
    double y;
    switch (kind) {
      case 0 -> y = Math.tanh(x);
      case 1 -> y = x > 0 ? x : 0.01 * x;
      case 2, 3 -> {
        double s = 1 / (1 + Math.exp(-x));
        y = kind == 2 ? x * s : s;
      }
      default -> y = x;
    }
    return y * (1 + 0.1 * x);
  }

  /** A regression loss picked by an arrow switch: squared, Huber (a call), smooth L1, log-cosh. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double lossByKind(double pred, double target, int kind) {
    double r = pred - target;
    double loss = 0;
    switch (kind) {
      case 0 -> loss = r * r;
      case 1 -> loss = huber(r, 1.0);
      case 2 -> {
        double a = Math.abs(r);
        loss = a < 0.5 ? a * a : a - 0.25;
      }
      default -> loss = Math.log(Math.cosh(r));
    }
    return loss;
  }

  /** The alternating series of log(1 + x): the sign is decided on the int index. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double alternatingLog1p(double x, int terms) {
    double s = 0;
    double p = x;
    for (int k = 1; k <= terms; k++) {
      if (k % 2 == 1) {
        s += p / k;
      } else {
        s -= p / k;
      }
      p *= x;
    }
    return s;
  }

  /** ∫₀¹ sin(a t) dt by Simpson's rule with n (even) panels: weights chosen on the int index. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double simpsonSin(double a, int n) {
    double h = 1.0 / n;
    double s = 0;
    for (int i = 0; i <= n; i++) {
      double w;
      if (i == 0 || i == n) {
        w = 1;
      } else if (i % 2 == 1) {
        w = 4;
      } else {
        w = 2;
      }
      s += w * Math.sin(a * i * h);
    }
    return s * h / 3;
  }

  /** Squared or absolute error of a residual clipped to [-1, 1]; a boolean picks the kind. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double clippedLoss(double pred, double target, boolean squared) {
    double d = pred - target;
    if (d > 1) {
      d = 1;
    } else if (d < -1) {
      d = -1;
    }
    double base = squared ? d * d : Math.abs(d);
    return base + 0.01 * pred * pred;
  }

  /** Three pieces, each ending in its own return. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double piecewiseEarlyReturn(double x, double y) {
    if (x < 0) {
      return Math.expm1(x) * y;
    }
    double q = x * x + y;
    if (q > 2) {
      return Math.log(q) + x;
    }
    return q * y;
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Loops

  /** Σ c_i x^i by Horner's rule, lowest coefficient first, looping down. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double horner(double x, double[] c) {
    double s = 0;
    for (int i = c.length - 1; i >= 0; i--) {
      s = s * x + c[i];
    }
    return s;
  }

  /** Horner's rule over an enhanced for, highest coefficient first. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double hornerForward(double x, double[] c) {
    double s = 0;
    for (double ci : c) {
      s = s * x + ci;
    }
    return s;
  }

  /** The fixed-point iteration s ← sin(s) + x, n times. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double sinIterate(double x, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s = Math.sin(s) + x;
    }
    return s;
  }

  /** Exponential moving average of a series. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double ema(double[] x, double alpha) {
    double m = x[0];
    for (int i = 1; i < x.length; i++) {
      m = alpha * x[i] + (1 - alpha) * m;
    }
    return m;
  }

  /** Energy of a pendulum after a fixed number of leapfrog steps. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double pendulum(double q0, double p0, double dt, int steps) {
    double q = q0;
    double p = p0;
    for (int i = 0; i < steps; i++) {
      p -= 0.5 * dt * Math.sin(q);
      q += dt * p;
      p -= 0.5 * dt * Math.sin(q);
    }
    return 0.5 * p * p - Math.cos(q);
  }

  /** log(x) by range reduction: two while loops with data-dependent trip counts, an int counter. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double logRangeReduce(double x) {
    double y = x;
    int k = 0;
    while (y >= 2) {
      y = y / 2;
      k++;
    }
    while (y < 1) {
      y = y * 2;
      k--;
    }
    return k * LN2 + Math.log1p(y - 1);
  }

  /** e^x by its Taylor series, summed while the terms still matter. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double expSeries(double x) {
    double term = 1;
    double sum = 1;
    int k = 0;
    while (Math.abs(term) > 1e-16 * Math.abs(sum)) {
      k++;
      term = term * x / k;
      sum += term;
    }
    return sum;
  }

  /** sqrt(a) by Newton's method in a do/while that stops when the step is negligible. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double newtonSqrt(double a) {
    double x = a > 1 ? a : 1;
    double prev;
    do {
      prev = x;
      x = 0.5 * (x + a / x);
    } while (Math.abs(x - prev) > 1e-14 * x);
    return x;
  }

  /** Kepler's equation E - e sin E = M by Newton's method in a do/while; returns the radius. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double kepler(double m, double e) {
    double ea = m;
    double delta;
    int iterations = 0;
    do {
      delta = (ea - e * Math.sin(ea) - m) / (1 - e * Math.cos(ea));
      ea -= delta;
      iterations++;
    } while (Math.abs(delta) > 1e-13 && iterations < 50);
    return 1 - e * Math.cos(ea);
  }

  /** cbrt(a) by a fixed number of Newton steps from 1 (no convergence test). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double newtonCbrt(double a) {
    double x = 1;
    for (int i = 0; i < 30; i++) {
      x = x - (x * x * x - a) / (3 * x * x);
    }
    return x;
  }

  /** Adds squares until the running total passes a budget, then breaks; divides by the count. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double budgetedSum(double[] x, double budget) {
    double s = 0;
    int used = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * x[i];
      used++;
      if (s > budget) {
        break;
      }
    }
    return s / used + 0.1 * budget;
  }

  /** Piecewise linear interpolation: a search loop with break, then an interpolation. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double interp(double t, double[] xs, double[] ys) {
    int k = xs.length - 2;
    for (int i = 0; i < xs.length - 1; i++) {
      if (t < xs[i + 1]) {
        k = i;
        break;
      }
    }
    double w = (t - xs[k]) / (xs[k + 1] - xs[k]);
    return (1 - w) * ys[k] + w * ys[k + 1];
  }

  /** Σ (i+1) sqrt(x_i) over the positive elements: continue skips the others. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double sqrtOfPositives(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] <= 0) {
        continue;
      }
      s += Math.sqrt(x[i]) * (i + 1);
    }
    return s;
  }

  /** Skips every third element (continue on an int condition); a local re-declared per iteration. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double skipEveryThird(double[] x, double w) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      if (i % 3 == 2) {
        continue;
      }
      double t = x[i] * w;
      s += t * t + Math.sin(t);
    }
    return s;
  }

  /** The first element above a level, weighted by its position (return inside the loop). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double firstAbove(double[] x, double level) {
    for (int i = 0; i < x.length; i++) {
      if (x[i] > level) {
        return x[i] * (i + 1) - level;
      }
    }
    return level * level;
  }

  /**
   * When a ball thrown up at v0 lands under gravity g: explicit Euler steps, returning from inside
   * the loop with the crossing interpolated linearly.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double landingTime(double v0, double g) {
    double dt = 0.05;
    double y = 0;
    double v = v0;
    double t = 0;
    for (int i = 0; i < 100000; i++) {
      double yPrev = y;
      y += v * dt;
      v -= g * dt;
      t += dt;
      if (y < 0) {
        return t - dt * y / (y - yPrev);
      }
    }
    return t;
  }

  /** ||A x||²: nested loops over a double[][], a local vector accumulated with +=. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double matVecNorm(double[][] a, double[] x) {
    double[] y = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < x.length; j++) {
        y[i] += a[i][j] * x[j];
      }
    }
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += y[i] * y[i];
    }
    return s;
  }

  /** xᵀ A x with a scalar local re-declared in the outer loop. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double quadForm(double[][] a, double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double row = 0;
      for (int j = 0; j < a[i].length; j++) {
        row += a[i][j] * x[j];
      }
      s += x[i] * row;
    }
    return s;
  }

  /** Σ (w x_i)²: t is declared in the body and read later in the same iteration. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double scaledEnergy(double[] x, double w) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double t = x[i] * w;
      s += t * t;
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------
  // 3. Arrays

  /** Σ (i+1) x_i x_{n-1-i}. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double reverseDot(double[] x) {
    int n = x.length;
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += (i + 1) * x[i] * x[n - 1 - i];
    }
    return s;
  }

  /** sqrt(1 + Σ (x_{i+1 mod n} - x_i)²): cyclic index arithmetic. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double cyclicVariation(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double d = x[(i + 1) % x.length] - x[i];
      s += d * d;
    }
    return Math.sqrt(1 + s);
  }

  /** Prefix sums in a local array (t[i] += t[i - 1]), then a weighted sum of their sines. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double cumsumLoss(double[] x) {
    double[] t = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      t[i] = x[i];
      if (i > 0) {
        t[i] += t[i - 1];
      }
    }
    double s = 0;
    for (int i = 0; i < t.length; i++) {
      s += Math.sin(t[i]) / (i + 1);
    }
    return s;
  }

  /** softmax(z) · y, shifted by the maximum found with a loop; normalised in place (e[i] /= sum). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double softmaxDot(double[] z, double[] y) {
    double m = z[0];
    for (int i = 1; i < z.length; i++) {
      if (z[i] > m) {
        m = z[i];
      }
    }
    double[] e = new double[z.length];
    double sum = 0;
    for (int i = 0; i < z.length; i++) {
      e[i] = Math.exp(z[i] - m);
      sum += e[i];
    }
    double r = 0;
    for (int i = 0; i < z.length; i++) {
      e[i] /= sum;
      r += e[i] * y[i];
    }
    return r;
  }

  /** Squared error of a 2-layer tanh network; the input and the label are data. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double mlpTanh(double[][] w1, double[] b1, double[] w2, double b2, @NoDerivative double[] x,
      @NoDerivative double label) {
    double[] h = new double[b1.length];
    for (int j = 0; j < b1.length; j++) {
      double z = b1[j];
      for (int i = 0; i < x.length; i++) {
        z += w1[j][i] * x[i];
      }
      h[j] = Math.tanh(z);
    }
    double out = b2;
    for (int j = 0; j < h.length; j++) {
      out += w2[j] * h[j];
    }
    double diff = out - label;
    return 0.5 * diff * diff;
  }

  /** Cross-entropy of a 2-layer ReLU network with a sigmoid output. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double mlpRelu(double[][] w1, double[] b1, double[] w2, double b2, @NoDerivative double[] x,
      @NoDerivative double label) {
    double[] h = new double[b1.length];
    for (int j = 0; j < b1.length; j++) {
      double z = b1[j];
      for (int i = 0; i < x.length; i++) {
        z += w1[j][i] * x[i];
      }
      h[j] = z > 0 ? z : 0.0;
    }
    double out = b2;
    for (int j = 0; j < h.length; j++) {
      out += w2[j] * h[j];
    }
    double p = 1 / (1 + Math.exp(-out));
    return -(label * Math.log(p) + (1 - label) * Math.log(1 - p));
  }

  /** Trimmed mean plus a range penalty: a local copy bubble-sorted with swaps on x[j] > x[j+1]. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double trimmedMean(double[] x) {
    int n = x.length;
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = x[i];
    }
    for (int pass = 0; pass < n - 1; pass++) {
      for (int j = 0; j < n - 1 - pass; j++) {
        if (t[j] > t[j + 1]) {
          double tmp = t[j];
          t[j] = t[j + 1];
          t[j + 1] = tmp;
        }
      }
    }
    double s = 0;
    for (int i = 1; i < n - 1; i++) {
      s += t[i];
    }
    double range = t[n - 1] - t[0];
    return s / (n - 2) + 0.25 * range * range;
  }

  /** Squares the parameter array in place, then sums sqrt(1 + x_i): the gradient is w.r.t. entry. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double squareInPlace(double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = x[i] * x[i];
    }
    double s = 0;
    for (double v : x) {
      s += Math.sqrt(1 + v);
    }
    return s;
  }

  /** Smooths the parameter array in place (each element reads the already-smoothed previous). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double smoothInPlace(double[] x, double alpha) {
    for (int i = 1; i < x.length; i++) {
      x[i] = alpha * x[i] + (1 - alpha) * x[i - 1];
    }
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * x[i] * (i + 1);
    }
    return s;
  }

  /** Clamps the parameter array into [lo, hi] in place, then a weighted sum of squares. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double clampInPlace(double[] x, double lo, double hi) {
    for (int i = 0; i < x.length; i++) {
      if (x[i] < lo) {
        x[i] = lo;
      } else if (x[i] > hi) {
        x[i] = hi;
      }
    }
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += (i + 1) * x[i] * x[i];
    }
    return s;
  }

  /** Normalises the parameter array in place (x[i] /= norm), then a weighted sum. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double normalizeInPlace(double[] x) {
    double ss = 0;
    for (double v : x) {
      ss += v * v;
    }
    double norm = Math.sqrt(ss);
    for (int i = 0; i < x.length; i++) {
      x[i] /= norm;
    }
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += (i + 1) * x[i] + x[i] * x[i] * x[i];
    }
    return s;
  }


  /**
   * A miniature of ADBench's GMM term: per component, xc = x − μ and q = diag ⊙ xc refilled by
   * whole-array loops, then the strict lower triangle added into q with an int counter. The
   * increments of q overwrite nothing the reverse sweep reads (the refill before them puts every
   * element back), so the gradient saves nothing for them; the counter is stepped back, not saved.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double triangleNorms(double[] x, double[] mu, double[] diag, double[] lower, int comps) {
    int d = x.length;
    double[] xc = new double[d];
    double[] q = new double[d];
    double s = 0;
    for (int c = 0; c < comps; c++) {
      for (int i = 0; i < d; i++) {
        xc[i] = x[i] - mu[c * d + i];
      }
      for (int i = 0; i < d; i++) {
        q[i] = diag[c * d + i] * xc[i];
      }
      int li = c * (d * (d - 1) / 2);
      for (int i = 0; i < d; i++) {
        for (int j = i + 1; j < d; j++) {
          q[j] += lower[li] * xc[i];
          li++;
        }
      }
      double sq = 0;
      for (int i = 0; i < q.length; i++) {
        sq += q[i] * q[i];
      }
      s += Math.log(1 + sq);
    }
    return s;
  }

  /**
   * The refill stops one short of the end: q's last element carries over from round to round, so
   * the increments must save what they overwrite.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double partialRefill(double[] x, double[] w, int rounds) {
    int d = x.length;
    double[] q = new double[d];
    double s = 0;
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < d - 1; i++) {
        q[i] = w[i] * x[i] + r;
      }
      for (int j = 1; j < d; j++) {
        q[j] += w[j] * x[j - 1];
      }
      s += Math.sin(q[d - 1]) * q[0];
    }
    return s;
  }

  /** Between the refill and the increments, a statement whose derivative reads q: they must save. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double readBetweenRefill(double[] x, double[] w, int rounds) {
    int n = x.length;
    double[] q = new double[n];
    double s = 0;
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < n; i++) {
        q[i] = x[i] * w[(i + r) % n];
      }
      s += q[0] * q[n - 1];
      for (int j = 1; j < n; j++) {
        q[j] += x[j - 1] * x[j];
      }
      s += Math.exp(0.1 * q[n - 1]) * q[1];
    }
    return s;
  }

  /** int steps by a parameter and by 1 in a while loop: the reverse sweep steps them back. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double stridedSum(double[] x, int step) {
    double s = 0;
    int at = 0;
    int visits = 0;
    while (visits < x.length) {
      s = s * 0.5 + Math.sin(x[at % x.length]) * (visits + 1);
      at += step;
      visits++;
      at -= 1;
    }
    return s;
  }


  /**
   * Loop-body locals from exp, sqrt and tanh that later statements read: their derivatives read
   * the locals (put back from the tape) instead of calling the functions again.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double expChain(double[] x, double w) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double e = Math.exp(w * x[i]);
      double r = Math.sqrt(1 + e * e);
      double t = Math.tanh(s - e);
      s = s + e * r + t * t;
    }
    return s;
  }


  /**
   * The reverse sweep sums xBar[k]'s contributions of the inner loop in a local; when the inner loop
   * does not run (k = x.length), that sum is not added, since x[k] would be out of range.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double guardedIndex(double[] x, double[] w, int m) {
    double s = 0;
    for (int k = 0; k <= x.length; k++) {
      for (int j = 0; j < (k < x.length ? m : 0); j++) {
        s += x[k] * w[j] * (j + 1);
      }
    }
    return s;
  }


  /**
   * A long state beyond 2^53 picks the elements: the tape must give back every bit of it (a double
   * would round it, and pick other elements in the reverse sweep).
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double hashedPicks(double[] x, int rounds) {
    double s = 0;
    long h = 1152921504606858321L;
    for (int r = 0; r < rounds; r++) {
      s = s * 0.75 + Math.sin(x[(int) ((h % x.length + x.length) % x.length)]) * (r + 1);
      h = h * 6364136223846793005L + 1442695040888963407L;
    }
    return s;
  }


  /** A scratch array read before this round fills it again (last round's values): it must be saved. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double carriedScratch(double[] x, double w, int rounds) {
    int n = x.length;
    double[] t = new double[n];
    double s = 0;
    for (int r = 0; r < rounds; r++) {
      s += t[r % n] * w;
      for (int i = 0; i < n; i++) {
        t[i] = x[i] * (r + 1);
      }
      s += Math.sin(t[(r + 1) % n]) * w;
    }
    return s;
  }

  /**
   * A scratch array filled in an inner loop and read after it, in the outer loop's body: the
   * reverse sweep cannot fill it again there, so it is saved.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double scratchAcrossLoops(double[] x, double w, int rounds) {
    int n = x.length;
    double[] t = new double[n];
    double s = 0;
    for (int r = 0; r < rounds; r++) {
      for (int c = 0; c < 2; c++) {
        for (int i = 0; i < n; i++) {
          t[i] = x[i] * (c + 1) + r;
        }
        s += Math.sin(t[c]) * w;
      }
      s += t[n - 1] * t[0] * w;
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Calls

  /** Calls two methods of this class, one with an active second argument. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double callsSame(double x, double y) {
    double p = piecewise(x);
    double h = huber(x - y, 0.5 + 0.1 * y * y);
    return p * y + h;
  }

  /** Mean squared error of a polynomial fit: calls horner in a loop; the data are constants. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double polyFitLoss(double[] c, @NoDerivative double[] xs, @NoDerivative double[] ys) {
    double loss = 0;
    for (int i = 0; i < xs.length; i++) {
      double r = horner(xs[i], c) - ys[i];
      loss += r * r;
    }
    return loss / xs.length;
  }

  /** Passes both arrays to helpers in another class. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double normalizedScore(double[] x, double[] w) {
    return CorpusHelpers.weightedSum(x, w) / (1 + CorpusHelpers.sumSquares(w));
  }

  /** Smoothed total variation: a helper call in a loop, with a constant second argument. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double smoothTotalVariation(double[] x) {
    double s = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      s += CorpusHelpers.smoothAbs(x[i + 1] - x[i], 0.1);
    }
    return s;
  }

  /** Σ_i sqrt(|a_i|² + 0.001): each row of a double[][] passed to a helper. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double rowNormSum(double[][] a) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.sqrt(CorpusHelpers.sumSquares(a[i]) + 1e-3);
    }
    return s;
  }

  /** x^n by recursion on n. */
  // no Mode.HVP: the recursive call of powRec (ADJ244)
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double powRec(double x, int n) {
    return n == 0 ? 1 : x * powRec(x, n - 1);
  }

  /** Σ w_k T_k(x): the recursive helper called in a loop. */
  // no Mode.HVP: a call of chebyshev (inside it: the recursive call of chebyshev) (ADJ244)
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double chebyshevSeries(double x, double[] w) {
    double s = 0;
    for (int k = 0; k < w.length; k++) {
      s += w[k] * CorpusHelpers.chebyshev(x, k);
    }
    return s;
  }

  /** A numerically stable softplus; its derivative is written by hand below. */
  static double softplus(double x) {
    return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
  }

  @Derivative(of = "softplus")
  static double softplusDx(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** A softplus regression head on a linear model; x is data. */
  // no Mode.HVP: a call of softplus, whose derivative is hand-written (@Derivative gives no second derivative) (ADJ244)
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double softplusRegression(double[] w, double b, @NoDerivative double[] x) {
    double z = b;
    for (int i = 0; i < w.length; i++) {
      z += w[i] * x[i];
    }
    return softplus(z) + 0.5 * softplus(1 - 2 * z);
  }

  /** softplus applied in a loop to its own previous result. */
  // no Mode.HVP: a call of softplus, whose derivative is hand-written (@Derivative gives no second derivative) (ADJ244)
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double softplusChain(double x) {
    double s = softplus(x);
    for (int i = 0; i < 3; i++) {
      s = softplus(s - 1) + 0.5 * x;
    }
    return s;
  }

  /** log(e^a + e^b), stable; one hand-written partial per parameter. */
  static double logAddExp(double a, double b) {
    double m = Math.max(a, b);
    return m + Math.log1p(Math.exp(-Math.abs(a - b)));
  }

  @Derivative(of = "logAddExp", wrt = "a")
  static double logAddExpDa(double a, double b) {
    return 1 / (1 + Math.exp(b - a));
  }

  @Derivative(of = "logAddExp", wrt = "b")
  static double logAddExpDb(double a, double b) {
    return 1 / (1 + Math.exp(a - b));
  }

  /** A smooth maximum of three values by nested calls. */
  // no Mode.HVP: a call of logAddExp, whose derivative is hand-written (@Derivative gives no second derivative) (ADJ244)
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double smoothMax3(double a, double b, double c) {
    return logAddExp(logAddExp(a, b), c);
  }

  /** log Σ e^{z_i} folded pairwise in a loop. */
  // no Mode.HVP: a call of logAddExp, whose derivative is hand-written (@Derivative gives no second derivative) (ADJ244)
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double foldLogAddExp(double[] z) {
    double acc = z[0];
    for (int i = 1; i < z.length; i++) {
      acc = logAddExp(acc, z[i]);
    }
    return acc;
  }

  /** log Σ e^{z_i}, shifted by the maximum; its gradient (the softmax) is written by hand. */
  static double logSumExp(double[] z) {
    double m = z[0];
    for (double v : z) {
      m = Math.max(m, v);
    }
    double s = 0;
    for (double v : z) {
      s += Math.exp(v - m);
    }
    return m + Math.log(s);
  }

  @Derivative(of = "logSumExp")
  static double[] logSumExpGrad(double[] z) {
    double lse = logSumExp(z);
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = Math.exp(z[i] - lse);
    }
    return p;
  }

  /** Softmax cross-entropy of logits against a class index. */
  // no Mode.HVP: a call of logSumExp, whose derivative is hand-written (@Derivative gives no second derivative) (ADJ244)
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double crossEntropy(double[] z, int label) {
    return logSumExp(z) - z[label];
  }

  /** τ · logSumExp(z / τ): a local array passed to the hand-differentiated method. */
  // no Mode.HVP: a call of logSumExp, whose derivative is hand-written (@Derivative gives no second derivative) (ADJ244)
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double temperedLse(double[] z, double tau) {
    double[] t = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      t[i] = z[i] / tau;
    }
    return tau * logSumExp(t);
  }

  /** Rounds to a multiple of 1/4; the straight-through estimator below pretends it is x. */
  static double quantize(double x) {
    return Math.rint(4 * x) / 4;
  }

  @Derivative(of = "quantize")
  static double quantizeStraightThrough(double x) {
    return 1;
  }

  /**
   * Squared error of a quantised weight. Its true derivative is 0 almost everywhere; with the
   * straight-through partial it is 2 (quantize(w) - target), which shows the hand-written partial
   * is the one used (checked on its own, not by finite differences).
   */
  // no Mode.HVP: a call of quantize, whose derivative is hand-written (@Derivative gives no second derivative) (ADJ244)
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double quantizedLoss(double w, double target) {
    double q = quantize(w);
    return (q - target) * (q - target);
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Activity

  /** An int counter of positive elements scales the result (a constant factor). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double positiveFraction(double[] x) {
    int positives = 0;
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > 0) {
        positives++;
      }
      s += x[i] * x[i];
    }
    return positives * s / x.length;
  }

  /** A local computed in a loop from constants only, and a branch on it. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double constantLocal(double x) {
    double k = 0;
    for (int i = 1; i <= 4; i++) {
      k += 1.0 / i;
    }
    double scale = k > 2 ? 0.5 : 2;
    return scale * k * x * x + Math.sin(k * x);
  }

  /** y feeds a loop and a branch-local value that never reach the result: its partial is 0. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double deadCode(double x, double y) {
    double waste = 0;
    for (int i = 0; i < 5; i++) {
      waste += Math.exp(y * i);
    }
    double r = x * x;
    if (x > 0) {
      double unused = r * y + waste;
      r += x;
    } else {
      r -= x;
    }
    return r;
  }

  /** A scratch array written from x and y but never read: y's partial is 0. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double deadScratch(double[] x, double y) {
    double[] scratch = new double[x.length];
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      scratch[i] = x[i] * y;
      s += x[i] * x[i];
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------
  // 6. Instance methods: fields are constants

  /** Σ c_i (x - shift)^i by Horner's rule; the shift is a field. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  double shiftedPoly(double x, double[] c) {
    double u = x - shift;
    double s = 0;
    for (int i = c.length - 1; i >= 0; i--) {
      s = s * u + c[i];
    }
    return s;
  }

  /** A discounted return Σ decay^i r_i in which losses count double. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  double discounted(double[] r) {
    double g = 0;
    double w = 1;
    for (double ri : r) {
      g += ri > 0 ? w * ri : 2 * w * ri;
      w *= decay;
    }
    return g;
  }

  /** Calls an instance method twice (passing the array on) and a static one. */
  // no Mode.HVP: a call of the instance method shiftedPoly (ADJ244)
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  double polyProduct(double x, double[] c) {
    return shiftedPoly(x, c) * shiftedPoly(-x, c) + piecewise(x);
  }

  // ---------------------------------------------------------------------------------------------
  // 7. Copies: a.clone() of a parameter, of a row and of a constant table

  /** Smoothing weights, a constant table cloned before it is scaled. */
  static final double[] WEIGHTS = {0.5, -1.25, 2.0};

  /**
   * Exponential smoothing on a copy of x (x.clone()), then the squared residual between x and the
   * smoothed series plus its last value: x's gradient sums what flows through both.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double clonedSmoothing(double[] x, double alpha) {
    double[] s = x.clone();
    for (int i = 1; i < s.length; i++) {
      s[i] = alpha * s[i] + (1 - alpha) * s[i - 1];
    }
    double r = 0;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - s[i];
      r += d * d;
    }
    return r + s[s.length - 1];
  }

  /**
   * Copies of rows (at a literal, a variable and a computed index), of a parameter array and of a
   * constant table; then the originals are written, and the copies keep the values on entry.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double clonedRows(double[][] m, double[] v, double x) {
    double[] first = m[0].clone();
    int k = m.length - 1;
    double[] last = m[k].clone();
    double[] mid = m[k - 1].clone();
    double[] w = v.clone();
    double[] c = WEIGHTS.clone();
    c[1] *= x;
    v[0] = x * v[1];
    m[0][1] = x;
    double s = 0;
    for (int j = 0; j < first.length; j++) {
      first[j] *= last[j] + x;
      s += first[j] * w[j % w.length] + Math.sin(mid[j]) * m[0][j] + c[j % c.length] * v[0];
    }
    return s + v[0] * w[0];
  }
}
