package dev.adjoint.spark.mllib;

import org.apache.spark.TaskContext;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.optimization.Gradient;

/**
 * An MLlib {@link Gradient} backed by a generated gradient: drop it into {@code LBFGS.runLBFGS},
 * {@code GradientDescent} or {@code new LBFGS(gradient, updater)} in place of MLlib's hand-written ones, and keep
 * the rest of the MLlib workflow.
 *
 * <p>Every row is checked first (width, finite features and label); a bad row is a
 * {@link dev.adjoint.spark.BadRowException} naming the partition and the row's index in the order this task read
 * the partition (for LBFGS, which reads whole partitions, its index in the partition).
 */
public final class AdjointGradient extends Gradient {
  private static final long serialVersionUID = 1L;
  private final RowLoss loss;
  private final int features;
  /** The task whose rows {@link #seen} counts, plus one (0: none yet, the value after deserialization). */
  private transient long counting;
  private transient long seen;

  /** A gradient of {@code loss} for rows of {@code features} features (and as many weights as the loss takes). */
  public AdjointGradient(RowLoss loss, int features) {
    if (loss == null || features < 1) {
      throw new IllegalArgumentException("AdjointGradient: needs a row loss and at least one feature, got " + loss
          + " and " + features);
    }
    this.loss = loss;
    this.features = features;
  }

  @Override
  public double compute(Vector data, double label, Vector weights, Vector cumGradient) {
    TaskContext task = TaskContext.get();
    long id = task == null ? 0 : task.taskAttemptId() + 1;
    if (id != counting) {
      counting = id;
      seen = 0;
    }
    long index = seen++;
    double[] x = RowCheck.features(task == null ? -1 : task.partitionId(), index, data, label, features);
    if (!(cumGradient instanceof DenseVector acc)) {
      throw new IllegalArgumentException("AdjointGradient: the cumulative gradient must be a DenseVector, got "
          + cumGradient.getClass().getName());
    }
    RowLoss.Value v = loss.at(weights.toArray(), x, label);
    RowCheck.addInto(acc.values(), v.gradient(), "AdjointGradient");
    return v.loss();
  }
}
