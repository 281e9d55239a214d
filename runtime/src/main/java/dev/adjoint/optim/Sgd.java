package dev.adjoint.optim;

import dev.adjoint.tensor.Tensor;
import java.util.List;

/**
 * Stochastic gradient descent with PyTorch's {@code torch.optim.SGD} semantics:
 * {@code g = grad + wd·p}; with momentum {@code buf = g} on the first step, then
 * {@code buf = μ·buf + (1-dampening)·g}; {@code g = nesterov ? g + μ·buf : buf}; {@code p -= lr·g}.
 * Options are set in the constructor or fluently ({@code new Sgd(ps, 0.1).momentum(0.9).nesterov(true)}).
 */
public final class Sgd implements Optimizer {
  private static final String NAME = "Sgd";
  private final List<Tensor> params;
  private boolean warnedNoGradient;
  private final double[][] buffers;
  private double lr;
  private double momentum;
  private double dampening;
  private double weightDecay;
  private boolean nesterov;

  /** Plain SGD with learning rate {@code lr}. */
  public Sgd(List<Tensor> params, double lr) {
    this(params, lr, 0, 0, 0, false);
  }

  /** SGD with every option (PyTorch's argument order). */
  public Sgd(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
    this.params = Params.copy(NAME, params);
    this.buffers = new double[this.params.size()][];
    lr(lr);
    momentum(momentum);
    dampening(dampening);
    weightDecay(weightDecay);
    nesterov(nesterov);
    checkNesterov();
  }

  /** Sets the learning rate (may be changed between steps, e.g. by a schedule). */
  public Sgd lr(double value) {
    this.lr = Params.nonNegative(NAME, "lr", value);
    return this;
  }

  /** Sets the momentum factor μ (0 disables momentum). */
  public Sgd momentum(double value) {
    this.momentum = Params.nonNegative(NAME, "momentum", value);
    return this;
  }

  /** Sets the dampening of the gradient in the momentum buffer. */
  public Sgd dampening(double value) {
    this.dampening = Params.nonNegative(NAME, "dampening", value);
    return this;
  }

  /** Sets the L2 weight decay added to the gradient. */
  public Sgd weightDecay(double value) {
    this.weightDecay = Params.nonNegative(NAME, "weightDecay", value);
    return this;
  }

  /** Enables Nesterov momentum (requires momentum &gt; 0 and zero dampening, checked at the next step). */
  public Sgd nesterov(boolean value) {
    this.nesterov = value;
    return this;
  }

  /** The current learning rate. */
  public double lr() {
    return lr;
  }

  private void checkNesterov() {
    // Checked here rather than in the setters so that fluent calls may come in any order.
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException("Sgd: Nesterov momentum requires a momentum > 0 and zero dampening, got "
          + "momentum " + momentum + " and dampening " + dampening);
    }
  }

  @Override
  public void step() {
    warnedNoGradient = Params.warnIfNoGradient(NAME, params, warnedNoGradient);
    checkNesterov();
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = param.grad();
      if (grad == null) {
        continue;
      }
      Params.checkGrad(NAME, i, param, grad);
      double[] p = param.data();
      double[] g = grad.data();
      if (momentum == 0) {
        for (int j = 0; j < p.length; j++) {
          p[j] -= lr * (g[j] + weightDecay * p[j]);
        }
        continue;
      }
      double[] buf = buffers[i];
      boolean first = buf == null;
      if (first) {
        buf = buffers[i] = new double[p.length];
      }
      for (int j = 0; j < p.length; j++) {
        double d = g[j] + weightDecay * p[j];
        buf[j] = first ? d : momentum * buf[j] + (1 - dampening) * d;
        double upd = nesterov ? d + momentum * buf[j] : buf[j];
        p[j] -= lr * upd;
      }
    }
  }

  @Override
  public void zeroGrad() {
    Params.zeroGrad(params);
  }
}
