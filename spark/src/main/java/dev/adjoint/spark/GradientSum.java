package dev.adjoint.spark;

import java.io.Serializable;

/**
 * What the tree aggregation combines: per parameter the sum over rows of the gradient (each partition's mean
 * gradient times its row count; null while no partition produced one), the row-weighted loss, and the row count.
 */
final class GradientSum implements Serializable {
  private static final long serialVersionUID = 1L;
  final double[][] sums;
  double loss;
  long rows;

  /** An empty sum over {@code parameters} parameters (no arrays yet: the zero value ships with every task). */
  GradientSum(int parameters) {
    this.sums = new double[parameters][];
  }

  /** Adds {@code weight · g} into parameter {@code i}'s sum. */
  void add(int i, double[] g, double weight) {
    if (sums[i] == null) {
      sums[i] = new double[g.length];
    }
    double[] s = sums[i];
    for (int j = 0; j < s.length; j++) {
      s[j] += weight * g[j];
    }
  }

  /** Adds {@code other} into this sum and returns this. */
  GradientSum merge(GradientSum other) {
    for (int i = 0; i < sums.length; i++) {
      if (other.sums[i] != null) {
        add(i, other.sums[i], 1.0);
      }
    }
    loss += other.loss;
    rows += other.rows;
    return this;
  }
}
