package dev.adjoint.spark.demo;

import dev.adjoint.samples.train.Dataset;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.regression.LabeledPoint;

/**
 * The Spark context of the demo and the scaling run: the master {@code spark-submit} set, or local mode with the
 * given default; no web UI, driver bound to the loopback address in local mode.
 */
public final class LocalSpark {
  private LocalSpark() {}

  /** A context named {@code app}, on {@code spark.master} if set, else on {@code defaultMaster}. */
  public static JavaSparkContext context(String app, String defaultMaster) {
    SparkConf conf = new SparkConf().setAppName(app).setIfMissing("spark.master", defaultMaster)
        .setIfMissing("spark.ui.enabled", "false");
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    JavaSparkContext sc = new JavaSparkContext(conf);
    sc.setLogLevel("WARN");
    return sc;
  }

  /** A data set that every worker can load for itself (from the class path, a seed, ...). */
  @FunctionalInterface
  public interface Source extends Serializable {
    Dataset load();
  }

  /**
   * The rows of {@code source} as MLlib labelled points in {@code partitions} contiguous slices, each loaded on its
   * worker, as a job reading files would. Not {@code sc.parallelize(rows)}: such an RDD's partitions carry their rows,
   * and Spark ships a partition with every task that reads it, so every training step would re-send the data even
   * though the packed blocks are cached.
   */
  public static JavaRDD<LabeledPoint> rows(JavaSparkContext sc, Source source, int partitions) {
    List<Integer> slices = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      slices.add(p);
    }
    return sc.parallelize(slices, partitions).flatMap(p -> slice(source.load(), p, partitions).iterator());
  }

  private static List<LabeledPoint> slice(Dataset data, int p, int partitions) {
    int f = data.features();
    double[] x = data.x().data();
    int from = (int) ((long) data.size() * p / partitions);
    int to = (int) ((long) data.size() * (p + 1) / partitions);
    List<LabeledPoint> points = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      double[] row = new double[f];
      System.arraycopy(x, i * f, row, 0, f);
      points.add(new LabeledPoint(data.label(i), Vectors.dense(row)));
    }
    return points;
  }
}
