package dev.adjoint.tensor;

import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Row-major matrix product on top of netlib's column-major {@code dgemm}, without copies.
 *
 * <p>A row-major {@code m×n} array is the column-major {@code n×m} matrix of its transpose, so the row-major
 * product {@code C = op(A)·op(B)} is computed as the column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}: the operands are
 * passed swapped and each keeps its own transpose flag.
 */
public final class Gemm {
  // One instance per JVM: OpenBLAS through JNI when libopenblas is installed, else netlib's pure-Java kernels.
  private static final BLAS BLAS_INSTANCE = quietBlas();

  // netlib's own keys: which native library its JNI stub opens, and whether to try at all.
  private static final String NATIVE_LIB = "dev.ludovic.netlib.blas.nativeLib";
  private static final String NATIVE_LIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
  private static final String ALLOW_NATIVE = "dev.ludovic.netlib.blas.allowNative";

  private Gemm() {}

  /**
   * netlib's instance without its chatter on every run: without a system {@code libblas.so.3} its JNI stub prints
   * a dlopen failure on stderr (from C, so it is avoided by not trying) and its logger an INFO line. What was chosen
   * is logged once at CONFIG on {@code dev.adjoint.tensor.Gemm}; netlib's own lines come back when the user sets
   * a level for its logger {@code dev.ludovic.netlib.blas.InstanceBuilder} or any of netlib's properties.
   */
  private static BLAS quietBlas() {
    Logger netlib = Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
    boolean userConfigured = netlib.getLevel() != null || System.getProperty(NATIVE_LIB) != null
        || System.getProperty(NATIVE_LIB_PATH) != null || System.getProperty(ALLOW_NATIVE) != null;
    if (userConfigured) {
      return BLAS.getInstance();
    }
    boolean systemBlas = onLibraryPath("libblas.so.3");
    netlib.setLevel(Level.WARNING);
    try {
      if (!systemBlas) {
        System.setProperty(ALLOW_NATIVE, "false");
      }
      try {
        return logged(BLAS.getInstance(), systemBlas);
      } finally {
        if (!systemBlas) {
          System.clearProperty(ALLOW_NATIVE);
        }
      }
    } finally {
      netlib.setLevel(null);
    }
  }

  private static BLAS logged(BLAS blas, boolean systemBlas) {
    Logger.getLogger(Gemm.class.getName()).config(() -> "BLAS: " + blas.getClass().getName() + (systemBlas ? ""
        : " (no libblas.so.3 on this system; apt-get install libopenblas0 for OpenBLAS)"));
    return blas;
  }

  /**
   * Whether the dynamic linker can find {@code name} in the usual places: LD_LIBRARY_PATH, the directories of
   * /etc/ld.so.conf and /etc/ld.so.conf.d/*.conf, and the standard ones. Only non-Linux systems are taken on trust.
   */
  private static boolean onLibraryPath(String name) {
    if (!System.getProperty("os.name", "").startsWith("Linux")) {
      return true;
    }
    List<String> dirs = new ArrayList<>(List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib",
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu"));
    String ld = System.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      dirs.addAll(List.of(ld.split(":")));
    }
    List<Path> conf = new ArrayList<>(List.of(Path.of("/etc/ld.so.conf")));
    try (var d = Files.newDirectoryStream(Path.of("/etc/ld.so.conf.d"), "*.conf")) {
      d.forEach(conf::add);
    } catch (IOException | RuntimeException e) {
      // no such directory: the standard places only
    }
    for (Path c : conf) {
      try {
        for (String line : Files.readAllLines(c)) {
          String l = line.strip();
          if (l.startsWith("/")) {
            dirs.add(l);
          }
        }
      } catch (IOException | RuntimeException e) {
        // unreadable: skip
      }
    }
    return dirs.stream().anyMatch(dir -> !dir.isEmpty() && Files.exists(Path.of(dir, name)));
  }

  /** The BLAS implementation in use (for benchmarks and diagnostics). */
  public static String implementation() {
    return BLAS_INSTANCE.getClass().getName();
  }

  /**
   * {@code C[offC..] = beta·C + op(A)·op(B)} for row-major operands where {@code op(A)} is {@code m×k} and
   * {@code op(B)} is {@code k×n}; {@code transA} means A is stored as {@code k×m} (likewise B as {@code n×k}).
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k,
      double[] a, int offA, double[] b, int offB, double beta, double[] c, int offC) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      // BLAS would be asked for leading dimensions of 0; the product of empty matrices is 0.
      for (int i = 0; i < m * n; i++) {
        c[offC + i] = beta == 0 ? 0 : beta * c[offC + i];
      }
      return;
    }
    gemm(transA, transB, m, n, k, a, offA, transA ? m : k, b, offB, transB ? k : n, beta, c, offC, n);
  }

  /**
   * {@link #gemm(boolean, boolean, int, int, int, double[], int, double[], int, double, double[], int)} on
   * sub-matrices: {@code lda}, {@code ldb}, {@code ldc} are the row lengths of the arrays the operands live in.
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int offA, int lda,
      double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          c[offC + i * ldc + j] = beta == 0 ? 0 : beta * c[offC + i * ldc + j];
        }
      }
      return;
    }
    BLAS_INSTANCE.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, 1.0,
        b, offB, ldb, a, offA, lda, beta, c, offC, ldc);
  }
}
