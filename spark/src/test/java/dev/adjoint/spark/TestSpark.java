package dev.adjoint.spark;

import dev.adjoint.spark.demo.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The one Spark context of the module's tests (starting one costs seconds): local mode with 2 threads and up to 3
 * attempts per task ({@code local[2,3]}), so that a failed task is retried as on a cluster. Spark stops it when the
 * JVM exits. Public for the tests of the mllib package.
 */
public final class TestSpark {
  private static JavaSparkContext sc;

  private TestSpark() {}

  public static synchronized JavaSparkContext context() {
    if (sc == null) {
      sc = LocalSpark.context("adjoint-spark-tests", "local[2,3]");
    }
    return sc;
  }
}
