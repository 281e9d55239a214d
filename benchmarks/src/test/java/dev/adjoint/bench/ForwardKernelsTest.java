package dev.adjoint.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.bench.adbench.AdBench;
import dev.adjoint.bench.adbench.AdBench.GmmInput;
import dev.adjoint.bench.adbench.AdBench.LstmInput;
import dev.adjoint.bench.kernels.Gmm;
import dev.adjoint.bench.kernels.GmmGrad;
import dev.adjoint.bench.kernels.Lstm;
import dev.adjoint.bench.kernels.LstmGrad;
import dev.adjoint.bench.kernels.Scalar;
import dev.adjoint.bench.kernels.ScalarGrad;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The forward-mode and Hessian-vector-product methods the benchmarks time, on their inputs: each
 * {@code mJvp}'s value is the kernel's and its tangent the generated gradient's inner product
 * with the direction; each {@code mHvp} (GMM's and the LSTM's through their calls of logsumexp and
 * sigmoid, inlined) is the central difference of the generated gradient along the direction.
 */
class ForwardKernelsTest {
  @Test
  void rosenbrockJvpAndHvp() {
    double[] x = Cases.scalarInput(100, 7);
    double[] v = new Random(1).doubles(x.length, -1, 1).toArray();
    ScalarGrad.RosenbrockJvp jvp = ScalarGrad.rosenbrockJvp(x, v);
    assertEquals(Scalar.rosenbrock(x), jvp.value(), 0.0);
    double inner = dot(ScalarGrad.rosenbrock(x).x(), v);
    assertEquals(inner, jvp.tangent(), 1e-10 * Math.abs(inner));
    double[] hv = ScalarGrad.rosenbrockHvp(x, v).x();
    double h = 1e-5;
    double[] plus = ScalarGrad.rosenbrock(along(x, v, h)).x();
    double[] minus = ScalarGrad.rosenbrock(along(x, v, -h)).x();
    for (int i = 0; i < x.length; i++) {
      double fd = (plus[i] - minus[i]) / (2 * h);
      assertEquals(fd, hv[i], 1e-5 * Math.max(1, Math.abs(fd)), "(Hv)[" + i + "]");
    }
  }

  @Test
  void gmmJvp() {
    GmmInput g = AdBench.gmm("d2_K5");
    Random r = new Random(2);
    double[] da = r.doubles(g.alphas().length).toArray();
    double[] dm = r.doubles(g.means().length).toArray();
    double[] di = r.doubles(g.icf().length).toArray();
    GmmGrad.GmmJvp jvp = GmmGrad.gmmJvp(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(),
        g.wishartM(), da, dm, di);
    assertEquals(Gmm.gmm(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(), g.wishartM()),
        jvp.value(), 0.0);
    GmmGrad.Gmm grad = GmmGrad.gmm(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(),
        g.wishartM());
    double inner = dot(grad.alphas(), da) + dot(grad.means(), dm) + dot(grad.icf(), di);
    assertEquals(inner, jvp.tangent(), 1e-9 * Math.abs(inner));
  }

  @Test
  void lstmJvp() {
    LstmInput s = AdBench.lstm();
    Random r = new Random(3);
    double[] dm = r.doubles(s.mainParams().length).toArray();
    double[] de = r.doubles(s.extraParams().length).toArray();
    LstmGrad.LstmJvp jvp = LstmGrad.lstmJvp(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(),
        s.b(), dm, de);
    assertEquals(Lstm.lstm(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b()), jvp.value(),
        0.0);
    LstmGrad.Lstm grad = LstmGrad.lstm(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b());
    double inner = dot(grad.mainParams(), dm) + dot(grad.extraParams(), de);
    assertEquals(inner, jvp.tangent(), 1e-9 * Math.abs(inner));
  }

  @Test
  void gmmHvpThroughItsCalls() {
    GmmInput g = AdBench.gmm("d2_K5");
    Random r = new Random(4);
    double[] da = r.doubles(g.alphas().length).toArray();
    double[] dm = r.doubles(g.means().length).toArray();
    double[] di = r.doubles(g.icf().length).toArray();
    GmmGrad.Gmm hv = GmmGrad.gmmHvp(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(),
        g.wishartM(), da, dm, di);
    double h = 1e-5;
    GmmGrad.Gmm plus = GmmGrad.gmm(along(g.alphas(), da, h), along(g.means(), dm, h), along(g.icf(), di, h), g.x(),
        g.d(), g.k(), g.n(), g.wishartGamma(), g.wishartM());
    GmmGrad.Gmm minus = GmmGrad.gmm(along(g.alphas(), da, -h), along(g.means(), dm, -h), along(g.icf(), di, -h),
        g.x(), g.d(), g.k(), g.n(), g.wishartGamma(), g.wishartM());
    assertCentral(plus.alphas(), minus.alphas(), h, hv.alphas(), "alphas");
    assertCentral(plus.means(), minus.means(), h, hv.means(), "means");
    assertCentral(plus.icf(), minus.icf(), h, hv.icf(), "icf");
  }

  @Test
  void lstmHvpThroughItsCalls() {
    LstmInput s = AdBench.lstm();
    Random r = new Random(5);
    double[] dm = r.doubles(s.mainParams().length, -0.1, 0.1).toArray();
    double[] de = r.doubles(s.extraParams().length, -0.1, 0.1).toArray();
    LstmGrad.Lstm hv = LstmGrad.lstmHvp(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b(),
        dm, de);
    double h = 1e-4;
    LstmGrad.Lstm plus = LstmGrad.lstm(along(s.mainParams(), dm, h), along(s.extraParams(), de, h), s.state(),
        s.sequence(), s.l(), s.c(), s.b());
    LstmGrad.Lstm minus = LstmGrad.lstm(along(s.mainParams(), dm, -h), along(s.extraParams(), de, -h), s.state(),
        s.sequence(), s.l(), s.c(), s.b());
    assertCentral(plus.mainParams(), minus.mainParams(), h, hv.mainParams(), "mainParams");
    assertCentral(plus.extraParams(), minus.extraParams(), h, hv.extraParams(), "extraParams");
  }

  /** Each element of {@code hv} is the central difference of the gradient ({@code plus}, {@code minus}). */
  private static void assertCentral(double[] plus, double[] minus, double h, double[] hv, String name) {
    double scale = 0;
    for (int i = 0; i < hv.length; i++) {
      scale = Math.max(scale, Math.abs((plus[i] - minus[i]) / (2 * h)));
    }
    for (int i = 0; i < hv.length; i++) {
      double fd = (plus[i] - minus[i]) / (2 * h);
      assertEquals(fd, hv[i], 1e-5 * Math.max(1, scale), "(Hv)." + name + "[" + i + "]");
    }
  }

  private static double[] along(double[] x, double[] v, double s) {
    double[] out = x.clone();
    for (int i = 0; i < x.length; i++) {
      out[i] += s * v[i];
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
