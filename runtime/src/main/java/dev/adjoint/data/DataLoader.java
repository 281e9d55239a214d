package dev.adjoint.data;

import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Mini-batches over a data set held in memory (PyTorch's {@code DataLoader} over a {@code TensorDataset}): the
 * samples are the rows (first dimension) of a feature tensor, optionally paired with integer labels or a target
 * tensor of the same length.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.of(images).labels(digits).batchSize(64).shuffle(42).dropLast(false);
 * for (int epoch = 0; epoch < 5; epoch++) {
 *   for (DataLoader.Batch b : loader) { ... b.x() ... b.labels() ... }
 * }
 * }</pre>
 *
 * <p>Each {@link #iterator()} is one epoch. Without {@link #shuffle(long)} the order is 0..n-1 every epoch. With
 * it, every epoch draws a fresh permutation from one {@code Random} seeded once, so the sequence of epochs is the
 * same on every run with that seed (epoch k's order depends only on the seed and k). The last batch holds the
 * remaining {@code n % batchSize} samples unless {@link #dropLast(boolean) dropLast} is set. Batches are copies:
 * a training step may keep or modify them freely. The settings are fixed once iteration has started.
 */
public final class DataLoader implements Iterable<DataLoader.Batch> {
  private final Tensor x;
  private int[] labels;
  private Tensor targets;
  private int batchSize = 1;
  private boolean dropLast;
  private Random shuffle;
  private boolean started;

  /** One mini-batch: the rows of x, and of the labels or targets if given (null otherwise), and their indices. */
  public record Batch(Tensor x, int[] labels, Tensor targets, int[] indices) {
    /** The number of samples in this batch. */
    public int size() {
      return indices.length;
    }
  }

  private DataLoader(Tensor x) {
    if (x.dim() < 1) {
      throw new IllegalArgumentException("DataLoader: features must have a first (sample) dimension, got shape "
          + Shapes.str(x.shape()));
    }
    this.x = x;
  }

  /** A loader over the rows of {@code x} (shape [n, ...]); the tensor is read, never copied or modified. */
  public static DataLoader of(Tensor x) {
    return new DataLoader(x);
  }

  /** A loader over the rows of a matrix (all rows of one length), copied into a tensor [n, d]. */
  public static DataLoader of(double[][] rows) {
    return new DataLoader(Tensor.matrix(rows));
  }

  /** Pairs sample i with {@code labels[i]} (class indices, e.g. for {@code Loss.crossEntropy}). */
  public DataLoader labels(int[] labels) {
    checkNotStarted();
    if (labels.length != x.size(0)) {
      throw new IllegalArgumentException("DataLoader: " + labels.length + " labels for " + x.size(0) + " samples");
    }
    this.labels = labels.clone();
    return this;
  }

  /** Pairs sample i with row i of {@code targets} (shape [n, ...]). */
  public DataLoader targets(Tensor targets) {
    checkNotStarted();
    if (targets.dim() < 1 || targets.size(0) != x.size(0)) {
      throw new IllegalArgumentException("DataLoader: targets of shape " + Shapes.str(targets.shape()) + " for "
          + x.size(0) + " samples (features " + Shapes.str(x.shape()) + ")");
    }
    this.targets = targets;
    return this;
  }

  /** Samples per batch (default 1). */
  public DataLoader batchSize(int size) {
    checkNotStarted();
    if (size < 1) {
      throw new IllegalArgumentException("DataLoader: batch size must be >= 1, got " + size);
    }
    this.batchSize = size;
    return this;
  }

  /** Shuffles every epoch, reproducibly from {@code seed}. */
  public DataLoader shuffle(long seed) {
    checkNotStarted();
    this.shuffle = new Random(seed);
    return this;
  }

  /** Drops the last batch when it is smaller than the batch size (default false: it is kept). */
  public DataLoader dropLast(boolean drop) {
    checkNotStarted();
    this.dropLast = drop;
    return this;
  }

  private void checkNotStarted() {
    if (started) {
      throw new IllegalStateException("DataLoader: settings cannot change after iteration has started");
    }
  }

  /** The number of samples. */
  public int samples() {
    return x.size(0);
  }

  /** The number of batches per epoch. */
  public int batches() {
    int n = samples();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** One epoch's batches (a new permutation each call when shuffling). */
  @Override
  public Iterator<Batch> iterator() {
    started = true;
    int n = samples();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle != null) {
      for (int i = n - 1; i > 0; i--) { // Fisher–Yates
        int j = shuffle.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    int count = batches();
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException("DataLoader: no batch left in this epoch");
        }
        int start = next++ * batchSize;
        int[] idx = java.util.Arrays.copyOfRange(order, start, Math.min(n, start + batchSize));
        return batch(idx);
      }
    };
  }

  private Batch batch(int[] idx) {
    int[] l = null;
    if (labels != null) {
      l = new int[idx.length];
      for (int i = 0; i < idx.length; i++) {
        l[i] = labels[idx[i]];
      }
    }
    return new Batch(x.indexSelect(0, idx), l, targets == null ? null : targets.indexSelect(0, idx), idx);
  }
}
