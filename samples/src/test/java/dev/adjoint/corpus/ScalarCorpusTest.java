package dev.adjoint.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks every method of the scalar corpus ({@link ScalarCorpus}, {@link StaticImportCorpus}) at
 * deterministic pseudo-random points inside its domain and away from its kinks:
 *
 * <ol>
 *   <li>the generated value equals the primal's value exactly (the forward sweep is the primal's
 *       code);
 *   <li>each generated partial agrees with central finite differences, Richardson-extrapolated;
 *   <li>each generated partial agrees with an independent forward-mode twin written over
 *       Hipparchus {@link DerivativeStructure}, to 1e-9 relative.
 * </ol>
 *
 * <p>Each case is one row of a table: a name, a sampling box with a predicate that keeps points
 * away from kinks and branch cuts, the primal, the generated gradient (called directly, so the table
 * also documents the generated API), and the twin.
 */
class ScalarCorpusTest {
  private static final int POINTS = 6;

  private static final double FD_REL = 1e-6;
  private static final double TWIN_REL = 1e-9;
  private static final double TWIN_ABS = 1e-12;

  private static final ScalarCorpus OBJ = new ScalarCorpus(0.7, -0.3);
  private static final ScalarCorpus.Inner INNER = new ScalarCorpus.Inner(1.7);

  // ---------------------------------------------------------------------------------------------
  // The table

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();

    // 1. Optimisation test functions
    c.add(fn("rosenbrock", box(-2, 2, -1, 3),
        p -> ScalarCorpus.rosenbrock(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.rosenbrock(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var a = d[0].negate().add(1);
          var b = d[1].subtract(sq(d[0]));
          return sq(a).add(sq(b).multiply(100));
        }));
    c.add(fn("beale", box(-4.5, 4.5, -4.5, 4.5),
        p -> ScalarCorpus.beale(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.beale(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = d[0];
          var y = d[1];
          var t1 = x.negate().add(1.5).add(x.multiply(y));
          var t2 = x.negate().add(2.25).add(x.multiply(y.pow(2)));
          var t3 = x.negate().add(2.625).add(x.multiply(y.pow(3)));
          return sq(t1).add(sq(t2)).add(sq(t3));
        }));
    c.add(fn("himmelblau", box(-5, 5, -5, 5),
        p -> ScalarCorpus.himmelblau(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.himmelblau(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> sq(sq(d[0]).add(d[1]).subtract(11)).add(sq(d[0].add(sq(d[1])).subtract(7)))));
    c.add(fn("booth", box(-10, 10, -10, 10),
        p -> ScalarCorpus.booth(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.booth(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> sq(d[0].add(d[1].multiply(2)).subtract(7)).add(sq(d[0].multiply(2).add(d[1]).subtract(5)))));
    c.add(fn("matyas", box(-10, 10, -10, 10),
        p -> ScalarCorpus.matyas(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.matyas(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> sq(d[0]).add(sq(d[1])).multiply(0.26).subtract(d[0].multiply(d[1]).multiply(0.48))));
    c.add(fn("threeHumpCamel", box(-5, 5, -5, 5),
        p -> ScalarCorpus.threeHumpCamel(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.threeHumpCamel(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = d[0];
          var y = d[1];
          return sq(x).multiply(2).subtract(x.pow(4).multiply(1.05)).add(x.pow(6).divide(6))
              .add(x.multiply(y)).add(sq(y));
        }));
    c.add(fn("goldsteinPrice", box(-2, 2, -2, 2),
        p -> ScalarCorpus.goldsteinPrice(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.goldsteinPrice(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = d[0];
          var y = d[1];
          var s = x.add(y).add(1);
          var a = x.multiply(-14).add(19).add(sq(x).multiply(3)).subtract(y.multiply(14))
              .add(x.multiply(y).multiply(6)).add(sq(y).multiply(3));
          var left = sq(s).multiply(a).add(1);
          var dd = x.multiply(2).subtract(y.multiply(3));
          var b = x.multiply(-32).add(18).add(sq(x).multiply(12)).add(y.multiply(48))
              .subtract(x.multiply(y).multiply(36)).add(sq(y).multiply(27));
          var right = sq(dd).multiply(b).add(30);
          return left.multiply(right);
        }));
    c.add(fn("styblinskiTang", box(-5, 5, -5, 5),
        p -> ScalarCorpus.styblinskiTang(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.styblinskiTang(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var fx = d[0].pow(4).subtract(sq(d[0]).multiply(16)).add(d[0].multiply(5));
          var fy = d[1].pow(4).subtract(sq(d[1]).multiply(16)).add(d[1].multiply(5));
          return fx.add(fy).multiply(0.5);
        }));

    // 2. Machine learning and statistics
    c.add(fn("sigmoid", box(-8, 8),
        p -> ScalarCorpus.sigmoid(p[0]),
        p -> { var g = ScalarCorpusGrad.sigmoid(p[0]); return v(g.value(), g.z()); },
        d -> d[0].negate().exp().add(1).reciprocal()));
    c.add(fn("softplus", box(-8, 8),
        p -> ScalarCorpus.softplus(p[0]),
        p -> { var g = ScalarCorpusGrad.softplus(p[0]); return v(g.value(), g.z()); },
        d -> d[0].exp().log1p()));
    // x and label are @NoDerivative: sampled, but constants for the twin and not perturbed
    c.add(fn("logisticLoss", box(-2, 2, -2, 2, -2, 2, 0, 1),
        p -> ScalarCorpus.logisticLoss(p[0], p[1], p[2], p[3]),
        p -> { var g = ScalarCorpusGrad.logisticLoss(p[0], p[1], p[2], p[3]); return v(g.value(), g.w(), g.b()); },
        d -> {
          var z = d[0].multiply(d[2]).add(d[1]);
          var pr = z.negate().exp().add(1).reciprocal();
          return d[3].multiply(pr.log()).add(d[3].negate().add(1).multiply(pr.negate().add(1).log())).negate();
        }).active(0, 1));
    c.add(fn("gaussianLogDensity", box(-3, 3, -3, 3, 0.3, 3),
        p -> ScalarCorpus.gaussianLogDensity(p[0], p[1], p[2]),
        p -> { var g = ScalarCorpusGrad.gaussianLogDensity(p[0], p[1], p[2]); return v(g.value(), g.x(), g.mu(), g.sigma()); },
        d -> {
          var u = d[0].subtract(d[1]).divide(d[2]);
          return d[2].log().negate().add(-0.5 * Math.log(2 * Math.PI)).subtract(sq(u).multiply(0.5));
        }));
    c.add(fn("blackScholesCall", box(50, 150, 50, 150, 0.1, 2, 0, 0.1, 0.1, 0.6),
        p -> ScalarCorpus.blackScholesCall(p[0], p[1], p[2], p[3], p[4]),
        p -> {
          var g = ScalarCorpusGrad.blackScholesCall(p[0], p[1], p[2], p[3], p[4]);
          return v(g.value(), g.s(), g.k(), g.t(), g.r(), g.sigma());
        },
        d -> {
          var s = d[0];
          var k = d[1];
          var t = d[2];
          var r = d[3];
          var sigma = d[4];
          var volSqrtT = sigma.multiply(t.sqrt());
          var d1 = s.divide(k).log().add(r.add(sq(sigma).multiply(0.5)).multiply(t)).divide(volSqrtT);
          var d2 = d1.subtract(volSqrtT);
          var n1 = d1.multiply(-1.702).exp().add(1).reciprocal();
          var n2 = d2.multiply(-1.702).exp().add(1).reciprocal();
          return s.multiply(n1).subtract(k.multiply(r.multiply(t).negate().exp()).multiply(n2));
        }));

    // 3. One Math function each
    c.add(fn("sinFn", box(-4, 4), p -> ScalarCorpus.sinFn(p[0]),
        p -> { var g = ScalarCorpusGrad.sinFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].sin()));
    c.add(fn("cosFn", box(-4, 4), p -> ScalarCorpus.cosFn(p[0]),
        p -> { var g = ScalarCorpusGrad.cosFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].cos()));
    c.add(fn("tanFn", box(-1.3, 1.3), p -> ScalarCorpus.tanFn(p[0]),
        p -> { var g = ScalarCorpusGrad.tanFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].tan()));
    c.add(fn("asinFn", box(-0.95, 0.95), p -> ScalarCorpus.asinFn(p[0]),
        p -> { var g = ScalarCorpusGrad.asinFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].asin()));
    c.add(fn("acosFn", box(-0.95, 0.95), p -> ScalarCorpus.acosFn(p[0]),
        p -> { var g = ScalarCorpusGrad.acosFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].acos()));
    c.add(fn("atanFn", box(-5, 5), p -> ScalarCorpus.atanFn(p[0]),
        p -> { var g = ScalarCorpusGrad.atanFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].atan()));
    c.add(fn("atan2Fn", box(-3, 3, -3, 3), p -> ScalarCorpus.atan2Fn(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.atan2Fn(p[0], p[1]); return v(g.value(), g.y(), g.x()); },
        d -> d[0].atan2(d[1])).where(p -> Math.hypot(p[0], p[1]) > 0.1 && awayFromCut(p[0], p[1])));
    c.add(fn("toRadiansFn", box(-200, 200), p -> ScalarCorpus.toRadiansFn(p[0]),
        p -> { var g = ScalarCorpusGrad.toRadiansFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].toRadians()));
    c.add(fn("toDegreesFn", box(-4, 4), p -> ScalarCorpus.toDegreesFn(p[0]),
        p -> { var g = ScalarCorpusGrad.toDegreesFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].toDegrees()));
    c.add(fn("sinhFn", box(-3, 3), p -> ScalarCorpus.sinhFn(p[0]),
        p -> { var g = ScalarCorpusGrad.sinhFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].sinh()));
    c.add(fn("coshFn", box(-3, 3), p -> ScalarCorpus.coshFn(p[0]),
        p -> { var g = ScalarCorpusGrad.coshFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].cosh()));
    c.add(fn("tanhFn", box(-3, 3), p -> ScalarCorpus.tanhFn(p[0]),
        p -> { var g = ScalarCorpusGrad.tanhFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].tanh()));
    c.add(fn("expFn", box(-5, 5), p -> ScalarCorpus.expFn(p[0]),
        p -> { var g = ScalarCorpusGrad.expFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].exp()));
    c.add(fn("expm1Fn", box(-3, 3), p -> ScalarCorpus.expm1Fn(p[0]),
        p -> { var g = ScalarCorpusGrad.expm1Fn(p[0]); return v(g.value(), g.x()); }, d -> d[0].expm1()));
    c.add(fn("logFn", box(0.05, 20), p -> ScalarCorpus.logFn(p[0]),
        p -> { var g = ScalarCorpusGrad.logFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].log()));
    c.add(fn("log10Fn", box(0.05, 20), p -> ScalarCorpus.log10Fn(p[0]),
        p -> { var g = ScalarCorpusGrad.log10Fn(p[0]); return v(g.value(), g.x()); }, d -> d[0].log10()));
    c.add(fn("log1pFn", box(-0.9, 10), p -> ScalarCorpus.log1pFn(p[0]),
        p -> { var g = ScalarCorpusGrad.log1pFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].log1p()));
    c.add(fn("sqrtFn", box(0.01, 50), p -> ScalarCorpus.sqrtFn(p[0]),
        p -> { var g = ScalarCorpusGrad.sqrtFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].sqrt()));
    c.add(fn("cbrtFn", box(-8, 8), p -> ScalarCorpus.cbrtFn(p[0]),
        p -> { var g = ScalarCorpusGrad.cbrtFn(p[0]); return v(g.value(), g.x()); }, d -> cbrt(d[0]))
        .where(p -> Math.abs(p[0]) > 0.05));
    c.add(fn("powCubeFn", box(-3, 3), p -> ScalarCorpus.powCubeFn(p[0]),
        p -> { var g = ScalarCorpusGrad.powCubeFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].pow(3))
        .where(p -> p[0] < -0.5 || p[0] > 0.5).mustInclude(p -> p[0] < 0));
    c.add(fn("powNegExpFn", box(-3, 3), p -> ScalarCorpus.powNegExpFn(p[0]),
        p -> { var g = ScalarCorpusGrad.powNegExpFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].pow(-2))
        .where(p -> Math.abs(p[0]) > 0.2).mustInclude(p -> p[0] < 0));
    c.add(fn("powFracFn", box(0.05, 4), p -> ScalarCorpus.powFracFn(p[0]),
        p -> { var g = ScalarCorpusGrad.powFracFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].pow(2.5)));
    c.add(fn("powVarFn", box(0.2, 3, -2, 3), p -> ScalarCorpus.powVarFn(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.powVarFn(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> d[0].pow(d[1])));
    c.add(fn("hypotFn", box(-3, 3, -3, 3), p -> ScalarCorpus.hypotFn(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.hypotFn(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> d[0].hypot(d[1])).where(p -> Math.hypot(p[0], p[1]) > 0.1));
    c.add(fn("absFn", box(-3, 3), p -> ScalarCorpus.absFn(p[0]),
        p -> { var g = ScalarCorpusGrad.absFn(p[0]); return v(g.value(), g.x()); }, d -> d[0].abs())
        .where(p -> Math.abs(p[0]) > 0.01).mustInclude(p -> p[0] < 0));
    c.add(fn("maxFn", box(-3, 3, -3, 3), p -> ScalarCorpus.maxFn(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.maxFn(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> max(d[0], d[1])).where(p -> Math.abs(p[0] - p[1]) > 0.01));
    c.add(fn("minFn", box(-3, 3, -3, 3), p -> ScalarCorpus.minFn(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.minFn(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> min(d[0], d[1])).where(p -> Math.abs(p[0] - p[1]) > 0.01));
    c.add(fn("fmaFn", box(-3, 3, -3, 3, -3, 3), p -> ScalarCorpus.fmaFn(p[0], p[1], p[2]),
        p -> { var g = ScalarCorpusGrad.fmaFn(p[0], p[1], p[2]); return v(g.value(), g.x(), g.y(), g.z()); },
        d -> d[0].multiply(d[1]).add(d[2])));
    c.add(fn("floorFn", box(-4, 4), p -> ScalarCorpus.floorFn(p[0]),
        p -> { var g = ScalarCorpusGrad.floorFn(p[0]); return v(g.value(), g.x()); },
        d -> d[0].multiply(flat(d[0], Math::floor))).where(p -> awayFromGrid(p[0], 1, 0)));
    c.add(fn("ceilFn", box(-4, 4), p -> ScalarCorpus.ceilFn(p[0]),
        p -> { var g = ScalarCorpusGrad.ceilFn(p[0]); return v(g.value(), g.x()); },
        d -> d[0].multiply(flat(d[0], x -> Math.ceil(2 * x)))).where(p -> awayFromGrid(2 * p[0], 1, 0)));
    c.add(fn("rintFn", box(-4, 4), p -> ScalarCorpus.rintFn(p[0]),
        p -> { var g = ScalarCorpusGrad.rintFn(p[0]); return v(g.value(), g.x()); },
        d -> sq(d[0]).add(flat(d[0], Math::rint))).where(p -> awayFromGrid(p[0], 1, 0.5)));
    c.add(fn("roundFn", box(-4, 4), p -> ScalarCorpus.roundFn(p[0]),
        p -> { var g = ScalarCorpusGrad.roundFn(p[0]); return v(g.value(), g.x()); },
        d -> d[0].multiply(flat(d[0], x -> Math.round(2 * x)))).where(p -> awayFromGrid(2 * p[0], 1, 0.5)));
    c.add(fn("signumFn", box(-3, 3), p -> ScalarCorpus.signumFn(p[0]),
        p -> { var g = ScalarCorpusGrad.signumFn(p[0]); return v(g.value(), g.x()); },
        d -> flat(d[0], Math::signum).multiply(d[0])).where(p -> Math.abs(p[0]) > 0.01)
        .mustInclude(p -> p[0] < 0));
    c.add(fn("remFn", box(-10, 10, -3, 3), p -> ScalarCorpus.remFn(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.remFn(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> rem(d[0], d[1])).where(p -> Math.abs(p[1]) > 0.3 && awayFromGrid(p[0] / p[1], 1, 0))
        .mustInclude(p -> p[0] < 0).mustInclude(p -> p[1] < 0));

    // 4. Language features
    c.add(fn("longChain", box(-1.5, 1.5, -1.5, 1.5), p -> ScalarCorpus.longChain(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.longChain(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = d[0];
          var y = d[1];
          var a = x.multiply(y);
          var b = a.add(x.sin());
          var cc = sq(b).subtract(y);
          var dd = sq(cc).multiply(-0.01).exp();
          var e = dd.multiply(x).add(a);
          var f = sq(e).add(1).log();
          var g = f.divide(sq(y).add(1));
          var h = g.subtract(a.cos());
          var i = sq(h);
          var j = i.add(1).sqrt();
          var k = j.multiply(b);
          var l = k.tanh();
          var m = l.add(dd.multiply(e));
          var n = m.pow(3);
          var o = n.atan();
          var pp = o.add(a.hypot(b));
          var q = pp.multiply(cc);
          var r = q.divide(q.sin().add(3));
          var s = r.add(cbrt(sq(r).add(1)));
          var t = s.subtract(x);
          var u = t.multiply(y).add(s);
          var vv = u.multiply(0.01).expm1();
          return vv.add(l).subtract(j.multiply(0.5));
        }));
    c.add(fn("reassignChain", box(-2, 2), p -> ScalarCorpus.reassignChain(p[0]),
        p -> { var g = ScalarCorpusGrad.reassignChain(p[0]); return v(g.value(), g.x()); },
        d -> {
          var x = d[0];
          var t = sq(x).add(x);
          t = t.sin().multiply(t);
          t = t.multiply(x).subtract(t.divide(3));
          t = t.multiply(0.1).exp().add(t);
          t = sq(t).subtract(x);
          return t.divide(sq(x).add(1));
        }));
    c.add(fn("reassignParam", box(-2, 2, -2, 2), p -> ScalarCorpus.reassignParam(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.reassignParam(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x1 = d[0].multiply(d[1]);
          var x2 = x1.add(x1.sin());
          var y1 = d[1].multiply(x2);
          var x3 = sq(x2).add(y1);
          return x3.subtract(y1.divide(2));
        }));
    c.add(fn("compound", box(-2, 2, -2, 2), p -> ScalarCorpus.compound(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.compound(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = d[0];
          var y = d[1];
          var s = x.add(sq(y)).subtract(x.multiply(0.5)).multiply(y).divide(sq(x).add(1));
          s = rem(s, d[0].getFactory().constant(0.75)).add(x);
          var t = s.multiply(2).subtract(y).divide(3);
          return s.multiply(t);
        }).where(p -> {
          double s = (p[0] + p[1] * p[1] - 0.5 * p[0]) * p[1] / (1 + p[0] * p[0]);
          return awayFromGrid(s / 0.75, 1, 0);
        }).mustInclude(p -> Math.abs((p[0] + p[1] * p[1] - 0.5 * p[0]) * p[1] / (1 + p[0] * p[0])) > 0.75));
    c.add(fn("plainConstantHelper", box(-3, 3), p -> ScalarCorpus.plainConstantHelper(p[0]),
        p -> { var g = ScalarCorpusGrad.plainConstantHelper(p[0]); return v(g.value(), g.x()); },
        d -> d[0].multiply(1.5).add(d[0].sin().multiply(2.5))));
    c.add(fn("incDec", box(-3, 3), p -> ScalarCorpus.incDec(p[0]),
        p -> { var g = ScalarCorpusGrad.incDec(p[0]); return v(g.value(), g.x()); },
        d -> sq(d[0]).add(1).multiply(3).multiply(d[0]).add(d[0])));
    c.add(fn("deepFanOut", box(-2, 2, -2, 2), p -> ScalarCorpus.deepFanOut(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.deepFanOut(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var t = d[0].sin().multiply(d[1]);
          return sq(t).add(t.exp()).subtract(t.divide(sq(t).add(1))).add(t.cos().multiply(t)).add(t.multiply(3));
        }));
    c.add(fn("diamond", box(-2, 2), p -> ScalarCorpus.diamond(p[0]),
        p -> { var g = ScalarCorpusGrad.diamond(p[0]); return v(g.value(), g.x()); },
        d -> {
          var a = sq(d[0]).add(1);
          var b = a.log();
          var cc = a.sqrt();
          var dd = b.multiply(cc).add(a);
          return a.multiply(b).multiply(cc).multiply(dd);
        }));
    c.add(fn("casts", box(-3, 3), p -> ScalarCorpus.casts(p[0]),
        p -> { var g = ScalarCorpusGrad.casts(p[0]); return v(g.value(), g.x()); },
        d -> {
          var whole = flat(d[0], x -> (int) (x * 3));
          var big = flat(d[0], x -> (long) (x * 5));
          return sq(d[0]).multiply(whole).add(big.multiply(d[0])).add(d[0].multiply(2));
        }).where(p -> awayFromGrid(3 * p[0], 1, 0) && awayFromGrid(5 * p[0], 1, 0)));
    c.add(fn("floatParams", box(-2, 2, -2, 2),
        p -> ScalarCorpus.floatParams((float) p[0], (float) p[1]),
        p -> { var g = ScalarCorpusGrad.floatParams((float) p[0], (float) p[1]); return v(g.value(), g.a(), g.b()); },
        d -> {
          var pp = d[0].multiply(d[1]);
          var q = pp.add(d[0].multiply(1.5));
          return q.multiply(q.sin()).add(d[1].abs().multiply(max(d[0], d[1]))).add(pp.multiply(2));
        }).where(p -> Math.abs(p[0] - p[1]) > 0.05 && Math.abs(p[1]) > 0.05).asFloats());
    c.add(fn("floatLogistic", box(-1, 1, -1, 1, -1, 1, -1, 1, -1, 1),
        p -> ScalarCorpus.floatLogistic(floats(p, 0, 4), FEATURES, (float) p[4]),
        p -> {
          var g = ScalarCorpusGrad.floatLogistic(floats(p, 0, 4), FEATURES, (float) p[4]);
          return flat(g.value(), g.w(), g.b());
        },
        d -> {
          var z = d[4];
          for (int i = 0; i < 4; i++) {
            z = z.add(d[i].multiply(FEATURES[i]));
          }
          return z.negate().exp().log1p().add(sq(d[0]).add(sq(d[1])).multiply(0.01));
        }).asFloats());
    c.add(fn("floatSmoothing", box(-2, 2, -2, 2, -2, 2, -2, 2, -2, 2, 0.1, 0.9),
        p -> ScalarCorpus.floatSmoothing(floats(p, 0, 5), p[5]),
        p -> { var g = ScalarCorpusGrad.floatSmoothing(floats(p, 0, 5), p[5]); return flat(g.value(), g.x(), g.alpha()); },
        d -> {
          var x = Arrays.copyOf(d, 5);
          var s = d[5].getField().getZero();
          for (int i = 1; i < 5; i++) {
            x[i] = d[5].multiply(x[i]).add(d[5].negate().add(1).multiply(x[i - 1]));
          }
          for (var v : x) {
            s = s.add(sq(v));
          }
          return s;
        }).asFloats());
    c.add(fn("gather", box(-2, 2, -2, 2, -2, 2, -2, 2, -1.5, 1.5),
        p -> ScalarCorpus.gather(floats(p, 0, 4), GATHER, 5L, 'c', p[4]),
        p -> { var g = ScalarCorpusGrad.gather(floats(p, 0, 4), GATHER, 5L, 'c', p[4]); return flat(g.value(), g.a(), g.w()); },
        d -> {
          long step = 5L * 3L + ('c' - 'a');
          var s = d[4].getField().getZero();
          for (int i = 0; i < GATHER.length; i++) {
            int j = GATHER[i] % 4;
            s = s.add(d[j].multiply(d[4]).multiply(step % 7))
                .add(d[GATHER[(i + 1) % GATHER.length]].multiply(d[4]).sin().multiply('d' - 'a'));
          }
          return s;
        }).asFloats());
    c.add(fn("floatCopies", box(-1.5, 1.5, -1.5, 1.5, -1.5, 1.5, 0.2, 0.9),
        p -> ScalarCorpus.floatCopies(floats(p, 0, 3), p[3]),
        p -> { var g = ScalarCorpusGrad.floatCopies(floats(p, 0, 3), p[3]); return flat(g.value(), g.x(), g.alpha()); },
        d -> {
          var cs = Arrays.copyOf(d, 3);
          var u = new DerivativeStructure[3];
          Arrays.fill(u, d[3].getField().getZero());
          for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 3; i++) {
              u[i] = u[i].multiply(d[3]).add(cs[i].multiply(d[i]));
              cs[i] = cs[i].multiply(0.5);
            }
          }
          var s = d[3].getField().getZero();
          for (var v : u) {
            s = s.add(sq(v));
          }
          return s.add(cs[0]);
        }).asFloats());
    c.add(fn("floatCalls", box(-2, 2, -2, 2, -2, 2, 1, 3),
        p -> ScalarCorpus.floatCalls(floats(p, 0, 3), p[3]),
        p -> { var g = ScalarCorpusGrad.floatCalls(floats(p, 0, 3), p[3]); return flat(g.value(), g.v(), g.p()); },
        d -> {
          var n = d[3].getField().getZero();
          var n2 = d[3].getField().getZero();
          for (int i = 0; i < 3; i++) {
            n = n.add(sq(d[i]).add(0.5).pow(d[3].divide(2)));
            n2 = n2.add(sq(d[i]).add(0.5));
          }
          return n.multiply(d[0]).add(n2.divide(d[3]));
        }).asFloats());
    c.add(fn("intPower(n=3)", box(-3, 3), p -> ScalarCorpus.intPower(p[0], 3),
        p -> { var g = ScalarCorpusGrad.intPower(p[0], 3); return v(g.value(), g.x()); },
        d -> d[0].pow(3).add(d[0].multiply(3))).mustInclude(p -> p[0] < 0));
    c.add(fn("intPower(n=-2)", box(-3, 3), p -> ScalarCorpus.intPower(p[0], -2),
        p -> { var g = ScalarCorpusGrad.intPower(p[0], -2); return v(g.value(), g.x()); },
        d -> d[0].pow(-2).add(d[0].multiply(-2))).where(p -> Math.abs(p[0]) > 0.2)
        .mustInclude(p -> p[0] < 0));
    c.add(fn("longScale", box(-3, 3), p -> ScalarCorpus.longScale(p[0], 3L),
        p -> { var g = ScalarCorpusGrad.longScale(p[0], 3L); return v(g.value(), g.x()); },
        d -> d[0].multiply(6).add(d[0].multiply(3).sin())));
    c.add(fn("wrtAC", box(-2, 2, -2, 2, -2, 2), p -> ScalarCorpus.wrtAC(p[0], p[1], p[2]),
        p -> { var g = ScalarCorpusGrad.wrtAC(p[0], p[1], p[2]); return v(g.value(), g.a(), g.c()); },
        d -> d[0].multiply(d[1]).add(d[2].sin().multiply(d[1])).add(d[0].multiply(d[2]))).active(0, 2));
    c.add(fn("scaledLoss", box(-2, 2, 0.1, 3, -2, 2), p -> ScalarCorpus.scaledLoss(p[0], p[1], p[2]),
        p -> { var g = ScalarCorpusGrad.scaledLoss(p[0], p[1], p[2]); return v(g.value(), g.w(), g.b()); },
        d -> {
          var z = d[0].multiply(d[1]).add(d[2]);
          return sq(z).multiply(d[1]);
        }).active(0, 2));
    c.add(fn("ignoresY", box(-2, 2, -2, 2), p -> ScalarCorpus.ignoresY(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.ignoresY(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> sq(d[0]).add(1)));
    c.add(fn("neverReadsY", box(-2, 2, -2, 2), p -> ScalarCorpus.neverReadsY(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.neverReadsY(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> d[0].sin()));
    c.add(fn("onlyFloorOfY", box(-2, 2, -3, 3), p -> ScalarCorpus.onlyFloorOfY(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.onlyFloorOfY(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> d[0].multiply(flat(d[1], Math::floor)).add(flat(d[1], y -> Math.signum(y) + Math.round(y))))
        .where(p -> awayFromGrid(p[1], 0.5, 0)));
    c.add(fn("constants", box(-3, 3), p -> ScalarCorpus.constants(p[0]),
        p -> { var g = ScalarCorpusGrad.constants(p[0]); return v(g.value(), g.x()); },
        d -> sq(d[0]).multiply(Math.PI).add(d[0].multiply(Math.E)).add(d[0].sin().multiply(ScalarCorpus.K))
            .add(d[0].multiply(ScalarCorpus.scale)).add(ScalarCorpus.K)));
    c.add(fn("unaryMinus", box(-2, 2, -2, 2), p -> ScalarCorpus.unaryMinus(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.unaryMinus(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var a = d[0].negate();
          var b = d[0].subtract(d[1]).negate().multiply(d[1]);
          return a.multiply(b).negate().subtract(a.negate().divide(sq(d[1]).add(2)));
        }));
    c.add(fn("divisions", box(-3, 3, -3, 3), p -> ScalarCorpus.divisions(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.divisions(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = d[0];
          var y = d[1];
          var q = x.divide(y).divide(sq(x).add(1)).divide(2);
          return x.subtract(y).divide(x.add(y).add(10)).subtract(q.multiply(y).divide(x))
              .add(x.multiply(y).reciprocal());
        }).where(p -> Math.abs(p[0]) > 0.3 && Math.abs(p[1]) > 0.3));
    c.add(fn("strictMix", box(-2, 2, -2, 2), p -> ScalarCorpus.strictMix(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.strictMix(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = d[0];
          var y = d[1];
          var a = x.sin().multiply(sq(y).negate().exp());
          var b = y.atan2(x).add(x.hypot(y));
          var cc = x.abs().add(1).pow(y).add(cbrt(x.multiply(y).add(10))).add(sq(x).log1p());
          var dd = x.subtract(y).tanh().add(sq(y).add(1).sqrt()).add(y.cos().add(2).log());
          return a.add(b.multiply(cc)).add(dd).add(flat(x, t -> Math.floor(3 * t))).add(max(x, y));
        }).where(p -> awayFromGrid(3 * p[0], 1, 0) && Math.abs(p[0] - p[1]) > 0.01 && Math.abs(p[0]) > 0.01
            && Math.hypot(p[0], p[1]) > 0.1 && awayFromCut(p[1], p[0])));
    c.add(fn("mixedAll", box(-2, 2, -2, 2), p -> ScalarCorpus.mixedAll(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.mixedAll(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        ScalarCorpusTest::mixedAllTwin).where(ScalarCorpusTest::mixedAllSmooth));
    c.add(fn("maxSelfTie", box(-3, 3), p -> ScalarCorpus.maxSelfTie(p[0]),
        p -> { var g = ScalarCorpusGrad.maxSelfTie(p[0]); return v(g.value(), g.x()); },
        d -> max(d[0], d[0]).add(min(d[0].multiply(2), d[0].multiply(2)))));
    c.add(fn("shadowNames", box(-2, 2, -2, 2), p -> ScalarCorpus.shadowNames(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.shadowNames(p[0], p[1]); return v(g.value(), g.x(), g.xBar()); },
        d -> {
          var value = d[0].multiply(d[1]);
          return value.multiply(value.add(d[0]));
        }));
    c.add(fn("varLocals", box(-3, 3), p -> ScalarCorpus.varLocals(p[0], 4),
        p -> { var g = ScalarCorpusGrad.varLocals(p[0], 4); return v(g.value(), g.x()); },
        d -> sq(d[0].multiply(10)).add(d[0].multiply(2 * 0.5))));

    // 5b. Corner cases of typing and naming
    c.add(fn("intDivision", box(-3, 3), p -> ScalarCorpus.intDivision(p[0]),
        p -> { var g = ScalarCorpusGrad.intDivision(p[0]); return v(g.value(), g.x()); },
        d -> d[0].multiply(3).add(d[0].divide(2)).add(d[0].multiply(0.25))));
    c.add(fn("generatorNames", box(-2, 2), p -> ScalarCorpus.generatorNames(p[0]),
        p -> { var g = ScalarCorpusGrad.generatorNames(p[0]); return v(g.value(), g.x()); },
        d -> {
          var x = d[0];
          var exp = x.multiply(0.5).exp();
          var tanh = exp.tanh();
          var sumBar = x.multiply(2).add(x.hypot(x.getFactory().constant(1)));
          var hypot = exp.hypot(x).multiply(x.tanh());
          return tanh.multiply(sumBar).add(x.negate().exp().multiply(x.tanh())).add(hypot.multiply(x.exp()));
        }));
    c.add(fn("versionNames", box(-2, 2), p -> ScalarCorpus.versionNames(p[0]),
        p -> { var g = ScalarCorpusGrad.versionNames(p[0]); return v(g.value(), g.x()); },
        d -> {
          var x = d[0];
          var s2 = x.multiply(3);
          var s = x.multiply(s2).multiply(x);
          var t0 = s.add(1);
          var t = x.multiply(2).multiply(t0).multiply(s);
          return s.add(s2).add(t).add(t0);
        }));
    c.add(fn("compoundParam", box(-3, 3, -2, 2), p -> ScalarCorpus.compoundParam(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.compoundParam(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = sq(d[0]);
          var y = d[1].divide(x.add(1));
          x = x.add(1);
          y = y.subtract(x.sin());
          x = rem(x, x.getFactory().constant(5));
          return x.multiply(y);
        }).where(p -> awayFromGrid((p[0] * p[0] + 1) / 5, 1, 0))
        .mustInclude(p -> p[0] * p[0] + 1 > 5));
    c.add(fn("floatLocals", box(-2, 2, -2, 2), p -> ScalarCorpus.floatLocals((float) p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.floatLocals((float) p[0], p[1]); return v(g.value(), g.a(), g.y()); },
        d -> {
          var a = d[0];
          var f = a.multiply(2).add(sq(a));
          var g = f.multiply(a).add(1);
          var h = g.abs().add(max(a, a.getFactory().constant(0.5)));
          return h.multiply(d[1]).add(f);
        }).where(p -> {
          double f = 2 * p[0] + p[0] * p[0];
          return Math.abs(f * p[0] + 1) > 0.05 && Math.abs(p[0] - 0.5) > 0.05;
        }).asFloats());
    c.add(fn("constantOperands", box(0.05, 4), p -> ScalarCorpus.constantOperands(p[0]),
        p -> { var g = ScalarCorpusGrad.constantOperands(p[0]); return v(g.value(), g.x()); },
        d -> {
          var x = d[0];
          var k = x.getFactory();
          return DerivativeStructure.pow(2, x).add(x.hypot(k.constant(3))).add(k.constant(1).atan2(x))
              .add(max(x, k.constant(0))).add(min(k.constant(1), x)).add(x.pow(2)).add(x).add(1)
              .add(x.pow(0.5));
        }).where(p -> Math.abs(p[0] - 1) > 0.01));


    c.add(fn("selfReference", box(-1.5, 1.5, -1.5, 1.5), p -> ScalarCorpus.selfReference(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.selfReference(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = d[0];
          var y = d[1];
          var s = sq(x.add(y));
          var t = s.subtract(y).pow(3);
          s = s.subtract(s.divide(s.add(sq(x)).add(1)));
          s = s.multiply(2);
          t = t.negate();
          return s.multiply(t).add(rem(x.negate(), y.multiply(2)));
        }).where(p -> Math.abs(p[1]) > 0.2 && awayFromGrid(-p[0] / (2 * p[1]), 1, 0))
        .mustInclude(p -> Math.abs(p[0] / (2 * p[1])) > 1));

    // 5. Instance methods (fields are constants) and the nested class
    c.add(fn("neuron", box(-3, 3), p -> OBJ.neuron(p[0]),
        p -> { var g = ScalarCorpusGrad.neuron(OBJ, p[0]); return v(g.value(), g.x()); },
        d -> d[0].multiply(OBJ.w).add(OBJ.bias).tanh()));
    c.add(fn("weighted", box(-3, 3, -3, 3), p -> OBJ.weighted(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.weighted(OBJ, p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> sq(d[0]).multiply(OBJ.w).add(d[1].multiply(OBJ.w)).add(OBJ.bias * OBJ.gain)));
    c.add(fn("fieldMix", box(-3, 3), p -> OBJ.fieldMix(p[0]),
        p -> { var g = ScalarCorpusGrad.fieldMix(OBJ, p[0]); return v(g.value(), g.x()); },
        d -> d[0].multiply(ScalarCorpus.K).add(d[0].divide(ScalarCorpus.K).exp().multiply(ScalarCorpus.scale * OBJ.w))
            .add(sq(d[0]).multiply(OBJ.bias))));
    c.add(fn("Inner.wave", box(-3, 3, -3, 3), p -> INNER.wave(p[0], p[1]),
        p -> { var g = ScalarCorpus_InnerGrad.wave(INNER, p[0], p[1]); return v(g.value(), g.x(), g.phase()); },
        d -> d[0].add(d[1]).sin().multiply(INNER.amplitude).add(d[0].multiply(ScalarCorpus.K))));
    c.add(fn("Inner.damped", box(-3, 3, 0, 4), p -> ScalarCorpus.Inner.damped(p[0], p[1]),
        p -> { var g = ScalarCorpus_InnerGrad.damped(p[0], p[1]); return v(g.value(), g.x(), g.t()); },
        d -> d[1].multiply(-0.5).exp().multiply(d[0].multiply(d[1]).cos())));

    // 6. import static java.lang.Math.*
    c.add(fn("StaticImport.wave", box(-3, 3, -3, 3), p -> StaticImportCorpus.wave(p[0], p[1]),
        p -> { var g = StaticImportCorpusGrad.wave(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> d[0].sin().multiply(d[1].cos()).add(sq(d[0]).negate().exp().multiply(sq(d[1]).add(1).sqrt()))
            .add(d[0].multiply(Math.PI)).add(d[1].multiply(Math.E))));
    c.add(fn("StaticImport.radial", box(-3, 3, -3, 3), p -> StaticImportCorpus.radial(p[0], p[1]),
        p -> { var g = StaticImportCorpusGrad.radial(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = d[0];
          var y = d[1];
          var r = x.hypot(y);
          return y.atan2(x).multiply(r).add(r.add(1).log()).add(r.pow(1.5)).add(r.subtract(1).tanh())
              .add(max(x, y)).add(x.subtract(y).abs()).add(flat(x, Math::floor));
        }).where(p -> Math.hypot(p[0], p[1]) > 0.1 && awayFromCut(p[1], p[0])
            && Math.abs(p[0] - p[1]) > 0.01 && awayFromGrid(p[0], 1, 0)));
    c.add(fn("StaticImport.unaries", box(-3, 3), p -> StaticImportCorpus.unaries(p[0]),
        p -> { var g = StaticImportCorpusGrad.unaries(p[0]); return v(g.value(), g.x()); },
        d -> {
          var x = d[0];
          var a = x.multiply(0.5).sinh().add(x.multiply(0.25).cosh()).add(x.atan()).add(x.multiply(0.3).asin())
              .add(x.multiply(0.2).acos());
          var b = sq(x).add(2).log10().add(sq(x).log1p()).add(x.multiply(0.1).expm1()).add(cbrt(x.add(5)))
              .add(x.multiply(0.2).tan());
          return a.multiply(b).add(x.multiply(0.01).toDegrees()).add(x.toRadians()).add(x.multiply(a).add(b))
              .add(min(x, x.getFactory().constant(0.5))).add(flat(x, Math::signum).multiply(x))
              .add(flat(x, t -> Math.ceil(t) + Math.rint(t) + Math.round(t)));
        }).where(p -> awayFromGrid(p[0], 0.5, 0)));
    // Value objects: a DD's derivative is its hi's (exact to first order; the round-off lo is far
    // below the tolerances), so the twins are the plain formulas
    c.add(fn("expMinusSquare", box(-3, 3),
        p -> ScalarCorpus.expMinusSquare(p[0]),
        p -> { var g = ScalarCorpusGrad.expMinusSquare(p[0]); return v(g.value(), g.x()); },
        d -> sq(d[0]).negate().exp()));
    c.add(fn("doubleDoubles", box(-1.5, 1.5, -1.5, 1.5),
        p -> ScalarCorpus.doubleDoubles(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.doubleDoubles(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = d[0];
          var y = d[1];
          var s = x.multiply(y).add(x.add(y));
          for (int i = 0; i < 3; i++) {
            s = s.multiply(sq(x).add(0.5));
          }
          var e = x.getValue() > y.getValue() ? x.subtract(y) : x;
          return s.add(e.multiply(y));
        }).where(p -> Math.abs(p[0] - p[1]) > 0.05));
    c.add(fn("compensatedSums", box(0.2, 2.5, -1.5, 1.5),
        p -> ScalarCorpus.compensatedSums(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.compensatedSums(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = d[0];
          var y = d[1];
          var s = x.add(1).log().add(x.add(2).log()).add(x.add(3).log()).add(x.multiply(y)).add(sq(y));
          var v = x.getValue() > 1 ? x.multiply(y).subtract(x.sin()).add(0.5) : x.multiply(0);
          return s.add(v.multiply(y));
        }).where(p -> Math.abs(p[0] - 1) > 0.05));
    c.add(fn("logAbsWithoutSign", box(-2, 2, 0.3, 2),
        p -> ScalarCorpus.logAbsWithoutSign(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.logAbsWithoutSign(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> d[0].multiply(d[1]).abs().log().multiply(d[1])).where(p -> Math.abs(p[0]) > 0.05));
    c.add(fn("objectsMadeHere", box(-2, 2, 0.3, 1.5),
        p -> ScalarCorpus.objectsMadeHere(p[0], p[1]),
        p -> { var g = ScalarCorpusGrad.objectsMadeHere(p[0], p[1]); return v(g.value(), g.x()); },
        d -> {
          var s = d[0].multiply(d[1]).sin();
          for (int i = 1; i < 3; i++) {
            s = s.add(d[0].multiply(d[1]).add(i).sin());
          }
          return s.add(sq(d[0]).multiply(0.5));
        }).active(0));
    onDemand(c);
    objectsAndLibraries(c);
    return c;
  }

  /** Code as libraries write it: helpers differentiated on demand, private constants, FastMath. */
  private static void onDemand(List<Case> c) {
    double logSqrt2Pi = 0.5 * Math.log(2 * Math.PI);
    c.add(fn("OnDemand.gaussianLogPdf", box(-3, 3, -2, 2, 0.3, 3),
        p -> OnDemandCorpus.gaussianLogPdf(p[0], p[1], p[2]),
        p -> { var g = OnDemandCorpusGrad.gaussianLogPdf(p[0], p[1], p[2]); return v(g.value(), g.x(), g.mu(), g.sigma()); },
        d -> sq(d[0].subtract(d[1]).divide(d[2])).multiply(-0.5).subtract(d[2].log()).subtract(logSqrt2Pi)));
    c.add(fn("OnDemand.chain", box(-3, 3, -3, 3),
        p -> OnDemandCorpus.chain(p[0], p[1]),
        p -> { var g = OnDemandCorpusGrad.chain(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> softplus(d[0].multiply(d[1])).add(softplus(d[1].negate()).multiply(1.25))));
    c.add(fn("OnDemand.recursive", box(-2, 2),
        p -> OnDemandCorpus.recursive(p[0]),
        p -> { var g = OnDemandCorpusGrad.recursive(p[0]); return v(g.value(), g.x()); },
        d -> d[0].pow(4).add(d[0].sin().pow(3))));
    c.add(fn("OnDemand.overloads", box(-2, 2),
        p -> OnDemandCorpus.overloads(p[0], 3),
        p -> { var g = OnDemandCorpusGrad.overloads(p[0], 3); return v(g.value(), g.x()); },
        d -> d[0].multiply(3).multiply(3.5).add(d[0].multiply(9))));
    c.add(fn("OnDemand.privateConstantCall", box(-2, 2),
        p -> OnDemandCorpus.privateConstantCall(p[0]),
        p -> { var g = OnDemandCorpusGrad.privateConstantCall(p[0]); return v(g.value(), g.x()); },
        d -> d[0].multiply(9).add(sq(d[0]).multiply(sq(d[0]).add(4).sqrt()))));
    c.add(fn("OnDemand.withLibraryRule", box(-2, 2),
        p -> OnDemandCorpus.withLibraryRule(p[0]),
        p -> { var g = OnDemandCorpusGrad.withLibraryRule(p[0]); return v(g.value(), g.x()); },
        d -> {
          var u = sq(d[0]).add(1);
          return u.compose(org.hipparchus.special.Gamma.logGamma(u.getValue()),
              org.hipparchus.special.Gamma.digamma(u.getValue())).multiply(d[0]);
        }));
    c.add(fn("OnDemand.finiteGammaQ", box(3.1, 3.9, 0.5, 2),
        p -> OnDemandCorpus.finiteGammaQ(p[0], p[1]),
        p -> { var g = OnDemandCorpusGrad.finiteGammaQ(p[0], p[1]); return v(g.value(), g.a(), g.x()); },
        d -> {
          var x = d[1];
          // a in (3, 4): terms for n = 1, 2, 3; a itself only moves the trip count (derivative 0)
          return x.negate().exp().multiply(x.add(sq(x).divide(2)).add(x.pow(3).divide(6)).add(1))
              .add(d[0].multiply(0));
        }));
  }

  /** Objects that carry no derivative, library rules, constant tables and the sign functions of Math. */
  private static void objectsAndLibraries(List<Case> c) {
    var normal = new org.hipparchus.distribution.continuous.NormalDistribution(0.5, 1.5);
    c.add(fn("OnDemand.distributions", box(-2, 2, 0.3, 1.7),
        p -> OnDemandCorpus.distributions(p[0], p[1]),
        p -> { var g = OnDemandCorpusGrad.distributions(p[0], p[1]); return v(g.value(), g.x(), g.s()); },
        d -> {
          var x = d[0];
          var s = d[1];
          var p = sq(x).add(1).reciprocal().multiply(0.4).add(0.3);
          return cdf(normal, x.multiply(s)).add(density(normal, x).multiply(s)).add(inverseCdf(normal, p))
              .add(erf(x).multiply(erf(s).negate().add(1))).add(erf(s).subtract(erf(x)))
              .add(erfInv(x.tanh().multiply(0.5))).add(erfInv(s.tanh().multiply(0.5).negate()));
        }));
    c.add(fn("OnDemand.settingsObject", box(-2, 2),
        p -> OnDemandCorpus.settingsObject(p[0]),
        p -> { var g = OnDemandCorpusGrad.settingsObject(p[0]); return v(g.value(), g.x()); },
        d -> d[0].expm1().subtract(d[0]).multiply(d[0])));
    c.add(fn("OnDemand.constantTables", box(-2, 2),
        p -> OnDemandCorpus.constantTables(p[0]),
        p -> { var g = OnDemandCorpusGrad.constantTables(p[0]); return v(g.value(), g.x()); },
        d -> {
          var u = sq(d[0]).add(1);
          return sq(u).multiply(0.5).add(u.multiply(2)).add(1).divide(sq(u).add(u).add(2)).multiply(d[0]);
        }));
    c.add(fn("OnDemand.signsAndExponents", box(-2, 2, -2, 2),
        p -> OnDemandCorpus.signsAndExponents(p[0], p[1]),
        p -> { var g = OnDemandCorpusGrad.signsAndExponents(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = d[0];
          var y = d[1];
          return sq(x).add(1).copySign(y).add(x.multiply(8)).add(x.multiply(y)).add(y.multiply(Math.ulp(1.0)))
              .add(x.abs().negate()).add(x.remainder(sq(y).add(0.75))).add(y.multiply(0.5));
        }).where(p -> Math.abs(p[0]) > 0.05 && Math.abs(p[1]) > 0.05 && awayFromHalf(p[0] / (0.75 + p[1] * p[1]))));
    c.add(fn("OnDemand.privateRecursive", box(-3, 3),
        p -> OnDemandCorpus.privateRecursive(p[0]),
        p -> { var g = OnDemandCorpusGrad.privateRecursive(p[0]); return v(g.value(), g.x()); },
        d -> {
          var s = d[0].negate().exp().add(1).reciprocal(); // 1 - sigmoid(-x) = sigmoid(x)
          var s2 = d[0].multiply(2).negate().exp().add(1).reciprocal();
          return s.multiply(s2);
        }));
    c.add(fn("OnDemand.overloadsOnDemand", box(-2, 2, -2, 2),
        p -> OnDemandCorpus.overloadsOnDemand(p[0], p[1]),
        p -> { var g = OnDemandCorpusGrad.overloadsOnDemand(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> d[0].multiply(2).add(d[0].sin()).multiply(d[0]).add(d[0].multiply(d[1])).add(d[0].sin())));
    c.add(fn("OnDemand.overloadOfAnnotated", box(-2, 2),
        p -> OnDemandCorpus.overloadOfAnnotated(p[0]),
        p -> { var g = OnDemandCorpusGrad.overloadOfAnnotated(p[0]); return v(g.value(), g.x()); },
        d -> sq(d[0]).multiply(0.5).add(d[0]).multiply(d[0].pow(3))));
    c.add(fn("OnDemand.valueParameter", box(-2, 2, -2, 2),
        p -> OnDemandCorpus.valueParameter(p[0], p[1]),
        p -> { var g = OnDemandCorpusGrad.valueParameter(p[0], p[1]); return v(g.value(), g.valueBar(), g.x()); },
        d -> sq(d[0]).multiply(d[1]).add(d[0].sin())));
    c.add(fn("OnDemand.settingsLocals", box(-2, 2),
        p -> OnDemandCorpus.settingsLocals(p[0]),
        p -> { var g = OnDemandCorpusGrad.settingsLocals(p[0]); return v(g.value(), g.x()); },
        d -> sq(d[0]).multiply(180).add(d[0].sin().multiply(3e-15))));
    for (OnDemandCorpus.Barrier b : List.of(OnDemandCorpus.Barrier.UP_IN, OnDemandCorpus.Barrier.DOWN_IN,
        OnDemandCorpus.Barrier.UP_OUT)) {
      double eta = b == OnDemandCorpus.Barrier.DOWN_IN ? 1 : -1;
      boolean in = b != OnDemandCorpus.Barrier.UP_OUT;
      c.add(fn("OnDemand.enumSwitch " + b, box(-2, 2, -2, 2),
          p -> OnDemandCorpus.enumSwitch(p[0], p[1], b),
          p -> { var g = OnDemandCorpusGrad.enumSwitch(p[0], p[1], b); return v(g.value(), g.x(), g.y()); },
          d -> (in ? d[0].multiply(d[1]) : d[0].exp().subtract(d[1])).multiply(eta)));
    }
    c.add(fn("OnDemand.specialFunctions", box(0.5, 4, 0.5, 4),
        p -> OnDemandCorpus.specialFunctions(p[0], p[1]),
        p -> { var g = OnDemandCorpusGrad.specialFunctions(p[0], p[1]); return v(g.value(), g.x(), g.y()); },
        d -> {
          var x = d[0];
          var y = d[1];
          var digammaX = x.compose(org.hipparchus.special.Gamma.digamma(x.getValue()),
              org.hipparchus.special.Gamma.trigamma(x.getValue()));
          var logGamma = (java.util.function.Function<DerivativeStructure, DerivativeStructure>) t ->
              t.compose(org.hipparchus.special.Gamma.logGamma(t.getValue()),
                  org.hipparchus.special.Gamma.digamma(t.getValue()));
          var logBeta = logGamma.apply(x).add(logGamma.apply(y)).subtract(logGamma.apply(x.add(y)));
          return digammaX.multiply(y).add(logBeta).add(logGamma.apply(y).exp().divide(x));
        }));
    var privateNormal = new org.hipparchus.distribution.continuous.NormalDistribution(-0.25, 0.8);
    c.add(fn("OnDemand.privateDistribution", box(-2, 2),
        p -> OnDemandCorpus.privateDistribution(p[0]),
        p -> { var g = OnDemandCorpusGrad.privateDistribution(p[0]); return v(g.value(), g.x()); },
        d -> cdf(privateNormal, d[0]).multiply(density(privateNormal, sq(d[0])))));
    c.add(fn("OnDemand.parity", box(-4, 4),
        p -> OnDemandCorpus.parity(p[0]),
        p -> { var g = OnDemandCorpusGrad.parity(p[0]); return v(g.value(), g.x()); },
        d -> Math.floorMod((long) Math.floor(d[0].getValue()), 2L) == 1 ? sq(d[0]).negate() : sq(d[0]).multiply(2))
        .where(p -> awayFromGrid(p[0], 1, 0)).mustInclude(p -> p[0] < -1).mustInclude(p -> p[0] > 1));
  }

  private static boolean awayFromHalf(double q) {
    return Math.abs(Math.abs(q - Math.rint(q)) - 0.5) > 0.05;
  }

  private static DerivativeStructure cdf(org.hipparchus.distribution.continuous.NormalDistribution n, DerivativeStructure x) {
    return x.compose(n.cumulativeProbability(x.getValue()), n.density(x.getValue()));
  }

  private static DerivativeStructure density(org.hipparchus.distribution.continuous.NormalDistribution n, DerivativeStructure x) {
    // the density as a formula: exp(-z^2 / 2) / (sd sqrt(2 pi)), z = (x - mean) / sd
    var z = x.subtract(n.getMean()).divide(n.getStandardDeviation());
    return sq(z).multiply(-0.5).exp().divide(n.getStandardDeviation() * Math.sqrt(2 * Math.PI));
  }

  private static DerivativeStructure inverseCdf(org.hipparchus.distribution.continuous.NormalDistribution n, DerivativeStructure p) {
    double q = n.inverseCumulativeProbability(p.getValue());
    return p.compose(q, 1 / n.density(q));
  }

  private static DerivativeStructure erf(DerivativeStructure x) {
    double v = x.getValue();
    return x.compose(org.hipparchus.special.Erf.erf(v), 2 / Math.sqrt(Math.PI) * Math.exp(-v * v));
  }

  private static DerivativeStructure erfInv(DerivativeStructure x) {
    double v = org.hipparchus.special.Erf.erfInv(x.getValue());
    return x.compose(v, 0.5 * Math.sqrt(Math.PI) * Math.exp(v * v));
  }

  private static DerivativeStructure softplus(DerivativeStructure v) {
    return v.exp().add(1).log();
  }

  private static DerivativeStructure mixedAllTwin(DerivativeStructure[] d) {
    var x = d[0];
    var y = d[1];
    var k = x.getFactory();
    var u = x.sin().add(y.cos()).add(x.multiply(0.3).tan());
    var v = y.multiply(0.2).asin().add(x.multiply(0.1).acos()).add(x.multiply(y).atan());
    var w = y.atan2(x.add(3)).add(x.toRadians()).add(y.multiply(0.01).toDegrees());
    var hyp = x.multiply(0.5).sinh().add(y.multiply(0.3).cosh()).add(x.subtract(y).tanh());
    var ex = sq(x).negate().exp().add(y.multiply(0.2).expm1()).add(sq(x).add(2).log()).add(sq(y).add(3).log10())
        .add(sq(x.multiply(y)).log1p());
    var roots = sq(x).add(1).sqrt().add(cbrt(x.add(7))).add(sq(y).add(1).pow(x)).add(x.pow(3)).add(x.hypot(y));
    var sel = x.subtract(0.5).abs().add(max(x, y)).add(min(x.multiply(y), k.constant(0.25)))
        .add(x.multiply(y).add(u));
    double fx = x.getValue();
    double fy = y.getValue();
    double flat = Math.floor(fx) + Math.ceil(fy) + Math.rint(2 * fx) + Math.round(3 * fy) + Math.signum(fx - fy);
    return u.multiply(v).add(w.multiply(hyp)).subtract(ex.divide(roots)).add(sel.multiply(1 + flat * 0.1))
        .add(rem(x.multiply(10), k.constant(3)));
  }

  private static boolean mixedAllSmooth(double[] p) {
    double x = p[0];
    double y = p[1];
    return awayFromGrid(x, 1, 0) && awayFromGrid(y, 1, 0) && awayFromGrid(2 * x, 1, 0.5)
        && awayFromGrid(3 * y, 1, 0.5) && Math.abs(x - y) > 0.01 && Math.abs(x - 0.5) > 0.01
        && Math.abs(x * y - 0.25) > 0.01 && awayFromGrid(10 * x / 3, 1, 0);
  }

  // ---------------------------------------------------------------------------------------------
  // The tests

  @TestFactory
  Stream<DynamicTest> corpus() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name, () -> check(c)));
  }

  @Test
  void corpusIsLargeEnough() {
    assertTrue(cases().size() >= 50, "corpus has " + cases().size() + " functions");
  }

  /** wrt = {"a", "c"}: the record has no component for b (and the calls above use g.a(), g.c()). */
  @Test
  void floatArrayGradientsAreFloatArraysThatPassTheGeneratedCheck() {
    float[] w = {0.3f, -0.7f, 0.2f, 0.9f};
    var g = ScalarCorpusGrad.floatLogistic(w, FEATURES, 0.1f);
    assertEquals(w.length, g.w().length);
    assertEquals(float[].class, ScalarCorpusGrad.FloatLogistic.class.getRecordComponents()[1].getType());
    ScalarCorpusGrad.floatLogisticCheck(w, FEATURES, 0.1f).assertPassed();
    float[] x = {0.5f, -1.5f, 1.25f, 0.25f, -0.75f};
    float[] before = x.clone();
    ScalarCorpusGrad.floatSmoothingCheck(x, 0.4).assertPassed();
    ScalarCorpusGrad.floatSmoothing(x, 0.4);
    assertTrue(Arrays.equals(before, x), "the gradient leaves the caller's float[] alone");
    ScalarCorpusGrad.gatherCheck(w, GATHER, 5L, 'c', 0.8).assertPassed();
  }

  @Test
  void wrtRestrictsTheRecord() {
    assertEquals(List.of("value", "a", "c"), componentNames(ScalarCorpusGrad.WrtAC.class));
    assertEquals(List.of("value", "w", "b"), componentNames(ScalarCorpusGrad.ScaledLoss.class));
    assertEquals(List.of("value", "x"), componentNames(ScalarCorpusGrad.IntPower.class));
    assertEquals(List.of("value", "x"), componentNames(ScalarCorpusGrad.LongScale.class));
    assertEquals(List.of("value", "w", "b"), componentNames(ScalarCorpusGrad.LogisticLoss.class));
    assertEquals(float.class, ScalarCorpusGrad.FloatParams.class.getRecordComponents()[1].getType());
    ScalarCorpusGrad.WrtAC g = ScalarCorpusGrad.wrtAC(0.5, 2.0, 0.25);
    assertEquals(2.0 + 0.25, g.a(), 1e-15);
    assertEquals(2.0 * Math.cos(0.25) + 0.5, g.c(), 1e-15);
  }

  /** A parameter the result does not depend on gets exactly 0, not a tiny number. */
  @Test
  void independentParametersGetExactlyZero() {
    Random rnd = new Random(7);
    for (int i = 0; i < 20; i++) {
      double x = 4 * rnd.nextDouble() - 2;
      double y = 4 * rnd.nextDouble() - 2;
      assertEquals(0.0, ScalarCorpusGrad.ignoresY(x, y).y(), 0.0);
      assertEquals(0.0, ScalarCorpusGrad.neverReadsY(x, y).y(), 0.0);
      assertEquals(0.0, ScalarCorpusGrad.onlyFloorOfY(x, y).y(), 0.0);
      assertEquals(0.0, ScalarCorpusGrad.onlyFloorOfY(x, 1.0).y(), 0.0); // even on the kink
      assertEquals(2 * x, ScalarCorpusGrad.ignoresY(x, y).x(), 0.0);
    }
  }

  /** Math.max(a, b) sends the adjoint to a when a >= b; at a tie the total is still the slope. */
  @Test
  void tiesFollowMathMaxRule() {
    assertEquals(3.0, ScalarCorpusGrad.maxSelfTie(1.25).x(), 0.0);
    ScalarCorpusGrad.MaxFn max = ScalarCorpusGrad.maxFn(2.0, 2.0);
    assertEquals(1.0, max.x(), 0.0);
    assertEquals(0.0, max.y(), 0.0);
    ScalarCorpusGrad.MinFn min = ScalarCorpusGrad.minFn(2.0, 2.0);
    assertEquals(1.0, min.x(), 0.0);
    assertEquals(0.0, min.y(), 0.0);
  }

  private static List<String> componentNames(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  private static void check(Case c) {
    List<String> problems = new ArrayList<>();
    for (double[] p : c.points()) {
      String at = c.name + " at " + Arrays.toString(p);
      double primal = c.primal.applyAsDouble(p);
      double[] g = c.grad.apply(p);
      if (Double.compare(primal, g[0]) != 0) {
        problems.add(at + ": value " + g[0] + " != primal " + primal);
      }
      if (!Double.isFinite(primal)) {
        problems.add(at + ": primal is not finite: " + primal);
        continue;
      }
      if (g.length != c.diff.length + 1) {
        problems.add(at + ": " + (g.length - 1) + " components, expected " + c.diff.length);
        continue;
      }

      DerivativeStructure twin = c.twinAt(p);
      double twinValueTol = c.floats ? 1e-5 * (1 + Math.abs(primal)) : 1e-12 * Math.max(1, Math.abs(primal));
      if (!(Math.abs(twin.getValue() - primal) <= twinValueTol)) {
        problems.add(at + ": the twin's value " + twin.getValue() + " != primal " + primal + " (twin is wrong?)");
      }
      for (int k = 0; k < c.diff.length; k++) {
        int arg = c.diff[k];
        double got = g[k + 1];
        String comp = at + ", d/d(arg " + arg + ")";
        if (!Double.isFinite(got)) {
          problems.add(comp + ": generated partial is " + got);
          continue;
        }
        // (b) finite differences
        double fd = c.floats ? richardsonFloat(c, p, arg) : richardson(c, p, arg);
        double fdTol = c.floats ? 2e-4 * (1 + Math.abs(got)) : FD_REL * Math.max(1, Math.abs(got));
        if (!(Math.abs(fd - got) <= fdTol)) {
          problems.add(comp + ": generated " + got + " vs finite differences " + fd + " (diff "
              + Math.abs(fd - got) + ", tol " + fdTol + ")");
        }
        // (c) the forward-mode twin
        int[] orders = new int[c.diff.length];
        orders[k] = 1;
        double expected = twin.getPartialDerivative(orders);
        double twinTol = c.floats ? 1e-5 * Math.abs(expected) + 1e-6
            : TWIN_REL * Math.abs(expected) + TWIN_ABS;
        if (!(Math.abs(expected - got) <= twinTol)) {
          problems.add(comp + ": generated " + got + " vs Hipparchus twin " + expected + " (diff "
              + Math.abs(expected - got) + ", tol " + twinTol + ")");
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
    }
  }

  /** Central differences at h and h/2, Richardson-extrapolated: D = (4 D(h/2) - D(h)) / 3. */
  private static double richardson(Case c, double[] p, int arg) {
    double h = 1e-4 * Math.max(1, Math.abs(p[arg]));
    double d1 = (shifted(c, p, arg, h) - shifted(c, p, arg, -h)) / (2 * h);
    double d2 = (shifted(c, p, arg, h / 2) - shifted(c, p, arg, -h / 2)) / h;
    return (4 * d2 - d1) / 3;
  }

  /**
   * The same for float arguments: a power-of-two step, so that x ± h and x ± h/2 are exact floats
   * (the sampled points are floats of magnitude &lt; 4); the primal itself rounds to float, hence
   * the looser tolerance used with it.
   */
  private static double richardsonFloat(Case c, double[] p, int arg) {
    double h = 0x1p-8;
    double d1 = (shifted(c, p, arg, h) - shifted(c, p, arg, -h)) / (2 * h);
    double d2 = (shifted(c, p, arg, h / 2) - shifted(c, p, arg, -h / 2)) / h;
    return (4 * d2 - d1) / 3;
  }

  private static double shifted(Case c, double[] p, int arg, double delta) {
    double[] q = p.clone();
    q[arg] += delta;
    return c.primal.applyAsDouble(q);
  }

  // ---------------------------------------------------------------------------------------------
  // Twin helpers: the same formula over DerivativeStructure

  private static DerivativeStructure sq(DerivativeStructure a) {
    return a.multiply(a);
  }

  /** Java's Math.max rule: the first argument when a >= b. */
  private static DerivativeStructure max(DerivativeStructure a, DerivativeStructure b) {
    return a.getValue() >= b.getValue() ? a : b;
  }

  /** Java's Math.min rule: the first argument when a <= b. */
  private static DerivativeStructure min(DerivativeStructure a, DerivativeStructure b) {
    return a.getValue() <= b.getValue() ? a : b;
  }

  /** A piecewise-constant function of a: its value, with zero derivative. */
  private static DerivativeStructure flat(DerivativeStructure a, DoubleUnaryOperator f) {
    return a.getFactory().constant(f.applyAsDouble(a.getValue()));
  }

  /** Java's truncating x % y = x - y * trunc(x / y), trunc a constant. */
  private static DerivativeStructure rem(DerivativeStructure x, DerivativeStructure y) {
    double q = x.getValue() / y.getValue();
    double trunc = q < 0 ? Math.ceil(q) : Math.floor(q);
    return x.subtract(y.multiply(trunc));
  }

  /** A real cube root on both signs (Hipparchus' rootN(3) of a negative number is fine too). */
  private static DerivativeStructure cbrt(DerivativeStructure a) {
    return a.rootN(3);
  }

  // ---------------------------------------------------------------------------------------------
  // Domains

  private static double[] box(double... bounds) {
    return bounds;
  }

  /** True when v is at least 0.01 away from every offset + k * step. */
  private static boolean awayFromGrid(double v, double step, double offset) {
    double r = (v - offset) / step;
    return Math.abs(r - Math.rint(r)) > 0.01;
  }

  /** atan2(y, x) jumps on the negative x axis. */
  private static boolean awayFromCut(double y, double x) {
    return x > 0 || Math.abs(y) > 0.05;
  }

  private static double[] v(double... values) {
    return values;
  }

  /** {@code n} elements of the point from {@code from} on, as the float[] argument they stand for. */
  static float[] floats(double[] p, int from, int n) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) p[from + i];
    }
    return f;
  }

  /** The value, then each float[] gradient's elements and each scalar partial, in order. */
  private static double[] flat(double value, Object... parts) {
    List<Double> out = new ArrayList<>(List.of(value));
    for (Object part : parts) {
      if (part instanceof float[] f) {
        for (float x : f) {
          out.add((double) x);
        }
      } else {
        out.add(((Number) part).doubleValue());
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The constant features of {@link ScalarCorpus#floatLogistic}. */
  static final float[] FEATURES = {0.5f, -1.25f, 2f, 0.75f};
  /** The index table of {@link ScalarCorpus#gather}. */
  static final int[] GATHER = {2, 0, 3, 3, 1};

  private static Case fn(String name, double[] box, ToDoubleFunction<double[]> primal,
      Function<double[], double[]> grad, Function<DerivativeStructure[], DerivativeStructure> twin) {
    int n = box.length / 2;
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return new Case(name, box, p -> true, List.of(), all, false, primal, grad, twin);
  }

  /** One corpus function: its arguments are the doubles of a point; diff lists the active ones. */
  record Case(String name, double[] box, Predicate<double[]> valid, List<Predicate<double[]>> required,
      int[] diff, boolean floats, ToDoubleFunction<double[]> primal, Function<double[], double[]> grad,
      Function<DerivativeStructure[], DerivativeStructure> twin) {

    Case where(Predicate<double[]> p) {
      return new Case(name, box, p, required, diff, floats, primal, grad, twin);
    }

    /** At least one sampled point must satisfy p (e.g. a negative base). */
    Case mustInclude(Predicate<double[]> p) {
      List<Predicate<double[]>> r = new ArrayList<>(required);
      r.add(p);
      return new Case(name, box, valid, r, diff, floats, primal, grad, twin);
    }

    Case active(int... args) {
      return new Case(name, box, valid, required, args, floats, primal, grad, twin);
    }

    Case asFloats() {
      return new Case(name, box, valid, required, diff, true, primal, grad, twin);
    }

    /** POINTS deterministic points in the box that satisfy valid; the first ones cover required. */
    List<double[]> points() {
      Random rnd = new Random(name.hashCode());
      List<double[]> out = new ArrayList<>();
      for (Predicate<double[]> r : required) {
        out.add(sample(rnd, valid.and(r)));
      }
      while (out.size() < POINTS) {
        out.add(sample(rnd, valid));
      }
      return out;
    }

    private double[] sample(Random rnd, Predicate<double[]> ok) {
      for (int attempt = 0; attempt < 100_000; attempt++) {
        double[] p = new double[box.length / 2];
        for (int i = 0; i < p.length; i++) {
          p[i] = box[2 * i] + (box[2 * i + 1] - box[2 * i]) * rnd.nextDouble();
          if (floats) {
            p[i] = (float) p[i];
          }
        }
        if (ok.test(p)) {
          return p;
        }
      }
      throw new IllegalStateException(name + ": no valid point found");
    }

    DerivativeStructure twinAt(double[] p) {
      DSFactory factory = new DSFactory(diff.length, 1);
      DerivativeStructure[] d = new DerivativeStructure[p.length];
      for (int i = 0; i < p.length; i++) {
        d[i] = factory.constant(p[i]);
      }
      for (int k = 0; k < diff.length; k++) {
        d[diff[k]] = factory.variable(k, p[diff[k]]);
      }
      return twin.apply(d);
    }
  }
}
