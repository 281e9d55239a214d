package dev.adjoint.optim;

import dev.adjoint.tensor.Tensor;
import java.util.List;

/**
 * Adam (Kingma and Ba) with PyTorch's {@code torch.optim.Adam} semantics: optional L2 weight decay added to the
 * gradient, bias-corrected moments, {@code p -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + eps)}, with a step count
 * {@code t} per parameter (a parameter skipped for lack of a gradient does not advance).
 */
public class Adam implements Optimizer {
  private final String name;
  private final List<Tensor> params;
  private boolean warnedNoGradient;
  private final double[][] m;
  private final double[][] v;
  private final int[] steps;
  private double lr;
  private double beta1 = 0.9;
  private double beta2 = 0.999;
  private double eps = 1e-8;
  private double weightDecay;

  /** Adam with learning rate {@code lr}, betas (0.9, 0.999), eps 1e-8 and no weight decay. */
  public Adam(List<Tensor> params, double lr) {
    this("Adam", params, lr, 0.0);
  }

  Adam(String name, List<Tensor> params, double lr, double weightDecay) {
    this.name = name;
    this.params = Params.copy(name, params);
    this.m = new double[this.params.size()][];
    this.v = new double[this.params.size()][];
    this.steps = new int[this.params.size()];
    // Validated directly rather than through the (overridable) setters, so no 'this' escapes the constructor.
    this.lr = Params.nonNegative(name, "lr", lr);
    this.weightDecay = Params.nonNegative(name, "weightDecay", weightDecay);
  }

  /** Sets the learning rate. */
  public Adam lr(double value) {
    this.lr = Params.nonNegative(name, "lr", value);
    return this;
  }

  /** Sets the moment decay rates β1 and β2, each in [0, 1). */
  public Adam betas(double b1, double b2) {
    this.beta1 = Params.beta(name, "beta1", b1);
    this.beta2 = Params.beta(name, "beta2", b2);
    return this;
  }

  /** Sets the denominator's epsilon. */
  public Adam eps(double value) {
    this.eps = Params.nonNegative(name, "eps", value);
    return this;
  }

  /** Sets the weight decay (L2 added to the gradient for Adam; decoupled for {@link AdamW}). */
  public Adam weightDecay(double value) {
    this.weightDecay = Params.nonNegative(name, "weightDecay", value);
    return this;
  }

  /** The current learning rate. */
  public double lr() {
    return lr;
  }

  /** Whether weight decay is applied to the weights directly (AdamW) rather than added to the gradient. */
  boolean decoupled() {
    return false;
  }

  @Override
  public void step() {
    warnedNoGradient = Params.warnIfNoGradient(name, params, warnedNoGradient);
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = param.grad();
      if (grad == null) {
        continue;
      }
      Params.checkGrad(name, i, param, grad);
      double[] p = param.data();
      double[] g = grad.data();
      if (m[i] == null) {
        m[i] = new double[p.length];
        v[i] = new double[p.length];
      }
      double[] mi = m[i];
      double[] vi = v[i];
      int t = ++steps[i];
      double bc1 = 1 - Math.pow(beta1, t);
      double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
      double stepSize = lr / bc1;
      boolean dec = decoupled();
      for (int j = 0; j < p.length; j++) {
        double d = g[j];
        if (dec) {
          p[j] *= 1 - lr * weightDecay;
        } else {
          d += weightDecay * p[j];
        }
        mi[j] = beta1 * mi[j] + (1 - beta1) * d;
        vi[j] = beta2 * vi[j] + (1 - beta2) * d * d;
        p[j] -= stepSize * mi[j] / (Math.sqrt(vi[j]) / bc2Sqrt + eps);
      }
    }
  }

  @Override
  public void zeroGrad() {
    Params.zeroGrad(params);
  }
}
