package dev.adjoint.bench.kernels;

import dev.adjoint.nn.Layers;
import dev.adjoint.tensor.Tensor;

/**
 * The hand-written gradient of {@link Mlp#loss}: seed 003's back_mse / back_lin / back_relu over the same runtime
 * ops and reverse rules the generated code calls, written as a careful person writes them (the squeeze and the
 * MSE fused into one loop, the ReLU mask applied in place, nothing accumulated into null adjoints).
 */
public final class HandMlp {
  private HandMlp() {}

  /** The loss and its gradient with respect to w1, b1, w2, b2. */
  public record Gradient(double value, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {}

  /** Forward, then back_mse, back_lin (layer 2), back_relu, back_lin (layer 1). */
  public static Gradient loss(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor target) {
    Tensor l1 = Layers.linear(x, w1, b1);
    Tensor l2 = l1.relu();
    Tensor out = Layers.linear(l2, w2, b2); // [n, 1]: its data is the prediction vector, no squeeze needed

    // back_mse: out.g = 2 (out − target) / n, with the loss summed in the same pass.
    double[] o = out.data();
    double[] t = target.data();
    int n = o.length;
    double[] g = new double[n];
    double sum = 0;
    double gsum = 0;
    for (int i = 0; i < n; i++) {
      double d = o[i] - t[i];
      sum += d * d;
      g[i] = 2.0 * d / n;
      gsum += g[i];
    }
    Tensor outG = Tensor.wrap(g, n, 1);

    // back_lin, layer 2: w2.g = l2ᵀ·out.g, b2.g = Σ out.g, l2.g = out.g·w2ᵀ (BLAS with transpose flags, no copies).
    Tensor w2G = Layers.linearVjpW(outG, out, l2, w2, b2);
    Tensor b2G = Tensor.vector(gsum);
    Tensor l1G = Layers.linearVjpX(outG, out, l2, w2, b2);

    // back_relu: l1.g = l2.g · (l1 > 0); l2.g is fresh, so it is masked in place.
    double[] lg = l1G.data();
    double[] pre = l1.data();
    for (int i = 0; i < lg.length; i++) {
      if (!(pre[i] > 0)) {
        lg[i] = 0.0;
      }
    }

    // back_lin, layer 1: w1.g = xᵀ·l1.g, b1.g = column sums of l1.g (x needs no gradient).
    Tensor w1G = Layers.linearVjpW(l1G, l1, x, w1, b1);
    int hidden = w1.size(1);
    double[] b1g = new double[hidden];
    for (int r = 0; r < lg.length; r += hidden) {
      for (int j = 0; j < hidden; j++) {
        b1g[j] += lg[r + j];
      }
    }
    return new Gradient(sum / n, w1G, Tensor.wrap(b1g, hidden), w2G, b2G);
  }
}
