package dev.adjoint.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.check.GradCheck;
import dev.adjoint.check.Report;
import dev.adjoint.nn.Layers;
import dev.adjoint.tensor.Tensor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Checks every method of {@link TensorCorpus} (and its models {@link TensorCorpus.Model} and {@link TinyNet})
 * through its generated gradient:
 *
 * <ol>
 *   <li>the generated value equals the primal's value exactly;
 *   <li>every element of every gradient — tensor parameters, {@code double} parameters (checked as 0-d tensors) and
 *       model fields' {@code grad()} — agrees with central finite differences ({@link GradCheck#checkTensors});
 *   <li>the generated method leaves its inputs unchanged.
 * </ol>
 *
 * <p>Inputs come from fixed seeds and avoid kinks: relu and abs inputs are bounded away from 0, max and
 * max-pooling inputs have no near-ties, branch conditions and loop exits are away from their thresholds.
 */
class TensorCorpusTest {

  /** The generated result, flattened: the value and one gradient per checked input, in the inputs' order. */
  record G(double value, Tensor... grads) {}

  // ---------------------------------------------------------------------------------------------
  // The checker

  /**
   * Calls {@code grad} on {@code inputs} (checking it leaves them unchanged), checks its value against
   * {@code f} exactly, and each of its gradients against finite differences of {@code f}.
   */
  private static G check(String name, ToDoubleFunction<Tensor[]> f, Function<Tensor[], G> grad, Tensor... inputs) {
    double[][] before = snapshot(inputs);
    G g = grad.apply(inputs);
    for (int i = 0; i < inputs.length; i++) {
      assertArrayEquals(before[i], inputs[i].toArray(), 0.0, name + ": the gradient changed input " + i);
    }
    double primal = f.applyAsDouble(inputs);
    assertEquals(primal, g.value(), 0.0, name + ": value differs from the primal's");
    assertEquals(inputs.length, g.grads().length, name + ": one gradient per input");
    for (int i = 0; i < inputs.length; i++) {
      assertNotNull(g.grads()[i], name + ": gradient " + i + " is null");
      assertArrayEquals(inputs[i].shape(), g.grads()[i].shape(), name + ": gradient " + i + " has the wrong shape");
    }
    Report r = GradCheck.checkTensors(f, inputs, g.grads());
    if (!r.passed()) {
      fail(name + ": " + r);
    }
    return g;
  }

  private static double[][] snapshot(Tensor[] xs) {
    double[][] s = new double[xs.length][];
    for (int i = 0; i < xs.length; i++) {
      s[i] = xs[i].toArray();
    }
    return s;
  }

  /** A double parameter, checked as a 0-d tensor. */
  private static Tensor d(double v) {
    return Tensor.scalar(v);
  }

  private static Tensor randn(Random rng, int... shape) {
    return Tensor.randn(rng, shape);
  }

  private static Tensor uniform(Random rng, double lo, double hi, int... shape) {
    return Tensor.rand(rng, lo, hi, shape);
  }

  /** Magnitudes in [0.2, 1.5], random signs: away from the kinks of relu and abs. */
  private static Tensor awayFromZero(Random rng, int... shape) {
    Tensor t = Tensor.rand(rng, 0.2, 1.5, shape);
    double[] a = t.data();
    for (int i = 0; i < a.length; i++) {
      if (rng.nextBoolean()) {
        a[i] = -a[i];
      }
    }
    return t;
  }

  /** Distinct values, at least 0.2 apart, in random order: no near-ties for max. */
  private static Tensor distinct(Random rng, int... shape) {
    Tensor t = Tensor.zeros(shape);
    double[] a = t.data();
    for (int i = 0; i < a.length; i++) {
      a[i] = 0.3 * i - 0.15 * a.length + 0.1 * rng.nextDouble();
    }
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      double s = a[i];
      a[i] = a[j];
      a[j] = s;
    }
    return t;
  }

  private static void assertComponents(Class<?> record, String... names) {
    String[] actual = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toArray(String[]::new);
    assertArrayEquals(names, actual, record.getSimpleName() + " record components");
  }

  private static void assertZeros(Tensor t, String what) {
    for (double v : t.toArray()) {
      assertEquals(0.0, v, 0.0, what + " should be all zeros: " + t);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 1. Binary ops

  @Test
  void addSubTensors() {
    Random rng = new Random(101);
    check("addSubTensors", x -> TensorCorpus.addSubTensors(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.addSubTensors(x[0], x[1]); return new G(g.value(), g.a(), g.b()); },
        randn(rng, 2, 3), randn(rng, 2, 3));
  }

  @Test
  void mulDivTensors() {
    Random rng = new Random(102);
    check("mulDivTensors", x -> TensorCorpus.mulDivTensors(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.mulDivTensors(x[0], x[1]); return new G(g.value(), g.a(), g.b()); },
        randn(rng, 2, 3), uniform(rng, 0.5, 2.0, 2, 3));
  }

  @Test
  void scalarOperands() {
    Random rng = new Random(103);
    check("scalarOperands",
        x -> TensorCorpus.scalarOperands(x[0], x[1].item(), x[2].item(), x[3].item(), x[4].item()),
        x -> {
          var g = TensorCorpusGrad.scalarOperands(x[0], x[1].item(), x[2].item(), x[3].item(), x[4].item());
          return new G(g.value(), g.x(), d(g.a()), d(g.b()), d(g.c()), d(g.d()));
        },
        randn(rng, 2, 3), d(0.7), d(-1.3), d(0.4), d(1.7));
  }

  @Test
  void mulByParam() {
    Random rng = new Random(104);
    check("mulByParam", x -> TensorCorpus.mulByParam(x[0], x[1].item()),
        x -> { var g = TensorCorpusGrad.mulByParam(x[0], x[1].item()); return new G(g.value(), g.x(), d(g.a())); },
        randn(rng, 4), d(0.8));
  }

  @Test
  void scalarExpressionOperand() {
    Random rng = new Random(105);
    check("scalarExpressionOperand", x -> TensorCorpus.scalarExpressionOperand(x[0], x[1].item()),
        x -> {
          var g = TensorCorpusGrad.scalarExpressionOperand(x[0], x[1].item());
          return new G(g.value(), g.x(), d(g.a()));
        },
        randn(rng, 2, 2), d(-0.6));
  }

  @Test
  void reverseOps() {
    Random rng = new Random(106);
    check("reverseOps", x -> TensorCorpus.reverseOps(x[0], x[1].item(), x[2].item()),
        x -> {
          var g = TensorCorpusGrad.reverseOps(x[0], x[1].item(), x[2].item());
          return new G(g.value(), g.x(), d(g.a()), d(g.b()));
        },
        uniform(rng, 0.5, 2.0, 5), d(1.4), d(-0.9));
  }

  @Test
  void reverseOpsConstant() {
    Random rng = new Random(107);
    check("reverseOpsConstant", x -> TensorCorpus.reverseOpsConstant(x[0]),
        x -> { var g = TensorCorpusGrad.reverseOpsConstant(x[0]); return new G(g.value(), g.x()); },
        uniform(rng, 0.5, 2.0, 5));
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Unary ops

  @Test
  void expLogSqrtNeg() {
    Random rng = new Random(201);
    check("expLogSqrtNeg", x -> TensorCorpus.expLogSqrtNeg(x[0]),
        x -> { var g = TensorCorpusGrad.expLogSqrtNeg(x[0]); return new G(g.value(), g.x()); },
        uniform(rng, 0.3, 2.0, 2, 3));
  }

  @Test
  void absPow() {
    Random rng = new Random(202);
    check("absPow", x -> TensorCorpus.absPow(x[0], x[1].item()),
        x -> { var g = TensorCorpusGrad.absPow(x[0], x[1].item()); return new G(g.value(), g.x(), d(g.p())); },
        awayFromZero(rng, 6), d(1.7));
  }

  @Test
  void powConstant() {
    Random rng = new Random(203);
    check("powConstant", x -> TensorCorpus.powConstant(x[0]),
        x -> { var g = TensorCorpusGrad.powConstant(x[0]); return new G(g.value(), g.x()); },
        uniform(rng, 0.5, 2.0, 5));
  }

  @Test
  void squareTanhSigmoid() {
    Random rng = new Random(204);
    check("squareTanhSigmoid", x -> TensorCorpus.squareTanhSigmoid(x[0]),
        x -> { var g = TensorCorpusGrad.squareTanhSigmoid(x[0]); return new G(g.value(), g.x()); },
        randn(rng, 2, 3));
  }

  @Test
  void reluOp() {
    Random rng = new Random(205);
    check("reluOp", x -> TensorCorpus.reluOp(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.reluOp(x[0], x[1]); return new G(g.value(), g.x(), g.w()); },
        awayFromZero(rng, 2, 4), randn(rng, 2, 4));
  }

  // ---------------------------------------------------------------------------------------------
  // 3. matmul and shapes

  @Test
  void matmul2d() {
    Random rng = new Random(301);
    check("matmul2d", x -> TensorCorpus.matmul2d(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.matmul2d(x[0], x[1]); return new G(g.value(), g.a(), g.b()); },
        randn(rng, 3, 4), randn(rng, 4, 2));
  }

  @Test
  void matmulBatched() {
    Random rng = new Random(302);
    check("matmulBatched", x -> TensorCorpus.matmulBatched(x[0], x[1], x[2]),
        x -> {
          var g = TensorCorpusGrad.matmulBatched(x[0], x[1], x[2]);
          return new G(g.value(), g.a(), g.b(), g.c());
        },
        randn(rng, 2, 3, 4), randn(rng, 2, 4, 5), randn(rng, 5, 2));
  }

  @Test
  void matmulVector() {
    Random rng = new Random(303);
    check("matmulVector", x -> TensorCorpus.matmulVector(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.matmulVector(x[0], x[1]); return new G(g.value(), g.m(), g.v()); },
        randn(rng, 3, 4), randn(rng, 4));
  }

  @Test
  void vectorMatmul() {
    Random rng = new Random(308);
    check("vectorMatmul", x -> TensorCorpus.vectorMatmul(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.vectorMatmul(x[0], x[1]); return new G(g.value(), g.v(), g.m()); },
        randn(rng, 3), randn(rng, 3, 2));
  }

  @Test
  void transposeReshape() {
    Random rng = new Random(304);
    check("transposeReshape", x -> TensorCorpus.transposeReshape(x[0]),
        x -> { var g = TensorCorpusGrad.transposeReshape(x[0]); return new G(g.value(), g.x()); },
        randn(rng, 3, 4));
  }

  @Test
  void unsqueezeSqueeze() {
    Random rng = new Random(305);
    check("unsqueezeSqueeze", x -> TensorCorpus.unsqueezeSqueeze(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.unsqueezeSqueeze(x[0], x[1]); return new G(g.value(), g.v(), g.m()); },
        randn(rng, 3), randn(rng, 3, 4));
  }

  @Test
  void broadcastToSumTo() {
    Random rng = new Random(306);
    check("broadcastToSumTo", x -> TensorCorpus.broadcastToSumTo(x[0]),
        x -> { var g = TensorCorpusGrad.broadcastToSumTo(x[0]); return new G(g.value(), g.b()); },
        uniform(rng, -0.5, 0.5, 3));
  }

  @Test
  void broadcastBias() {
    Random rng = new Random(307);
    check("broadcastBias", x -> TensorCorpus.broadcastBias(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.broadcastBias(x[0], x[1]); return new G(g.value(), g.x(), g.b()); },
        randn(rng, 4, 3), uniform(rng, -1, 1, 3));
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Reductions and scalars

  @Test
  void sums() {
    Random rng = new Random(401);
    check("sums", x -> TensorCorpus.sums(x[0]),
        x -> { var g = TensorCorpusGrad.sums(x[0]); return new G(g.value(), g.x()); },
        uniform(rng, -1, 1, 3, 4));
  }

  @Test
  void means() {
    Random rng = new Random(402);
    check("means", x -> TensorCorpus.means(x[0]),
        x -> { var g = TensorCorpusGrad.means(x[0]); return new G(g.value(), g.x()); },
        randn(rng, 3, 4));
  }

  @Test
  void maxes() {
    Random rng = new Random(403);
    check("maxes", x -> TensorCorpus.maxes(x[0]),
        x -> { var g = TensorCorpusGrad.maxes(x[0]); return new G(g.value(), g.x()); },
        distinct(rng, 3, 4));
  }

  @Test
  void itemAndGet() {
    Random rng = new Random(404);
    check("itemAndGet", x -> TensorCorpus.itemAndGet(x[0]),
        x -> { var g = TensorCorpusGrad.itemAndGet(x[0]); return new G(g.value(), g.x()); },
        randn(rng, 2, 3));
  }

  @Test
  void itemFeedsBack() {
    Random rng = new Random(405);
    check("itemFeedsBack", x -> TensorCorpus.itemFeedsBack(x[0]),
        x -> { var g = TensorCorpusGrad.itemFeedsBack(x[0]); return new G(g.value(), g.x()); },
        randn(rng, 5));
  }

  @Test
  void mixDoubles() {
    Random rng = new Random(406);
    check("mixDoubles", x -> TensorCorpus.mixDoubles(x[0], x[1].item()),
        x -> { var g = TensorCorpusGrad.mixDoubles(x[0], x[1].item()); return new G(g.value(), g.t(), d(g.a())); },
        randn(rng, 2, 3), d(0.9));
  }

  @Test
  void scalarFactory() {
    Random rng = new Random(407);
    check("scalarFactory", x -> TensorCorpus.scalarFactory(x[0], x[1].item()),
        x -> { var g = TensorCorpusGrad.scalarFactory(x[0], x[1].item()); return new G(g.value(), g.x(), d(g.a())); },
        randn(rng, 3), d(0.6));
  }

  @Test
  void staticFieldConstant() {
    Random rng = new Random(408);
    double[] weights = TensorCorpus.WEIGHTS.toArray();
    check("staticFieldConstant", x -> TensorCorpus.staticFieldConstant(x[0]),
        x -> { var g = TensorCorpusGrad.staticFieldConstant(x[0]); return new G(g.value(), g.x()); },
        randn(rng, 3));
    assertArrayEquals(weights, TensorCorpus.WEIGHTS.toArray(), 0.0);
    assertNull(TensorCorpus.WEIGHTS.grad(), "a constant static field gets no grad");
  }

  @Test
  void copyOp() {
    Random rng = new Random(409);
    check("copyOp", x -> TensorCorpus.copyOp(x[0]),
        x -> { var g = TensorCorpusGrad.copyOp(x[0]); return new G(g.value(), g.x()); },
        randn(rng, 2, 2));
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Layers

  @Test
  void linearWithBias() {
    Random rng = new Random(501);
    check("linearWithBias", x -> TensorCorpus.linearWithBias(x[0], x[1], x[2]),
        x -> {
          var g = TensorCorpusGrad.linearWithBias(x[0], x[1], x[2]);
          return new G(g.value(), g.x(), g.w(), g.b());
        },
        randn(rng, 3, 4), randn(rng, 4, 2), randn(rng, 2));
  }

  @Test
  void linearNoBias() {
    Random rng = new Random(502);
    check("linearNoBias", x -> TensorCorpus.linearNoBias(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.linearNoBias(x[0], x[1]); return new G(g.value(), g.x(), g.w()); },
        randn(rng, 3, 4), randn(rng, 4, 2));
  }

  @Test
  void conv2dWithBias() {
    Random rng = new Random(503);
    check("conv2dWithBias", x -> TensorCorpus.conv2dWithBias(x[0], x[1], x[2]),
        x -> {
          var g = TensorCorpusGrad.conv2dWithBias(x[0], x[1], x[2]);
          return new G(g.value(), g.x(), g.w(), g.b());
        },
        randn(rng, 2, 2, 5, 5), randn(rng, 3, 2, 3, 3).mul(0.3), randn(rng, 3));
  }

  @Test
  void conv2dNoBiasAvgPool() {
    Random rng = new Random(504);
    check("conv2dNoBiasAvgPool", x -> TensorCorpus.conv2dNoBiasAvgPool(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.conv2dNoBiasAvgPool(x[0], x[1]); return new G(g.value(), g.x(), g.w()); },
        randn(rng, 1, 1, 5, 5), randn(rng, 2, 1, 2, 2));
  }

  @Test
  void avgPoolOverlapping() {
    Random rng = new Random(505);
    check("avgPoolOverlapping", x -> TensorCorpus.avgPoolOverlapping(x[0]),
        x -> { var g = TensorCorpusGrad.avgPoolOverlapping(x[0]); return new G(g.value(), g.x()); },
        randn(rng, 1, 2, 4, 4));
  }

  @Test
  void maxPool() {
    Random rng = new Random(506);
    check("maxPool", x -> TensorCorpus.maxPool(x[0]),
        x -> { var g = TensorCorpusGrad.maxPool(x[0]); return new G(g.value(), g.x()); },
        distinct(rng, 1, 2, 4, 4));
  }

  @Test
  void dropoutMasked() {
    Random rng = new Random(507);
    Tensor mask = Layers.dropoutMask(rng, 0.4, 3, 4);
    check("dropoutMasked", x -> TensorCorpus.dropoutMasked(x[0], mask),
        x -> { var g = TensorCorpusGrad.dropoutMasked(x[0], mask); return new G(g.value(), g.x()); },
        randn(rng, 3, 4));
    assertComponents(TensorCorpusGrad.DropoutMasked.class, "value", "x");
  }

  @Test
  void dropoutActiveMask() {
    Random rng = new Random(510);
    check("dropoutActiveMask", x -> TensorCorpus.dropoutActiveMask(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.dropoutActiveMask(x[0], x[1]); return new G(g.value(), g.x(), g.mask()); },
        randn(rng, 3, 4), Layers.dropoutMask(rng, 0.4, 3, 4));
  }

  @Test
  void softmaxes() {
    Random rng = new Random(508);
    check("softmaxes", x -> TensorCorpus.softmaxes(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.softmaxes(x[0], x[1]); return new G(g.value(), g.x(), g.w()); },
        randn(rng, 3, 4), randn(rng, 3, 4));
  }

  @Test
  void layerActivations() {
    Random rng = new Random(509);
    check("layerActivations", x -> TensorCorpus.layerActivations(x[0]),
        x -> { var g = TensorCorpusGrad.layerActivations(x[0]); return new G(g.value(), g.x()); },
        awayFromZero(rng, 2, 3));
  }

  // ---------------------------------------------------------------------------------------------
  // 6. Losses

  @Test
  void mse() {
    Random rng = new Random(601);
    check("mse", x -> TensorCorpus.mse(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.mse(x[0], x[1]); return new G(g.value(), g.pred(), g.target()); },
        randn(rng, 3, 2), randn(rng, 3, 2));
  }

  @Test
  void crossEntropyLabels() {
    Random rng = new Random(602);
    int[] labels = {2, 0, 1, 2};
    check("crossEntropyLabels", x -> TensorCorpus.crossEntropyLabels(x[0], labels),
        x -> { var g = TensorCorpusGrad.crossEntropyLabels(x[0], labels); return new G(g.value(), g.logits()); },
        randn(rng, 4, 3));
    assertComponents(TensorCorpusGrad.CrossEntropyLabels.class, "value", "logits");
  }

  @Test
  void crossEntropyProbs() {
    Random rng = new Random(603);
    check("crossEntropyProbs", x -> TensorCorpus.crossEntropyProbs(x[0], x[1]),
        x -> {
          var g = TensorCorpusGrad.crossEntropyProbs(x[0], x[1]);
          return new G(g.value(), g.logits(), g.probs());
        },
        randn(rng, 3, 4), Layers.softmax(randn(rng, 3, 4), 1));
  }

  @Test
  void binaryCrossEntropy() {
    Random rng = new Random(604);
    check("binaryCrossEntropy", x -> TensorCorpus.binaryCrossEntropy(x[0], x[1]),
        x -> {
          var g = TensorCorpusGrad.binaryCrossEntropy(x[0], x[1]);
          return new G(g.value(), g.z(), g.targets());
        },
        randn(rng, 2, 3), uniform(rng, 0.1, 0.9, 2, 3));
  }

  @Test
  void binaryCrossEntropyWithLogits() {
    Random rng = new Random(605);
    check("binaryCrossEntropyWithLogits", x -> TensorCorpus.binaryCrossEntropyWithLogits(x[0], x[1]),
        x -> {
          var g = TensorCorpusGrad.binaryCrossEntropyWithLogits(x[0], x[1]);
          return new G(g.value(), g.logits(), g.targets());
        },
        awayFromZero(rng, 2, 3), uniform(rng, 0, 1, 2, 3));
  }

  // ---------------------------------------------------------------------------------------------
  // 6b. The ops of issue 15

  /** Values at least 0.1 away from each bound, so that no difference step crosses a kink. */
  private static Tensor awayFrom(Random rng, double[] bounds, int... shape) {
    Tensor t = randn(rng, shape);
    double[] a = t.data();
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < bounds.length; k++) {
        if (Math.abs(a[i] - bounds[k]) < 0.1) {
          a[i] = rng.nextGaussian();
          k = -1;
        }
      }
    }
    return t;
  }

  @Test
  void sinCos() {
    Random rng = new Random(651);
    check("sinCos", x -> TensorCorpus.sinCos(x[0]),
        x -> { var g = TensorCorpusGrad.sinCos(x[0]); return new G(g.value(), g.x()); }, randn(rng, 2, 3));
  }

  @Test
  void clampMinMax() {
    Random rng = new Random(652);
    Tensor x = awayFrom(rng, new double[] {-0.5, 0.6}, 3, 4);
    Tensor a = randn(rng, 4);
    Tensor b = randn(rng, 3, 1);
    // keep the clamped values away from a and b, so minimum and maximum have no near-ties
    Tensor c = x.clamp(-0.5, 0.6);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 4; j++) {
        assertTrue(Math.abs(c.get(i, j) - a.get(j)) > 1e-2 && Math.abs(c.get(i, j) - b.get(i, 0)) > 1e-2,
            "clampMinMax: inputs too close to a tie");
      }
    }
    check("clampMinMax", t -> TensorCorpus.clampMinMax(t[0], t[1], t[2]),
        t -> { var g = TensorCorpusGrad.clampMinMax(t[0], t[1], t[2]); return new G(g.value(), g.x(), g.a(), g.b()); },
        x, a, b);
  }

  @Test
  void whereMask() {
    Random rng = new Random(653);
    check("whereMask", x -> TensorCorpus.whereMask(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.whereMask(x[0], x[1]); return new G(g.value(), g.x(), g.y()); },
        awayFromZero(rng, 3, 4), randn(rng, 4));
  }

  @Test
  void logsumexpRows() {
    Random rng = new Random(654);
    check("logsumexpRows", x -> TensorCorpus.logsumexpRows(x[0]),
        x -> { var g = TensorCorpusGrad.logsumexpRows(x[0]); return new G(g.value(), g.x()); }, randn(rng, 3, 5));
  }

  @Test
  void slices() {
    Random rng = new Random(655);
    int[] rows = {3, 0, 3};
    check("slices", x -> TensorCorpus.slices(x[0], rows),
        x -> { var g = TensorCorpusGrad.slices(x[0], rows); return new G(g.value(), g.x()); }, randn(rng, 4, 6));
  }

  @Test
  void catStack() {
    Random rng = new Random(656);
    check("catStack", x -> TensorCorpus.catStack(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.catStack(x[0], x[1]); return new G(g.value(), g.a(), g.b()); },
        randn(rng, 2, 3), randn(rng, 2, 2));
  }

  @Test
  void activations() {
    Random rng = new Random(657);
    check("activations", x -> TensorCorpus.activations(x[0], x[1].item()),
        x -> { var g = TensorCorpusGrad.activations(x[0], x[1].item()); return new G(g.value(), g.x(), d(g.slope())); },
        awayFromZero(rng, 3, 4), d(0.05));
  }

  @Test
  void layerNormEmbedding() {
    Random rng = new Random(658);
    int[] ids = {5, 0, 5};
    check("layerNormEmbedding", x -> TensorCorpus.layerNormEmbedding(x[0], x[1], x[2], x[3], ids),
        x -> {
          var g = TensorCorpusGrad.layerNormEmbedding(x[0], x[1], x[2], x[3], ids);
          return new G(g.value(), g.x(), g.w(), g.b(), g.table());
        },
        randn(rng, 3, 5), randn(rng, 5), randn(rng, 5), randn(rng, 6, 5));
  }

  // ---------------------------------------------------------------------------------------------
  // 7. Control flow mixed with tensors

  @Test
  void repeatedLayer() {
    for (int k : new int[] {0, 1, 3}) {
      Random rng = new Random(701 + k);
      G g = check("repeatedLayer k=" + k, x -> TensorCorpus.repeatedLayer(x[0], x[1], k),
          x -> { var r = TensorCorpusGrad.repeatedLayer(x[0], x[1], k); return new G(r.value(), r.x(), r.w()); },
          randn(rng, 2, 3), randn(rng, 3, 3).mul(0.7));
      if (k == 0) {
        assertZeros(g.grads()[1], "w's gradient with k = 0");
      }
    }
  }

  @Test
  void branchOnValue() {
    for (double shift : new double[] {1.0, -1.0}) {
      Random rng = new Random(710);
      Tensor t = uniform(rng, -0.5, 0.5, 4).add(shift);
      assertTrue(Math.abs(t.sum().item()) > 1, "away from the branch boundary");
      check("branchOnValue shift=" + shift, x -> TensorCorpus.branchOnValue(x[0], x[1]),
          x -> { var g = TensorCorpusGrad.branchOnValue(x[0], x[1]); return new G(g.value(), g.t(), g.u()); },
          t, randn(rng, 4));
    }
  }

  @Test
  void earlyReturn() {
    Tensor x0 = Tensor.vector(0.5, 0.3, 0.4);
    Tensor w0 = Tensor.vector(1.2, 1.1, 1.3);
    // the squared norms after each step, to put the limit between the third and the fourth
    double[] norms = new double[10];
    Tensor h = x0;
    for (int i = 0; i < 10; i++) {
      h = h.mul(w0).add(x0);
      norms[i] = h.square().sum().item();
    }
    double between = Math.sqrt(norms[2] * norms[3]);
    assertTrue(norms[3] > 1.2 * between && between > 1.2 * norms[2]);
    for (double limit : new double[] {between, 1e9}) {
      check("earlyReturn limit=" + limit, x -> TensorCorpus.earlyReturn(x[0], x[1], x[2].item()),
          x -> {
            var g = TensorCorpusGrad.earlyReturn(x[0], x[1], x[2].item());
            return new G(g.value(), g.x(), g.w(), d(g.limit()));
          },
          x0.copy(), w0.copy(), d(limit));
    }
  }

  @Test
  void whileUntil() {
    // max |h| at the checks: 0.8, 1.3, 2.05, 3.175, then 4.8625 >= 4: four steps, far from the threshold
    check("whileUntil", x -> TensorCorpus.whileUntil(x[0]),
        x -> { var g = TensorCorpusGrad.whileUntil(x[0]); return new G(g.value(), g.x()); },
        Tensor.vector(0.5, -0.3, 0.8));
  }

  @Test
  void accumulateInLoop() {
    Random rng = new Random(720);
    check("accumulateInLoop", x -> TensorCorpus.accumulateInLoop(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.accumulateInLoop(x[0], x[1]); return new G(g.value(), g.x(), g.w()); },
        randn(rng, 3), randn(rng, 3));
  }

  @Test
  void flagChoosesTensor() {
    for (boolean flag : new boolean[] {true, false}) {
      Random rng = new Random(730);
      check("flagChoosesTensor flag=" + flag, x -> TensorCorpus.flagChoosesTensor(x[0], flag),
          x -> { var g = TensorCorpusGrad.flagChoosesTensor(x[0], flag); return new G(g.value(), g.x()); },
          randn(rng, 3));
    }
  }

  @Test
  void reassignParameter() {
    Random rng = new Random(740);
    check("reassignParameter", x -> TensorCorpus.reassignParameter(x[0]),
        x -> { var g = TensorCorpusGrad.reassignParameter(x[0]); return new G(g.value(), g.x()); },
        randn(rng, 3));
  }

  @Test
  void branchOnlyParameter() {
    for (double shift : new double[] {1.0, -1.0}) {
      Random rng = new Random(750);
      Tensor x0 = uniform(rng, -0.5, 0.5, 3).add(shift);
      G g = check("branchOnlyParameter shift=" + shift, x -> TensorCorpus.branchOnlyParameter(x[0], x[1]),
          x -> { var r = TensorCorpusGrad.branchOnlyParameter(x[0], x[1]); return new G(r.value(), r.x(), r.y()); },
          x0, randn(rng, 3));
      if (shift > 0) {
        assertZeros(g.grads()[1], "y's gradient on the branch that ignores y");
      }
    }
  }

  @Test
  void helper() {
    Random rng = new Random(760);
    check("helper", x -> TensorCorpus.helper(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.helper(x[0], x[1]); return new G(g.value(), g.a(), g.b()); },
        randn(rng, 3), randn(rng, 3));
  }

  @Test
  void callsHelper() {
    Random rng = new Random(761);
    check("callsHelper", x -> TensorCorpus.callsHelper(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.callsHelper(x[0], x[1]); return new G(g.value(), g.x(), g.y()); },
        randn(rng, 3), randn(rng, 3));
  }

  @Test
  void mixDoublesBack() {
    Random rng = new Random(770);
    check("mixDoublesBack", x -> TensorCorpus.mixDoublesBack(x[0], x[1].item()),
        x -> {
          var g = TensorCorpusGrad.mixDoublesBack(x[0], x[1].item());
          return new G(g.value(), g.t(), d(g.a()));
        },
        randn(rng, 3), d(0.45));
  }

  @Test
  void wrtOnly() {
    Random rng = new Random(780);
    Tensor y = randn(rng, 3);
    check("wrtOnly", x -> TensorCorpus.wrtOnly(x[0], y),
        x -> { var g = TensorCorpusGrad.wrtOnly(x[0], y); return new G(g.value(), g.x()); },
        randn(rng, 3));
    assertComponents(TensorCorpusGrad.WrtOnly.class, "value", "x");
  }

  @Test
  void reassignParameterInLoop() {
    for (int k : new int[] {0, 1, 3}) {
      Random rng = new Random(790 + k);
      check("reassignParameterInLoop k=" + k, x -> TensorCorpus.reassignParameterInLoop(x[0], k),
          x -> { var g = TensorCorpusGrad.reassignParameterInLoop(x[0], k); return new G(g.value(), g.x()); },
          randn(rng, 3));
    }
  }

  @Test
  void previousInLoop() {
    for (int k : new int[] {0, 1, 3}) {
      Random rng = new Random(791);
      check("previousInLoop k=" + k, x -> TensorCorpus.previousInLoop(x[0], k),
          x -> { var g = TensorCorpusGrad.previousInLoop(x[0], k); return new G(g.value(), g.x()); },
          uniform(rng, -0.5, 0.5, 3));
    }
  }

  @Test
  void branchInLoop() {
    // sums along the way: 1.6 (> 1: halve), 0.8 (exp), 3.96 (halve): both branches taken, all far from 1
    for (int k : new int[] {0, 1, 2, 3}) {
      check("branchInLoop k=" + k, x -> TensorCorpus.branchInLoop(x[0], k),
          x -> { var g = TensorCorpusGrad.branchInLoop(x[0], k); return new G(g.value(), g.x()); },
          Tensor.vector(0.5, 0.2, 0.9));
    }
  }

  @Test
  void breakOnValue() {
    // sums 2.72, 4.62, 7.86 > 5: breaks in the third iteration
    check("breakOnValue", x -> TensorCorpus.breakOnValue(x[0]),
        x -> { var g = TensorCorpusGrad.breakOnValue(x[0]); return new G(g.value(), g.x()); },
        Tensor.vector(0.5, 0.2, 0.9));
  }

  @Test
  void doWhileOnValue() {
    // sums 3.2, 6.4, 12.8 >= 10: three iterations
    check("doWhileOnValue", x -> TensorCorpus.doWhileOnValue(x[0]),
        x -> { var g = TensorCorpusGrad.doWhileOnValue(x[0]); return new G(g.value(), g.x()); },
        Tensor.vector(0.5, 0.2, 0.9));
  }

  @Test
  void continueInLoop() {
    Random rng = new Random(792);
    check("continueInLoop", x -> TensorCorpus.continueInLoop(x[0]),
        x -> { var g = TensorCorpusGrad.continueInLoop(x[0]); return new G(g.value(), g.x()); },
        randn(rng, 3));
  }

  @Test
  void nestedLoops() {
    Random rng = new Random(793);
    check("nestedLoops", x -> TensorCorpus.nestedLoops(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.nestedLoops(x[0], x[1]); return new G(g.value(), g.x(), g.w()); },
        randn(rng, 3), randn(rng, 3));
  }

  @Test
  void switchOnInt() {
    for (int k : new int[] {0, 1, 2}) {
      Random rng = new Random(794);
      check("switchOnInt k=" + k, x -> TensorCorpus.switchOnInt(x[0], k),
          x -> { var g = TensorCorpusGrad.switchOnInt(x[0], k); return new G(g.value(), g.x()); },
          randn(rng, 3));
    }
  }

  @Test
  void itemsAccumulatedInLoop() {
    Random rng = new Random(795);
    check("itemsAccumulatedInLoop", x -> TensorCorpus.itemsAccumulatedInLoop(x[0], x[1]),
        x -> { var g = TensorCorpusGrad.itemsAccumulatedInLoop(x[0], x[1]); return new G(g.value(), g.x(), g.w()); },
        distinct(rng, 3), uniform(rng, 0.5, 1.5, 3));
  }

  @Test
  void getInLoop() {
    Random rng = new Random(796);
    check("getInLoop", x -> TensorCorpus.getInLoop(x[0], x[1].item()),
        x -> { var g = TensorCorpusGrad.getInLoop(x[0], x[1].item()); return new G(g.value(), g.x(), d(g.a())); },
        distinct(rng, 3), d(0.7));
  }

  @Test
  void maskAsRelu() {
    Random rng = new Random(797);
    check("maskAsRelu", x -> TensorCorpus.maskAsRelu(x[0]),
        x -> { var g = TensorCorpusGrad.maskAsRelu(x[0]); return new G(g.value(), g.x()); },
        awayFromZero(rng, 3));
  }

  @Test
  void declaredInBranch() {
    for (double shift : new double[] {1.0, -1.0}) {
      Random rng = new Random(798);
      check("declaredInBranch shift=" + shift, x -> TensorCorpus.declaredInBranch(x[0]),
          x -> { var g = TensorCorpusGrad.declaredInBranch(x[0]); return new G(g.value(), g.x()); },
          uniform(rng, -0.5, 0.5, 3).add(shift));
    }
  }

  @Test
  void unusedParameter() {
    Random rng = new Random(799);
    G g = check("unusedParameter", x -> TensorCorpus.unusedParameter(x[0], x[1]),
        x -> { var r = TensorCorpusGrad.unusedParameter(x[0], x[1]); return new G(r.value(), r.x(), r.unused()); },
        randn(rng, 3), randn(rng, 2, 2));
    assertZeros(g.grads()[1], "the unused parameter's gradient");
  }

  // ---------------------------------------------------------------------------------------------
  // 8. Models: fields' gradients go into grad()

  private static TensorCorpus.Model model(Random rng) {
    return new TensorCorpus.Model(randn(rng, 3, 4), randn(rng, 4), uniform(rng, 0.5, 1.5, 4));
  }

  @Test
  void modelLoss() {
    Random rng = new Random(801);
    TensorCorpus.Model m = model(rng);
    Tensor x = randn(rng, 5, 3);
    int[] labels = {0, 3, 1, 2, 3};
    double scale = 1.3;
    double[] frozenBefore = m.frozen.toArray();

    var g = TensorCorpus_ModelGrad.loss(m, x, labels, scale);
    assertEquals(m.loss(x, labels, scale), g.value(), 0.0, "value");
    assertNotNull(m.w.grad(), "w.grad()");
    assertNotNull(m.b.grad(), "b.grad()");
    assertNull(m.frozen.grad(), "a field with requiresGrad(false) gets no grad");
    assertArrayEquals(frozenBefore, m.frozen.toArray(), 0.0);
    assertComponents(TensorCorpus_ModelGrad.Loss.class, "value", "scale");

    Tensor frozen = m.frozen;
    Report r = GradCheck.checkTensors(
        p -> new TensorCorpus.Model(p[0].copy(), p[1].copy(), frozen.copy()).loss(x, labels, p[2].item()),
        new Tensor[] {m.w.copy(), m.b.copy(), d(scale)},
        new Tensor[] {m.w.grad(), m.b.grad(), d(g.scale())});
    if (!r.passed()) {
      fail("Model.loss: " + r);
    }

    // a second call adds into grad() (PyTorch semantics)
    double[] w1 = m.w.grad().toArray();
    double[] b1 = m.b.grad().toArray();
    var g2 = TensorCorpus_ModelGrad.loss(m, x, labels, scale);
    assertEquals(g.value(), g2.value(), 0.0);
    assertEquals(g.scale(), g2.scale(), 0.0);
    assertArrayEquals(Tensor.of(w1, 3, 4).mul(2).toArray(), m.w.grad().toArray(), 0.0, "w.grad() after two calls");
    assertArrayEquals(Tensor.of(b1, 4).mul(2).toArray(), m.b.grad().toArray(), 0.0, "b.grad() after two calls");
    assertNull(m.frozen.grad());
  }

  @Test
  void modelFeatures() {
    Random rng = new Random(802);
    TensorCorpus.Model m = model(rng);
    Tensor x = randn(rng, 2, 3);
    var g = TensorCorpus_ModelGrad.features(m, x);
    assertEquals(m.features(x), g.value(), 0.0, "value");
    Tensor frozen = m.frozen;
    Report r = GradCheck.checkTensors(
        p -> new TensorCorpus.Model(p[1].copy(), p[2].copy(), frozen.copy()).features(p[0]),
        new Tensor[] {x.copy(), m.w.copy(), m.b.copy()},
        new Tensor[] {g.x(), m.w.grad(), m.b.grad()});
    if (!r.passed()) {
      fail("Model.features: " + r);
    }
    assertNull(m.frozen.grad(), "frozen is not read: no grad");
  }

  @Test
  void modelLoopOverFields() {
    for (int k : new int[] {1, 2}) {
      Random rng = new Random(803);
      TensorCorpus.Model m = model(rng);
      Tensor x = randn(rng, 2, 3).mul(0.5);
      var g = TensorCorpus_ModelGrad.loopOverFields(m, x, k);
      assertEquals(m.loopOverFields(x, k), g.value(), 0.0, "value");
      Tensor frozen = m.frozen;
      Report r = GradCheck.checkTensors(
          p -> new TensorCorpus.Model(p[0].copy(), p[1].copy(), frozen.copy()).loopOverFields(x, k),
          new Tensor[] {m.w.copy(), m.b.copy()},
          new Tensor[] {m.w.grad(), m.b.grad()});
      if (!r.passed()) {
        fail("Model.loopOverFields k=" + k + ": " + r);
      }
    }
  }

  @Test
  void modelViaHelper() {
    Random rng = new Random(804);
    TensorCorpus.Model m = model(rng);
    Tensor x = randn(rng, 2, 3);
    var g = TensorCorpus_ModelGrad.viaHelper(m, x);
    assertEquals(m.viaHelper(x), g.value(), 0.0, "value");
    assertNull(m.frozen.grad());
    Tensor frozen = m.frozen;
    Report r = GradCheck.checkTensors(
        p -> new TensorCorpus.Model(p[1].copy(), p[2].copy(), frozen.copy()).viaHelper(p[0]),
        new Tensor[] {x.copy(), m.w.copy(), m.b.copy()},
        new Tensor[] {g.x(), m.w.grad(), m.b.grad()});
    if (!r.passed()) {
      fail("Model.viaHelper: " + r);
    }
  }

  @Test
  void tinyNetTopLevelModel() {
    for (boolean trainBias : new boolean[] {false, true}) {
      Random rng = new Random(810);
      TinyNet net = new TinyNet(randn(rng, 2, 2), randn(rng, 2), trainBias);
      Tensor x = randn(rng, 4, 2);
      Tensor target = uniform(rng, 0, 1, 4, 2);
      var g = TinyNetGrad.loss(net, x, target);
      assertEquals(net.loss(x, target), g.value(), 0.0, "value");
      assertComponents(TinyNetGrad.Loss.class, "value");
      Tensor bias = net.bias;
      Report r = GradCheck.checkTensors(p -> new TinyNet(p[0].copy(), bias.copy(), false).loss(x, target),
          new Tensor[] {net.w.copy()}, new Tensor[] {net.w.grad()});
      if (!r.passed()) {
        fail("TinyNet.loss w: " + r);
      }
      if (trainBias) {
        Tensor w = net.w;
        Report rb = GradCheck.checkTensors(p -> new TinyNet(w.copy(), p[0].copy(), true).loss(x, target),
            new Tensor[] {net.bias.copy()}, new Tensor[] {net.bias.grad()});
        if (!rb.passed()) {
          fail("TinyNet.loss bias: " + rb);
        }
      } else {
        assertNull(net.bias.grad(), "bias with requiresGrad(false) gets no grad");
      }
    }
  }
}
