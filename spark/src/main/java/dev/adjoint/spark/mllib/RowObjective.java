package dev.adjoint.spark.mllib;

import dev.adjoint.spark.BadRowException;
import dev.adjoint.spark.SparkJobs;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.regression.LabeledPoint;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * A large-data objective: a row loss summed over every row of an RDD, and its exact gradient, computed where the
 * rows live (one tree aggregation of {@code double[]} sums); for any optimizer that asks for value and gradient.
 * Also the conversions MLlib's optimizers and the {@code spark.ml} {@code Dataset} API need.
 */
public final class RowObjective {
  private final JavaRDD<LabeledPoint> rows;
  private final RowLoss loss;
  private final int features;

  /** The sum of {@code loss} over {@code rows}, each of {@code features} features. */
  public RowObjective(JavaRDD<LabeledPoint> rows, RowLoss loss, int features) {
    this.rows = rows;
    this.loss = loss;
    this.features = features;
  }

  /** The summed loss and its gradient at {@code weights}; a bad row is a {@link BadRowException}. */
  public RowLoss.Value evaluate(double[] weights) {
    RowLoss l = loss;
    int width = features;
    double[] w = weights.clone();
    JavaRDD<RowLoss.Value> parts = rows.mapPartitionsWithIndex(
        (p, it) -> Collections.singletonList(partitionSum(p, it, l, w, width)).iterator(), true);
    return SparkJobs.run(() -> parts.treeReduce(RowObjective::plus, 2));
  }

  private static RowLoss.Value partitionSum(int p, Iterator<LabeledPoint> it, RowLoss loss, double[] w, int width) {
    double[] g = new double[w.length];
    double sum = 0;
    for (long i = 0; it.hasNext(); i++) {
      LabeledPoint row = it.next();
      double[] x = RowCheck.features(p, i, row.features(), row.label(), width);
      RowLoss.Value v = loss.at(w, x, row.label());
      RowCheck.addInto(g, v.gradient(), "RowObjective");
      sum += v.loss();
    }
    return new RowLoss.Value(sum, g);
  }

  private static RowLoss.Value plus(RowLoss.Value a, RowLoss.Value b) {
    double[] g = a.gradient().clone();
    RowCheck.addInto(g, b.gradient(), "RowObjective");
    return new RowLoss.Value(a.loss() + b.loss(), g);
  }

  /** The {@code (label, features)} pairs MLlib's {@code LBFGS.runLBFGS} and {@code GradientDescent} read. */
  public static RDD<Tuple2<Object, Vector>> forMllib(JavaRDD<LabeledPoint> rows) {
    return rows.map(p -> new Tuple2<Object, Vector>(p.label(), p.features())).rdd();
  }

  /** The rows of a {@code spark.ml} data set: a numeric label column and an {@code ml.linalg.Vector} column. */
  public static JavaRDD<LabeledPoint> fromDataset(Dataset<Row> data, String labelColumn, String featuresColumn) {
    return data.select(labelColumn, featuresColumn).javaRDD().map(r -> new LabeledPoint(
        ((Number) r.get(0)).doubleValue(), Vectors.fromML((org.apache.spark.ml.linalg.Vector) r.get(1))));
  }
}
