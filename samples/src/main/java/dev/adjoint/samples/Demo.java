package dev.adjoint.samples;

import dev.adjoint.samples.train.TrainDemo;
import java.io.IOException;

/**
 * The README's demo: the seed examples, each through its generated gradient, then the real
 * training run (an MLP and a LeNet-style CNN on handwritten digits).
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws IOException {
    section("seed 002: y = 2x + 1, a value used twice");
    Seed002Graph.main(args);
    section("seed 000: the three-parameter network over tensors (forward, backward, step, zero_grad)");
    Seed000Tensor.main(args);
    section("seed 000: conv2d 2x2 -> avg-pool 2x2 -> MSE");
    Seed000Conv.main(args);
    section("seed 001: linear -> ReLU -> dropout");
    Seed001Layers.main(args);
    section("seed 003: 1000x784 -> 50 -> ReLU -> 1, MSE");
    Seed003Mlp.main(args);
    section("seed 004: sigmoid chain");
    Seed004Sigmoid.main(args);
    section("training on handwritten digits (scikit-learn's 8x8 digits, shipped in the repository)");
    TrainDemo.main(args);
  }

  private static void section(String title) {
    System.out.println();
    System.out.println("=== " + title + " ===");
  }
}
