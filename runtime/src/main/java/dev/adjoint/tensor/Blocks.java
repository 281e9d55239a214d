package dev.adjoint.tensor;

import java.util.Arrays;

/**
 * Block copies along one dimension: the kernels behind narrow, indexSelect, cat and stack and their rules. A
 * row-major tensor seen around dimension d is {@code outer × extent × inner}; every op here moves whole
 * {@code inner}-long runs, so the inner loop is an {@code arraycopy} (or a plain add for the scatter rules).
 */
final class Blocks {
  private Blocks() {}

  /** {outer, inner} around dimension {@code d} of {@code shape}. */
  static int[] around(int[] shape, int d) {
    int[] s = Shapes.split(shape, d);
    return new int[] {s[0], s[2]};
  }

  /** Rows {@code idx} of {@code src} along d, in that order (repeats allowed): a new array of idx.length slabs. */
  static double[] gather(double[] src, int[] shape, int d, int[] idx) {
    int[] oi = around(shape, d);
    int ext = shape[d];
    int inner = oi[1];
    double[] out = new double[oi[0] * idx.length * inner];
    for (int o = 0; o < oi[0]; o++) {
      for (int j = 0; j < idx.length; j++) {
        System.arraycopy(src, (o * ext + idx[j]) * inner, out, (o * idx.length + j) * inner, inner);
      }
    }
    return out;
  }

  /** Adds slab j of {@code g} (idx.length slabs along d) into row idx[j] of a zero array of {@code shape}. */
  static double[] scatterAdd(double[] g, int[] shape, int d, int[] idx) {
    int[] oi = around(shape, d);
    int ext = shape[d];
    int inner = oi[1];
    double[] out = new double[Shapes.product(shape)];
    for (int o = 0; o < oi[0]; o++) {
      for (int j = 0; j < idx.length; j++) {
        int src = (o * idx.length + j) * inner;
        int dst = (o * ext + idx[j]) * inner;
        for (int i = 0; i < inner; i++) {
          out[dst + i] += g[src + i];
        }
      }
    }
    return out;
  }

  /** {@code start, start+1, ..., start+length-1}. */
  static int[] range(int start, int length) {
    int[] r = new int[length];
    for (int i = 0; i < length; i++) {
      r[i] = start + i;
    }
    return r;
  }

  /** Checks and normalises indices (negative counts from the end) into {@code 0..extent-1}. */
  static int[] indices(String op, int[] idx, int extent, int dim, int[] shape) {
    int[] out = new int[idx.length];
    for (int j = 0; j < idx.length; j++) {
      int i = idx[j] < 0 ? idx[j] + extent : idx[j];
      if (i < 0 || i >= extent) {
        throw new IllegalArgumentException(op + ": index " + idx[j] + " out of range for dimension " + dim
            + " of extent " + extent + " (shape " + Arrays.toString(shape) + ")");
      }
      out[j] = i;
    }
    return out;
  }

  /** The shape of the concatenation of {@code parts} along d, checking that every other extent agrees. */
  static int[] catShape(String op, int d, int[][] parts) {
    int[] first = parts[0];
    int[] out = first.clone();
    out[d] = 0;
    for (int[] s : parts) {
      boolean ok = s.length == first.length;
      for (int i = 0; ok && i < s.length; i++) {
        ok = i == d || s[i] == first[i];
      }
      if (!ok) {
        throw new IllegalArgumentException(op + ": shapes " + shapes(parts) + " differ outside dimension " + d);
      }
      out[d] += s[d];
    }
    return out;
  }

  static String shapes(int[][] parts) {
    StringBuilder b = new StringBuilder();
    for (int[] s : parts) {
      b.append(b.length() == 0 ? "" : ", ").append(Arrays.toString(s));
    }
    return b.toString();
  }

  /** Concatenates the arrays of {@code parts} (of shapes {@code shapes}) along d into an array of {@code out}. */
  static double[] cat(double[][] parts, int[][] shapes, int d, int[] out) {
    int[] oi = around(out, d);
    double[] res = new double[Shapes.product(out)];
    int inner = oi[1];
    int rowOut = out[d] * inner;
    int at = 0;
    for (int p = 0; p < parts.length; p++) {
      int run = shapes[p][d] * inner;
      for (int o = 0; o < oi[0]; o++) {
        System.arraycopy(parts[p], o * run, res, o * rowOut + at, run);
      }
      at += run;
    }
    return res;
  }

  /** Part {@code p} of a concatenation along d: the slab of {@code g} (shape {@code gs}) starting at row start. */
  static double[] slab(double[] g, int[] gs, int d, int start, int length) {
    int[] oi = around(gs, d);
    int inner = oi[1];
    int run = length * inner;
    double[] res = new double[oi[0] * run];
    for (int o = 0; o < oi[0]; o++) {
      System.arraycopy(g, (o * gs[d] + start) * inner, res, o * run, run);
    }
    return res;
  }
}
