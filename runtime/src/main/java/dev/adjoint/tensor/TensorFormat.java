package dev.adjoint.tensor;

/** Renders tensors the way PyTorch prints them, summarising large ones with "...". */
final class TensorFormat {
  private static final int SUMMARY_THRESHOLD = 1000;
  private static final int EDGE = 3;

  private TensorFormat() {}

  static String format(double[] data, int[] shape, boolean requiresGrad) {
    boolean summarise = data.length > SUMMARY_THRESHOLD;
    boolean ints = true;
    double maxAbs = 0;
    double minAbs = Double.POSITIVE_INFINITY;
    for (double v : data) {
      if (Double.isFinite(v)) {
        ints &= v == Math.rint(v);
        double a = Math.abs(v);
        maxAbs = Math.max(maxAbs, a);
        if (a > 0) {
          minAbs = Math.min(minAbs, a);
        }
      }
    }
    boolean sci = !ints && (maxAbs >= 1e8 || minAbs < 1e-4) || ints && maxAbs >= 1e8;
    StringBuilder sb = new StringBuilder("tensor(");
    if (shape.length == 0) {
      sb.append(number(data[0], ints, sci));
    } else {
      int width = 0;
      for (double v : data) {
        width = Math.max(width, number(v, ints, sci).length());
        if (summarise && width > 12) {
          break; // an estimate is enough for a summary
        }
      }
      append(sb, data, shape, 0, 0, width, ints, sci, summarise, 7);
    }
    if (data.length == 0) {
      sb.append(", size=").append(java.util.Arrays.toString(shape));
    }
    if (requiresGrad) {
      sb.append(", requires_grad=True");
    }
    return sb.append(')').toString();
  }

  private static void append(StringBuilder sb, double[] data, int[] shape, int d, int offset, int width,
      boolean ints, boolean sci, boolean summarise, int indent) {
    int n = shape[d];
    int stride = 1;
    for (int i = d + 1; i < shape.length; i++) {
      stride *= shape[i];
    }
    sb.append('[');
    for (int i = 0; i < n; i++) {
      if (summarise && n > 2 * EDGE && i == EDGE) {
        sb.append(d == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + d + 1));
        i = n - EDGE - 1;
        continue;
      }
      if (d == shape.length - 1) {
        String s = number(data[offset + i], ints, sci);
        sb.append(" ".repeat(Math.max(0, width - s.length()))).append(s);
      } else {
        append(sb, data, shape, d + 1, offset + i * stride, width, ints, sci, summarise, indent);
      }
      if (i < n - 1) {
        sb.append(d == shape.length - 1 ? ", " : ",\n" + "\n".repeat(Math.max(0, shape.length - d - 2))
            + " ".repeat(indent + d + 1));
      }
    }
    sb.append(']');
  }

  private static String number(double v, boolean ints, boolean sci) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (sci) {
      return String.format(java.util.Locale.ROOT, "%.4e", v);
    }
    if (ints) {
      return String.format(java.util.Locale.ROOT, "%.0f.", v);
    }
    return String.format(java.util.Locale.ROOT, "%.4f", v);
  }
}
