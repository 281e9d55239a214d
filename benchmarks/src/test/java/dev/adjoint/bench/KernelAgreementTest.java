package dev.adjoint.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDManager;
import dev.adjoint.bench.Cases.Case;
import dev.adjoint.bench.Cases.Result;
import dev.adjoint.bench.adbench.AdBench;
import dev.adjoint.bench.kernels.Djl;
import dev.adjoint.bench.kernels.Mlp;
import dev.adjoint.check.GradCheck;
import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The benchmarks' quick mode: every benchmark kernel, on the inputs the benchmarks time, run once through
 * every engine (generated, hand-written, Hipparchus forward mode, DJL/PyTorch autograd, and ND4J SameDiff on
 * the MLP), the gradients required to agree with each other to 1e-8 (relative to the gradient's largest entry,
 * so that entries that cancel to ~0 do not demand more digits than the sum they come from has). Nothing about
 * speed.
 *
 * <p>Forward mode is run on the whole gradient when it has at most {@value #FULL_FORWARD} inputs; on larger
 * ones, on three chunks of {@value #CHUNK} inputs (first, middle, last), which is what the benchmarks time.
 * It is not run on the MLP (39 301 inputs), which the benchmarks do not time in forward mode either.
 */
class KernelAgreementTest {
  static final double RTOL = 1e-8;
  static final int FULL_FORWARD = 300;
  static final int CHUNK = 8;

  static NDManager manager;

  @BeforeAll
  static void loadPyTorch() {
    manager = Djl.newManager();
  }

  @AfterAll
  static void close() {
    if (manager != null) {
      manager.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyKernelAgreesAcrossEngines() {
    return Cases.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> agree(c)));
  }

  private static void agree(Case c) {
    double primal = c.primal();
    Result gen = c.generated();
    Result hand = c.hand();
    Result djl = c.djl(manager);
    assertEquals(c.inputs(), gen.gradient().length, c.name() + ": generated gradient length");
    assertEquals(primal, gen.value(), 0.0, c.name() + ": generated value is the primal's, bit for bit");
    assertClose(c.name() + " value: hand vs primal", primal, hand.value(), Math.abs(primal));
    assertClose(c.name() + " value: DJL vs primal", primal, djl.value(), Math.abs(primal));
    double scale = maxAbs(gen.gradient());
    assertTrue(scale > 0, c.name() + ": gradient is not all zero");
    assertArrayClose(c.name() + ": hand-written vs generated", gen.gradient(), 0, hand.gradient(), scale);
    assertArrayClose(c.name() + ": DJL vs generated", gen.gradient(), 0, djl.gradient(), scale);
    c.sameDiff().ifPresent(nd4j -> {
      assertClose(c.name() + " value: ND4J vs primal", primal, nd4j.value(), Math.abs(primal));
      assertArrayClose(c.name() + ": ND4J SameDiff vs generated", gen.gradient(), 0, nd4j.gradient(), scale);
    });
    if (!c.forwardMode()) {
      return;
    }
    int n = c.inputs();
    List<int[]> chunks = new ArrayList<>();
    if (n <= FULL_FORWARD) {
      chunks.add(new int[] {0, n});
    } else {
      chunks.add(new int[] {0, CHUNK});
      chunks.add(new int[] {n / 2, CHUNK});
      chunks.add(new int[] {n - CHUNK, CHUNK});
    }
    for (int[] ch : chunks) {
      Result fwd = c.hipparchus(ch[0], ch[1]);
      assertClose(c.name() + " value: Hipparchus vs primal", primal, fwd.value(), Math.abs(primal));
      assertArrayClose(c.name() + ": Hipparchus [" + ch[0] + ", " + (ch[0] + ch[1]) + ") vs generated",
          gen.gradient(), ch[0], fwd.gradient(), scale);
    }
  }

  /** The hand-written gradients are an oracle only if they are right: finite differences, on small inputs. */
  @Test
  void handWrittenGradientsMatchFiniteDifferences() {
    List<Case> small = List.of(
        Cases.gmm(AdBench.syntheticGmm("d3_K4_n20", 3, 4, 20, 3)),
        Cases.gmm(AdBench.syntheticGmm("d2_K3_n5 gamma=1.7 m=2",
            2, 3, 5, 5).withWishart(1.7, 2)),
        Cases.lstm(AdBench.syntheticLstm("l2_c8_b5", 2, 8, 5, 4)),
        Cases.rosenbrock(20),
        Cases.reactionDiffusion(20));
    for (Case c : small) {
      Result hand = c.hand();
      GradCheck.check(c::primalAt, c.flatInputs(), hand.gradient()).assertPassed();
      // and the generated one, against the same oracle
      GradCheck.check(c::primalAt, c.flatInputs(), c.generated().gradient()).assertPassed();
    }
  }

  /**
   * Seed 003's MLP on a small instance (20×12 → 5 → 1, non-zero biases so that the forward bias broadcast is
   * exercised too): every engine agrees with the generated gradient, and the generated and hand-written
   * gradients match finite differences on every entry. The step is small (1e-5, Richardson-refined) so that no
   * perturbation moves a pre-activation across ReLU's kink.
   */
  @Test
  void mlpOnASmallInstanceAgreesAcrossEnginesAndWithFiniteDifferences() {
    Mlp.Input base = Mlp.input(20, 12, 5, 17);
    Random rng = new Random(18);
    Mlp.Input small = new Mlp.Input("20x12-5-1", base.x(), base.w1(), Tensor.randn(rng, 5).mul(0.3), base.w2(),
        Tensor.randn(rng, 1).mul(0.3), base.target());
    Case c = Cases.mlp(small);
    assertEquals(12 * 5 + 5 + 5 + 1, c.inputs());
    assertTrue(c.sameDiff().isPresent(), "the MLP has an ND4J SameDiff version");
    agree(c);
    GradCheck.Options fine = new GradCheck.Options(1e-6, 1e-10, 1e-5);
    GradCheck.check(c::primalAt, c.flatInputs(), c.generated().gradient(), fine).assertPassed();
    GradCheck.check(c::primalAt, c.flatInputs(), c.hand().gradient(), fine).assertPassed();
  }

  /**
   * The generated MLP gradient at the benchmark's size (39 301 inputs) against central differences on eight
   * entries spread over w1, b1, w2 and b2 (a full finite-difference gradient would take 78 602 forward passes).
   */
  @Test
  void mlpAtBenchmarkSizeMatchesCentralDifferencesOnSampledEntries() {
    Mlp.Input m = Mlp.seed003();
    Case c = Cases.mlp(m);
    double[] g = c.generated().gradient();
    double[] x = c.flatInputs();
    int w1 = m.w1().size();
    int h = m.hidden();
    int[] entries = {0, w1 / 2 + 7, w1 - 1, w1, w1 + h - 1, w1 + h, w1 + h + h / 2, w1 + 2 * h};
    double scale = maxAbs(g);
    for (int i : entries) {
      double step = 1e-6;
      double keep = x[i];
      x[i] = keep + step;
      double up = c.primalAt(x);
      x[i] = keep - step;
      double down = c.primalAt(x);
      x[i] = keep;
      double fd = (up - down) / (2 * step);
      assertTrue(Math.abs(fd - g[i]) <= 1e-7 * scale, "entry " + i + ": generated " + g[i] + ", central difference "
          + fd + " (max|g| " + scale + ")");
      assertTrue(g[i] != 0, "entry " + i + " is not trivially zero");
    }
  }

  static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  static void assertClose(String what, double expected, double actual, double scale) {
    if (!(Math.abs(expected - actual) <= RTOL * Math.max(scale, 1e-300))) {
      fail(what + ": expected " + expected + ", got " + actual);
    }
  }

  static void assertArrayClose(String what, double[] reference, int offset, double[] actual, double scale) {
    double worst = 0;
    int worstAt = -1;
    for (int i = 0; i < actual.length; i++) {
      double err = Math.abs(reference[offset + i] - actual[i]);
      if (!(err <= worst)) {
        worst = err;
        worstAt = i;
      }
    }
    if (!(worst <= RTOL * scale)) {
      fail(what + ": worst at input " + (offset + worstAt) + ": " + reference[offset + worstAt] + " vs "
          + actual[worstAt] + " (|diff| " + worst + " > " + RTOL + " * max|g| " + scale + ")");
    }
  }
}
