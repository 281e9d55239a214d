package dev.adjoint.tensor;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Row-major matrix product on top of netlib's column-major {@code dgemm}, without copies.
 *
 * <p>A row-major {@code m×n} array is the column-major {@code n×m} matrix of its transpose, so the row-major
 * product {@code C = op(A)·op(B)} is computed as the column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}: the operands are
 * passed swapped and each keeps its own transpose flag.
 */
public final class Gemm {
  // One instance per JVM: OpenBLAS through JNI when libopenblas is installed, else netlib's pure-Java kernels.
  private static final BLAS BLAS_INSTANCE = BLAS.getInstance();

  private Gemm() {}

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
