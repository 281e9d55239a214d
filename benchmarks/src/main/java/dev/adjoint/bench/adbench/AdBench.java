package dev.adjoint.bench.adbench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;

/**
 * Loads ADBench input instances (microsoft/ADBench {@code data/}; format: ADBench {@code docs/FileFormat.md}).
 *
 * <p>The files are not copied into this repository: they live in the steering repository's
 * {@code shared/data/adbench/}, which sits next to this repository's clone. {@link #dataDir()} finds it from
 * the system property {@code adbench.dir}, or by walking up from the working directory. Instances that are
 * not there (ADBench's {@code gmm_d20_K50}) are generated with {@link #syntheticGmm}, from the same
 * distributions as ADBench's generator.
 */
public final class AdBench {
  private AdBench() {}

  /** A GMM instance: {@code d} dimensions, {@code k} components, {@code n} points; arrays flat, row-major. */
  public record GmmInput(String name, int d, int k, int n, double[] alphas, double[] means, double[] icf,
      double[] x, double wishartGamma, int wishartM) {
    /** Entries per component in {@code icf}: the log-diagonal, then the strictly lower triangle. */
    public int icfSize() {
      return d * (d + 1) / 2;
    }

    /** Number of differentiated inputs: alphas, means, icf. */
    public int inputs() {
      return alphas.length + means.length + icf.length;
    }

    /** The same instance with another Wishart prior. */
    public GmmInput withWishart(double gamma, int m) {
      return new GmmInput(name, d, k, n, alphas, means, icf, x, gamma, m);
    }
  }

  /** An LSTM instance: {@code l} layers, {@code c} characters, {@code b} bits (hidden size). */
  public record LstmInput(String name, int l, int c, int b, double[] mainParams, double[] extraParams,
      double[] state, double[] sequence) {
    /** Number of differentiated inputs: main and extra parameters. */
    public int inputs() {
      return mainParams.length + extraParams.length;
    }
  }

  /** The folder with ADBench's files, or null when it cannot be found. */
  public static Path dataDir() {
    String prop = System.getProperty("adbench.dir");
    if (prop != null && !prop.isEmpty()) {
      return Paths.get(prop);
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/data/adbench");
      if (Files.isRegularFile(candidate.resolve("gmm_d2_K5.txt"))) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * A GMM instance by name: {@code d2_K5}, {@code d10_K25} and {@code test} are read from ADBench's file
   * ({@code gmm_<name>.txt}); any other {@code d<D>_K<K>} (and any name whose file is missing) is
   * {@linkplain #syntheticGmm synthetic}, with n = 1000.
   */
  public static GmmInput gmm(String name) {
    Path dir = dataDir();
    if (dir != null) {
      Path file = dir.resolve("gmm_" + name + ".txt");
      if (Files.isRegularFile(file)) {
        return readGmm(name, file);
      }
    }
    String[] dk = name.replace("d", "").replace("K", "").split("_");
    return syntheticGmm(name + " (synthetic)", Integer.parseInt(dk[0]), Integer.parseInt(dk[1]), 1000, 1L);
  }

  /** The LSTM instance {@code lstm_l2_c1024.txt}, or a synthetic one of the same shape when it is missing. */
  public static LstmInput lstm() {
    Path dir = dataDir();
    if (dir != null) {
      Path file = dir.resolve("lstm_l2_c1024.txt");
      if (Files.isRegularFile(file)) {
        return readLstm("l2_c1024", file);
      }
    }
    return syntheticLstm("l2_c1024 (synthetic)", 2, 1024, 14, 1L);
  }

  /** Reads an ADBench GMM file: {@code d k n}, alphas, means, icf, points, {@code gamma m}. */
  public static GmmInput readGmm(String name, Path file) {
    Tokens t = new Tokens(read(file));
    int d = t.nextInt();
    int k = t.nextInt();
    int n = t.nextInt();
    int icfSz = d * (d + 1) / 2;
    double[] alphas = t.doubles(k);
    double[] means = t.doubles(k * d);
    double[] icf = t.doubles(k * icfSz);
    double[] x = t.doubles(n * d);
    double gamma = t.nextDouble();
    int m = t.nextInt();
    return new GmmInput(name, d, k, n, alphas, means, icf, x, gamma, m);
  }

  /** Reads an ADBench LSTM file: {@code l c b}, main parameters 2l×4b, extra 3×b, state 2l×b, sequence c×b. */
  public static LstmInput readLstm(String name, Path file) {
    Tokens t = new Tokens(read(file));
    int l = t.nextInt();
    int c = t.nextInt();
    int b = t.nextInt();
    double[] main = t.doubles(2 * l * 4 * b);
    double[] extra = t.doubles(3 * b);
    double[] state = t.doubles(2 * l * b);
    double[] seq = t.doubles(c * b);
    return new LstmInput(name, l, c, b, main, extra, state, seq);
  }

  /**
   * A GMM instance drawn as ADBench's generator draws one: alphas, icf and points standard normal, means
   * uniform on [0, 1); Wishart gamma = 1, m = 0.
   */
  public static GmmInput syntheticGmm(String name, int d, int k, int n, long seed) {
    Random rng = new Random(seed);
    int icfSz = d * (d + 1) / 2;
    double[] alphas = new double[k];
    double[] means = new double[k * d];
    double[] icf = new double[k * icfSz];
    double[] x = new double[n * d];
    for (int i = 0; i < alphas.length; i++) {
      alphas[i] = rng.nextGaussian();
    }
    for (int i = 0; i < means.length; i++) {
      means[i] = rng.nextDouble();
    }
    for (int i = 0; i < icf.length; i++) {
      icf[i] = rng.nextGaussian();
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
    return new GmmInput(name, d, k, n, alphas, means, icf, x, 1.0, 0);
  }

  /** An LSTM instance like ADBench's: parameters and state uniform on [0, 1), a sequence of random bits. */
  public static LstmInput syntheticLstm(String name, int l, int c, int b, long seed) {
    Random rng = new Random(seed);
    double[] main = new double[2 * l * 4 * b];
    double[] extra = new double[3 * b];
    double[] state = new double[2 * l * b];
    double[] seq = new double[c * b];
    for (double[] a : new double[][] {main, extra, state}) {
      for (int i = 0; i < a.length; i++) {
        a[i] = rng.nextDouble();
      }
    }
    for (int i = 0; i < seq.length; i++) {
      seq[i] = rng.nextBoolean() ? 1 : 0;
    }
    return new LstmInput(name, l, c, b, main, extra, state, seq);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whitespace-separated numbers. */
  private static final class Tokens {
    private final String[] items;
    private int pos;

    Tokens(String text) {
      items = text.trim().split("\\s+");
    }

    int nextInt() {
      return Integer.parseInt(items[pos++]);
    }

    double nextDouble() {
      return Double.parseDouble(items[pos++]);
    }

    double[] doubles(int count) {
      double[] out = new double[count];
      for (int i = 0; i < count; i++) {
        out[i] = nextDouble();
      }
      return out;
    }
  }
}
