package dev.adjoint.modules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.adjoint.check.GradCheck;
import dev.adjoint.nn.Layer;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;

/**
 * Checks a layer's pullback against finite differences of {@code <seed, forward(x)>}: the input's gradient
 * (forwardVjp's result) and every parameter's (added into grad()), with the parameters perturbed in place and
 * restored.
 */
final class LayerCheck {
  private LayerCheck() {}

  /** Checks {@code layer.forwardVjp(x, seed)} and the gradients it adds into {@code params}, for a random seed. */
  static void pullbackMatchesFiniteDifferences(Layer layer, Tensor x, List<Tensor> params, Random rng) {
    Tensor y = layer.forward(x);
    Tensor seed = Tensor.randn(rng, y.shape());
    for (Tensor p : params) {
      p.clearGrad();
    }
    Tensor gx = layer.forwardVjp(x, seed);
    assertArrayEquals(x.shape(), gx.shape(), "the input's gradient has the input's shape");
    Tensor[] inputs = new Tensor[params.size() + 1];
    Tensor[] analytic = new Tensor[params.size() + 1];
    inputs[0] = x;
    analytic[0] = gx;
    for (int i = 0; i < params.size(); i++) {
      inputs[i + 1] = params.get(i).copy();
      analytic[i + 1] = params.get(i).grad();
      assertNotNull(analytic[i + 1], "parameter " + i + " got no gradient");
    }
    Tensor[] saved = new Tensor[params.size()];
    for (int i = 0; i < params.size(); i++) {
      saved[i] = params.get(i).copy();
    }
    try {
      GradCheck.assertCloseTensors(ts -> {
        for (int i = 0; i < params.size(); i++) {
          double[] src = ts[i + 1].data();
          System.arraycopy(src, 0, params.get(i).data(), 0, src.length);
        }
        return layer.forward(ts[0]).mul(seed).sum().item();
      }, inputs, analytic);
    } finally {
      for (int i = 0; i < params.size(); i++) {
        System.arraycopy(saved[i].data(), 0, params.get(i).data(), 0, saved[i].size());
      }
    }
  }

  /** Standard normal values pushed at least {@code gap} away from 0 (away from ReLU's kink). */
  static Tensor awayFromZero(Random rng, double gap, int... shape) {
    Tensor t = Tensor.randn(rng, shape);
    double[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      d[i] += Math.copySign(gap, d[i]);
    }
    return t;
  }
}
