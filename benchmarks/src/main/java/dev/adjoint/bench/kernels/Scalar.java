package dev.adjoint.bench.kernels;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import dev.adjoint.NoDerivative;

/** Loop-heavy scalar kernels: no library, no vectors, just loops over {@code double[]}. */
public final class Scalar {
  private Scalar() {}

  /**
   * The extended (chained) Rosenbrock function, Σ 100 (x[i+1] − x[i]²)² + (1 − x[i])², i &lt; n − 1: a
   * straight pass over the array, nothing overwritten.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  public static double rosenbrock(double[] x) {
    double f = 0;
    for (int i = 0; i < x.length - 1; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      f = f + 100 * a * a + b * b;
    }
    return f;
  }

  /**
   * A 1-D reaction–diffusion (Allen–Cahn) chain: {@code steps} explicit Euler steps of
   * u_t = D u_xx + u − u³ on n cells with zero Dirichlet boundaries, from the initial state {@code u0}, then
   * the squared distance to {@code target}. Every step overwrites the whole state, so the reverse sweep needs
   * the trajectory: this is the kernel that exercises the tape.
   */
  @Differentiable
  public static double reactionDiffusion(double[] u0, @NoDerivative double[] target, int steps,
      @NoDerivative double r, @NoDerivative double dt) {
    int n = u0.length;
    double[] u = new double[n];
    double[] next = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = u0[i];
    }
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < n; i++) {
        double left = i > 0 ? u[i - 1] : 0.0;
        double right = i < n - 1 ? u[i + 1] : 0.0;
        next[i] = u[i] + r * (left - 2 * u[i] + right) + dt * (u[i] - u[i] * u[i] * u[i]);
      }
      for (int i = 0; i < n; i++) {
        u[i] = next[i];
      }
    }
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double e = u[i] - target[i];
      loss = loss + e * e;
    }
    return loss;
  }

  /**
   * {@link #reactionDiffusion} with its time loop labelled {@code checkpoint:}: reversed by the binomial
   * schedule (revolve) with the default copies of the state (83 at 100 000 steps, no step run untaped more
   * than 3 times), so the tape holds one step, not all of them.
   * The original's description: a 1-D reaction–diffusion (Allen–Cahn) chain: {@code steps} explicit Euler steps of
   * u_t = D u_xx + u − u³ on n cells with zero Dirichlet boundaries, from the initial state {@code u0}, then
   * the squared distance to {@code target}. Every step overwrites the whole state, so the reverse sweep needs
   * the trajectory: this is the kernel that exercises the tape.
   */
  @Differentiable
  public static double reactionDiffusionCheckpointed(double[] u0, @NoDerivative double[] target, int steps,
      @NoDerivative double r, @NoDerivative double dt) {
    int n = u0.length;
    double[] u = new double[n];
    double[] next = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = u0[i];
    }
    checkpoint:
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < n; i++) {
        double left = i > 0 ? u[i - 1] : 0.0;
        double right = i < n - 1 ? u[i + 1] : 0.0;
        next[i] = u[i] + r * (left - 2 * u[i] + right) + dt * (u[i] - u[i] * u[i] * u[i]);
      }
      for (int i = 0; i < n; i++) {
        u[i] = next[i];
      }
    }
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double e = u[i] - target[i];
      loss = loss + e * e;
    }
    return loss;
  }

  /**
   * {@link #reactionDiffusionCheckpointed} with 20 copies of the state ({@code checkpoint20:}): less memory,
   * more steps run again (at 100 000 steps, no step more than 6 times).
   */
  @Differentiable
  public static double reactionDiffusionCheckpointed20(double[] u0, @NoDerivative double[] target, int steps,
      @NoDerivative double r, @NoDerivative double dt) {
    int n = u0.length;
    double[] u = new double[n];
    double[] next = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = u0[i];
    }
    checkpoint20:
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < n; i++) {
        double left = i > 0 ? u[i - 1] : 0.0;
        double right = i < n - 1 ? u[i + 1] : 0.0;
        next[i] = u[i] + r * (left - 2 * u[i] + right) + dt * (u[i] - u[i] * u[i] * u[i]);
      }
      for (int i = 0; i < n; i++) {
        u[i] = next[i];
      }
    }
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double e = u[i] - target[i];
      loss = loss + e * e;
    }
    return loss;
  }
}
