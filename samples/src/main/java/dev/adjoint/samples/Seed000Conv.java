package dev.adjoint.samples;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.optim.Sgd;
import dev.adjoint.tensor.Tensor;
import java.io.PrintStream;
import java.util.List;
import java.util.Random;

/**
 * Seed 000, second example: Conv2d(1→1, 2×2 kernel, no bias) → AvgPool2d(2×2) → MSE, on a random
 * 1×1×3×3 input and a random 1×1×1×1 label; one backward, one SGD step (lr 0.005), zero_grad.
 */
public final class Seed000Conv {
  final Tensor w;

  Seed000Conv(Random rng) {
    w = Tensor.randn(rng, 1, 1, 2, 2).mul(0.5).requiresGrad(true);
  }

  List<Tensor> parameters() {
    return List.of(w);
  }

  @Differentiable
  double forward(@NoDerivative Tensor x, @NoDerivative Tensor label) {
    Tensor y1 = Layers.conv2d(x, w, 1, 0);
    Tensor y2 = Layers.avgPool2d(y1, 2, 2);
    return Loss.mse(y2, label).item();
  }

  public static void main(String[] args) {
    run(new Random(0), System.out);
  }

  static Seed000Conv run(Random rng, PrintStream out) {
    Seed000Conv model = new Seed000Conv(rng);
    Tensor x = Tensor.randn(rng, 1, 1, 3, 3);
    Tensor label = Tensor.randn(rng, 1, 1, 1, 1);
    Sgd optimizer = new Sgd(model.parameters(), 0.005);
    out.println("------------before backward()---------------");
    out.println("w = " + model.w);
    Seed000ConvGrad.Forward g = Seed000ConvGrad.forward(model, x, label);
    out.println("------------after backward()---------------");
    out.println("loss = " + g.value());
    out.println("w = " + model.w);
    out.println("w.grad = " + model.w.grad());
    optimizer.step();
    out.println("------------after step()---------------");
    out.println("w = " + model.w);
    optimizer.zeroGrad();
    out.println("------------after zero_grad()---------------");
    out.println("w.grad = " + model.w.grad());
    return model;
  }
}
