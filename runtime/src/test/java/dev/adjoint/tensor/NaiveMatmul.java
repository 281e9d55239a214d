package dev.adjoint.tensor;

import java.util.Arrays;

/** Reference matmul by triple loops over NumPy's promotion and batch-broadcasting rules, for tests. */
final class NaiveMatmul {
  private NaiveMatmul() {}

  static Tensor matmul(Tensor a, Tensor b) {
    int[] as = a.shape();
    int[] bs = b.shape();
    boolean va = as.length == 1;
    boolean vb = bs.length == 1;
    int[] a2 = va ? new int[] {1, as[0]} : as;
    int[] b2 = vb ? new int[] {bs[0], 1} : bs;
    int m = a2[a2.length - 2];
    int k = a2[a2.length - 1];
    int n = b2[b2.length - 1];
    int[] batch = Shapes.broadcast("t", Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2));
    Tensor A = Tensor.of(a.toArray(), a2).broadcastTo(concat(batch, m, k));
    Tensor B = Tensor.of(b.toArray(), b2).broadcastTo(concat(batch, k, n));
    int count = Shapes.product(batch);
    double[] out = new double[count * m * n];
    for (int t = 0; t < count; t++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int q = 0; q < k; q++) {
            s += A.data()[t * m * k + i * k + q] * B.data()[t * k * n + q * n + j];
          }
          out[t * m * n + i * n + j] = s;
        }
      }
    }
    int[] shape = concat(batch, m, n);
    if (va && vb) {
      shape = new int[0];
    } else if (va) {
      shape = Shapes.remove(shape, shape.length - 2);
    } else if (vb) {
      shape = Shapes.remove(shape, shape.length - 1);
    }
    return Tensor.of(out, shape);
  }

  private static int[] concat(int[] batch, int x, int y) {
    int[] s = Arrays.copyOf(batch, batch.length + 2);
    s[batch.length] = x;
    s[batch.length + 1] = y;
    return s;
  }
}
