package dev.adjoint.samples;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Loss;
import dev.adjoint.optim.Sgd;
import dev.adjoint.tensor.Tensor;
import java.io.PrintStream;
import java.util.List;

/**
 * Seed 000, as the tutorial writes it: a module with three scalar tensor parameters whose forward
 * returns the loss tensor, one forward and backward, an SGD step (lr 0.005), then zero_grad,
 * printing the table at each stage.
 */
public final class Seed000Tensor {
  final Tensor w1 = Tensor.scalar(10).requiresGrad(true);
  final Tensor b1 = Tensor.scalar(1).requiresGrad(true);
  final Tensor w2 = Tensor.scalar(20).requiresGrad(true);

  List<Tensor> parameters() {
    return List.of(w1, b1, w2);
  }

  /** y1 = w1*x + b1, y2 = y1*w2, y3 = 2*y2; returns the loss tensor MSE(y3, label), as the tutorial's forward. */
  @Differentiable
  Tensor forward(@NoDerivative Tensor x, @NoDerivative Tensor label) {
    Tensor y1 = w1.mul(x).add(b1);
    Tensor y2 = y1.mul(w2);
    Tensor y3 = y2.mul(2);
    return Loss.mse(y3, label);
  }

  /** Runs the tutorial's experiment and prints its table to {@code out}. */
  static Seed000Tensor run(PrintStream out) {
    Seed000Tensor model = new Seed000Tensor();
    Sgd optimizer = new Sgd(model.parameters(), 0.005);
    Tensor x = Tensor.scalar(1);
    Tensor label = Tensor.scalar(500);
    model.print(out, "before backward()");
    // loss = model(data, label); loss.backward(): the loss tensor, and each parameter's grad() filled in
    Seed000TensorGrad.forward(model, x, label);
    model.print(out, "after backward()");
    optimizer.step();
    model.print(out, "after step()");
    optimizer.zeroGrad();
    model.print(out, "after zero_grad()");
    return model;
  }

  private void print(PrintStream out, String stage) {
    out.println("------------" + stage + "---------------");
    out.println("w1 = " + w1);
    out.println("b1 = " + b1);
    out.println("w2 = " + w2);
    out.println("w1.grad = " + (w1.grad() == null ? "None" : w1.grad()));
    out.println("b1.grad = " + (b1.grad() == null ? "None" : b1.grad()));
    out.println("w2.grad = " + (w2.grad() == null ? "None" : w2.grad()));
  }

  public static void main(String[] args) {
    run(System.out);
  }
}
