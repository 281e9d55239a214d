package dev.adjoint.spark;

import dev.adjoint.tensor.Tensor;

/**
 * The rows of one mini-batch that one partition holds: features {@code x} [n, F] in the batch's order, and their
 * labels. {@link #rows} are the rows' global indices (for messages).
 */
public record Batch(Tensor x, double[] labels, long[] rows) {
  /** The number of rows. */
  public int size() {
    return labels.length;
  }

  /** The labels as class indices (the data set was packed with a class count, which checked they are). */
  public int[] classes() {
    int[] out = new int[labels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) labels[i];
      if (out[i] != labels[i]) {
        throw new IllegalStateException("Batch: label " + labels[i] + " of global row " + rows[i]
            + " is not a class index (pack the data with Examples.classification)");
      }
    }
    return out;
  }
}
