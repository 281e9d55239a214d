package dev.adjoint.modules;

import dev.adjoint.Differentiable;
import dev.adjoint.nn.Layer;
import dev.adjoint.nn.Layers;
import dev.adjoint.tensor.Tensor;
import java.util.Map;

/** Average pooling over square windows of NCHW images, no padding: {@link Layers#avgPool2d}. */
public final class AvgPool2d implements Layer {
  /** Side of the square window. */
  final int kernel;
  /** Step of the window. */
  final int stride;

  /** Non-overlapping windows: the stride is the kernel (PyTorch's default). */
  public AvgPool2d(int kernel) {
    this(kernel, kernel);
  }

  /** Windows of side {@code kernel} moved by {@code stride}. */
  public AvgPool2d(int kernel, int stride) {
    this.kernel = Checks.pool("AvgPool2d", kernel, stride);
    this.stride = stride;
  }

  @Differentiable
  @Override
  public Tensor forward(Tensor x) {
    return Layers.avgPool2d(x, kernel, stride);
  }

  @Override
  public Tensor forwardVjp(Tensor x, Tensor seed) {
    return AvgPool2dGrad.forwardVjp(this, x, seed).x();
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return AvgPool2dGrad.namedParameters(this);
  }
}
