package dev.adjoint.spark.mllib;

import java.io.Serializable;

/**
 * One row's loss as a function of {@code double[]} weights, with its gradient: a one-line adapter of a generated
 * gradient, e.g. {@code (w, x, y) -> { var g = LogisticLossGrad.loss(w, x, y); return new Value(g.value(), g.w()); }}.
 * Serializable, because Spark ships it to the workers inside {@link AdjointGradient} or {@link RowObjective}.
 */
@FunctionalInterface
public interface RowLoss extends Serializable {
  /** The loss of the row ({@code features}, {@code label}) at {@code weights}, and its gradient in the weights. */
  Value at(double[] weights, double[] features, double label);

  /** A loss and its gradient (the weights' length); Serializable, as partition sums travel back to the driver. */
  record Value(double loss, double[] gradient) implements Serializable {}

  /** Binary logistic regression ({@link LogisticLoss}), differentiated by the processor. */
  RowLoss LOGISTIC = (w, x, y) -> {
    if (x.length != w.length) {
      throw new IllegalArgumentException("LogisticLoss: the row has " + x.length + " features but there are "
          + w.length + " weights");
    }
    LogisticLossGrad.Loss g = LogisticLossGrad.loss(w, x, y);
    return new Value(g.value(), g.w());
  };
}
