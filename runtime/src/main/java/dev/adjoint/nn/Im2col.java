package dev.adjoint.nn;

/** The im2col / col2im index shuffles that turn a 2-D convolution of one image into one matrix product. */
final class Im2col {
  private Im2col() {}

  /**
   * Fills {@code cols} ([C·kh·kw, Ho·Wo], row-major) from image {@code n} of {@code x} ([N, C, H, W]); positions in
   * the zero padding read 0.
   */
  static void im2col(double[] x, int xOff, int c, int h, int w, int kh, int kw, int stride, int pad,
      int ho, int wo, double[] cols) {
    int p = ho * wo;
    for (int ch = 0; ch < c; ch++) {
      int chOff = xOff + ch * h * w;
      for (int ki = 0; ki < kh; ki++) {
        for (int kj = 0; kj < kw; kj++) {
          int row = ((ch * kh + ki) * kw + kj) * p;
          for (int oh = 0; oh < ho; oh++) {
            int ih = oh * stride - pad + ki;
            int dst = row + oh * wo;
            if (ih < 0 || ih >= h) {
              java.util.Arrays.fill(cols, dst, dst + wo, 0.0);
              continue;
            }
            int src = chOff + ih * w;
            for (int ow = 0; ow < wo; ow++) {
              int iw = ow * stride - pad + kj;
              cols[dst + ow] = iw >= 0 && iw < w ? x[src + iw] : 0.0;
            }
          }
        }
      }
    }
  }

  /** The adjoint of {@link #im2col}: adds {@code cols} back into image {@code n} of {@code gx}. */
  static void col2im(double[] cols, int c, int h, int w, int kh, int kw, int stride, int pad, int ho, int wo,
      double[] gx, int xOff) {
    int p = ho * wo;
    for (int ch = 0; ch < c; ch++) {
      int chOff = xOff + ch * h * w;
      for (int ki = 0; ki < kh; ki++) {
        for (int kj = 0; kj < kw; kj++) {
          int row = ((ch * kh + ki) * kw + kj) * p;
          for (int oh = 0; oh < ho; oh++) {
            int ih = oh * stride - pad + ki;
            if (ih < 0 || ih >= h) {
              continue;
            }
            int src = row + oh * wo;
            int dst = chOff + ih * w;
            for (int ow = 0; ow < wo; ow++) {
              int iw = ow * stride - pad + kj;
              if (iw >= 0 && iw < w) {
                gx[dst + iw] += cols[src + ow];
              }
            }
          }
        }
      }
    }
  }
}
