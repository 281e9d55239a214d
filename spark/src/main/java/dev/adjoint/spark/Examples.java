package dev.adjoint.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.regression.LabeledPoint;
import org.apache.spark.storage.StorageLevel;

/**
 * A training set distributed over Spark: each partition of an {@code RDD<LabeledPoint>} checked row by row and
 * packed into one cached block, and every row given a global index (partition offset + index within it) that
 * {@link BatchOrder} shuffles.
 *
 * <p>Packing reads the source twice (a count per partition, then the rows), so the source must give the same rows
 * in the same partitions each time it is read, as an input read from files does. A bad row (wrong width, NaN or
 * infinite feature or label, a label that is not a class index) fails the packing with a {@link BadRowException}
 * naming its partition and index, before any training.
 *
 * <p>Read the source from storage (files, a table), not with {@code sc.parallelize(rows)} beyond small tests: the
 * partitions of a parallelized RDD carry their rows, and Spark ships a task's partition with it, so every step would
 * re-send the data although the packed blocks are cached.
 */
public final class Examples {
  private final JavaRDD<Block> blocks;
  private final long size;
  private final int features;

  private Examples(JavaRDD<Block> blocks, long size, int features) {
    this.blocks = blocks;
    this.size = size;
    this.features = features;
  }

  /** Rows whose labels are class indices in {@code [0, classes)}, each with {@code features} features. */
  public static Examples classification(JavaRDD<LabeledPoint> rows, int features, int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("Examples.classification: needs at least one class, got " + classes);
    }
    return pack(rows, features, classes);
  }

  /** Rows with any finite label (regression targets), each with {@code features} features. */
  public static Examples regression(JavaRDD<LabeledPoint> rows, int features) {
    return pack(rows, features, 0);
  }

  private static Examples pack(JavaRDD<LabeledPoint> rows, int features, int classes) {
    if (features < 1) {
      throw new IllegalArgumentException("Examples: needs at least one feature, got " + features);
    }
    List<Long> counts = rows.mapPartitions(it -> {
      long c = 0;
      for (; it.hasNext(); it.next()) {
        c++;
      }
      return Collections.singletonList(c).iterator();
    }).collect();
    long[] offsets = new long[counts.size()];
    long total = 0;
    for (int p = 0; p < offsets.length; p++) {
      offsets[p] = total;
      total += counts.get(p);
    }
    if (total == 0) {
      throw new IllegalArgumentException("Examples: the data set has no rows");
    }
    JavaRDD<Block> blocks = rows.mapPartitionsWithIndex(
        (p, it) -> Collections.singletonList(block(p, offsets[p], it, features, classes)).iterator(), true);
    blocks.persist(StorageLevel.MEMORY_AND_DISK());
    SparkJobs.run(blocks::count); // packs now, so that a bad row fails here rather than at some step
    return new Examples(blocks, total, features);
  }

  private static Block block(int p, long start, Iterator<LabeledPoint> it, int features, int classes) {
    List<LabeledPoint> rows = new ArrayList<>();
    it.forEachRemaining(rows::add);
    double[] x = new double[rows.size() * features];
    double[] y = new double[rows.size()];
    for (int i = 0; i < y.length; i++) {
      LabeledPoint row = rows.get(i);
      if (row == null || row.features() == null) {
        throw new BadRowException(p, i, "the row or its feature vector is null");
      }
      if (row.features().size() != features) {
        throw new BadRowException(p, i, "has " + row.features().size() + " features, expected " + features);
      }
      double[] values = row.features().toArray();
      for (int j = 0; j < features; j++) {
        if (!Double.isFinite(values[j])) {
          throw new BadRowException(p, i, "feature " + j + " is " + values[j]);
        }
      }
      System.arraycopy(values, 0, x, i * features, features);
      y[i] = checkLabel(p, i, row.label(), classes);
    }
    return new Block(p, start, features, x, y);
  }

  private static double checkLabel(int p, int i, double label, int classes) {
    if (!Double.isFinite(label)) {
      throw new BadRowException(p, i, "label is " + label);
    }
    if (classes > 0 && (label != Math.rint(label) || label < 0 || label >= classes)) {
      throw new BadRowException(p, i, "label " + label + " is not a class index in [0, " + classes + ")");
    }
    return label;
  }

  /** The number of rows. */
  public long size() {
    return size;
  }

  /** The number of features per row. */
  public int features() {
    return features;
  }

  /** The number of partitions (each one block). */
  public int partitions() {
    return blocks.getNumPartitions();
  }

  /** Drops the cached blocks. */
  public void unpersist() {
    blocks.unpersist(false);
  }

  JavaRDD<Block> blocks() {
    return blocks;
  }
}
