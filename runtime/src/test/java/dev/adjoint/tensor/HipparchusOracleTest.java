package dev.adjoint.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.Test;

/**
 * Element-wise rules against a second, exact oracle: Hipparchus forward-mode derivatives. With gy = 1 an
 * element-wise VJP is the element-wise derivative, which forward mode computes to machine precision.
 */
class HipparchusOracleTest {
  private static final DSFactory FACTORY = new DSFactory(1, 1);
  private final Random rng = new Random(7);

  private interface Rule {
    Tensor apply(Tensor gy, Tensor y, Tensor x);
  }

  private void check(String name, Function<Tensor, Tensor> op, Rule rule,
      Function<DerivativeStructure, DerivativeStructure> ds, DoubleUnaryOperator sample) {
    double[] xs = new double[50];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = sample.applyAsDouble(rng.nextGaussian());
    }
    Tensor x = Tensor.of(xs, 5, 10);
    Tensor y = op.apply(x);
    Tensor g = rule.apply(Tensor.onesLike(y), y, x);
    for (int i = 0; i < xs.length; i++) {
      DerivativeStructure d = ds.apply(FACTORY.variable(0, xs[i]));
      assertEquals(d.getValue(), y.data()[i], 1e-14 * Math.max(1, Math.abs(d.getValue())), name + " value at " + xs[i]);
      double expected = d.getPartialDerivative(1);
      assertEquals(expected, g.data()[i], 1e-13 * Math.max(1, Math.abs(expected)), name + " derivative at " + xs[i]);
    }
  }

  @Test
  void unaryRulesMatchForwardMode() {
    DoubleUnaryOperator any = v -> v;
    DoubleUnaryOperator pos = v -> 0.1 + Math.abs(v);
    DoubleUnaryOperator nonZero = v -> v >= 0 ? v + 0.1 : v - 0.1;
    check("neg", Tensor::neg, Tensor::negVjpSelf, DerivativeStructure::negate, any);
    check("exp", Tensor::exp, Tensor::expVjpSelf, DerivativeStructure::exp, any);
    check("log", Tensor::log, Tensor::logVjpSelf, DerivativeStructure::log, pos);
    check("tanh", Tensor::tanh, Tensor::tanhVjpSelf, DerivativeStructure::tanh, any);
    check("sigmoid", Tensor::sigmoid, Tensor::sigmoidVjpSelf, z -> z.negate().exp().add(1).reciprocal(), any);
    check("sqrt", Tensor::sqrt, Tensor::sqrtVjpSelf, DerivativeStructure::sqrt, pos);
    check("abs", Tensor::abs, Tensor::absVjpSelf, DerivativeStructure::abs, nonZero);
    check("sin", Tensor::sin, Tensor::sinVjpSelf, DerivativeStructure::sin, any);
    check("cos", Tensor::cos, Tensor::cosVjpSelf, DerivativeStructure::cos, any);
    check("clamp", t -> t.clamp(-0.5, 0.7), (gy, y, x) -> Tensor.clampVjpSelf(gy, y, x, -0.5, 0.7),
        z -> z.getValue() < -0.5 ? z.multiply(0).add(-0.5) : z.getValue() > 0.7 ? z.multiply(0).add(0.7) : z, any);
    check("square", Tensor::square, Tensor::squareVjpSelf, DerivativeStructure::square, any);
    check("relu", Tensor::relu, Tensor::reluVjpSelf, z -> z.getValue() > 0 ? z : z.multiply(0), nonZero);
    for (double p : new double[] {2, 3, -1, 0.5, 1.5, -2.5}) {
      check("pow" + p, t -> t.pow(p), (gy, y, x) -> Tensor.powVjpSelf(gy, y, x, p), z -> z.pow(p), pos);
    }
    check("rdiv", t -> t.rdiv(3), (gy, y, x) -> Tensor.rdivVjpSelf(gy, y, x, 3), z -> z.reciprocal().multiply(3),
        nonZero);
  }

  @Test
  void binaryRulesMatchForwardMode() {
    DSFactory two = new DSFactory(2, 1);
    for (int i = 0; i < 50; i++) {
      double a = rng.nextGaussian();
      double b = rng.nextGaussian() + (rng.nextBoolean() ? 2 : -2);
      Tensor ta = Tensor.scalar(a);
      Tensor tb = Tensor.scalar(b);
      Tensor one = Tensor.scalar(1);
      DerivativeStructure da = two.variable(0, a);
      DerivativeStructure db = two.variable(1, b);
      DerivativeStructure mul = da.multiply(db);
      DerivativeStructure div = da.divide(db);
      assertEquals(mul.getPartialDerivative(1, 0), Tensor.mulVjpSelf(one, ta.mul(tb), ta, tb).item(), 1e-13);
      assertEquals(mul.getPartialDerivative(0, 1), Tensor.mulVjpOther(one, ta.mul(tb), ta, tb).item(), 1e-13);
      assertEquals(div.getPartialDerivative(1, 0), Tensor.divVjpSelf(one, ta.div(tb), ta, tb).item(), 1e-13);
      assertEquals(div.getPartialDerivative(0, 1), Tensor.divVjpOther(one, ta.div(tb), ta, tb).item(), 1e-13);
      DerivativeStructure pw = db.abs().pow(da); // d/dp of |b|^p
      Tensor base = Tensor.scalar(Math.abs(b));
      assertEquals(pw.getPartialDerivative(1, 0), Tensor.powVjpExponent(one, base.pow(a), base, a),
          1e-12 * Math.max(1, Math.abs(pw.getPartialDerivative(1, 0))));
    }
  }
}
