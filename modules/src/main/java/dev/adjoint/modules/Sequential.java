package dev.adjoint.modules;

import dev.adjoint.Differentiable;
import dev.adjoint.nn.Layer;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Layers applied in order (PyTorch's {@code nn.Sequential}); each call is reversed through that layer's own
 * pullback, so any {@link Layer} (including another Sequential) may be an element.
 */
public final class Sequential implements Layer {
  /** The layers, in order. Not private: generated code reads it. */
  public final List<Layer> layers;

  /** The given layers, in order. */
  public Sequential(Layer... layers) {
    this.layers = List.of(layers);
  }

  @Differentiable
  @Override
  public Tensor forward(Tensor x) {
    Tensor h = x;
    for (Layer layer : layers) {
      h = layer.forward(h);
    }
    return h;
  }

  @Override
  public Tensor forwardVjp(Tensor x, Tensor seed) {
    return SequentialGrad.forwardVjp(this, x, seed).x();
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return SequentialGrad.namedParameters(this);
  }

  /** Training or evaluation mode for every {@link Dropout} inside (nested Sequentials included). */
  public Sequential train(boolean on) {
    eachDropout(d -> d.train(on));
    return this;
  }

  /** Makes every {@link Dropout} inside draw a new mask at its next forward pass: call once per training step. */
  public void resample() {
    eachDropout(Dropout::resample);
  }

  private void eachDropout(Consumer<Dropout> action) {
    for (Layer layer : layers) {
      if (layer instanceof Dropout d) {
        action.accept(d);
      } else if (layer instanceof Sequential s) {
        s.eachDropout(action);
      }
    }
  }
}
