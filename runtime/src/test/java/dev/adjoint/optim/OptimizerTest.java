package dev.adjoint.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Optimizers against hand-computed two-step trajectories (PyTorch semantics) from p = [1, -2] with gradients
 * g1 = [0.5, -1] then g2 = [0.25, 2].
 */
class OptimizerTest {
  private static final double[] G1 = {0.5, -1};
  private static final double[] G2 = {0.25, 2};

  private static double[][] run(java.util.function.Function<List<Tensor>, Optimizer> make) {
    Tensor p = Tensor.vector(1, -2).requiresGrad(true);
    Optimizer opt = make.apply(List.of(p));
    double[][] out = new double[2][];
    p.accumulateGrad(Tensor.vector(G1));
    opt.step();
    out[0] = p.toArray();
    opt.zeroGrad();
    p.accumulateGrad(Tensor.vector(G2));
    opt.step();
    out[1] = p.toArray();
    return out;
  }

  private static void assertTrajectory(double[][] expected, double[][] actual) {
    assertArrayEquals(expected[0], actual[0], 1e-12, "after step 1");
    assertArrayEquals(expected[1], actual[1], 1e-12, "after step 2");
  }

  @Test
  void plainSgd() {
    // p -= 0.1 g: [1 - 0.05, -2 + 0.1] then [0.95 - 0.025, -1.9 - 0.2]
    assertTrajectory(new double[][] {{0.95, -1.9}, {0.925, -2.1}}, run(ps -> new Sgd(ps, 0.1)));
  }

  @Test
  void sgdMomentum() {
    // buf1 = g1 = [0.5, -1] → p = [0.95, -1.9]; buf2 = 0.9·buf1 + g2 = [0.7, 1.1] → p = [0.88, -2.01]
    assertTrajectory(new double[][] {{0.95, -1.9}, {0.88, -2.01}}, run(ps -> new Sgd(ps, 0.1).momentum(0.9)));
  }

  @Test
  void sgdNesterov() {
    // step 1: buf = g1; update g1 + 0.9·buf = 1.9·g1 = [0.95, -1.9] → p = [0.905, -1.81]
    // step 2: buf = [0.7, 1.1]; update g2 + 0.9·buf = [0.88, 2.99] → p = [0.817, -2.109]
    assertTrajectory(new double[][] {{0.905, -1.81}, {0.817, -2.109}},
        run(ps -> new Sgd(ps, 0.1).nesterov(true).momentum(0.9)));
  }

  @Test
  void sgdDampeningAndWeightDecay() {
    // step 1: d = g1 + 0.01·p = [0.51, -1.02]; buf = d → p = [0.949, -1.898]
    // step 2: d = g2 + 0.01·p = [0.25949, 1.98102]; buf = 0.9·buf + 0.5·d = [0.588745, 0.09351] → p = [0.8901255, -1.905251]
    assertTrajectory(new double[][] {{0.949, -1.898}, {0.8901255, -1.905251}},
        run(ps -> new Sgd(ps, 0.1, 0.9, 0.5, 0.01, false)));
  }

  @Test
  void adam() {
    // step 1: m̂ = g, v̂ = g², so p -= 0.1·g/(|g| + 1e-8) ≈ 0.1·sign(g)
    assertTrajectory(new double[][] {{0.900000002, -1.900000001}, {0.8067820404774624, -1.9366103534720749}},
        run(ps -> new Adam(ps, 0.1)));
  }

  @Test
  void adamWithL2WeightDecay() {
    assertTrajectory(new double[][] {{0.9000000016666666, -1.9000000008333333},
        {0.8050097658613199, -1.9250178784643248}}, run(ps -> new Adam(ps, 0.1).weightDecay(0.1)));
  }

  @Test
  void adamWDecoupledDefaultDecay() {
    // p *= 1 - 0.1·0.01 before each Adam update on the raw gradient
    assertTrajectory(new double[][] {{0.899000002, -1.898000001}, {0.8048830404754623, -1.9327123534710748}},
        run(ps -> new AdamW(ps, 0.1)));
  }

  @Test
  void paramsWithoutGradientAreSkipped() {
    Tensor a = Tensor.vector(1).requiresGrad(true);
    Tensor b = Tensor.vector(2).requiresGrad(true);
    b.accumulateGrad(Tensor.vector(1));
    for (Optimizer opt : new Optimizer[] {new Sgd(List.of(a, b), 0.5).momentum(0.9), new Adam(List.of(a, b), 0.5),
        new AdamW(List.of(a, b), 0.5)}) {
      opt.step();
      opt.zeroGrad();
      assertEquals(1.0, a.item());
      assertNull(a.grad());
    }
  }

  @Test
  void argumentValidation() {
    List<Tensor> ps = List.of(Tensor.zeros(1).requiresGrad(true));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, -0.1));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(new ArrayList<>(), 0.1));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1).momentum(-1));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1).weightDecay(-1));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, 0, 0, 0, true));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1).nesterov(true).step());
    assertThrows(IllegalArgumentException.class, () -> new Adam(ps, -1));
    assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1).betas(1.0, 0.999));
    assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1).eps(-1));
    assertThrows(IllegalArgumentException.class, () -> new AdamW(ps, 0.1).weightDecay(-0.01));
    List<Tensor> withNull = new ArrayList<>();
    withNull.add(null);
    assertThrows(IllegalArgumentException.class, () -> new Adam(withNull, 0.1));
  }
  /** Captures the records of the optimizers' logger (System.Logger goes to java.util.logging by default). */
  private static List<LogRecord> capture(Runnable r) {
    Logger log = Logger.getLogger("dev.adjoint.optim");
    List<LogRecord> records = new ArrayList<>();
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord rec) {
        records.add(rec);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(h);
    try {
      r.run();
    } finally {
      log.removeHandler(h);
    }
    return records;
  }

  @Test
  void parametersThatDoNotRequireGradAreAnErrorOrAWarning() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Adam(List.of(Tensor.zeros(2), Tensor.zeros(3)), 0.1));
    assertEquals("Adam: none of the 2 parameters requires a gradient; mark them with requiresGrad(true), or they "
        + "are never trained", e.getMessage());
    List<LogRecord> logged = capture(() -> new Sgd(List.of(Tensor.zeros(1).requiresGrad(true), Tensor.zeros(1)), 0.1));
    assertEquals(1, logged.size());
    assertEquals(Level.WARNING, logged.get(0).getLevel());
    assertEquals("Sgd: parameters [1] (of 2) do not require a gradient and will not be trained; mark them with "
        + "requiresGrad(true)", logged.get(0).getMessage());
    assertTrue(capture(() -> new AdamW(List.of(Tensor.zeros(1).requiresGrad(true)), 0.1)).isEmpty());
  }

  @Test
  void aStepWithoutAnyGradientWarnsOnce() {
    Tensor p = Tensor.vector(1).requiresGrad(true);
    for (Optimizer opt : new Optimizer[] {new Sgd(List.of(p), 0.1), new Adam(List.of(p), 0.1)}) {
      List<LogRecord> logged = capture(() -> {
        opt.step();
        opt.step();
      });
      assertEquals(1, logged.size(), "warned once");
      assertEquals(Level.WARNING, logged.get(0).getLevel());
      assertTrue(logged.get(0).getMessage().contains("step() found no gradient on any of its 1 parameters"),
          logged.get(0).getMessage());
      assertEquals(1.0, p.item(), 0.0);
    }
    Tensor q = Tensor.vector(1).requiresGrad(true);
    q.accumulateGrad(Tensor.vector(1));
    Optimizer withGrad = new Sgd(List.of(q), 0.1);
    assertTrue(capture(withGrad::step).isEmpty());
  }
}
