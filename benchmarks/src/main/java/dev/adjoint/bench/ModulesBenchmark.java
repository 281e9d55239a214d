package dev.adjoint.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.modules.Conv2d;
import dev.adjoint.modules.Flatten;
import dev.adjoint.modules.Linear;
import dev.adjoint.modules.MaxPool2d;
import dev.adjoint.modules.Relu;
import dev.adjoint.modules.Sequential;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of composition: one gradient step of the samples' 8×8 LeNet (batch 32) written in one method, as library
 * modules held in fields, and as a Sequential of library modules, on the same weights. A module call is reversed
 * through its pullback, which runs the module's forward pass again, so each level of nesting adds a forward pass.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ModulesBenchmark {
  /** The network in one method. */
  public static final class OneMethod {
    final Tensor w1;
    final Tensor b1;
    final Tensor w2;
    final Tensor b2;
    final Tensor w3;
    final Tensor b3;

    OneMethod(Conv2d c1, Conv2d c2, Linear fc) {
      w1 = c1.w;
      b1 = c1.b;
      w2 = c2.w;
      b2 = c2.b;
      w3 = fc.w;
      b3 = fc.b;
    }

    @Differentiable
    double loss(@NoDerivative Tensor x, @NoDerivative int[] labels) {
      Tensor p1 = Layers.maxPool2d(Layers.conv2d(x, w1, b1, 1, 1).relu(), 2, 2);
      Tensor p2 = Layers.maxPool2d(Layers.conv2d(p1, w2, b2, 1, 1).relu(), 2, 2);
      Tensor logits = Layers.linear(p2.reshape(x.size(0), 64), w3, b3);
      return Loss.crossEntropy(logits, labels).item();
    }
  }

  /** Library modules as fields, called one level deep. */
  public static final class Fields {
    final Conv2d conv1;
    final Conv2d conv2;
    final MaxPool2d pool = new MaxPool2d(2);
    final Linear fc;

    Fields(Conv2d c1, Conv2d c2, Linear fc) {
      conv1 = c1;
      conv2 = c2;
      this.fc = fc;
    }

    @Differentiable
    double loss(@NoDerivative Tensor x, @NoDerivative int[] labels) {
      Tensor p1 = pool.forward(conv1.forward(x).relu());
      Tensor p2 = pool.forward(conv2.forward(p1).relu());
      Tensor logits = fc.forward(p2.reshape(x.size(0), 64));
      return Loss.crossEntropy(logits, labels).item();
    }
  }

  /** Library modules in a Sequential, called two levels deep (the samples' ComposedLeNet). */
  public static final class Composed {
    final Sequential net;

    Composed(Conv2d c1, Conv2d c2, Linear fc) {
      net = new Sequential(c1, new Relu(), new MaxPool2d(2), c2, new Relu(), new MaxPool2d(2), new Flatten(), fc);
    }

    @Differentiable
    double loss(@NoDerivative Tensor x, @NoDerivative int[] labels) {
      return Loss.crossEntropy(net.forward(x), labels).item();
    }
  }

  private Tensor x;
  private int[] labels;
  private Tensor[] params;
  private OneMethod oneMethod;
  private Fields fields;
  private Composed composed;

  /** Seeded weights shared by the three forms, a random batch and labels. */
  @Setup
  public void setup() {
    Random rng = new Random(1);
    Conv2d c1 = new Conv2d(1, 6, 3, 1, 1, rng);
    Conv2d c2 = new Conv2d(6, 16, 3, 1, 1, rng);
    Linear fc = new Linear(64, 10, rng);
    params = new Tensor[] {c1.w, c1.b, c2.w, c2.b, fc.w, fc.b};
    oneMethod = new OneMethod(c1, c2, fc);
    fields = new Fields(c1, c2, fc);
    composed = new Composed(c1, c2, fc);
    x = Tensor.randn(rng, 32, 1, 8, 8);
    labels = new int[32];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = rng.nextInt(10);
    }
  }

  private void zeroGrad() {
    for (Tensor p : params) {
      p.zeroGrad();
    }
  }

  /** The primal loss alone (the forward pass). */
  @Benchmark
  public double primal() {
    return oneMethod.loss(x, labels);
  }

  /** Gradient of the network written in one method. */
  @Benchmark
  public double oneMethod() {
    zeroGrad();
    return ModulesBenchmark_OneMethodGrad.loss(oneMethod, x, labels).value();
  }

  /** Gradient of the network of modules held in fields. */
  @Benchmark
  public double fields() {
    zeroGrad();
    return ModulesBenchmark_FieldsGrad.loss(fields, x, labels).value();
  }

  /** Gradient of the network as a Sequential of modules. */
  @Benchmark
  public double sequential() {
    zeroGrad();
    return ModulesBenchmark_ComposedGrad.loss(composed, x, labels).value();
  }
}
