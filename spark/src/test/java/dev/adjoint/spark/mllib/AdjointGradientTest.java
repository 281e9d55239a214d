package dev.adjoint.spark.mllib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.check.GradCheck;
import dev.adjoint.spark.BadRowException;
import dev.adjoint.spark.TestSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.Gradient;
import org.apache.spark.mllib.optimization.LBFGS;
import org.apache.spark.mllib.optimization.LogisticGradient;
import org.apache.spark.mllib.optimization.SimpleUpdater;
import org.apache.spark.mllib.regression.LabeledPoint;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The MLlib gradient backed by the generated {@code LogisticLossGrad}: checked against finite differences
 * ({@link GradCheck}) and against MLlib's own hand-written {@link LogisticGradient}, row by row and through a whole
 * {@link LBFGS} run; the summed objective against a sum on the driver; bad rows located.
 */
class AdjointGradientTest {
  private static final int N = 120;
  private static final int D = 5;
  private final JavaSparkContext sc = TestSpark.context();
  private final List<LabeledPoint> rows = logisticRows(new Random(31), N, D);

  /** Rows of a logistic model (last feature the constant 1: the intercept), labels drawn from its probabilities. */
  private static List<LabeledPoint> logisticRows(Random rng, int n, int d) {
    double[] truth = new double[d];
    for (int j = 0; j < d; j++) {
      truth[j] = rng.nextGaussian();
    }
    List<LabeledPoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[d];
      double z = 0;
      for (int j = 0; j < d; j++) {
        x[j] = j == d - 1 ? 1 : rng.nextGaussian();
        z += truth[j] * x[j];
      }
      out.add(new LabeledPoint(rng.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0, Vectors.dense(x)));
    }
    return out;
  }

  private static double[] randomWeights(Random rng, int d) {
    double[] w = new double[d];
    for (int j = 0; j < d; j++) {
      w[j] = rng.nextGaussian();
    }
    return w;
  }

  @Test
  void theSummedGradientMatchesFiniteDifferencesOnRandomShapes() {
    Random rng = new Random(7);
    for (int trial = 0; trial < 6; trial++) {
      int d = 1 + rng.nextInt(7);
      List<LabeledPoint> data = logisticRows(rng, 5 + rng.nextInt(20), d);
      // The first trial is at w = 0, where every row has z = 0 (the kink of a max/abs formulation).
      double[] w = trial == 0 ? new double[d] : randomWeights(rng, d);
      Gradient gradient = new AdjointGradient(RowLoss.LOGISTIC, d);
      DenseVector cum = new DenseVector(new double[d]);
      double loss = 0;
      for (LabeledPoint p : data) {
        loss += gradient.compute(p.features(), p.label(), Vectors.dense(w), cum);
      }
      GradCheck.assertClose(v -> {
        double s = 0;
        for (LabeledPoint p : data) {
          s += LogisticLoss.loss(v, p.features().toArray(), p.label());
        }
        return s;
      }, w, cum.values());
      assertEquals(sumOfLosses(data, w), loss, 1e-12 * loss);
    }
  }

  private static double sumOfLosses(List<LabeledPoint> data, double[] w) {
    double s = 0;
    for (LabeledPoint p : data) {
      s += LogisticLoss.loss(w, p.features().toArray(), p.label());
    }
    return s;
  }

  @Test
  void eachRowEqualsMllibsOwnLogisticGradient() {
    Random rng = new Random(3);
    Gradient ours = new AdjointGradient(RowLoss.LOGISTIC, D);
    Gradient mllib = new LogisticGradient();
    for (int trial = 0; trial < 5; trial++) {
      Vector w = Vectors.dense(trial == 0 ? new double[D] : randomWeights(rng, D));
      for (LabeledPoint p : rows) {
        Tuple2<Vector, Object> a = ours.compute(p.features(), p.label(), w);
        Tuple2<Vector, Object> b = mllib.compute(p.features(), p.label(), w);
        double lossA = (Double) a._2();
        double lossB = (Double) b._2();
        assertEquals(lossB, lossA, 1e-12 * Math.max(1, Math.abs(lossB)));
        for (int j = 0; j < D; j++) {
          assertEquals(b._1().apply(j), a._1().apply(j), 1e-12 * Math.max(1, Math.abs(b._1().apply(j))));
        }
      }
    }
  }

  @Test
  void lbfgsWithTheGeneratedGradientReachesMllibsOwnOptimum() {
    JavaRDD<LabeledPoint> rdd = sc.parallelize(rows, 3).cache();
    Vector start = Vectors.zeros(D);
    Tuple2<Vector, double[]> ours = LBFGS.runLBFGS(RowObjective.forMllib(rdd), new AdjointGradient(RowLoss.LOGISTIC, D),
        new SimpleUpdater(), 10, 1e-12, 40, 0.0, start);
    Tuple2<Vector, double[]> mllib = LBFGS.runLBFGS(RowObjective.forMllib(rdd), new LogisticGradient(),
        new SimpleUpdater(), 10, 1e-12, 40, 0.0, start);
    // The iterations coincide to rounding (the two gradients are written differently, so only their last bits
    // differ); L-BFGS may amplify those bits near the optimum, so the end points are compared to 1e-8.
    assertEquals(mllib._2().length, ours._2().length, "iterations");
    for (int i = 0; i < ours._2().length; i++) {
      assertEquals(mllib._2()[i], ours._2()[i], 1e-10 * mllib._2()[i], "loss at iteration " + i);
    }
    double[] w = ours._1().toArray();
    double[] expected = mllib._1().toArray();
    double scale = 0;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int j = 0; j < D; j++) {
      assertEquals(expected[j], w[j], 1e-8 * scale, "weight " + j);
    }
    // And it is an optimum: the exact summed gradient there is tiny next to the one at the start.
    RowObjective objective = new RowObjective(rdd, RowLoss.LOGISTIC, D);
    double atStart = norm(objective.evaluate(new double[D]).gradient());
    for (double[] end : List.of(w, expected)) {
      double atEnd = norm(objective.evaluate(end).gradient());
      assertTrue(atEnd < 1e-5 * atStart, "gradient norm " + atEnd + " at the optimum, " + atStart + " at the start");
    }
    rdd.unpersist();
  }

  private static double norm(double[] g) {
    double s = 0;
    for (double v : g) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  @Test
  void theSumOverPartitionsEqualsTheSumOnTheDriverAlsoFromADataset() {
    double[] w = randomWeights(new Random(5), D);
    double[] g = new double[D];
    double loss = 0;
    for (LabeledPoint p : rows) {
      RowLoss.Value v = RowLoss.LOGISTIC.at(w, p.features().toArray(), p.label());
      loss += v.loss();
      for (int j = 0; j < D; j++) {
        g[j] += v.gradient()[j];
      }
    }
    RowLoss.Value fromRdd = new RowObjective(sc.parallelize(rows, 4), RowLoss.LOGISTIC, D).evaluate(w);
    assertClose(loss, g, fromRdd);

    SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    List<Row> table = new ArrayList<>();
    for (LabeledPoint p : rows) {
      table.add(RowFactory.create(p.label(), p.features().asML()));
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", SQLDataTypes.VectorType());
    Dataset<Row> df = spark.createDataFrame(table, schema); // no repartition: a shuffle would run 200 tasks
    RowLoss.Value fromDataset = new RowObjective(RowObjective.fromDataset(df, "label", "features"), RowLoss.LOGISTIC,
        D).evaluate(w);
    assertClose(loss, g, fromDataset);
  }

  private static void assertClose(double loss, double[] g, RowLoss.Value actual) {
    assertEquals(loss, actual.loss(), 1e-12 * Math.abs(loss));
    for (int j = 0; j < g.length; j++) {
      assertEquals(g[j], actual.gradient()[j], 1e-12 * norm(g), "gradient " + j);
    }
  }

  @Test
  void aBadRowIsLocatedInTheObjectiveAndInsideLbfgs() {
    List<LabeledPoint> bad = new ArrayList<>(rows); // 120 rows in 3 partitions of 40: row 84 is row 4 of partition 2
    bad.set(84, new LabeledPoint(1, Vectors.dense(1, 2, Double.POSITIVE_INFINITY, 4, 1)));
    JavaRDD<LabeledPoint> rdd = sc.parallelize(bad, 3);
    BadRowException e = assertThrows(BadRowException.class,
        () -> new RowObjective(rdd, RowLoss.LOGISTIC, D).evaluate(new double[D]));
    assertEquals(2, e.partition());
    assertEquals(4, e.index());
    assertTrue(e.getMessage().contains("partition 2, index 4: feature 2 is Infinity"), e.getMessage());

    bad.set(84, new LabeledPoint(1, Vectors.dense(1, 2, 3)));
    Exception inLbfgs = assertThrows(Exception.class, () -> LBFGS.runLBFGS(
        RowObjective.forMllib(sc.parallelize(bad, 3)), new AdjointGradient(RowLoss.LOGISTIC, D), new SimpleUpdater(),
        10, 1e-9, 5, 0.0, Vectors.zeros(D)));
    BadRowException cause = null;
    for (Throwable c = inLbfgs; c != null; c = c.getCause()) {
      if (c instanceof BadRowException b) {
        cause = b;
      }
    }
    assertTrue(cause != null, "Spark's failure carries the BadRowException: " + inLbfgs);
    assertEquals(2, cause.partition());
    assertEquals(4, cause.index());
    assertTrue(cause.getMessage().contains("has 3 features, expected 5"), cause.getMessage());
  }
}
