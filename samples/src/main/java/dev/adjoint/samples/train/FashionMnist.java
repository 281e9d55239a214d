package dev.adjoint.samples.train;

import dev.adjoint.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST (Zalando; 28×28 grey images of clothes, 10 classes) read from the IDX files that Debian's
 * {@code dataset-fashion-mnist} installs in {@value #DEBIAN_DIR} ({@code samples/install-fashion-mnist.sh}
 * installs it where apt is available). Pixels are scaled from {@code 0..255} to {@code [0, 1]}.
 */
public final class FashionMnist {
  /** Where Debian's package puts the files. */
  public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
  /** Image side. */
  public static final int SIDE = 28;
  /** The ten kinds of clothing. */
  public static final int CLASSES = 10;
  private static final int IMAGES_MAGIC = 0x00000803;
  private static final int LABELS_MAGIC = 0x00000801;

  private FashionMnist() {}

  /**
   * The first {@code trainSize} training and {@code testSize} test images from {@code dir}, or empty when the
   * four files are not all there.
   */
  public static Optional<Digits.Split> load(Path dir, int trainSize, int testSize) throws IOException {
    Path[] files = {dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"),
        dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz")};
    for (Path f : files) {
      if (!Files.isReadable(f)) {
        return Optional.empty();
      }
    }
    return Optional.of(new Digits.Split(dataset(files[0], files[1], trainSize), dataset(files[2], files[3], testSize)));
  }

  /** The first {@code limit} images of an IDX image file paired with its label file. */
  static Dataset dataset(Path images, Path labels, int limit) throws IOException {
    Tensor x = readImages(images, limit);
    int[] y = readLabels(labels, limit);
    return new Dataset(x, y, CLASSES);
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in);
  }

  /** The first {@code limit} (at most all) images of an IDX3 file ({@code .gz} or raw) as [n, rows·cols] in [0, 1]. */
  static Tensor readImages(Path file, int limit) throws IOException {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != IMAGES_MAGIC) {
        throw new IOException(file + ": not an IDX image file (magic 0x" + Integer.toHexString(magic) + ")");
      }
      int count = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      int n = Math.min(count, limit);
      byte[] pixels = new byte[n * rows * cols];
      in.readFully(pixels);
      double[] d = new double[pixels.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = (pixels[i] & 0xff) / 255.0;
      }
      return Tensor.wrap(d, n, rows * cols);
    }
  }

  /** The first {@code limit} (at most all) labels of an IDX1 file. */
  static int[] readLabels(Path file, int limit) throws IOException {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != LABELS_MAGIC) {
        throw new IOException(file + ": not an IDX label file (magic 0x" + Integer.toHexString(magic) + ")");
      }
      int n = Math.min(in.readInt(), limit);
      byte[] b = new byte[n];
      in.readFully(b);
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = b[i] & 0xff;
      }
      return out;
    }
  }
}
