package dev.adjoint.spark;

import dev.adjoint.tensor.Tensor;
import java.io.Serializable;

/**
 * All rows of one partition packed into two arrays (features row-major, labels), so that a step gathers its batch
 * rows by offset instead of scanning objects; {@link #start} is the global index of the first row.
 */
final class Block implements Serializable {
  private static final long serialVersionUID = 1L;
  final int partition;
  final long start;
  final int features;
  final double[] x;
  final double[] labels;

  Block(int partition, long start, int features, double[] x, double[] labels) {
    this.partition = partition;
    this.start = start;
    this.features = features;
    this.x = x;
    this.labels = labels;
  }

  int rows() {
    return labels.length;
  }

  /**
   * The rows among {@code batchRows} (global indices, in batch order) that this block holds, in that order, or
   * null when it holds none.
   */
  Batch gather(long[] batchRows) {
    int n = 0;
    for (long r : batchRows) {
      if (holds(r)) {
        n++;
      }
    }
    if (n == 0) {
      return null;
    }
    double[] bx = new double[n * features];
    double[] by = new double[n];
    long[] rows = new long[n];
    int k = 0;
    for (long r : batchRows) {
      if (holds(r)) {
        int local = (int) (r - start);
        System.arraycopy(x, local * features, bx, k * features, features);
        by[k] = labels[local];
        rows[k++] = r;
      }
    }
    return new Batch(Tensor.wrap(bx, n, features), by, rows);
  }

  private boolean holds(long row) {
    return row >= start && row < start + labels.length;
  }
}
