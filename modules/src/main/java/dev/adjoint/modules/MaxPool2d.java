package dev.adjoint.modules;

import dev.adjoint.Differentiable;
import dev.adjoint.nn.Layer;
import dev.adjoint.nn.Layers;
import dev.adjoint.tensor.Tensor;
import java.util.Map;

/** Max pooling over square windows of NCHW images, no padding: {@link Layers#maxPool2d}. */
public final class MaxPool2d implements Layer {
  /** Side of the square window. */
  final int kernel;
  /** Step of the window. */
  final int stride;

  /** Non-overlapping windows: the stride is the kernel (PyTorch's default). */
  public MaxPool2d(int kernel) {
    this(kernel, kernel);
  }

  /** Windows of side {@code kernel} moved by {@code stride}. */
  public MaxPool2d(int kernel, int stride) {
    this.kernel = Checks.pool("MaxPool2d", kernel, stride);
    this.stride = stride;
  }

  @Differentiable
  @Override
  public Tensor forward(Tensor x) {
    return Layers.maxPool2d(x, kernel, stride);
  }

  @Override
  public Tensor forwardVjp(Tensor x, Tensor seed) {
    return MaxPool2dGrad.forwardVjp(this, x, seed).x();
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return MaxPool2dGrad.namedParameters(this);
  }
}
