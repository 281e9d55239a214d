package dev.adjoint.nn;

import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;

/** Validated geometry of one conv2d call (NCHW input, [Cout, Cin, kH, kW] weight). */
final class Conv {
  final int n;
  final int c;
  final int h;
  final int w;
  final int cout;
  final int kh;
  final int kw;
  final int stride;
  final int pad;
  final int ho;
  final int wo;

  Conv(String op, Tensor x, Tensor weight, Tensor bias, int stride, int pad) {
    int[] xs = x.shape();
    int[] ws = weight.shape();
    if (xs.length != 4) {
      throw new IllegalArgumentException(op + ": input must be 4-D [N, C, H, W], got shape " + Shapes.str(xs));
    }
    if (ws.length != 4) {
      throw new IllegalArgumentException(op + ": weight must be 4-D [Cout, Cin, kH, kW], got shape " + Shapes.str(ws));
    }
    if (ws[1] != xs[1]) {
      throw new IllegalArgumentException(op + ": input of shape " + Shapes.str(xs) + " has " + xs[1]
          + " channels but weight of shape " + Shapes.str(ws) + " expects " + ws[1]);
    }
    if (stride < 1 || pad < 0) {
      throw new IllegalArgumentException(op + ": stride must be >= 1 and padding >= 0, got stride " + stride
          + " and padding " + pad);
    }
    if (xs[0] == 0) {
      throw new IllegalArgumentException(op + ": empty batch (input shape " + Shapes.str(xs) + ")");
    }
    if (bias != null && !bias.sameShape(ws[0])) {
      throw new IllegalArgumentException(op + ": bias of shape " + Shapes.str(bias.shape()) + " does not match weight "
          + Shapes.str(ws) + " (expected [" + ws[0] + "])");
    }
    this.n = xs[0];
    this.c = xs[1];
    this.h = xs[2];
    this.w = xs[3];
    this.cout = ws[0];
    this.kh = ws[2];
    this.kw = ws[3];
    this.stride = stride;
    this.pad = pad;
    int hp = h + 2 * pad - kh;
    int wp = w + 2 * pad - kw;
    if (kh < 1 || kw < 1 || hp < 0 || wp < 0) {
      throw new IllegalArgumentException(op + ": kernel " + kh + "x" + kw + " does not fit the padded input "
          + (h + 2 * pad) + "x" + (w + 2 * pad) + " (input " + Shapes.str(xs) + ", padding " + pad + ")");
    }
    this.ho = hp / stride + 1;
    this.wo = wp / stride + 1;
  }

  int[] outShape() {
    return new int[] {n, cout, ho, wo};
  }

  int k() {
    return c * kh * kw;
  }

  int p() {
    return ho * wo;
  }
}
