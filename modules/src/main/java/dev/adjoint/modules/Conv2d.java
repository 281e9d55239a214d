package dev.adjoint.modules;

import dev.adjoint.Differentiable;
import dev.adjoint.nn.Layer;
import dev.adjoint.nn.Layers;
import dev.adjoint.tensor.Tensor;
import java.util.Map;
import java.util.Random;

/** A 2-D convolution over NCHW images (PyTorch's {@code nn.Conv2d} with square kernels): {@link Layers#conv2d}. */
public final class Conv2d implements Layer {
  /** Kernel [outC, inC, k, k]. Fields are not private: generated code reads them. */
  public final Tensor w;
  /** Bias [outC]. */
  public final Tensor b;
  /** Step of the kernel over the image. */
  final int stride;
  /** Zeros added on each side of the image. */
  final int padding;

  /** PyTorch's default initialisation: kernel and bias uniform in ±1/sqrt(inC·k·k). */
  public Conv2d(int inC, int outC, int k, int stride, int padding, Random rng) {
    this(Init.uniform("Conv2d", rng, inC * k * k, outC, inC, k, k), Init.uniform("Conv2d", rng, inC * k * k, outC),
        stride, padding);
  }

  /** A layer holding the given kernel [outC, inC, kH, kW] and bias [outC] (not copied), marked requiresGrad. */
  public Conv2d(Tensor w, Tensor b, int stride, int padding) {
    if (w.dim() != 4 || !b.sameShape(w.size(0))) {
      throw new IllegalArgumentException("Conv2d: kernel must be [outC, inC, kH, kW] and bias [outC], got "
          + Checks.str(w) + " and " + Checks.str(b));
    }
    if (stride < 1 || padding < 0) {
      throw new IllegalArgumentException("Conv2d: stride must be >= 1 and padding >= 0, got stride " + stride
          + " and padding " + padding);
    }
    this.w = w.requiresGrad(true);
    this.b = b.requiresGrad(true);
    this.stride = stride;
    this.padding = padding;
  }

  @Differentiable
  @Override
  public Tensor forward(Tensor x) {
    return Layers.conv2d(x, w, b, stride, padding);
  }

  @Override
  public Tensor forwardVjp(Tensor x, Tensor seed) {
    return Conv2dGrad.forwardVjp(this, x, seed).x();
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return Conv2dGrad.namedParameters(this);
  }
}
