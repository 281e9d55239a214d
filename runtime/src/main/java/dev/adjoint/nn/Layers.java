package dev.adjoint.nn;

import dev.adjoint.Jvp;
import dev.adjoint.tensor.Gemm;
import dev.adjoint.tensor.Parallel;
import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;
import java.util.Random;

/**
 * Functional neural-network layers with their reverse and forward ({@link Jvp}) rules, following the convention documented on
 * {@link Tensor}: for {@code y = op(a, b, ...)} the rule for input {@code a} is
 * {@code static <A> opVjpA(gy, y, a, b, ...)}. Rules never mutate arguments; layers take all parameters explicitly.
 */
public final class Layers {
  private Layers() {}

  // ------------------------------------------------------------------------------------------------ linear

  /** {@code y = x·w + b} with {@code w} of shape [in, out] and {@code b} of shape [out] broadcast over rows. */
  public static Tensor linear(Tensor x, Tensor w, Tensor b) {
    checkLinear(x, w);
    if (!b.sameShape(w.size(1))) {
      throw new IllegalArgumentException("linear: bias of shape " + Shapes.str(b.shape()) + " does not match weight "
          + Shapes.str(w.shape()) + " (expected [" + w.size(1) + "])");
    }
    Tensor y = x.matmul(w);
    // y is fresh, so adding the bias in place saves a second output array.
    double[] yd = y.data();
    double[] bd = b.data();
    int out = bd.length;
    for (int r = 0; r < yd.length; r += out) {
      for (int j = 0; j < out; j++) {
        yd[r + j] += bd[j];
      }
    }
    return y;
  }

  /** {@code y = x·w} with {@code w} of shape [in, out] (a linear layer without bias). */
  public static Tensor linear(Tensor x, Tensor w) {
    checkLinear(x, w);
    return x.matmul(w);
  }

  private static void checkLinear(Tensor x, Tensor w) {
    if (w.dim() != 2) {
      throw new IllegalArgumentException("linear: weight must be 2-D [in, out], got shape " + Shapes.str(w.shape()));
    }
    if (x.dim() < 1 || x.size(-1) != w.size(0)) {
      throw new IllegalArgumentException("linear: input of shape " + Shapes.str(x.shape()) + " and weight of shape "
          + Shapes.str(w.shape()) + " do not match: the input's last dimension must equal the weight's first ("
          + w.size(0) + ")");
    }
  }

  /** Rule of {@link #linear(Tensor, Tensor, Tensor)} for x: {@code gy·wᵀ}. */
  public static Tensor linearVjpX(Tensor gy, Tensor y, Tensor x, Tensor w, Tensor b) {
    return Tensor.matmulVjpSelf(gy, y, x, w);
  }

  /** Rule of {@link #linear(Tensor, Tensor, Tensor)} for w: {@code xᵀ·gy} (summed over any batch dimensions). */
  public static Tensor linearVjpW(Tensor gy, Tensor y, Tensor x, Tensor w, Tensor b) {
    return Tensor.matmulVjpOther(gy, y, x, w);
  }

  /** Rule of {@link #linear(Tensor, Tensor, Tensor)} for b: gy summed over every row. */
  public static Tensor linearVjpB(Tensor gy, Tensor y, Tensor x, Tensor w, Tensor b) {
    return gy.sumTo(b.shape());
  }

  /** Rule of {@link #linear(Tensor, Tensor)} for x: {@code gy·wᵀ}. */
  public static Tensor linearVjpX(Tensor gy, Tensor y, Tensor x, Tensor w) {
    return Tensor.matmulVjpSelf(gy, y, x, w);
  }

  /** Rule of {@link #linear(Tensor, Tensor)} for w: {@code xᵀ·gy}. */
  public static Tensor linearVjpW(Tensor gy, Tensor y, Tensor x, Tensor w) {
    return Tensor.matmulVjpOther(gy, y, x, w);
  }

  /** Forward rule of {@link #linear(Tensor, Tensor, Tensor)} for x: {@code dx·w}. */
  @Jvp(of = "linear", wrt = "x")
  public static Tensor linearJvpX(Tensor dx, Tensor y, Tensor x, Tensor w, Tensor b) {
    return Tensor.matmulJvpSelf(dx, y, x, w);
  }

  /** Forward rule of {@link #linear(Tensor, Tensor, Tensor)} for w: {@code x·dw}. */
  @Jvp(of = "linear", wrt = "w")
  public static Tensor linearJvpW(Tensor dw, Tensor y, Tensor x, Tensor w, Tensor b) {
    return Tensor.matmulJvpOther(dw, y, x, w);
  }

  /** Forward rule of {@link #linear(Tensor, Tensor, Tensor)} for b: db on every row. */
  @Jvp(of = "linear", wrt = "b")
  public static Tensor linearJvpB(Tensor db, Tensor y, Tensor x, Tensor w, Tensor b) {
    checkGy("linearJvpB", db, b.shape());
    int[] out = x.shape();
    out[out.length - 1] = w.size(1);
    return db.broadcastTo(out);
  }

  /** Forward rule of {@link #linear(Tensor, Tensor)} for x: {@code dx·w}. */
  @Jvp(of = "linear", wrt = "x")
  public static Tensor linearJvpX(Tensor dx, Tensor y, Tensor x, Tensor w) {
    return Tensor.matmulJvpSelf(dx, y, x, w);
  }

  /** Forward rule of {@link #linear(Tensor, Tensor)} for w: {@code x·dw}. */
  @Jvp(of = "linear", wrt = "w")
  public static Tensor linearJvpW(Tensor dw, Tensor y, Tensor x, Tensor w) {
    return Tensor.matmulJvpOther(dw, y, x, w);
  }

  // ------------------------------------------------------------------------------------------------ conv2d

  /**
   * 2-D cross-correlation (PyTorch's {@code conv2d}): x [N, Cin, H, W], w [Cout, Cin, kH, kW], b [Cout];
   * output [N, Cout, (H+2p-kH)/s+1, (W+2p-kW)/s+1]. Implemented as im2col followed by one BLAS product per image.
   */
  public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding) {
    Conv g = new Conv("conv2d", x, w, b, stride, padding);
    return convForward(g, x, w, b);
  }

  /** {@link #conv2d(Tensor, Tensor, Tensor, int, int)} without bias. */
  public static Tensor conv2d(Tensor x, Tensor w, int stride, int padding) {
    Conv g = new Conv("conv2d", x, w, null, stride, padding);
    return convForward(g, x, w, null);
  }

  private static Tensor convForward(Conv g, Tensor x, Tensor w, Tensor b) {
    int k = g.k();
    int p = g.p();
    double[] out = new double[g.n * g.cout * p];
    double[] xd = x.data();
    int imageSize = g.c * g.h * g.w;
    // Images are independent: split by image, each task with its own column buffer.
    Parallel.range(g.n, (long) g.cout * k * p, (lo, hi) -> {
      double[] cols = new double[k * p];
      for (int i = lo; i < hi; i++) {
        Im2col.im2col(xd, i * imageSize, g.c, g.h, g.w, g.kh, g.kw, g.stride, g.pad, g.ho, g.wo, cols);
        Gemm.gemm(false, false, g.cout, p, k, w.data(), 0, cols, 0, 0.0, out, i * g.cout * p);
        if (b != null) {
          double[] bd = b.data();
          for (int o = 0; o < g.cout; o++) {
            int base = (i * g.cout + o) * p;
            for (int j = 0; j < p; j++) {
              out[base + j] += bd[o];
            }
          }
        }
      }
    });
    return Tensor.wrap(out, g.outShape());
  }

  /** Rule of {@link #conv2d(Tensor, Tensor, Tensor, int, int)} for x: {@code col2im(wᵀ·gy)} per image. */
  public static Tensor conv2dVjpX(Tensor gy, Tensor y, Tensor x, Tensor w, Tensor b, int stride, int padding) {
    return convVjpX(new Conv("conv2dVjpX", x, w, b, stride, padding), gy, x, w);
  }

  /** Rule of {@link #conv2d(Tensor, Tensor, Tensor, int, int)} for w: {@code Σ_images gy·colsᵀ}. */
  public static Tensor conv2dVjpW(Tensor gy, Tensor y, Tensor x, Tensor w, Tensor b, int stride, int padding) {
    return convVjpW(new Conv("conv2dVjpW", x, w, b, stride, padding), gy, x, w);
  }

  /** Rule of {@link #conv2d(Tensor, Tensor, Tensor, int, int)} for b: gy summed over batch and space. */
  public static Tensor conv2dVjpB(Tensor gy, Tensor y, Tensor x, Tensor w, Tensor b, int stride, int padding) {
    Conv g = new Conv("conv2dVjpB", x, w, b, stride, padding);
    checkGy("conv2dVjpB", gy, g.outShape());
    double[] gd = gy.data();
    double[] out = new double[g.cout];
    int p = g.p();
    for (int i = 0; i < g.n; i++) {
      for (int o = 0; o < g.cout; o++) {
        int base = (i * g.cout + o) * p;
        double s = 0;
        for (int j = 0; j < p; j++) {
          s += gd[base + j];
        }
        out[o] += s;
      }
    }
    return Tensor.wrap(out, g.cout);
  }

  /** Rule of {@link #conv2d(Tensor, Tensor, int, int)} for x. */
  public static Tensor conv2dVjpX(Tensor gy, Tensor y, Tensor x, Tensor w, int stride, int padding) {
    return convVjpX(new Conv("conv2dVjpX", x, w, null, stride, padding), gy, x, w);
  }

  /** Rule of {@link #conv2d(Tensor, Tensor, int, int)} for w. */
  public static Tensor conv2dVjpW(Tensor gy, Tensor y, Tensor x, Tensor w, int stride, int padding) {
    return convVjpW(new Conv("conv2dVjpW", x, w, null, stride, padding), gy, x, w);
  }

  /** Forward rule of {@link #conv2d(Tensor, Tensor, Tensor, int, int)} for x: {@code conv2d(dx, w)} (linear in x). */
  @Jvp(of = "conv2d", wrt = "x")
  public static Tensor conv2dJvpX(Tensor dx, Tensor y, Tensor x, Tensor w, Tensor b, int stride, int padding) {
    checkGy("conv2dJvpX", dx, x.shape());
    return conv2d(dx, w, stride, padding);
  }

  /** Forward rule of {@link #conv2d(Tensor, Tensor, Tensor, int, int)} for w: {@code conv2d(x, dw)} (linear in w). */
  @Jvp(of = "conv2d", wrt = "w")
  public static Tensor conv2dJvpW(Tensor dw, Tensor y, Tensor x, Tensor w, Tensor b, int stride, int padding) {
    checkGy("conv2dJvpW", dw, w.shape());
    return conv2d(x, dw, stride, padding);
  }

  /** Forward rule of {@link #conv2d(Tensor, Tensor, Tensor, int, int)} for b: db[o] over every image and position. */
  @Jvp(of = "conv2d", wrt = "b")
  public static Tensor conv2dJvpB(Tensor db, Tensor y, Tensor x, Tensor w, Tensor b, int stride, int padding) {
    Conv g = new Conv("conv2dJvpB", x, w, b, stride, padding);
    checkGy("conv2dJvpB", db, b.shape());
    return db.reshape(1, g.cout, 1, 1).broadcastTo(g.outShape());
  }

  /** Forward rule of {@link #conv2d(Tensor, Tensor, int, int)} for x. */
  @Jvp(of = "conv2d", wrt = "x")
  public static Tensor conv2dJvpX(Tensor dx, Tensor y, Tensor x, Tensor w, int stride, int padding) {
    checkGy("conv2dJvpX", dx, x.shape());
    return conv2d(dx, w, stride, padding);
  }

  /** Forward rule of {@link #conv2d(Tensor, Tensor, int, int)} for w. */
  @Jvp(of = "conv2d", wrt = "w")
  public static Tensor conv2dJvpW(Tensor dw, Tensor y, Tensor x, Tensor w, int stride, int padding) {
    checkGy("conv2dJvpW", dw, w.shape());
    return conv2d(x, dw, stride, padding);
  }

  private static Tensor convVjpX(Conv g, Tensor gy, Tensor x, Tensor w) {
    checkGy("conv2dVjpX", gy, g.outShape());
    int k = g.k();
    int p = g.p();
    double[] gx = new double[x.size()];
    int imageSize = g.c * g.h * g.w;
    Parallel.range(g.n, (long) g.cout * k * p, (lo, hi) -> {
      double[] gcols = new double[k * p];
      for (int i = lo; i < hi; i++) {
        Gemm.gemm(true, false, k, p, g.cout, w.data(), 0, gy.data(), i * g.cout * p, 0.0, gcols, 0);
        Im2col.col2im(gcols, g.c, g.h, g.w, g.kh, g.kw, g.stride, g.pad, g.ho, g.wo, gx, i * imageSize);
      }
    });
    return Tensor.wrap(gx, x.shape());
  }

  private static Tensor convVjpW(Conv g, Tensor gy, Tensor x, Tensor w) {
    checkGy("conv2dVjpW", gy, g.outShape());
    int k = g.k();
    int p = g.p();
    int imageSize = g.c * g.h * g.w;
    // A sum over images: fixed blocks of images, each summed into its own partial, the partials added in block
    // order, so the bits do not depend on the thread count.
    int blocks = (g.n + CONV_BLOCK - 1) / CONV_BLOCK;
    double[][] partial = new double[blocks][];
    Parallel.range(blocks, (long) CONV_BLOCK * g.cout * k * p, (lo, hi) -> {
      double[] cols = new double[k * p];
      for (int blk = lo; blk < hi; blk++) {
        double[] gw = partial[blk] = new double[g.cout * k];
        for (int i = blk * CONV_BLOCK; i < Math.min(g.n, (blk + 1) * CONV_BLOCK); i++) {
          // The columns are recomputed rather than kept from the forward pass: rules receive only (gy, y, inputs).
          Im2col.im2col(x.data(), i * imageSize, g.c, g.h, g.w, g.kh, g.kw, g.stride, g.pad, g.ho, g.wo, cols);
          Gemm.gemm(false, true, g.cout, k, p, gy.data(), i * g.cout * p, cols, 0, 1.0, gw, 0);
        }
      }
    });
    double[] gw = blocks == 0 ? new double[g.cout * k] : partial[0];
    for (int blk = 1; blk < blocks; blk++) {
      for (int j = 0; j < gw.length; j++) {
        gw[j] += partial[blk][j];
      }
    }
    return Tensor.wrap(gw, w.shape());
  }

  /** Images per partial sum of conv2d's weight gradient (fixed, so that any thread count gives the same bits). */
  private static final int CONV_BLOCK = 8;

  static void checkGy(String rule, Tensor gy, int[] expected) {
    if (!gy.sameShape(expected)) {
      throw new IllegalArgumentException(rule + ": gy has shape " + Shapes.str(gy.shape()) + " but y has shape "
          + Shapes.str(expected));
    }
  }

  // ------------------------------------------------------------------------------------------------ pooling

  /** Average pooling over square {@code kernel} windows moved by {@code stride}, no padding (NCHW). */
  public static Tensor avgPool2d(Tensor x, int kernel, int stride) {
    Pool g = new Pool("avgPool2d", x, kernel, stride);
    double[] xd = x.data();
    double[] out = new double[g.n * g.c * g.ho * g.wo];
    double inv = 1.0 / (kernel * kernel);
    Parallel.range(g.n * g.c, (long) g.h * g.w, (lo, hi) -> {
      int o = lo * g.ho * g.wo;
      for (int plane = lo; plane < hi; plane++) {
        int base = plane * g.h * g.w;
        for (int oh = 0; oh < g.ho; oh++) {
          for (int ow = 0; ow < g.wo; ow++) {
            double s = 0;
            for (int i = 0; i < kernel; i++) {
              int row = base + (oh * stride + i) * g.w + ow * stride;
              for (int j = 0; j < kernel; j++) {
                s += xd[row + j];
              }
            }
            out[o++] = s * inv;
          }
        }
      }
    });
    return Tensor.wrap(out, g.outShape());
  }

  /** Rule of {@link #avgPool2d}: each window receives gy / kernel² (overlapping windows add up). */
  public static Tensor avgPool2dVjpX(Tensor gy, Tensor y, Tensor x, int kernel, int stride) {
    Pool g = new Pool("avgPool2dVjpX", x, kernel, stride);
    checkGy("avgPool2dVjpX", gy, g.outShape());
    double[] gd = gy.data();
    double[] gx = new double[x.size()];
    double inv = 1.0 / (kernel * kernel);
    // Windows overlap only within a plane, so planes are independent.
    Parallel.range(g.n * g.c, (long) g.h * g.w, (lo, hi) -> {
      int o = lo * g.ho * g.wo;
      for (int plane = lo; plane < hi; plane++) {
        int base = plane * g.h * g.w;
        for (int oh = 0; oh < g.ho; oh++) {
          for (int ow = 0; ow < g.wo; ow++) {
            double v = gd[o++] * inv;
            for (int i = 0; i < kernel; i++) {
              int row = base + (oh * stride + i) * g.w + ow * stride;
              for (int j = 0; j < kernel; j++) {
                gx[row + j] += v;
              }
            }
          }
        }
      }
    });
    return Tensor.wrap(gx, x.shape());
  }

  /** Forward rule of {@link #avgPool2d}: {@code avgPool2d(dx)} (linear). */
  @Jvp(of = "avgPool2d", wrt = "x")
  public static Tensor avgPool2dJvpX(Tensor dx, Tensor y, Tensor x, int kernel, int stride) {
    checkGy("avgPool2dJvpX", dx, x.shape());
    return avgPool2d(dx, kernel, stride);
  }

  /** Max pooling over square windows, no padding (NCHW); NaN propagates. */
  public static Tensor maxPool2d(Tensor x, int kernel, int stride) {
    Pool g = new Pool("maxPool2d", x, kernel, stride);
    double[] xd = x.data();
    double[] out = new double[g.n * g.c * g.ho * g.wo];
    Parallel.range(out.length, (long) kernel * kernel, (lo, hi) -> {
      for (int o = lo; o < hi; o++) {
        out[o] = xd[argmaxWindow(g, xd, o)];
      }
    });
    return Tensor.wrap(out, g.outShape());
  }

  /** Rule of {@link #maxPool2d}: gy routed to each window's first maximum, recomputed from x. */
  public static Tensor maxPool2dVjpX(Tensor gy, Tensor y, Tensor x, int kernel, int stride) {
    Pool g = new Pool("maxPool2dVjpX", x, kernel, stride);
    checkGy("maxPool2dVjpX", gy, g.outShape());
    double[] xd = x.data();
    double[] gd = gy.data();
    double[] gx = new double[x.size()];
    // By plane: overlapping windows of one plane may route to one element, so a plane stays on one thread.
    int perPlane = g.ho * g.wo;
    Parallel.range(g.n * g.c, (long) perPlane * kernel * kernel, (lo, hi) -> {
      for (int o = lo * perPlane; o < hi * perPlane; o++) {
        gx[argmaxWindow(g, xd, o)] += gd[o];
      }
    });
    return Tensor.wrap(gx, x.shape());
  }

  /** Forward rule of {@link #maxPool2d}: dx at each window's first maximum (where the reverse rule routes gy). */
  @Jvp(of = "maxPool2d", wrt = "x")
  public static Tensor maxPool2dJvpX(Tensor dx, Tensor y, Tensor x, int kernel, int stride) {
    Pool g = new Pool("maxPool2dJvpX", x, kernel, stride);
    checkGy("maxPool2dJvpX", dx, x.shape());
    double[] xd = x.data();
    double[] dd = dx.data();
    double[] out = new double[g.n * g.c * g.ho * g.wo];
    for (int o = 0; o < out.length; o++) {
      out[o] = dd[argmaxWindow(g, xd, o)];
    }
    return Tensor.wrap(out, g.outShape());
  }

  /** Flat index into x of the first maximum of output element {@code o}'s window (row-major scan). */
  private static int argmaxWindow(Pool g, double[] xd, int o) {
    int ow = o % g.wo;
    int oh = (o / g.wo) % g.ho;
    int plane = o / (g.wo * g.ho);
    int base = plane * g.h * g.w + oh * g.stride * g.w + ow * g.stride;
    int best = base;
    for (int i = 0; i < g.k; i++) {
      for (int j = 0; j < g.k; j++) {
        int q = base + i * g.w + j;
        if (xd[q] > xd[best] || Double.isNaN(xd[q]) && !Double.isNaN(xd[best])) {
          best = q;
        }
      }
    }
    return best;
  }

  // ------------------------------------------------------------------------------------------------ dropout

  /** A scaled dropout mask: each element is 0 with probability p, else 1/(1-p) (all zeros when p = 1). */
  public static Tensor dropoutMask(Random rng, double p, int... shape) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("dropoutMask: p must be in [0, 1], got " + p);
    }
    Tensor m = Tensor.zeros(shape);
    double[] d = m.data();
    double keep = p == 1 ? 0.0 : 1.0 / (1.0 - p);
    for (int i = 0; i < d.length; i++) {
      d[i] = rng.nextDouble() < p ? 0.0 : keep;
    }
    return m;
  }

  /** {@code x * mask} for a mask from {@link #dropoutMask}; shapes must match exactly. */
  public static Tensor dropout(Tensor x, Tensor mask) {
    checkSame("dropout", x, mask);
    return x.mul(mask);
  }

  /** Rule of {@link #dropout(Tensor, Tensor)} for x: {@code gy * mask} (seed 001). */
  public static Tensor dropoutVjpX(Tensor gy, Tensor y, Tensor x, Tensor mask) {
    checkGy("dropoutVjpX", gy, x.shape());
    return gy.mul(mask);
  }

  /** Rule of {@link #dropout(Tensor, Tensor)} for mask: {@code gy * x} (the mask is normally a constant). */
  public static Tensor dropoutVjpMask(Tensor gy, Tensor y, Tensor x, Tensor mask) {
    checkGy("dropoutVjpMask", gy, x.shape());
    return gy.mul(x);
  }

  /** Forward rule of {@link #dropout(Tensor, Tensor)} for x: {@code dx * mask}. */
  @Jvp(of = "dropout", wrt = "x")
  public static Tensor dropoutJvpX(Tensor dx, Tensor y, Tensor x, Tensor mask) {
    checkGy("dropoutJvpX", dx, x.shape());
    return dx.mul(mask);
  }

  /** Forward rule of {@link #dropout(Tensor, Tensor)} for mask: {@code x * dMask}. */
  @Jvp(of = "dropout", wrt = "mask")
  public static Tensor dropoutJvpMask(Tensor dMask, Tensor y, Tensor x, Tensor mask) {
    checkGy("dropoutJvpMask", dMask, mask.shape());
    return x.mul(dMask);
  }

  /**
   * Convenience: draws a mask and applies it. Has <b>no</b> reverse rule (the mask is not recoverable afterwards);
   * in differentiable code use {@link #dropoutMask} and {@link #dropout(Tensor, Tensor)}.
   */
  public static Tensor dropout(Tensor x, double p, Random rng) {
    return x.mul(dropoutMask(rng, p, x.shape()));
  }

  private static void checkSame(String op, Tensor a, Tensor b) {
    if (!a.sameShape(b.shape())) {
      throw new IllegalArgumentException(op + ": shapes " + Shapes.str(a.shape()) + " and " + Shapes.str(b.shape())
          + " must be equal");
    }
  }

  // ------------------------------------------------------------------------------------------------ softmax

  /** Softmax along {@code dim} (negative allowed), computed as {@code exp(x - max)} so large logits stay finite. */
  public static Tensor softmax(Tensor x, int dim) {
    return Softmax.forward("softmax", x, dim, false);
  }

  /** Rule of {@link #softmax}: {@code y * (gy - Σ_dim gy·y)}. */
  public static Tensor softmaxVjpX(Tensor gy, Tensor y, Tensor x, int dim) {
    checkGy("softmaxVjpX", gy, x.shape());
    return Softmax.softmaxVjp(gy, y, dim);
  }

  /** Forward rule of {@link #softmax}: {@code y * (dx - Σ_dim dx·y)} (the Jacobian is symmetric: the reverse rule). */
  @Jvp(of = "softmax", wrt = "x")
  public static Tensor softmaxJvpX(Tensor dx, Tensor y, Tensor x, int dim) {
    checkGy("softmaxJvpX", dx, x.shape());
    return Softmax.softmaxVjp(dx, y, dim);
  }

  /** Log-softmax along {@code dim}: {@code x - max - log Σ exp(x - max)}. */
  public static Tensor logSoftmax(Tensor x, int dim) {
    return Softmax.forward("logSoftmax", x, dim, true);
  }

  /** Rule of {@link #logSoftmax}: {@code gy - exp(y) * Σ_dim gy}. */
  public static Tensor logSoftmaxVjpX(Tensor gy, Tensor y, Tensor x, int dim) {
    checkGy("logSoftmaxVjpX", gy, x.shape());
    return Softmax.logSoftmaxVjp(gy, y, dim);
  }

  /** Forward rule of {@link #logSoftmax}: {@code dx - Σ_dim exp(y)·dx}. */
  @Jvp(of = "logSoftmax", wrt = "x")
  public static Tensor logSoftmaxJvpX(Tensor dx, Tensor y, Tensor x, int dim) {
    checkGy("logSoftmaxJvpX", dx, x.shape());
    return dx.sub(y.exp().mul(dx).sum(dim, true));
  }

  // ------------------------------------------------------------------------------------------------ layer norm

  /** PyTorch's default {@code eps} for {@link #layerNorm}. */
  public static final double LAYER_NORM_EPS = 1e-5;

  /**
   * Layer normalisation over the last dimension (PyTorch {@code layer_norm(x, [D], weight, bias, eps)}):
   * {@code (x - mean) / sqrt(var + eps) * weight + bias}, var biased; weight and bias have shape [D].
   */
  public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
    return new LayerNorm("layerNorm", x, weight, bias, eps).forward(x, weight, bias);
  }

  /** Rule of {@link #layerNorm} for x: {@code rstd·(g - mean(g) - xhat·mean(g·xhat))}, {@code g = gy·weight}. */
  public static Tensor layerNormVjpX(Tensor gy, Tensor y, Tensor x, Tensor weight, Tensor bias, double eps) {
    checkGy("layerNormVjpX", gy, x.shape());
    return new LayerNorm("layerNormVjpX", x, weight, bias, eps).vjpX(gy, x, weight);
  }

  /** Rule of {@link #layerNorm} for weight: {@code Σ_rows gy·xhat}. */
  public static Tensor layerNormVjpWeight(Tensor gy, Tensor y, Tensor x, Tensor weight, Tensor bias, double eps) {
    checkGy("layerNormVjpWeight", gy, x.shape());
    return new LayerNorm("layerNormVjpWeight", x, weight, bias, eps).vjpWeight(gy);
  }

  /** Rule of {@link #layerNorm} for bias: gy summed over every row. */
  public static Tensor layerNormVjpBias(Tensor gy, Tensor y, Tensor x, Tensor weight, Tensor bias, double eps) {
    checkGy("layerNormVjpBias", gy, x.shape());
    return gy.sumTo(bias.shape());
  }

  /** {@link #layerNorm(Tensor, Tensor, Tensor, double)} with eps {@value #LAYER_NORM_EPS}. */
  public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias) {
    return layerNorm(x, weight, bias, LAYER_NORM_EPS);
  }

  /** Rule of {@link #layerNorm(Tensor, Tensor, Tensor)} for x. */
  public static Tensor layerNormVjpX(Tensor gy, Tensor y, Tensor x, Tensor weight, Tensor bias) {
    return layerNormVjpX(gy, y, x, weight, bias, LAYER_NORM_EPS);
  }

  /** Rule of {@link #layerNorm(Tensor, Tensor, Tensor)} for weight. */
  public static Tensor layerNormVjpWeight(Tensor gy, Tensor y, Tensor x, Tensor weight, Tensor bias) {
    return layerNormVjpWeight(gy, y, x, weight, bias, LAYER_NORM_EPS);
  }

  /** Rule of {@link #layerNorm(Tensor, Tensor, Tensor)} for bias. */
  public static Tensor layerNormVjpBias(Tensor gy, Tensor y, Tensor x, Tensor weight, Tensor bias) {
    return layerNormVjpBias(gy, y, x, weight, bias, LAYER_NORM_EPS);
  }

  /**
   * Forward rule of {@link #layerNorm} for x: {@code weight · S·dx}, where {@code S = rstd·(I - 1/D - xhat·xhatᵀ/D)}
   * is the (symmetric) Jacobian of the normalisation, so {@code S·dx} is the reverse rule with unit weight.
   */
  @Jvp(of = "layerNorm", wrt = "x")
  public static Tensor layerNormJvpX(Tensor dx, Tensor y, Tensor x, Tensor weight, Tensor bias, double eps) {
    checkGy("layerNormJvpX", dx, x.shape());
    return new LayerNorm("layerNormJvpX", x, weight, bias, eps).vjpX(dx, x, Tensor.onesLike(weight)).mul(weight);
  }

  /** Forward rule of {@link #layerNorm} for weight: {@code xhat · dWeight}. */
  @Jvp(of = "layerNorm", wrt = "weight")
  public static Tensor layerNormJvpWeight(Tensor dWeight, Tensor y, Tensor x, Tensor weight, Tensor bias, double eps) {
    checkGy("layerNormJvpWeight", dWeight, weight.shape());
    Tensor xhat = new LayerNorm("layerNormJvpWeight", x, weight, bias, eps)
        .forward(x, Tensor.onesLike(weight), Tensor.zerosLike(bias));
    return xhat.mul(dWeight);
  }

  /** Forward rule of {@link #layerNorm} for bias: dBias on every row. */
  @Jvp(of = "layerNorm", wrt = "bias")
  public static Tensor layerNormJvpBias(Tensor dBias, Tensor y, Tensor x, Tensor weight, Tensor bias, double eps) {
    checkGy("layerNormJvpBias", dBias, bias.shape());
    return dBias.broadcastTo(x.shape());
  }

  /** Forward rule of {@link #layerNorm(Tensor, Tensor, Tensor)} for x. */
  @Jvp(of = "layerNorm", wrt = "x")
  public static Tensor layerNormJvpX(Tensor dx, Tensor y, Tensor x, Tensor weight, Tensor bias) {
    return layerNormJvpX(dx, y, x, weight, bias, LAYER_NORM_EPS);
  }

  /** Forward rule of {@link #layerNorm(Tensor, Tensor, Tensor)} for weight. */
  @Jvp(of = "layerNorm", wrt = "weight")
  public static Tensor layerNormJvpWeight(Tensor dWeight, Tensor y, Tensor x, Tensor weight, Tensor bias) {
    return layerNormJvpWeight(dWeight, y, x, weight, bias, LAYER_NORM_EPS);
  }

  /** Forward rule of {@link #layerNorm(Tensor, Tensor, Tensor)} for bias. */
  @Jvp(of = "layerNorm", wrt = "bias")
  public static Tensor layerNormJvpBias(Tensor dBias, Tensor y, Tensor x, Tensor weight, Tensor bias) {
    return layerNormJvpBias(dBias, y, x, weight, bias, LAYER_NORM_EPS);
  }

  // ------------------------------------------------------------------------------------------------ embedding

  /** Rows {@code ids} of an embedding table {@code weight} [V, D]: a tensor [ids.length, D] (PyTorch {@code embedding}). */
  public static Tensor embedding(Tensor weight, int[] ids) {
    if (weight.dim() != 2) {
      throw new IllegalArgumentException("embedding: weight must be 2-D [V, D], got shape " + Shapes.str(weight.shape()));
    }
    for (int id : ids) {
      if (id < 0 || id >= weight.size(0)) {
        throw new IllegalArgumentException("embedding: id " + id + " out of range for a table of shape "
            + Shapes.str(weight.shape()));
      }
    }
    return weight.indexSelect(0, ids);
  }

  /** Rule of {@link #embedding} for weight: gy's rows added into the rows they came from (repeats add up). */
  public static Tensor embeddingVjpWeight(Tensor gy, Tensor y, Tensor weight, int[] ids) {
    return Tensor.indexSelectVjpSelf(gy, y, weight, 0, ids);
  }

  /** Forward rule of {@link #embedding} for weight: dWeight's rows {@code ids} (linear). */
  @Jvp(of = "embedding", wrt = "weight")
  public static Tensor embeddingJvpWeight(Tensor dWeight, Tensor y, Tensor weight, int[] ids) {
    checkGy("embeddingJvpWeight", dWeight, weight.shape());
    return embedding(dWeight, ids);
  }

  // ------------------------------------------------------------------------------------------------ activations

  /** {@link Tensor#relu()}. */
  public static Tensor relu(Tensor x) {
    return x.relu();
  }

  /** Rule of {@link #relu}: {@code gy * (x > 0)}. */
  public static Tensor reluVjpX(Tensor gy, Tensor y, Tensor x) {
    return Tensor.reluVjpSelf(gy, y, x);
  }

  /** Forward rule of {@link #relu}: {@code dx * (x > 0)}. */
  @Jvp(of = "relu", wrt = "x")
  public static Tensor reluJvpX(Tensor dx, Tensor y, Tensor x) {
    return Tensor.reluJvpSelf(dx, y, x);
  }

  /** {@link Tensor#sigmoid()}. */
  public static Tensor sigmoid(Tensor x) {
    return x.sigmoid();
  }

  /** Rule of {@link #sigmoid}: {@code gy * y(1-y)}. */
  public static Tensor sigmoidVjpX(Tensor gy, Tensor y, Tensor x) {
    return Tensor.sigmoidVjpSelf(gy, y, x);
  }

  /** Forward rule of {@link #sigmoid}: {@code dx * y(1-y)}. */
  @Jvp(of = "sigmoid", wrt = "x")
  public static Tensor sigmoidJvpX(Tensor dx, Tensor y, Tensor x) {
    return Tensor.sigmoidJvpSelf(dx, y, x);
  }

  /** {@link Tensor#tanh()}. */
  public static Tensor tanh(Tensor x) {
    return x.tanh();
  }

  /** Rule of {@link #tanh}: {@code gy * (1-y²)}. */
  public static Tensor tanhVjpX(Tensor gy, Tensor y, Tensor x) {
    return Tensor.tanhVjpSelf(gy, y, x);
  }

  /** Forward rule of {@link #tanh}: {@code dx * (1-y²)}. */
  @Jvp(of = "tanh", wrt = "x")
  public static Tensor tanhJvpX(Tensor dx, Tensor y, Tensor x) {
    return Tensor.tanhJvpSelf(dx, y, x);
  }
}
