package dev.adjoint.tensor;

import java.util.Arrays;

/**
 * The broadcasting binary kernel behind add/sub/mul/div and the comparison masks. Same-shape and
 * scalar operands take unit-stride fast paths; everything else walks the output row by row.
 */
final class Broadcast {
  static final int ADD = 0;
  static final int SUB = 1;
  static final int MUL = 2;
  static final int DIV = 3;
  static final int GT = 4;
  static final int LT = 5;
  static final int GE = 6;
  static final int LE = 7;
  static final int EQ = 8;
  static final int MIN = 9;
  static final int MAX = 10;
  /** The share of a max's adjoint that goes to x: 1 if x wins, 1/2 on a tie (PyTorch's rule), else 0. */
  static final int WINS_MAX = 11;
  /** The share of a min's adjoint that goes to x: 1 if x wins, 1/2 on a tie, else 0. */
  static final int WINS_MIN = 12;

  private Broadcast() {}

  /** {@code a op b} with NumPy broadcasting; the result is a new array of shape {@code outShape[0]}. */
  static double[] apply(String name, int op, double[] a, int[] as, double[] b, int[] bs, int[][] outShape) {
    if (Arrays.equals(as, bs)) {
      outShape[0] = as;
      double[] out = new double[a.length];
      Parallel.range(out.length, (lo, hi) -> row(op, a, lo, 1, b, lo, 1, out, lo, hi - lo));
      return out;
    }
    int[] os = Shapes.broadcast(name, as, bs);
    outShape[0] = os;
    int n = Shapes.product(os);
    double[] out = new double[n];
    if (b.length == 1 && n == a.length) {
      Parallel.range(n, (lo, hi) -> row(op, a, lo, 1, b, 0, 0, out, lo, hi - lo));
      return out;
    }
    if (a.length == 1 && n == b.length) {
      Parallel.range(n, (lo, hi) -> row(op, a, 0, 0, b, lo, 1, out, lo, hi - lo));
      return out;
    }
    int r = os.length;
    if (n == 0) {
      return out;
    }
    int[] sa = Shapes.broadcastStrides(as, os);
    int[] sb = Shapes.broadcastStrides(bs, os);
    int inner = os[r - 1];
    Parallel.range(n / inner, inner, (lo, hi) -> rows(op, a, sa, b, sb, os, out, lo, hi));
    return out;
  }

  /** Output rows {@code lo..hi-1} (of extent {@code os[r-1]}) of a broadcast op, walking an odometer from lo. */
  private static void rows(int op, double[] a, int[] sa, double[] b, int[] sb, int[] os, double[] out, int lo,
      int hi) {
    int r = os.length;
    int inner = os[r - 1];
    int[] idx = new int[r];
    int offA = 0;
    int offB = 0;
    for (int d = r - 2, rem = lo; d >= 0; d--) {
      idx[d] = rem % os[d];
      rem /= os[d];
      offA += idx[d] * sa[d];
      offB += idx[d] * sb[d];
    }
    for (int o = lo, base = lo * inner; o < hi; o++, base += inner) {
      row(op, a, offA, sa[r - 1], b, offB, sb[r - 1], out, base, inner);
      for (int d = r - 2; d >= 0; d--) {
        idx[d]++;
        offA += sa[d];
        offB += sb[d];
        if (idx[d] < os[d]) {
          break;
        }
        offA -= sa[d] * os[d];
        offB -= sb[d] * os[d];
        idx[d] = 0;
      }
    }
  }

  /** One row: {@code out[oo+i] = a[oa+i*sa] op b[ob+i*sb]}; the common unit-stride cases get their own loops. */
  static void row(int op, double[] a, int oa, int sa, double[] b, int ob, int sb, double[] out, int oo, int n) {
    if (sa == 1 && sb == 1) {
      switch (op) {
        case ADD: for (int i = 0; i < n; i++) { out[oo + i] = a[oa + i] + b[ob + i]; } return;
        case SUB: for (int i = 0; i < n; i++) { out[oo + i] = a[oa + i] - b[ob + i]; } return;
        case MUL: for (int i = 0; i < n; i++) { out[oo + i] = a[oa + i] * b[ob + i]; } return;
        case DIV: for (int i = 0; i < n; i++) { out[oo + i] = a[oa + i] / b[ob + i]; } return;
        default: break;
      }
    } else if (sa == 1 && sb == 0) {
      double y = b[ob];
      switch (op) {
        case ADD: for (int i = 0; i < n; i++) { out[oo + i] = a[oa + i] + y; } return;
        case SUB: for (int i = 0; i < n; i++) { out[oo + i] = a[oa + i] - y; } return;
        case MUL: for (int i = 0; i < n; i++) { out[oo + i] = a[oa + i] * y; } return;
        case DIV: for (int i = 0; i < n; i++) { out[oo + i] = a[oa + i] / y; } return;
        default: break;
      }
    }
    for (int i = 0, pa = oa, pb = ob; i < n; i++, pa += sa, pb += sb) {
      out[oo + i] = scalar(op, a[pa], b[pb]);
    }
  }

  static double scalar(int op, double x, double y) {
    switch (op) {
      case ADD: return x + y;
      case SUB: return x - y;
      case MUL: return x * y;
      case DIV: return x / y;
      case GT: return x > y ? 1 : 0;
      case LT: return x < y ? 1 : 0;
      case GE: return x >= y ? 1 : 0;
      case LE: return x <= y ? 1 : 0;
      case EQ: return x == y ? 1 : 0;
      // Math.min/max propagate NaN, as torch.minimum/maximum do.
      case MIN: return Math.min(x, y);
      case MAX: return Math.max(x, y);
      case WINS_MAX: return x > y ? 1 : x == y ? 0.5 : 0;
      case WINS_MIN: return x < y ? 1 : x == y ? 0.5 : 0;
      default: throw new AssertionError(op);
    }
  }
}
