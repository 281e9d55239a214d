package dev.adjoint.spark.demo;

import dev.adjoint.samples.train.Dataset;
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

  /** The rows of a samples data set as MLlib labelled points, in {@code partitions} partitions. */
  public static JavaRDD<LabeledPoint> rows(JavaSparkContext sc, Dataset data, int partitions) {
    int f = data.features();
    double[] x = data.x().data();
    List<LabeledPoint> points = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      double[] row = new double[f];
      System.arraycopy(x, i * f, row, 0, f);
      points.add(new LabeledPoint(data.label(i), Vectors.dense(row)));
    }
    return sc.parallelize(points, partitions);
  }
}
