package dev.adjoint.samples.train;

import dev.adjoint.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * scikit-learn's handwritten digits (1797 images of 8×8 pixels, 10 classes), shipped as the class-path resource
 * {@value #RESOURCE}; see {@code src/main/resources/data/README.md} for its source, license and attribution.
 *
 * <p>Pixels are scaled from {@code 0..16} to {@code [0, 1]}. {@link #load()} splits the rows, stratified by class
 * and with the fixed seed {@value #SPLIT_SEED}, into {@value #TRAIN_SIZE} training and {@value #TEST_SIZE} test
 * images; the split is the same on every machine and every run.
 */
public final class Digits {
  /** The class-path resource: gzip'd CSV, 64 pixel values and the label per line. */
  public static final String RESOURCE = "/data/digits.csv.gz";
  /** Number of images in the file. */
  public static final int ROWS = 1797;
  /** Pixels per image (8×8). */
  public static final int FEATURES = 64;
  /** Image side. */
  public static final int SIDE = 8;
  /** The digits 0–9. */
  public static final int CLASSES = 10;
  /** Largest pixel value in the file; pixels are divided by it. */
  public static final double MAX_PIXEL = 16.0;
  /** Test images in {@link #load()} (about 20%). */
  public static final int TEST_SIZE = 360;
  /** Training images in {@link #load()}. */
  public static final int TRAIN_SIZE = ROWS - TEST_SIZE;
  /** Seed of the train/test split. */
  public static final long SPLIT_SEED = 1797L;

  /** A training and a test set. */
  public record Split(Dataset train, Dataset test) {}

  private Digits() {}

  /** The standard split: {@value #TRAIN_SIZE} training and {@value #TEST_SIZE} test images, stratified, fixed seed. */
  public static Split load() {
    return split(loadAll(), TEST_SIZE, SPLIT_SEED);
  }

  /** All {@value #ROWS} images in file order, pixels in [0, 1]. */
  public static Dataset loadAll() {
    InputStream raw = Digits.class.getResourceAsStream(RESOURCE);
    if (raw == null) {
      throw new IllegalStateException("Digits: class-path resource " + RESOURCE + " not found (it ships in "
          + "samples/src/main/resources" + RESOURCE + ")");
    }
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII))) {
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Digits: cannot read " + RESOURCE, e);
    }
  }

  private static Dataset parse(BufferedReader in) throws IOException {
    List<double[]> rows = new ArrayList<>(ROWS);
    List<Integer> labels = new ArrayList<>(ROWS);
    String line;
    int lineNo = 0;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",");
      if (cells.length != FEATURES + 1) {
        throw new IllegalStateException("Digits: line " + lineNo + " has " + cells.length + " columns, expected "
            + (FEATURES + 1));
      }
      double[] row = new double[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        double v = Double.parseDouble(cells[j].trim());
        if (!(v >= 0 && v <= MAX_PIXEL)) {
          throw new IllegalStateException("Digits: line " + lineNo + ", column " + (j + 1) + ": pixel " + v
              + " is outside [0, " + MAX_PIXEL + "]");
        }
        row[j] = v / MAX_PIXEL;
      }
      double label = Double.parseDouble(cells[FEATURES].trim());
      if (label != Math.rint(label) || label < 0 || label >= CLASSES) {
        throw new IllegalStateException("Digits: line " + lineNo + ": label " + cells[FEATURES] + " is not a digit");
      }
      rows.add(row);
      labels.add((int) label);
    }
    if (rows.size() != ROWS) {
      throw new IllegalStateException("Digits: " + RESOURCE + " has " + rows.size() + " rows, expected " + ROWS);
    }
    double[] x = new double[rows.size() * FEATURES];
    int[] y = new int[rows.size()];
    for (int i = 0; i < y.length; i++) {
      System.arraycopy(rows.get(i), 0, x, i * FEATURES, FEATURES);
      y[i] = labels.get(i);
    }
    return new Dataset(Tensor.wrap(x, y.length, FEATURES), y, CLASSES);
  }

  /**
   * A stratified split: each class contributes to the test set in proportion to its size (largest remainders
   * decide the rounding, so the test set has exactly {@code testSize} rows), the rows of each class drawn after a
   * seeded shuffle. Both sets keep the shuffled order, interleaving the classes.
   */
  public static Split split(Dataset all, int testSize, long seed) {
    int n = all.size();
    if (testSize <= 0 || testSize >= n) {
      throw new IllegalArgumentException("Digits.split: test size " + testSize + " must be in (0, " + n + ")");
    }
    int classes = all.classes();
    int[] counts = all.classCounts();
    // Test quota per class: floor of the proportional share, then +1 for the largest remainders.
    int[] quota = new int[classes];
    double[] remainder = new double[classes];
    int assigned = 0;
    for (int c = 0; c < classes; c++) {
      double share = (double) testSize * counts[c] / n;
      quota[c] = (int) Math.floor(share);
      remainder[c] = share - quota[c];
      assigned += quota[c];
    }
    while (assigned < testSize) {
      int best = -1;
      for (int c = 0; c < classes; c++) {
        if (quota[c] < counts[c] && (best < 0 || remainder[c] > remainder[best])) {
          best = c;
        }
      }
      quota[best]++;
      remainder[best] = -1;
      assigned++;
    }
    int[] order = shuffled(n, new Random(seed));
    int[] taken = new int[classes];
    int[] train = new int[n - testSize];
    int[] test = new int[testSize];
    int tr = 0;
    int te = 0;
    for (int i : order) {
      int c = all.label(i);
      if (taken[c] < quota[c]) {
        taken[c]++;
        test[te++] = i;
      } else {
        train[tr++] = i;
      }
    }
    return new Split(all.subset(train), all.subset(test));
  }

  /** {@code 0..n-1} in a Fisher–Yates order drawn from {@code rng}. */
  static int[] shuffled(int n, Random rng) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    shuffle(order, rng);
    return order;
  }

  /** Fisher–Yates shuffle in place. */
  static void shuffle(int[] a, Random rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
