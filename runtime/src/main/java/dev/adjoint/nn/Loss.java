package dev.adjoint.nn;

import dev.adjoint.Jvp;
import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;

/**
 * Loss functions with their reverse rules. Every loss returns a <b>0-d {@link Tensor}</b> (shape {@code []}) so it
 * composes with tensor ops; call {@code item()} for the double. Rules follow the convention on {@link Tensor}:
 * {@code gy} is the 0-d adjoint of the loss. Every loss is a mean over the batch (or over all elements for the
 * element-wise losses), rejects empty inputs, and requires exactly matching shapes: no silent broadcasting of a
 * (N,1) prediction against a (N) target. Log-likelihoods go through log-sum-exp so large logits stay finite.
 */
public final class Loss {
  private Loss() {}

  // ------------------------------------------------------------------------------------------------ MSE

  /** Mean squared error over all elements: {@code mean((pred - target)²)}. */
  public static Tensor mse(Tensor pred, Tensor target) {
    checkSame("mse", pred, target);
    double[] p = pred.data();
    double[] t = target.data();
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      double d = p[i] - t[i];
      s += d * d;
    }
    return Tensor.scalar(s / p.length);
  }

  /** Rule of {@link #mse} for pred: {@code gy · 2(pred - target)/n}. */
  public static Tensor mseVjpPred(Tensor gy, Tensor y, Tensor pred, Tensor target) {
    checkSame("mseVjpPred", pred, target);
    return mseGrad(scalarGy("mseVjpPred", gy), pred, target);
  }

  /** Rule of {@link #mse} for target: {@code -gy · 2(pred - target)/n}. */
  public static Tensor mseVjpTarget(Tensor gy, Tensor y, Tensor pred, Tensor target) {
    checkSame("mseVjpTarget", pred, target);
    return mseGrad(-scalarGy("mseVjpTarget", gy), pred, target);
  }

  // Forward rules of the losses: a loss is a scalar, so its Jacobian along an input is one row, the gradient that
  // the reverse rule gives for gy = 1; the tangent is that row applied to the input's tangent, Σ gradient·d.

  /** {@code Σ gradient · d} as a 0-d tensor. */
  private static Tensor along(Tensor gradient, Tensor d, String rule) {
    if (!d.sameShape(gradient.shape())) {
      throw new IllegalArgumentException(rule + ": the tangent has shape " + Shapes.str(d.shape())
          + " but the input has shape " + Shapes.str(gradient.shape()));
    }
    double[] g = gradient.data();
    double[] t = d.data();
    double s = 0;
    for (int i = 0; i < g.length; i++) {
      s += g[i] * t[i];
    }
    return Tensor.scalar(s);
  }

  /** Forward rule of {@link #mse} for pred: {@code Σ 2(pred - target)·dPred / n}. */
  @Jvp(of = "mse", wrt = "pred")
  public static Tensor mseJvpPred(Tensor dPred, Tensor y, Tensor pred, Tensor target) {
    return along(mseVjpPred(Tensor.scalar(1.0), y, pred, target), dPred, "mseJvpPred");
  }

  /** Forward rule of {@link #mse} for target: {@code -Σ 2(pred - target)·dTarget / n}. */
  @Jvp(of = "mse", wrt = "target")
  public static Tensor mseJvpTarget(Tensor dTarget, Tensor y, Tensor pred, Tensor target) {
    return along(mseVjpTarget(Tensor.scalar(1.0), y, pred, target), dTarget, "mseJvpTarget");
  }

  private static Tensor mseGrad(double g, Tensor pred, Tensor target) {
    double[] p = pred.data();
    double[] t = target.data();
    double[] out = new double[p.length];
    double c = 2.0 * g / p.length;
    for (int i = 0; i < p.length; i++) {
      out[i] = c * (p[i] - t[i]);
    }
    return Tensor.wrap(out, pred.shape());
  }

  // ------------------------------------------------------------------------------------------------ cross-entropy

  /** Mean over the batch of {@code -log softmax(logits)[i, labels[i]]}; logits [N, C], labels in [0, C). */
  public static Tensor crossEntropy(Tensor logits, int[] labels) {
    checkLabels("crossEntropy", logits, labels);
    int n = logits.size(0);
    int c = logits.size(1);
    double[] z = logits.data();
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += logSumExp(z, i * c, c) - z[i * c + labels[i]];
    }
    return Tensor.scalar(s / n);
  }

  /** Rule of {@link #crossEntropy(Tensor, int[])} for logits: {@code gy (softmax - onehot) / N}. */
  public static Tensor crossEntropyVjpLogits(Tensor gy, Tensor y, Tensor logits, int[] labels) {
    checkLabels("crossEntropyVjpLogits", logits, labels);
    double g = scalarGy("crossEntropyVjpLogits", gy);
    int n = logits.size(0);
    int c = logits.size(1);
    Tensor sm = Softmax.forward("crossEntropyVjpLogits", logits, 1, false);
    double[] out = sm.data();
    double scale = g / n;
    for (int i = 0; i < n; i++) {
      out[i * c + labels[i]] -= 1.0;
      for (int j = 0; j < c; j++) {
        out[i * c + j] *= scale;
      }
    }
    return sm;
  }

  /** Forward rule of {@link #crossEntropy(Tensor, int[])} for logits: {@code Σ (softmax - onehot)·dLogits / N}. */
  @Jvp(of = "crossEntropy", wrt = "logits")
  public static Tensor crossEntropyJvpLogits(Tensor dLogits, Tensor y, Tensor logits, int[] labels) {
    return along(crossEntropyVjpLogits(Tensor.scalar(1.0), y, logits, labels), dLogits, "crossEntropyJvpLogits");
  }

  /**
   * Mean over the batch of {@code -Σ_c targetProbs[i,c] · log softmax(logits)[i,c]} (soft labels; rows of
   * targetProbs are normally distributions but need not be). logits and targetProbs are [N, C].
   */
  public static Tensor crossEntropy(Tensor logits, Tensor targetProbs) {
    checkMatrix("crossEntropy", logits);
    checkSame("crossEntropy", logits, targetProbs);
    Tensor ls = Softmax.forward("crossEntropy", logits, 1, true);
    double[] l = ls.data();
    double[] t = targetProbs.data();
    double s = 0;
    for (int i = 0; i < l.length; i++) {
      if (t[i] != 0) {
        s -= t[i] * l[i]; // skipping t = 0 keeps 0·(-inf) from turning into NaN
      }
    }
    return Tensor.scalar(s / logits.size(0));
  }

  /** Rule of {@link #crossEntropy(Tensor, Tensor)} for logits: {@code gy (softmax · Σ_c t - t) / N}. */
  public static Tensor crossEntropyVjpLogits(Tensor gy, Tensor y, Tensor logits, Tensor targetProbs) {
    checkMatrix("crossEntropyVjpLogits", logits);
    checkSame("crossEntropyVjpLogits", logits, targetProbs);
    double g = scalarGy("crossEntropyVjpLogits", gy);
    int n = logits.size(0);
    int c = logits.size(1);
    Tensor sm = Softmax.forward("crossEntropyVjpLogits", logits, 1, false);
    double[] out = sm.data();
    double[] t = targetProbs.data();
    double scale = g / n;
    for (int i = 0; i < n; i++) {
      double rowSum = 0;
      for (int j = 0; j < c; j++) {
        rowSum += t[i * c + j];
      }
      for (int j = 0; j < c; j++) {
        int q = i * c + j;
        out[q] = scale * (out[q] * rowSum - t[q]);
      }
    }
    return sm;
  }

  /** Rule of {@link #crossEntropy(Tensor, Tensor)} for targetProbs: {@code -gy · logSoftmax(logits) / N}. */
  public static Tensor crossEntropyVjpTargetProbs(Tensor gy, Tensor y, Tensor logits, Tensor targetProbs) {
    checkMatrix("crossEntropyVjpTargetProbs", logits);
    checkSame("crossEntropyVjpTargetProbs", logits, targetProbs);
    double g = scalarGy("crossEntropyVjpTargetProbs", gy);
    Tensor ls = Softmax.forward("crossEntropyVjpTargetProbs", logits, 1, true);
    double[] out = ls.data();
    double scale = -g / logits.size(0);
    for (int i = 0; i < out.length; i++) {
      out[i] *= scale;
    }
    return ls;
  }

  /** Forward rule of {@link #crossEntropy(Tensor, Tensor)} for logits. */
  @Jvp(of = "crossEntropy", wrt = "logits")
  public static Tensor crossEntropyJvpLogits(Tensor dLogits, Tensor y, Tensor logits, Tensor targetProbs) {
    return along(crossEntropyVjpLogits(Tensor.scalar(1.0), y, logits, targetProbs), dLogits, "crossEntropyJvpLogits");
  }

  /** Forward rule of {@link #crossEntropy(Tensor, Tensor)} for targetProbs: {@code -Σ logSoftmax·dTargetProbs / N}. */
  @Jvp(of = "crossEntropy", wrt = "targetProbs")
  public static Tensor crossEntropyJvpTargetProbs(Tensor dTargetProbs, Tensor y, Tensor logits, Tensor targetProbs) {
    return along(crossEntropyVjpTargetProbs(Tensor.scalar(1.0), y, logits, targetProbs), dTargetProbs, "crossEntropyJvpTargetProbs");
  }

  // ------------------------------------------------------------------------------------------------ binary CE

  /** PyTorch clamps each log term of BCE at -100 so that p = 0 or 1 gives a finite loss; so do we. */
  private static final double LOG_CLAMP = -100.0;
  /** PyTorch's lower bound on p(1-p) in the BCE gradient. */
  private static final double BCE_EPS = 1e-12;

  /**
   * Mean of {@code -(t log p + (1-t) log(1-p))} over all elements, probs in [0, 1]; each log is clamped at -100
   * as in PyTorch. Prefer {@link #binaryCrossEntropyWithLogits} (exact and stable).
   */
  public static Tensor binaryCrossEntropy(Tensor probs, Tensor targets) {
    checkSame("binaryCrossEntropy", probs, targets);
    double[] p = probs.data();
    double[] t = targets.data();
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      if (!(p[i] >= 0 && p[i] <= 1)) {
        throw new IllegalArgumentException("binaryCrossEntropy: probabilities must be in [0, 1], got " + p[i]
            + " at flat index " + i);
      }
      s -= t[i] * Math.max(Math.log(p[i]), LOG_CLAMP) + (1 - t[i]) * Math.max(Math.log1p(-p[i]), LOG_CLAMP);
    }
    return Tensor.scalar(s / p.length);
  }

  /** Rule of {@link #binaryCrossEntropy} for probs: {@code gy (p - t) / max(p(1-p), 1e-12) / n} (as PyTorch). */
  public static Tensor binaryCrossEntropyVjpProbs(Tensor gy, Tensor y, Tensor probs, Tensor targets) {
    checkSame("binaryCrossEntropyVjpProbs", probs, targets);
    double g = scalarGy("binaryCrossEntropyVjpProbs", gy) / probs.size();
    double[] p = probs.data();
    double[] t = targets.data();
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = g * (p[i] - t[i]) / Math.max(p[i] * (1 - p[i]), BCE_EPS);
    }
    return Tensor.wrap(out, probs.shape());
  }

  /** Rule of {@link #binaryCrossEntropy} for targets: {@code gy (log(1-p) - log p) / n}, logs clamped at -100. */
  public static Tensor binaryCrossEntropyVjpTargets(Tensor gy, Tensor y, Tensor probs, Tensor targets) {
    checkSame("binaryCrossEntropyVjpTargets", probs, targets);
    double g = scalarGy("binaryCrossEntropyVjpTargets", gy) / probs.size();
    double[] p = probs.data();
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = g * (Math.max(Math.log1p(-p[i]), LOG_CLAMP) - Math.max(Math.log(p[i]), LOG_CLAMP));
    }
    return Tensor.wrap(out, probs.shape());
  }

  /** Forward rule of {@link #binaryCrossEntropy} for probs. */
  @Jvp(of = "binaryCrossEntropy", wrt = "probs")
  public static Tensor binaryCrossEntropyJvpProbs(Tensor dProbs, Tensor y, Tensor probs, Tensor targets) {
    return along(binaryCrossEntropyVjpProbs(Tensor.scalar(1.0), y, probs, targets), dProbs, "binaryCrossEntropyJvpProbs");
  }

  /** Forward rule of {@link #binaryCrossEntropy} for targets. */
  @Jvp(of = "binaryCrossEntropy", wrt = "targets")
  public static Tensor binaryCrossEntropyJvpTargets(Tensor dTargets, Tensor y, Tensor probs, Tensor targets) {
    return along(binaryCrossEntropyVjpTargets(Tensor.scalar(1.0), y, probs, targets), dTargets, "binaryCrossEntropyJvpTargets");
  }

  /** Mean of {@code max(z,0) - z·t + log(1 + e^-|z|)}: BCE of sigmoid(z), exact for any logit magnitude. */
  public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets) {
    checkSame("binaryCrossEntropyWithLogits", logits, targets);
    double[] z = logits.data();
    double[] t = targets.data();
    double s = 0;
    for (int i = 0; i < z.length; i++) {
      s += Math.max(z[i], 0) - z[i] * t[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
    }
    return Tensor.scalar(s / z.length);
  }

  /** Rule of {@link #binaryCrossEntropyWithLogits} for logits: {@code gy (sigmoid(z) - t) / n}. */
  public static Tensor binaryCrossEntropyWithLogitsVjpLogits(Tensor gy, Tensor y, Tensor logits, Tensor targets) {
    checkSame("binaryCrossEntropyWithLogitsVjpLogits", logits, targets);
    double g = scalarGy("binaryCrossEntropyWithLogitsVjpLogits", gy) / logits.size();
    double[] z = logits.data();
    double[] t = targets.data();
    double[] out = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      out[i] = g * (Tensor.sigmoid(z[i]) - t[i]);
    }
    return Tensor.wrap(out, logits.shape());
  }

  /** Rule of {@link #binaryCrossEntropyWithLogits} for targets: {@code -gy · z / n}. */
  public static Tensor binaryCrossEntropyWithLogitsVjpTargets(Tensor gy, Tensor y, Tensor logits, Tensor targets) {
    checkSame("binaryCrossEntropyWithLogitsVjpTargets", logits, targets);
    double g = scalarGy("binaryCrossEntropyWithLogitsVjpTargets", gy) / logits.size();
    double[] z = logits.data();
    double[] out = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      out[i] = -g * z[i];
    }
    return Tensor.wrap(out, logits.shape());
  }

  /** Forward rule of {@link #binaryCrossEntropyWithLogits} for logits: {@code Σ (sigmoid(z) - t)·dLogits / n}. */
  @Jvp(of = "binaryCrossEntropyWithLogits", wrt = "logits")
  public static Tensor binaryCrossEntropyWithLogitsJvpLogits(Tensor dLogits, Tensor y, Tensor logits, Tensor targets) {
    return along(binaryCrossEntropyWithLogitsVjpLogits(Tensor.scalar(1.0), y, logits, targets), dLogits,
        "binaryCrossEntropyWithLogitsJvpLogits");
  }

  /** Forward rule of {@link #binaryCrossEntropyWithLogits} for targets: {@code -Σ z·dTargets / n}. */
  @Jvp(of = "binaryCrossEntropyWithLogits", wrt = "targets")
  public static Tensor binaryCrossEntropyWithLogitsJvpTargets(Tensor dTargets, Tensor y, Tensor logits,
      Tensor targets) {
    return along(binaryCrossEntropyWithLogitsVjpTargets(Tensor.scalar(1.0), y, logits, targets), dTargets,
        "binaryCrossEntropyWithLogitsJvpTargets");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** {@code log Σ_j e^{a[off+j]}} computed as {@code max + log Σ e^{a - max}}, finite for huge inputs. */
  static double logSumExp(double[] a, int off, int len) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < len; j++) {
      max = Math.max(max, a[off + j]);
    }
    if (Double.isInfinite(max)) {
      return max;
    }
    double s = 0;
    for (int j = 0; j < len; j++) {
      s += Math.exp(a[off + j] - max);
    }
    return max + Math.log(s);
  }

  private static double scalarGy(String rule, Tensor gy) {
    if (gy.dim() != 0) {
      throw new IllegalArgumentException(rule + ": gy must be a 0-d tensor (the loss is a scalar), got shape "
          + Shapes.str(gy.shape()));
    }
    return gy.item();
  }

  private static void checkSame(String op, Tensor a, Tensor b) {
    if (!a.sameShape(b.shape())) {
      throw new IllegalArgumentException(op + ": shapes " + Shapes.str(a.shape()) + " and " + Shapes.str(b.shape())
          + " must be equal (no broadcasting in losses; reshape or squeeze explicitly)");
    }
    if (a.size() == 0) {
      throw new IllegalArgumentException(op + ": empty input of shape " + Shapes.str(a.shape()));
    }
  }

  private static void checkMatrix(String op, Tensor logits) {
    if (logits.dim() != 2 || logits.size(0) == 0 || logits.size(1) == 0) {
      throw new IllegalArgumentException(op + ": logits must be a non-empty 2-D tensor [N, C], got shape "
          + Shapes.str(logits.shape()));
    }
  }

  private static void checkLabels(String op, Tensor logits, int[] labels) {
    checkMatrix(op, logits);
    if (labels.length != logits.size(0)) {
      throw new IllegalArgumentException(op + ": " + labels.length + " labels for logits of shape "
          + Shapes.str(logits.shape()));
    }
    int c = logits.size(1);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= c) {
        throw new IllegalArgumentException(op + ": label " + labels[i] + " at index " + i + " is outside [0, " + c
            + ") for logits of shape " + Shapes.str(logits.shape()));
      }
    }
  }
}
