package dev.adjoint.nn;

import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;

/** Validated geometry of one 2-D pooling call (NCHW input, square window, no padding). */
final class Pool {
  final int n;
  final int c;
  final int h;
  final int w;
  final int k;
  final int stride;
  final int ho;
  final int wo;

  Pool(String op, Tensor x, int kernel, int stride) {
    int[] xs = x.shape();
    if (xs.length != 4) {
      throw new IllegalArgumentException(op + ": input must be 4-D [N, C, H, W], got shape " + Shapes.str(xs));
    }
    if (kernel < 1 || stride < 1) {
      throw new IllegalArgumentException(op + ": kernel and stride must be >= 1, got " + kernel + " and " + stride);
    }
    if (xs[2] < kernel || xs[3] < kernel) {
      throw new IllegalArgumentException(op + ": kernel " + kernel + " is larger than the input " + Shapes.str(xs));
    }
    if (xs[0] == 0) {
      throw new IllegalArgumentException(op + ": empty batch (input shape " + Shapes.str(xs) + ")");
    }
    this.n = xs[0];
    this.c = xs[1];
    this.h = xs[2];
    this.w = xs[3];
    this.k = kernel;
    this.stride = stride;
    this.ho = (h - kernel) / stride + 1;
    this.wo = (w - kernel) / stride + 1;
  }

  int[] outShape() {
    return new int[] {n, c, ho, wo};
  }
}
