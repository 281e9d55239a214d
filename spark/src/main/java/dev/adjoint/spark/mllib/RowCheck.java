package dev.adjoint.spark.mllib;

import dev.adjoint.spark.BadRowException;
import org.apache.spark.mllib.linalg.Vector;

/** The check every row passes before its loss is computed: the expected width, finite features and label. */
final class RowCheck {
  private RowCheck() {}

  static double[] features(int partition, long index, Vector features, double label, int width) {
    if (features == null) {
      throw new BadRowException(partition, index, "the feature vector is null");
    }
    if (features.size() != width) {
      throw new BadRowException(partition, index, "has " + features.size() + " features, expected " + width);
    }
    double[] x = features.toArray();
    for (int j = 0; j < x.length; j++) {
      if (!Double.isFinite(x[j])) {
        throw new BadRowException(partition, index, "feature " + j + " is " + x[j]);
      }
    }
    if (!Double.isFinite(label)) {
      throw new BadRowException(partition, index, "label is " + label);
    }
    return x;
  }

  static void addInto(double[] acc, double[] g, String who) {
    if (g.length != acc.length) {
      throw new IllegalStateException(who + ": the row loss returned a gradient of length " + g.length
          + " for " + acc.length + " weights");
    }
    for (int j = 0; j < acc.length; j++) {
      acc[j] += g[j];
    }
  }
}
