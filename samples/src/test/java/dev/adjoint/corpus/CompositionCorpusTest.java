package dev.adjoint.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.check.GradCheck;
import dev.adjoint.check.Report;
import dev.adjoint.rules.Seeds;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link CompositionCorpus} through its generated pullbacks: for a tensor result f and a
 * random seed S, {@code fVjp(x, S)} against finite differences of {@code <S, f(x)>}; for a scalar
 * result, {@code mVjp(x, s)} equal to s times {@code m(x)}; model parameters' {@code grad()}
 * against finite differences of the loss of a model rebuilt from perturbed copies.
 */
class CompositionCorpusTest {

  /** {@code <s, t>}: the scalar whose gradient a pullback with seed s computes. */
  private static double inner(Tensor s, Tensor t) {
    assertArrayEquals(s.shape(), t.shape());
    double[] a = s.toArray();
    double[] b = t.toArray();
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static void assertPasses(String name, Report r) {
    if (!r.passed()) {
      fail(name + ": " + r);
    }
  }

  private static void assertSameValues(Tensor expected, Tensor actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    assertArrayEquals(expected.toArray(), actual.toArray(), 0.0, what + ": values");
  }

  @Test
  void tensorResultPullbackMatchesFiniteDifferences() {
    Random rng = new Random(1);
    Tensor x = Tensor.randn(rng, 4, 3);
    Tensor w = Tensor.randn(rng, 3, 5);
    Tensor b = Tensor.randn(rng, 5);
    Tensor seed = Tensor.randn(rng, 4, 5);
    var g = CompositionCorpusGrad.affineTanhVjp(x, w, b, seed);
    assertSameValues(CompositionCorpus.affineTanh(x, w, b), g.value(), "affineTanh value");
    ToDoubleFunction<Tensor[]> f = p -> inner(seed, CompositionCorpus.affineTanh(p[0], p[1], p[2]));
    assertPasses("affineTanhVjp", GradCheck.checkTensors(f, new Tensor[] {x, w, b}, new Tensor[] {g.x(), g.w(), g.b()}));
  }

  @Test
  void tensorResultThroughBranchAndEarlyReturn() {
    Random rng = new Random(2);
    for (double a : new double[] {0.7, -1.3}) {
      Tensor x = Tensor.randn(rng, 2, 3);
      Tensor seed = Tensor.randn(rng, 2, 3);
      var g = CompositionCorpusGrad.branchyVjp(x, a, seed);
      assertSameValues(CompositionCorpus.branchy(x, a), g.value(), "branchy value");
      ToDoubleFunction<Tensor[]> f = p -> inner(seed, CompositionCorpus.branchy(p[0], p[1].item()));
      assertPasses("branchyVjp a=" + a, GradCheck.checkTensors(f, new Tensor[] {x, Tensor.scalar(a)},
          new Tensor[] {g.x(), Tensor.scalar(g.a())}));
    }
  }

  @Test
  void gradientOfAOneElementTensorResult() {
    Tensor x = Tensor.randn(new Random(3), 3, 2);
    var g = CompositionCorpusGrad.energy(x);
    assertSameValues(CompositionCorpus.energy(x), g.value(), "energy value");
    assertArrayEquals(x.toArray(), g.x().toArray(), 1e-15, "d(0.5 |x|^2)/dx = x");
    var scaled = CompositionCorpusGrad.energyVjp(x, Tensor.scalar(-2));
    assertArrayEquals(x.mul(-2).toArray(), scaled.x().toArray(), 1e-15, "seed -2");
  }

  @Test
  void gradientOfAManyElementResultIsRefused() {
    Random rng = new Random(4);
    Tensor x = Tensor.randn(rng, 2, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CompositionCorpusGrad.affineTanh(x, Tensor.randn(rng, 3, 2), Tensor.randn(rng, 2)));
    assertTrue(e.getMessage().contains("affineTanh: the result has shape [2, 2], not exactly one element")
        && e.getMessage().contains("affineTanhVjp"), e.getMessage());
    IllegalArgumentException wrongSeed = assertThrows(IllegalArgumentException.class,
        () -> CompositionCorpusGrad.affineTanhVjp(x, Tensor.randn(rng, 3, 2), Tensor.randn(rng, 2), Tensor.ones(2)));
    assertTrue(wrongSeed.getMessage().contains("affineTanhVjp: the seed has shape [2] but the result has shape [2, 2]"),
        wrongSeed.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Seeds.tensor(null, x, "m"));
  }

  @Test
  void scalarLossCallingATensorFunction() {
    Random rng = new Random(5);
    Tensor x = Tensor.randn(rng, 4, 3);
    Tensor w = Tensor.randn(rng, 3, 5);
    Tensor b = Tensor.randn(rng, 5);
    var g = CompositionCorpusGrad.lossOfAffine(x, w, b);
    assertEquals(CompositionCorpus.lossOfAffine(x, w, b), g.value(), 0.0);
    ToDoubleFunction<Tensor[]> f = p -> CompositionCorpus.lossOfAffine(p[0], p[1], p[2]);
    assertPasses("lossOfAffine", GradCheck.checkTensors(f, new Tensor[] {x, w, b}, new Tensor[] {g.x(), g.w(), g.b()}));
  }

  @Test
  void tensorFunctionCalledInALoop() {
    Random rng = new Random(6);
    Tensor x = Tensor.randn(rng, 2, 3);
    Tensor w = Tensor.randn(rng, 3, 3).mul(0.5);
    Tensor b = Tensor.randn(rng, 3);
    Tensor seed = Tensor.randn(rng, 2, 3);
    var g = CompositionCorpusGrad.stackedVjp(x, w, b, 3, seed);
    assertSameValues(CompositionCorpus.stacked(x, w, b, 3), g.value(), "stacked value");
    ToDoubleFunction<Tensor[]> f = p -> inner(seed, CompositionCorpus.stacked(p[0], p[1], p[2], 3));
    assertPasses("stackedVjp", GradCheck.checkTensors(f, new Tensor[] {x, w, b}, new Tensor[] {g.x(), g.w(), g.b()}));
  }

  private static double dot(double[] a, double[] b) {
    assertEquals(a.length, b.length);
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void arrayResultPullbacks() {
    double[] z = {0.3, -1.2, 2.0, 0.7};
    double[] seed = {1.5, -0.5, 0.25, 2.0};
    var g = CompositionCorpusGrad.softmaxVjp(z, seed);
    assertArrayEquals(CompositionCorpus.softmax(z), g.value(), 0.0, "softmax value");
    assertPasses("softmaxVjp", GradCheck.check(p -> dot(seed, CompositionCorpus.softmax(p)), z, g.z()));

    double[] x = {0.4, -1.1, 2.5};
    double[] s3 = {0.5, 2.0, -1.0};
    var h = CompositionCorpusGrad.scaledSquaresVjp(x, 1.7, s3);
    assertArrayEquals(CompositionCorpus.scaledSquares(x, 1.7), h.value(), 0.0, "scaledSquares value");
    assertPasses("scaledSquaresVjp", GradCheck.checkArrays(p -> dot(s3, CompositionCorpus.scaledSquares(p[0], p[1][0])),
        new double[][] {x, {1.7}}, new double[][] {h.x(), {h.a()}}));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CompositionCorpusGrad.softmaxVjp(z, new double[3]));
    assertTrue(e.getMessage().contains("softmaxVjp: the seed has 3 elements but the result has 4"), e.getMessage());
  }

  @Test
  void helpersWithArrayArgumentsPerRow() {
    Random rng = new Random(7);
    int n = 6;
    int d = 4;
    double[] w = new double[d];
    double[][] xs = new double[n][d];
    double[] y = new double[n];
    for (int j = 0; j < d; j++) {
      w[j] = rng.nextGaussian();
    }
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextBoolean() ? 1 : 0;
      for (int j = 0; j < d; j++) {
        xs[i][j] = rng.nextGaussian();
      }
    }
    var g = CompositionCorpusGrad.logistic(w, xs, y);
    assertEquals(CompositionCorpus.logistic(w, xs, y), g.value(), 0.0);
    double[][] flat = new double[n + 1][];
    flat[0] = w;
    System.arraycopy(xs, 0, flat, 1, n);
    double[][] analytic = new double[n + 1][];
    analytic[0] = g.w();
    System.arraycopy(g.xs(), 0, analytic, 1, n);
    assertPasses("logistic", GradCheck.checkArrays(p -> {
      double[][] rows = new double[n][];
      System.arraycopy(p, 1, rows, 0, n);
      return CompositionCorpus.logistic(p[0], rows, y);
    }, flat, analytic));
  }

  @Test
  void recursionOverAnArray() {
    double[] a = {0.3, -1.1, 0.8, 1.7, -0.4};
    var g = CompositionCorpusGrad.tailSum(a, 0);
    assertEquals(CompositionCorpus.tailSum(a, 0), g.value(), 0.0);
    assertPasses("tailSum", GradCheck.check(p -> CompositionCorpus.tailSum(p, 0), a, g.a()));
  }

  @Test
  void theSameArrayToBothParameters() {
    double[] w = {0.5, -2, 1.25};
    var g = CompositionCorpusGrad.selfDot(w);
    assertArrayEquals(new double[] {1.5, -6, 3.75}, g.w(), 1e-15, "d(1.5 |w|^2)/dw = 3w");
  }

  @Test
  void scalarPullbackIsTheSeedTimesTheGradient() {
    double[] w = {0.5, -2, 1.25};
    var one = CompositionCorpusGrad.selfDot(w);
    var scaled = CompositionCorpusGrad.selfDotVjp(w, -0.75);
    assertEquals(one.value(), scaled.value(), 0.0);
    for (int i = 0; i < w.length; i++) {
      assertEquals(-0.75 * one.w()[i], scaled.w()[i], 1e-15);
    }
  }

  @Test
  void modelMethodCallingAnotherOfItsOwn() {
    Random rng = new Random(8);
    Tensor w = Tensor.randn(rng, 3);
    double s = 0.7;
    CompositionCorpus.Scaled m = new CompositionCorpus.Scaled(w.copy());
    var g = CompositionCorpus_ScaledGrad.outer(m, s);
    assertEquals(m.outer(s), g.value(), 0.0);
    ToDoubleFunction<Tensor[]> f = p -> new CompositionCorpus.Scaled(p[0].copy()).outer(p[1].item());
    assertPasses("Scaled.outer", GradCheck.checkTensors(f, new Tensor[] {w, Tensor.scalar(s)},
        new Tensor[] {m.w.grad(), Tensor.scalar(g.s())}));
  }

  private static CompositionCorpus.Net net(Tensor[] p) {
    return new CompositionCorpus.Net(new CompositionCorpus.Linear(p[0].copy(), p[1].copy()),
        new CompositionCorpus.Linear(p[2].copy(), p[3].copy()));
  }

  private static Tensor[] netParameters(Random rng) {
    return new Tensor[] {Tensor.randn(rng, 3, 4), Tensor.randn(rng, 4), Tensor.randn(rng, 4, 2), Tensor.randn(rng, 2)};
  }

  private static Tensor[] grads(CompositionCorpus.Net net) {
    return new Tensor[] {net.fc1.w.grad(), net.fc1.b.grad(), net.fc2.w.grad(), net.fc2.b.grad()};
  }

  @Test
  void modelBuiltFromModules() {
    Random rng = new Random(9);
    Tensor[] p = netParameters(rng);
    Tensor x = Tensor.randn(rng, 5, 3);
    Tensor target = Tensor.randn(rng, 5, 2);
    CompositionCorpus.Net net = net(p);
    var g = CompositionCorpus_NetGrad.loss(net, x, target);
    assertEquals(net.loss(x, target), g.value(), 0.0);
    assertPasses("Net.loss", GradCheck.checkTensors(q -> net(q).loss(x, target), p, grads(net)));

    // the tensor-valued loss, as in the seed: the same gradients
    CompositionCorpus.Net again = net(p);
    var t = CompositionCorpus_NetGrad.lossTensor(again, x, target);
    assertEquals(g.value(), t.value().item(), 0.0);
    Tensor[] first = grads(net);
    Tensor[] second = grads(again);
    for (int i = 0; i < first.length; i++) {
      assertArrayEquals(first[i].toArray(), second[i].toArray(), 1e-12, "lossTensor parameter " + i);
    }
  }

  private static CompositionCorpus.Linear linear(Tensor[] p, int k) {
    return new CompositionCorpus.Linear(p[2 * k].copy(), p[2 * k + 1].copy());
  }

  /** Three 3x3 blocks, then two 3x2 heads: 10 parameters. */
  private static CompositionCorpus.Deep deep(Tensor[] p) {
    return new CompositionCorpus.Deep(List.of(linear(p, 0), linear(p, 1), linear(p, 2)),
        new CompositionCorpus.Linear[] {linear(p, 3), linear(p, 4)});
  }

  private static Tensor[] deepParameters(Random rng) {
    Tensor[] p = new Tensor[10];
    for (int k = 0; k < 5; k++) {
      p[2 * k] = Tensor.randn(rng, 3, k < 3 ? 3 : 2).mul(0.7);
      p[2 * k + 1] = Tensor.randn(rng, k < 3 ? 3 : 2);
    }
    return p;
  }

  private static Tensor[] grads(CompositionCorpus.Deep m) {
    Tensor[] g = new Tensor[10];
    for (int k = 0; k < 5; k++) {
      CompositionCorpus.Linear l = k < 3 ? m.blocks.get(k) : m.heads[k - 3];
      g[2 * k] = l.w.grad() == null ? Tensor.zerosLike(l.w) : l.w.grad();
      g[2 * k + 1] = l.b.grad() == null ? Tensor.zerosLike(l.b) : l.b.grad();
    }
    return g;
  }

  @Test
  void subModulesInAListAndAnArray() {
    Random rng = new Random(11);
    Tensor[] p = deepParameters(rng);
    Tensor x = Tensor.randn(rng, 4, 3);
    Tensor seed = Tensor.randn(rng, 4, 2);
    CompositionCorpus.Deep m = deep(p);
    var g = CompositionCorpus_DeepGrad.forwardVjp(m, x, seed);
    assertSameValues(m.forward(x), g.value(), "Deep.forward value");
    Tensor[] inputs = new Tensor[11];
    System.arraycopy(p, 0, inputs, 0, 10);
    inputs[10] = x;
    Tensor[] analytic = new Tensor[11];
    System.arraycopy(grads(m), 0, analytic, 0, 10);
    analytic[10] = g.x();
    assertPasses("Deep.forwardVjp", GradCheck.checkTensors(q -> inner(seed, deep(q).forward(q[10])), inputs, analytic));
  }

  @Test
  void subModulesByIndex() {
    Random rng = new Random(12);
    Tensor[] p = deepParameters(rng);
    Tensor x = Tensor.randn(rng, 4, 3);
    CompositionCorpus.Deep m = deep(p);
    var g = CompositionCorpus_DeepGrad.evenBlocks(m, x);
    assertEquals(m.evenBlocks(x), g.value(), 0.0);
    assertTrue(m.blocks.get(1).w.grad() == null, "block 1 is skipped: no gradient reaches it");
    assertPasses("Deep.evenBlocks", GradCheck.checkTensors(q -> deep(q).evenBlocks(x), p, grads(m)));
  }

  @Test
  void layersChosenAtRunTime() {
    Random rng = new Random(13);
    Tensor[] p = {Tensor.randn(rng, 3, 3), Tensor.randn(rng, 3), Tensor.randn(rng, 3, 2), Tensor.randn(rng, 2)};
    Tensor x = Tensor.randn(rng, 4, 3);
    Tensor target = Tensor.randn(rng, 4, 2);
    java.util.function.Function<Tensor[], CompositionCorpus.Chain> chain = q -> new CompositionCorpus.Chain(List.of(
        new CompositionCorpus.Dense(linear(q, 0)), new CompositionCorpus.Halve(), new CompositionCorpus.Dense(linear(q, 1))));
    CompositionCorpus.Chain c = chain.apply(p);
    var g = CompositionCorpus_ChainGrad.loss(c, x, target);
    assertEquals(c.loss(x, target), g.value(), 0.0);
    CompositionCorpus.Linear first = ((CompositionCorpus.Dense) c.layers.get(0)).linear;
    CompositionCorpus.Linear last = ((CompositionCorpus.Dense) c.layers.get(2)).linear;
    assertPasses("Chain.loss", GradCheck.checkTensors(q -> chain.apply(q).loss(x, target), p,
        new Tensor[] {first.w.grad(), first.b.grad(), last.w.grad(), last.b.grad()}));
  }

  @Test
  void namedParametersListEveryReachableTensorInDeclarationOrder() {
    Random rng = new Random(14);
    CompositionCorpus.Net net = net(netParameters(rng));
    var named = CompositionCorpus_NetGrad.namedParameters(net);
    assertEquals(List.of("fc1.w", "fc1.b", "fc2.w", "fc2.b"), List.copyOf(named.keySet()));
    assertTrue(named.get("fc2.b") == net.fc2.b, "the model's own tensors, not copies");

    CompositionCorpus.Deep deep = deep(deepParameters(rng));
    assertEquals(List.of("blocks.0.w", "blocks.0.b", "blocks.1.w", "blocks.1.b", "blocks.2.w", "blocks.2.b",
        "heads.0.w", "heads.0.b", "heads.1.w", "heads.1.b"), List.copyOf(CompositionCorpus_DeepGrad.namedParameters(deep).keySet()));
    assertTrue(CompositionCorpus_DeepGrad.namedParameters(deep).get("heads.1.w") == deep.heads[1].w);

    Tensor[] p = {Tensor.randn(rng, 3, 3), Tensor.randn(rng, 3), Tensor.randn(rng, 3, 2), Tensor.randn(rng, 2)};
    CompositionCorpus.Chain chain = new CompositionCorpus.Chain(List.of(new CompositionCorpus.Dense(linear(p, 0)),
        new CompositionCorpus.Halve(), new CompositionCorpus.Dense(linear(p, 1))));
    assertEquals(List.of("layers.0.linear.w", "layers.0.linear.b", "layers.2.linear.w", "layers.2.linear.b"),
        List.copyOf(CompositionCorpus_ChainGrad.namedParameters(chain).keySet()));
  }

  @Test
  void parametersInArrayAndListFields() {
    Random rng = new Random(16);
    Tensor[] p = {Tensor.randn(rng, 3, 3).mul(0.6), Tensor.randn(rng, 3, 3).mul(0.6), Tensor.randn(rng, 3),
        Tensor.randn(rng, 3)};
    Tensor x = Tensor.randn(rng, 4, 3);
    java.util.function.Function<Tensor[], CompositionCorpus.Banks> banks = q -> new CompositionCorpus.Banks(
        new Tensor[] {q[0].copy(), q[1].copy()}, List.of(q[2].copy(), q[3].copy()));
    CompositionCorpus.Banks m = banks.apply(p);
    var g = CompositionCorpus_BanksGrad.loss(m, x);
    assertEquals(m.loss(x), g.value(), 0.0);
    assertPasses("Banks.loss", GradCheck.checkTensors(q -> banks.apply(q).loss(x), p,
        new Tensor[] {m.weights[0].grad(), m.weights[1].grad(), m.biases.get(0).grad(), m.biases.get(1).grad()}));
    assertEquals(List.of("weights.0", "weights.1", "biases.0", "biases.1"),
        List.copyOf(CompositionCorpus_BanksGrad.namedParameters(m).keySet()));
    var check = CompositionCorpus_BanksGrad.lossCheck(banks.apply(p), x);
    assertTrue(check.passed(), check.toString()); // the generated check registers each element as a field
  }

  @Test
  void twoHalvesEqualThePullback() {
    Random rng = new Random(15);
    Tensor[] p = netParameters(rng);
    Tensor x = Tensor.randn(rng, 5, 3);
    Tensor seed = Tensor.randn(rng, 5, 2);
    CompositionCorpus.Net once = net(p);
    var whole = CompositionCorpus_NetGrad.forwardVjp(once, x, seed);
    CompositionCorpus.Net halves = net(p);
    var left = CompositionCorpus_NetGrad.forwardForward(halves, x);
    assertSameValues(whole.value(), left.value(), "forward half's value");
    var split = CompositionCorpus_NetGrad.forwardBackward(halves, x, left, seed);
    assertArrayEquals(whole.x().toArray(), split.x().toArray(), 0.0, "x's gradient");
    Tensor[] a = grads(once);
    Tensor[] b = grads(halves);
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i].toArray(), b[i].toArray(), 0.0, "parameter " + i);
    }
  }

  @Test
  void modulePullbackWeightsParameterGradientsBySeed() {
    Random rng = new Random(10);
    Tensor[] p = netParameters(rng);
    Tensor x = Tensor.randn(rng, 5, 3);
    Tensor seed = Tensor.randn(rng, 5, 2);
    CompositionCorpus.Net net = net(p);
    var g = CompositionCorpus_NetGrad.forwardVjp(net, x, seed);
    assertSameValues(net.forward(x), g.value(), "forward value");
    Tensor[] inputs = {p[0], p[1], p[2], p[3], x};
    Tensor[] analytic = {net.fc1.w.grad(), net.fc1.b.grad(), net.fc2.w.grad(), net.fc2.b.grad(), g.x()};
    assertPasses("Net.forwardVjp", GradCheck.checkTensors(
        q -> inner(seed, net(q).forward(q[4])), inputs, analytic));
  }
}
