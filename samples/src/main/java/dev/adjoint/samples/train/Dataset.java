package dev.adjoint.samples.train;

import dev.adjoint.tensor.Tensor;
import java.util.Arrays;

/**
 * A labelled data set: {@code x} of shape [N, F] (one example per row) and one class label per row.
 * Immutable by convention: {@link #batch} and {@link #subset} copy the rows they take.
 */
public final class Dataset {
  private final Tensor x;
  private final int[] labels;
  private final int classes;

  /** Takes {@code x} [N, F] and {@code labels} (length N, each in {@code [0, classes)}); keeps both as given. */
  public Dataset(Tensor x, int[] labels, int classes) {
    if (x.dim() != 2 || x.size(0) != labels.length) {
      throw new IllegalArgumentException("Dataset: x of shape " + Arrays.toString(x.shape()) + " does not match "
          + labels.length + " labels (expected [N, F] with N = " + labels.length + ")");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("Dataset: label " + labels[i] + " at row " + i + " is outside [0, "
            + classes + ")");
      }
    }
    this.x = x;
    this.labels = labels;
    this.classes = classes;
  }

  /** The examples, [N, F]. */
  public Tensor x() {
    return x;
  }

  /** The labels (the live array: do not modify). */
  public int[] labels() {
    return labels;
  }

  /** The number of examples N. */
  public int size() {
    return labels.length;
  }

  /** The number of features F per example. */
  public int features() {
    return x.size(1);
  }

  /** The number of classes. */
  public int classes() {
    return classes;
  }

  /** The label of row {@code i}. */
  public int label(int i) {
    return labels[i];
  }

  /** The rows {@code order[from..to)} as a fresh [to - from, F] tensor; labels via {@link #batchLabels}. */
  public Tensor batch(int[] order, int from, int to) {
    int f = features();
    double[] src = x.data();
    double[] out = new double[(to - from) * f];
    for (int r = from; r < to; r++) {
      System.arraycopy(src, order[r] * f, out, (r - from) * f, f);
    }
    return Tensor.wrap(out, to - from, f);
  }

  /** The labels of rows {@code order[from..to)}. */
  public int[] batchLabels(int[] order, int from, int to) {
    int[] out = new int[to - from];
    for (int r = from; r < to; r++) {
      out[r - from] = labels[order[r]];
    }
    return out;
  }

  /** A new data set of the given rows, in that order (copied). */
  public Dataset subset(int[] rows) {
    return new Dataset(batch(rows, 0, rows.length), batchLabels(rows, 0, rows.length), classes);
  }

  /** How many examples each class has. */
  public int[] classCounts() {
    int[] counts = new int[classes];
    for (int l : labels) {
      counts[l]++;
    }
    return counts;
  }
}
