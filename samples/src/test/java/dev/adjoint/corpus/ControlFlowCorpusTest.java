package dev.adjoint.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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
 * Checks every method of the control-flow corpus ({@link ControlFlowCorpus}, {@link CorpusHelpers})
 * at deterministic pseudo-random points away from branch boundaries and kinks, the same three ways
 * as {@link ScalarCorpusTest}:
 *
 * <ol>
 *   <li>the generated value equals the primal's value exactly;
 *   <li>each generated partial (every array element) agrees with central finite differences,
 *       Richardson-extrapolated;
 *   <li>each generated partial agrees with a forward-mode twin (class {@link Twin}) written with
 *       the same control flow over Hipparchus {@link DerivativeStructure}, branching on
 *       {@code getValue()}, to 1e-9 relative.
 * </ol>
 *
 * <p>Besides, at every point: an array gradient has the shape of its argument, and the gradient
 * method leaves the caller's arrays unchanged (several methods write into a parameter array; their
 * gradient is with respect to the values on entry). Every evaluation gets fresh copies of the point's
 * arrays.
 *
 * <p>A point is a flat vector holding every argument's elements in order (matrices row by row);
 * {@link Arg} gives each argument's shape and sampling range, {@link Args} unpacks a point into the
 * call's arguments. int and boolean arguments are fixed in each row (one row per value of interest).
 */
class ControlFlowCorpusTest {
  private static final int POINTS = 6;

  private static final double FD_REL = 1e-6;
  private static final double TWIN_REL = 1e-9;
  private static final double TWIN_ABS = 1e-12;

  /** Keeps points this far from every branch boundary and kink. */
  private static final double MARGIN = 0.05;

  static final ControlFlowCorpus OBJ = new ControlFlowCorpus(0.25, 0.9);

  // ---------------------------------------------------------------------------------------------
  // The table

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();

    // 1. Branches
    c.add(fn("piecewise", args(s(-3, 3)),
        a -> ControlFlowCorpus.piecewise(a.s(0)),
        a -> { var g = ControlFlowCorpusGrad.piecewise(a.s(0)); return r(g.value(), g.x()); },
        d -> Twin.piecewise(d.s(0)))
        .where(a -> away(a.s(0), -1, 1)).mustInclude(a -> a.s(0) < -1).mustInclude(a -> a.s(0) > 1)
        .mustInclude(a -> Math.abs(a.s(0)) < 1));
    c.add(fn("huber", args(s(-3, 3), s(0.3, 2)),
        a -> ControlFlowCorpus.huber(a.s(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.huber(a.s(0), a.s(1)); return r(g.value(), g.r(), g.delta()); },
        d -> Twin.huber(d.s(0), d.s(1)))
        .where(a -> away(Math.abs(a.s(0)) - a.s(1), 0) && away(a.s(0), 0))
        .mustInclude(a -> Math.abs(a.s(0)) < a.s(1)).mustInclude(a -> a.s(0) < -a.s(1)));
    c.add(fn("nestedIfs", args(s(-3, 3), s(-3, 3)),
        a -> ControlFlowCorpus.nestedIfs(a.s(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.nestedIfs(a.s(0), a.s(1)); return r(g.value(), g.x(), g.y()); },
        d -> Twin.nestedIfs(d.s(0), d.s(1)))
        .where(a -> away(a.s(0) - a.s(1), 0) && away(a.s(0), -1, 0) && away(a.s(1), 1))
        .mustInclude(a -> a.s(0) > a.s(1) && a.s(0) > 0).mustInclude(a -> a.s(0) > a.s(1) && a.s(0) < 0)
        .mustInclude(a -> a.s(0) < a.s(1) && a.s(1) > 1)
        .mustInclude(a -> a.s(0) < a.s(1) && a.s(1) < 1 && a.s(0) < -1)
        .mustInclude(a -> a.s(0) < a.s(1) && a.s(1) < 1 && a.s(0) > -1));
    c.add(fn("bilinear", args(s(0.05, 1.95), s(0.05, 1.95), mat(3, 3, -2, 2)),
        a -> ControlFlowCorpus.bilinear(a.s(0), a.s(1), a.m(2)),
        a -> {
          var g = ControlFlowCorpusGrad.bilinear(a.s(0), a.s(1), a.m(2));
          return r(g.value(), g.u(), g.v(), g.f());
        },
        d -> Twin.bilinear(d.s(0), d.s(1), d.m(2)))
        .where(a -> away(a.s(0), 1) && away(a.s(1), 1))
        .mustInclude(a -> a.s(0) < 1 && a.s(1) < 1).mustInclude(a -> a.s(0) < 1 && a.s(1) > 1)
        .mustInclude(a -> a.s(0) > 1 && a.s(1) < 1).mustInclude(a -> a.s(0) > 1 && a.s(1) > 1));
    c.add(fn("clampTernary", args(s(-3, 3), s(-1.5, -0.5), s(0.5, 1.5)),
        a -> ControlFlowCorpus.clampTernary(a.s(0), a.s(1), a.s(2)),
        a -> {
          var g = ControlFlowCorpusGrad.clampTernary(a.s(0), a.s(1), a.s(2));
          return r(g.value(), g.x(), g.lo(), g.hi());
        },
        d -> Twin.clampTernary(d.s(0), d.s(1), d.s(2)))
        .where(a -> away(a.s(0) - a.s(1), 0) && away(a.s(0) - a.s(2), 0))
        .mustInclude(a -> a.s(0) < a.s(1)).mustInclude(a -> a.s(0) > a.s(2))
        .mustInclude(a -> a.s(0) > a.s(1) && a.s(0) < a.s(2)));
    c.add(fn("ternaryMix", args(s(-2.5, 2.5), s(-2.5, 2.5)),
        a -> ControlFlowCorpus.ternaryMix(a.s(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.ternaryMix(a.s(0), a.s(1)); return r(g.value(), g.x(), g.y()); },
        d -> Twin.ternaryMix(d.s(0), d.s(1)))
        .where(a -> {
          double x = a.s(0);
          double y = a.s(1);
          double t = x > y ? x * y : x + y;
          return away(x - y, 0) && away(x, 0) && away(t, 1);
        })
        .mustInclude(a -> a.s(0) > a.s(1) && a.s(0) * a.s(1) > 1)
        .mustInclude(a -> a.s(0) < a.s(1) && a.s(0) < 0));
    for (int order : new int[] {4, 2, 0, 9}) {
      c.add(fn("taylorExp(order=" + order + ")", args(s(-2, 2)),
          a -> ControlFlowCorpus.taylorExp(a.s(0), order),
          a -> { var g = ControlFlowCorpusGrad.taylorExp(a.s(0), order); return r(g.value(), g.t()); },
          d -> Twin.taylorExp(d.s(0), order)));
    }
    for (int kind : new int[] {0, 1, 2, 7}) {
      c.add(fn("smoothingPenalty(kind=" + kind + ")", args(vec(6, -2, 2)),
          a -> ControlFlowCorpus.smoothingPenalty(a.v(0), kind),
          a -> { var g = ControlFlowCorpusGrad.smoothingPenalty(a.v(0), kind); return r(g.value(), g.u()); },
          d -> Twin.smoothingPenalty(d.v(0), kind))
          .where(a -> allAway(a.v(0), 0)));
    }
    for (int kind = 0; kind <= 4; kind++) {
      int k = kind;
      c.add(fn("activation(kind=" + k + ")", args(s(-3, 3)),
          a -> ControlFlowCorpus.activation(a.s(0), k),
          a -> { var g = ControlFlowCorpusGrad.activation(a.s(0), k); return r(g.value(), g.x()); },
          d -> Twin.activation(d.s(0), k))
          .where(a -> away(a.s(0), 0)).mustInclude(a -> a.s(0) < 0).mustInclude(a -> a.s(0) > 0));
    }
    for (int kind = 0; kind <= 3; kind++) {
      int k = kind;
      c.add(fn("lossByKind(kind=" + k + ")", args(s(-2, 2), s(-2, 2)),
          a -> ControlFlowCorpus.lossByKind(a.s(0), a.s(1), k),
          a -> {
            var g = ControlFlowCorpusGrad.lossByKind(a.s(0), a.s(1), k);
            return r(g.value(), g.pred(), g.target());
          },
          d -> Twin.lossByKind(d.s(0), d.s(1), k))
          .where(a -> away(Math.abs(a.s(0) - a.s(1)), 0, 0.5, 1))
          .mustInclude(a -> Math.abs(a.s(0) - a.s(1)) < 0.5)
          .mustInclude(a -> Math.abs(a.s(0) - a.s(1)) > 1));
    }
    c.add(fn("alternatingLog1p", args(s(-0.6, 0.6)),
        a -> ControlFlowCorpus.alternatingLog1p(a.s(0), 12),
        a -> { var g = ControlFlowCorpusGrad.alternatingLog1p(a.s(0), 12); return r(g.value(), g.x()); },
        d -> Twin.alternatingLog1p(d.s(0), 12)).mustInclude(a -> a.s(0) < 0));
    for (int n : new int[] {8, 20}) {
      c.add(fn("simpsonSin(n=" + n + ")", args(s(-3, 3)),
          a -> ControlFlowCorpus.simpsonSin(a.s(0), n),
          a -> { var g = ControlFlowCorpusGrad.simpsonSin(a.s(0), n); return r(g.value(), g.a()); },
          d -> Twin.simpsonSin(d.s(0), n)));
    }
    for (boolean squared : new boolean[] {true, false}) {
      c.add(fn("clippedLoss(squared=" + squared + ")", args(s(-2.5, 2.5), s(-1, 1)),
          a -> ControlFlowCorpus.clippedLoss(a.s(0), a.s(1), squared),
          a -> {
            var g = ControlFlowCorpusGrad.clippedLoss(a.s(0), a.s(1), squared);
            return r(g.value(), g.pred(), g.target());
          },
          d -> Twin.clippedLoss(d.s(0), d.s(1), squared))
          .where(a -> away(a.s(0) - a.s(1), -1, 0, 1))
          .mustInclude(a -> a.s(0) - a.s(1) > 1).mustInclude(a -> a.s(0) - a.s(1) < -1)
          .mustInclude(a -> Math.abs(a.s(0) - a.s(1)) < 1));
    }
    c.add(fn("piecewiseEarlyReturn", args(s(-2, 2), s(-1, 3)),
        a -> ControlFlowCorpus.piecewiseEarlyReturn(a.s(0), a.s(1)),
        a -> {
          var g = ControlFlowCorpusGrad.piecewiseEarlyReturn(a.s(0), a.s(1));
          return r(g.value(), g.x(), g.y());
        },
        d -> Twin.piecewiseEarlyReturn(d.s(0), d.s(1)))
        .where(a -> away(a.s(0), 0) && away(a.s(0) * a.s(0) + a.s(1), 2))
        .mustInclude(a -> a.s(0) < 0).mustInclude(a -> a.s(0) > 0 && a.s(0) * a.s(0) + a.s(1) > 2)
        .mustInclude(a -> a.s(0) > 0 && a.s(0) * a.s(0) + a.s(1) < 2));

    // 2. Loops
    c.add(fn("horner", args(s(-2, 2), vec(6, -1, 1)),
        a -> ControlFlowCorpus.horner(a.s(0), a.v(1)),
        a -> { var g = ControlFlowCorpusGrad.horner(a.s(0), a.v(1)); return r(g.value(), g.x(), g.c()); },
        d -> Twin.horner(d.s(0), d.v(1))));
    c.add(fn("hornerForward", args(s(-2, 2), vec(5, -1, 1)),
        a -> ControlFlowCorpus.hornerForward(a.s(0), a.v(1)),
        a -> { var g = ControlFlowCorpusGrad.hornerForward(a.s(0), a.v(1)); return r(g.value(), g.x(), g.c()); },
        d -> Twin.hornerForward(d.s(0), d.v(1))));
    c.add(fn("sinIterate", args(s(-2, 2)),
        a -> ControlFlowCorpus.sinIterate(a.s(0), 25),
        a -> { var g = ControlFlowCorpusGrad.sinIterate(a.s(0), 25); return r(g.value(), g.x()); },
        d -> Twin.sinIterate(d.s(0), 25)));
    c.add(fn("ema", args(vec(7, -2, 2), s(0.1, 0.9)),
        a -> ControlFlowCorpus.ema(a.v(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.ema(a.v(0), a.s(1)); return r(g.value(), g.x(), g.alpha()); },
        d -> Twin.ema(d.v(0), d.s(1))));
    c.add(fn("pendulum", args(s(-1.5, 1.5), s(-1, 1), s(0.01, 0.1)),
        a -> ControlFlowCorpus.pendulum(a.s(0), a.s(1), a.s(2), 40),
        a -> {
          var g = ControlFlowCorpusGrad.pendulum(a.s(0), a.s(1), a.s(2), 40);
          return r(g.value(), g.q0(), g.p0(), g.dt());
        },
        d -> Twin.pendulum(d.s(0), d.s(1), d.s(2), 40)));
    c.add(fn("logRangeReduce", args(s(0.05, 50)),
        a -> ControlFlowCorpus.logRangeReduce(a.s(0)),
        a -> { var g = ControlFlowCorpusGrad.logRangeReduce(a.s(0)); return r(g.value(), g.x()); },
        d -> Twin.logRangeReduce(d.s(0)))
        .where(a -> awayFromGrid(Math.log(a.s(0)) / Math.log(2), 1, 0))
        .mustInclude(a -> a.s(0) < 1).mustInclude(a -> a.s(0) > 8));
    c.add(fn("expSeries", args(s(-3, 3)),
        a -> ControlFlowCorpus.expSeries(a.s(0)),
        a -> { var g = ControlFlowCorpusGrad.expSeries(a.s(0)); return r(g.value(), g.x()); },
        d -> Twin.expSeries(d.s(0))).mustInclude(a -> a.s(0) < -1));
    c.add(fn("newtonSqrt", args(s(0.1, 20)),
        a -> ControlFlowCorpus.newtonSqrt(a.s(0)),
        a -> { var g = ControlFlowCorpusGrad.newtonSqrt(a.s(0)); return r(g.value(), g.a()); },
        d -> Twin.newtonSqrt(d.s(0))).where(a -> away(a.s(0), 1)).mustInclude(a -> a.s(0) < 1));
    c.add(fn("kepler", args(s(0.2, 3), s(0.05, 0.7)),
        a -> ControlFlowCorpus.kepler(a.s(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.kepler(a.s(0), a.s(1)); return r(g.value(), g.m(), g.e()); },
        d -> Twin.kepler(d.s(0), d.s(1))));
    c.add(fn("newtonCbrt", args(s(0.2, 20)),
        a -> ControlFlowCorpus.newtonCbrt(a.s(0)),
        a -> { var g = ControlFlowCorpusGrad.newtonCbrt(a.s(0)); return r(g.value(), g.a()); },
        d -> Twin.newtonCbrt(d.s(0))));
    c.add(fn("budgetedSum", args(vec(6, -1, 1), s(0.5, 2.5)),
        a -> ControlFlowCorpus.budgetedSum(a.v(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.budgetedSum(a.v(0), a.s(1)); return r(g.value(), g.x(), g.budget()); },
        d -> Twin.budgetedSum(d.v(0), d.s(1)))
        .where(a -> {
          double s = 0;
          for (double v : a.v(0)) {
            s += v * v;
            if (!away(s - a.s(1), 0)) {
              return false;
            }
          }
          return true;
        })
        .mustInclude(a -> sumSq(a.v(0)) > a.s(1)).mustInclude(a -> sumSq(a.v(0)) < a.s(1)));
    c.add(fn("interp", args(s(0.6, 4), ramp(5, 0, 0.5, 1), vec(5, -2, 2)),
        a -> ControlFlowCorpus.interp(a.s(0), a.v(1), a.v(2)),
        a -> {
          var g = ControlFlowCorpusGrad.interp(a.s(0), a.v(1), a.v(2));
          return r(g.value(), g.t(), g.xs(), g.ys());
        },
        d -> Twin.interp(d.s(0), d.v(1), d.v(2)))
        .where(a -> allAway(a.v(1), a.s(0))).mustInclude(a -> a.s(0) < a.v(1)[1])
        .mustInclude(a -> a.s(0) > a.v(1)[3]));
    c.add(fn("sqrtOfPositives", args(vec(7, -1, 2)),
        a -> ControlFlowCorpus.sqrtOfPositives(a.v(0)),
        a -> { var g = ControlFlowCorpusGrad.sqrtOfPositives(a.v(0)); return r(g.value(), g.x()); },
        d -> Twin.sqrtOfPositives(d.v(0))).where(a -> allAway(a.v(0), 0)));
    c.add(fn("skipEveryThird", args(vec(8, -2, 2), s(-1.5, 1.5)),
        a -> ControlFlowCorpus.skipEveryThird(a.v(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.skipEveryThird(a.v(0), a.s(1)); return r(g.value(), g.x(), g.w()); },
        d -> Twin.skipEveryThird(d.v(0), d.s(1))));
    c.add(fn("firstAbove", args(vec(5, -1, 1), s(-0.5, 1.2)),
        a -> ControlFlowCorpus.firstAbove(a.v(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.firstAbove(a.v(0), a.s(1)); return r(g.value(), g.x(), g.level()); },
        d -> Twin.firstAbove(d.v(0), d.s(1)))
        .where(a -> allAway(a.v(0), a.s(1)))
        .mustInclude(a -> max(a.v(0)) < a.s(1)).mustInclude(a -> a.v(0)[0] > a.s(1))
        .mustInclude(a -> a.v(0)[0] < a.s(1) && max(a.v(0)) > a.s(1)));
    c.add(fn("landingTime", args(s(1, 5), s(5, 15)),
        a -> ControlFlowCorpus.landingTime(a.s(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.landingTime(a.s(0), a.s(1)); return r(g.value(), g.v0(), g.g()); },
        d -> Twin.landingTime(d.s(0), d.s(1)))
        .where(a -> landingStepsAwayFromGround(a.s(0), a.s(1))));
    c.add(fn("matVecNorm", args(mat(3, 4, -1, 1), vec(4, -1, 1)),
        a -> ControlFlowCorpus.matVecNorm(a.m(0), a.v(1)),
        a -> { var g = ControlFlowCorpusGrad.matVecNorm(a.m(0), a.v(1)); return r(g.value(), g.a(), g.x()); },
        d -> Twin.matVecNorm(d.m(0), d.v(1))));
    c.add(fn("quadForm", args(mat(4, 4, -1, 1), vec(4, -1, 1)),
        a -> ControlFlowCorpus.quadForm(a.m(0), a.v(1)),
        a -> { var g = ControlFlowCorpusGrad.quadForm(a.m(0), a.v(1)); return r(g.value(), g.a(), g.x()); },
        d -> Twin.quadForm(d.m(0), d.v(1))));
    c.add(fn("scaledEnergy", args(vec(6, -2, 2), s(-1.5, 1.5)),
        a -> ControlFlowCorpus.scaledEnergy(a.v(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.scaledEnergy(a.v(0), a.s(1)); return r(g.value(), g.x(), g.w()); },
        d -> Twin.scaledEnergy(d.v(0), d.s(1))));

    // 3. Arrays
    c.add(fn("reverseDot", args(vec(7, -2, 2)),
        a -> ControlFlowCorpus.reverseDot(a.v(0)),
        a -> { var g = ControlFlowCorpusGrad.reverseDot(a.v(0)); return r(g.value(), g.x()); },
        d -> Twin.reverseDot(d.v(0))));
    c.add(fn("cyclicVariation", args(vec(6, -2, 2)),
        a -> ControlFlowCorpus.cyclicVariation(a.v(0)),
        a -> { var g = ControlFlowCorpusGrad.cyclicVariation(a.v(0)); return r(g.value(), g.x()); },
        d -> Twin.cyclicVariation(d.v(0))));
    c.add(fn("cumsumLoss", args(vec(6, -1.5, 1.5)),
        a -> ControlFlowCorpus.cumsumLoss(a.v(0)),
        a -> { var g = ControlFlowCorpusGrad.cumsumLoss(a.v(0)); return r(g.value(), g.x()); },
        d -> Twin.cumsumLoss(d.v(0))));
    c.add(fn("softmaxDot", args(vec(5, -3, 3), vec(5, -2, 2)),
        a -> ControlFlowCorpus.softmaxDot(a.v(0), a.v(1)),
        a -> { var g = ControlFlowCorpusGrad.softmaxDot(a.v(0), a.v(1)); return r(g.value(), g.z(), g.y()); },
        d -> Twin.softmaxDot(d.v(0), d.v(1))));
    c.add(fn("mlpTanh", args(mat(4, 3, -1, 1), vec(4, -0.5, 0.5), vec(4, -1, 1), s(-0.5, 0.5), vec(3, -2, 2),
            s(-1, 1)),
        a -> ControlFlowCorpus.mlpTanh(a.m(0), a.v(1), a.v(2), a.s(3), a.v(4), a.s(5)),
        a -> {
          var g = ControlFlowCorpusGrad.mlpTanh(a.m(0), a.v(1), a.v(2), a.s(3), a.v(4), a.s(5));
          return r(g.value(), g.w1(), g.b1(), g.w2(), g.b2());
        },
        d -> Twin.mlpTanh(d.m(0), d.v(1), d.v(2), d.s(3), d.v(4), d.s(5))).active(0, 1, 2, 3));
    c.add(fn("mlpRelu", args(mat(4, 3, -1, 1), vec(4, -0.5, 0.5), vec(4, -1, 1), s(-0.5, 0.5), vec(3, -2, 2),
            s(0, 1)),
        a -> ControlFlowCorpus.mlpRelu(a.m(0), a.v(1), a.v(2), a.s(3), a.v(4), a.s(5)),
        a -> {
          var g = ControlFlowCorpusGrad.mlpRelu(a.m(0), a.v(1), a.v(2), a.s(3), a.v(4), a.s(5));
          return r(g.value(), g.w1(), g.b1(), g.w2(), g.b2());
        },
        d -> Twin.mlpRelu(d.m(0), d.v(1), d.v(2), d.s(3), d.v(4), d.s(5))).active(0, 1, 2, 3)
        .where(a -> {
          for (double z : affine(a.m(0), a.v(1), a.v(4))) {
            if (!away(z, 0)) {
              return false;
            }
          }
          return true;
        })
        .mustInclude(a -> min(affine(a.m(0), a.v(1), a.v(4))) < 0));
    c.add(fn("trimmedMean", args(vec(6, -2, 2)),
        a -> ControlFlowCorpus.trimmedMean(a.v(0)),
        a -> { var g = ControlFlowCorpusGrad.trimmedMean(a.v(0)); return r(g.value(), g.x()); },
        d -> Twin.trimmedMean(d.v(0))).where(a -> pairwiseAway(a.v(0))));
    c.add(fn("squareInPlace", args(vec(6, -2, 2)),
        a -> ControlFlowCorpus.squareInPlace(a.v(0)),
        a -> { var g = ControlFlowCorpusGrad.squareInPlace(a.v(0)); return r(g.value(), g.x()); },
        d -> Twin.squareInPlace(d.v(0))));
    c.add(fn("smoothInPlace", args(vec(6, -2, 2), s(0.1, 0.9)),
        a -> ControlFlowCorpus.smoothInPlace(a.v(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.smoothInPlace(a.v(0), a.s(1)); return r(g.value(), g.x(), g.alpha()); },
        d -> Twin.smoothInPlace(d.v(0), d.s(1))));
    c.add(fn("clampInPlace", args(vec(6, -2, 2), s(-1.2, -0.2), s(0.2, 1.2)),
        a -> ControlFlowCorpus.clampInPlace(a.v(0), a.s(1), a.s(2)),
        a -> {
          var g = ControlFlowCorpusGrad.clampInPlace(a.v(0), a.s(1), a.s(2));
          return r(g.value(), g.x(), g.lo(), g.hi());
        },
        d -> Twin.clampInPlace(d.v(0), d.s(1), d.s(2)))
        .where(a -> allAway(a.v(0), a.s(1)) && allAway(a.v(0), a.s(2)))
        .mustInclude(a -> min(a.v(0)) < a.s(1) && max(a.v(0)) > a.s(2)));
    c.add(fn("normalizeInPlace", args(vec(5, -2, 2)),
        a -> ControlFlowCorpus.normalizeInPlace(a.v(0)),
        a -> { var g = ControlFlowCorpusGrad.normalizeInPlace(a.v(0)); return r(g.value(), g.x()); },
        d -> Twin.normalizeInPlace(d.v(0))).where(a -> sumSq(a.v(0)) > 0.5));

    for (int comps = 1; comps <= 3; comps++) {
      int m = comps;
      c.add(fn("triangleNorms(comps=" + m + ")", args(vec(4, -1, 1), vec(4 * m, -1, 1), vec(4 * m, 0.2, 1.5),
              vec(6 * m, -1, 1)),
          a -> ControlFlowCorpus.triangleNorms(a.v(0), a.v(1), a.v(2), a.v(3), m),
          a -> {
            var g = ControlFlowCorpusGrad.triangleNorms(a.v(0), a.v(1), a.v(2), a.v(3), m);
            return r(g.value(), g.x(), g.mu(), g.diag(), g.lower());
          },
          d -> Twin.triangleNorms(d.v(0), d.v(1), d.v(2), d.v(3), m)));
    }
    for (int rounds = 1; rounds <= 3; rounds++) {
      int m = rounds;
      c.add(fn("partialRefill(rounds=" + m + ")", args(vec(4, -1, 1), vec(4, -1, 1)),
          a -> ControlFlowCorpus.partialRefill(a.v(0), a.v(1), m),
          a -> { var g = ControlFlowCorpusGrad.partialRefill(a.v(0), a.v(1), m); return r(g.value(), g.x(), g.w()); },
          d -> Twin.partialRefill(d.v(0), d.v(1), m)));
      c.add(fn("readBetweenRefill(rounds=" + m + ")", args(vec(4, -1, 1), vec(4, -1, 1)),
          a -> ControlFlowCorpus.readBetweenRefill(a.v(0), a.v(1), m),
          a -> {
            var g = ControlFlowCorpusGrad.readBetweenRefill(a.v(0), a.v(1), m);
            return r(g.value(), g.x(), g.w());
          },
          d -> Twin.readBetweenRefill(d.v(0), d.v(1), m)));
    }
    for (int step : new int[] {1, 3, 4}) {
      c.add(fn("stridedSum(step=" + step + ")", args(vec(5, -2, 2)),
          a -> ControlFlowCorpus.stridedSum(a.v(0), step),
          a -> { var g = ControlFlowCorpusGrad.stridedSum(a.v(0), step); return r(g.value(), g.x()); },
          d -> Twin.stridedSum(d.v(0), step)));
    }

    c.add(fn("expChain", args(vec(4, -1, 1), s(-0.8, 0.8)),
        a -> ControlFlowCorpus.expChain(a.v(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.expChain(a.v(0), a.s(1)); return r(g.value(), g.x(), g.w()); },
        d -> Twin.expChain(d.v(0), d.s(1))));
    for (int m = 0; m <= 2; m++) {
      int mm = m;
      c.add(fn("guardedIndex(m=" + m + ")", args(vec(3, -1, 1), vec(2, -1, 1)),
          a -> ControlFlowCorpus.guardedIndex(a.v(0), a.v(1), mm),
          a -> { var g = ControlFlowCorpusGrad.guardedIndex(a.v(0), a.v(1), mm); return r(g.value(), g.x(), g.w()); },
          d -> Twin.guardedIndex(d.v(0), d.v(1), mm)));
    }
    c.add(fn("hashedPicks", args(vec(7, -2, 2)),
        a -> ControlFlowCorpus.hashedPicks(a.v(0), 12),
        a -> { var g = ControlFlowCorpusGrad.hashedPicks(a.v(0), 12); return r(g.value(), g.x()); },
        d -> Twin.hashedPicks(d.v(0), 12)));
    for (int rounds = 1; rounds <= 3; rounds++) {
      int m = rounds;
      c.add(fn("carriedScratch(rounds=" + m + ")", args(vec(4, -1, 1), s(-1, 1)),
          a -> ControlFlowCorpus.carriedScratch(a.v(0), a.s(1), m),
          a -> { var g = ControlFlowCorpusGrad.carriedScratch(a.v(0), a.s(1), m); return r(g.value(), g.x(), g.w()); },
          d -> Twin.carriedScratch(d.v(0), d.s(1), m)));
      c.add(fn("scratchAcrossLoops(rounds=" + m + ")", args(vec(4, -1, 1), s(-1, 1)),
          a -> ControlFlowCorpus.scratchAcrossLoops(a.v(0), a.s(1), m),
          a -> {
            var g = ControlFlowCorpusGrad.scratchAcrossLoops(a.v(0), a.s(1), m);
            return r(g.value(), g.x(), g.w());
          },
          d -> Twin.scratchAcrossLoops(d.v(0), d.s(1), m)));
    }
    // 4. Calls
    c.add(fn("callsSame", args(s(-2.5, 2.5), s(-2, 2)),
        a -> ControlFlowCorpus.callsSame(a.s(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.callsSame(a.s(0), a.s(1)); return r(g.value(), g.x(), g.y()); },
        d -> Twin.callsSame(d.s(0), d.s(1)))
        .where(a -> {
          double x = a.s(0);
          double y = a.s(1);
          return away(x, -1, 1) && away(x - y, 0) && away(Math.abs(x - y) - (0.5 + 0.1 * y * y), 0);
        })
        .mustInclude(a -> Math.abs(a.s(0) - a.s(1)) < 0.5).mustInclude(a -> Math.abs(a.s(0) - a.s(1)) > 1));
    c.add(fn("polyFitLoss", args(vec(4, -1, 1), vec(6, -1.5, 1.5), vec(6, -2, 2)),
        a -> ControlFlowCorpus.polyFitLoss(a.v(0), a.v(1), a.v(2)),
        a -> { var g = ControlFlowCorpusGrad.polyFitLoss(a.v(0), a.v(1), a.v(2)); return r(g.value(), g.c()); },
        d -> Twin.polyFitLoss(d.v(0), d.v(1), d.v(2))).active(0));
    c.add(fn("normalizedScore", args(vec(5, -2, 2), vec(5, -1, 1)),
        a -> ControlFlowCorpus.normalizedScore(a.v(0), a.v(1)),
        a -> { var g = ControlFlowCorpusGrad.normalizedScore(a.v(0), a.v(1)); return r(g.value(), g.x(), g.w()); },
        d -> Twin.normalizedScore(d.v(0), d.v(1))));
    c.add(fn("smoothTotalVariation", args(vec(7, -2, 2)),
        a -> ControlFlowCorpus.smoothTotalVariation(a.v(0)),
        a -> { var g = ControlFlowCorpusGrad.smoothTotalVariation(a.v(0)); return r(g.value(), g.x()); },
        d -> Twin.smoothTotalVariation(d.v(0))));
    c.add(fn("rowNormSum", args(mat(3, 4, -1, 1)),
        a -> ControlFlowCorpus.rowNormSum(a.m(0)),
        a -> { var g = ControlFlowCorpusGrad.rowNormSum(a.m(0)); return r(g.value(), g.a()); },
        d -> Twin.rowNormSum(d.m(0))));
    for (int n : new int[] {0, 1, 5}) {
      c.add(fn("powRec(n=" + n + ")", args(s(-2, 2)),
          a -> ControlFlowCorpus.powRec(a.s(0), n),
          a -> { var g = ControlFlowCorpusGrad.powRec(a.s(0), n); return r(g.value(), g.x()); },
          d -> Twin.powRec(d.s(0), n)).mustInclude(a -> a.s(0) < 0));
    }
    c.add(fn("chebyshevSeries", args(s(-1, 1), vec(6, -1, 1)),
        a -> ControlFlowCorpus.chebyshevSeries(a.s(0), a.v(1)),
        a -> { var g = ControlFlowCorpusGrad.chebyshevSeries(a.s(0), a.v(1)); return r(g.value(), g.x(), g.w()); },
        d -> Twin.chebyshevSeries(d.s(0), d.v(1))));
    c.add(fn("softplusRegression", args(vec(4, -1, 1), s(-1, 1), vec(4, -2, 2)),
        a -> ControlFlowCorpus.softplusRegression(a.v(0), a.s(1), a.v(2)),
        a -> {
          var g = ControlFlowCorpusGrad.softplusRegression(a.v(0), a.s(1), a.v(2));
          return r(g.value(), g.w(), g.b());
        },
        d -> Twin.softplusRegression(d.v(0), d.s(1), d.v(2))).active(0, 1));
    c.add(fn("softplusChain", args(s(-3, 3)),
        a -> ControlFlowCorpus.softplusChain(a.s(0)),
        a -> { var g = ControlFlowCorpusGrad.softplusChain(a.s(0)); return r(g.value(), g.x()); },
        d -> Twin.softplusChain(d.s(0))));
    c.add(fn("smoothMax3", args(s(-3, 3), s(-3, 3), s(-3, 3)),
        a -> ControlFlowCorpus.smoothMax3(a.s(0), a.s(1), a.s(2)),
        a -> {
          var g = ControlFlowCorpusGrad.smoothMax3(a.s(0), a.s(1), a.s(2));
          return r(g.value(), g.a(), g.b(), g.c());
        },
        d -> Twin.smoothMax3(d.s(0), d.s(1), d.s(2))));
    c.add(fn("foldLogAddExp", args(vec(6, -3, 3)),
        a -> ControlFlowCorpus.foldLogAddExp(a.v(0)),
        a -> { var g = ControlFlowCorpusGrad.foldLogAddExp(a.v(0)); return r(g.value(), g.z()); },
        d -> Twin.foldLogAddExp(d.v(0))));
    for (int label : new int[] {0, 3}) {
      c.add(fn("crossEntropy(label=" + label + ")", args(vec(5, -3, 3)),
          a -> ControlFlowCorpus.crossEntropy(a.v(0), label),
          a -> { var g = ControlFlowCorpusGrad.crossEntropy(a.v(0), label); return r(g.value(), g.z()); },
          d -> Twin.crossEntropy(d.v(0), label)));
    }
    c.add(fn("temperedLse", args(vec(5, -3, 3), s(0.3, 3)),
        a -> ControlFlowCorpus.temperedLse(a.v(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.temperedLse(a.v(0), a.s(1)); return r(g.value(), g.z(), g.tau()); },
        d -> Twin.temperedLse(d.v(0), d.s(1))));

    // 5. Activity
    c.add(fn("positiveFraction", args(vec(6, -2, 2)),
        a -> ControlFlowCorpus.positiveFraction(a.v(0)),
        a -> { var g = ControlFlowCorpusGrad.positiveFraction(a.v(0)); return r(g.value(), g.x()); },
        d -> Twin.positiveFraction(d.v(0))).where(a -> allAway(a.v(0), 0)));
    c.add(fn("constantLocal", args(s(-3, 3)),
        a -> ControlFlowCorpus.constantLocal(a.s(0)),
        a -> { var g = ControlFlowCorpusGrad.constantLocal(a.s(0)); return r(g.value(), g.x()); },
        d -> Twin.constantLocal(d.s(0))));
    c.add(fn("deadCode", args(s(-2, 2), s(-2, 2)),
        a -> ControlFlowCorpus.deadCode(a.s(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.deadCode(a.s(0), a.s(1)); return r(g.value(), g.x(), g.y()); },
        d -> Twin.deadCode(d.s(0), d.s(1))).where(a -> away(a.s(0), 0)).mustInclude(a -> a.s(0) < 0)
        .mustInclude(a -> a.s(0) > 0));
    c.add(fn("deadScratch", args(vec(5, -2, 2), s(-2, 2)),
        a -> ControlFlowCorpus.deadScratch(a.v(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.deadScratch(a.v(0), a.s(1)); return r(g.value(), g.x(), g.y()); },
        d -> Twin.deadScratch(d.v(0), d.s(1))));

    // 6. Instance methods
    c.add(fn("shiftedPoly", args(s(-2, 2), vec(4, -1, 1)),
        a -> OBJ.shiftedPoly(a.s(0), a.v(1)),
        a -> { var g = ControlFlowCorpusGrad.shiftedPoly(OBJ, a.s(0), a.v(1)); return r(g.value(), g.x(), g.c()); },
        d -> Twin.shiftedPoly(OBJ, d.s(0), d.v(1))));
    c.add(fn("discounted", args(vec(6, -2, 2)),
        a -> OBJ.discounted(a.v(0)),
        a -> { var g = ControlFlowCorpusGrad.discounted(OBJ, a.v(0)); return r(g.value(), g.r()); },
        d -> Twin.discounted(OBJ, d.v(0))).where(a -> allAway(a.v(0), 0)));
    c.add(fn("polyProduct", args(s(-2, 2), vec(4, -1, 1)),
        a -> OBJ.polyProduct(a.s(0), a.v(1)),
        a -> { var g = ControlFlowCorpusGrad.polyProduct(OBJ, a.s(0), a.v(1)); return r(g.value(), g.x(), g.c()); },
        d -> Twin.polyProduct(OBJ, d.s(0), d.v(1))).where(a -> away(a.s(0), -1, 1)));

    // 7. The helpers in their own class
    c.add(fn("CorpusHelpers.weightedSum", args(vec(5, -2, 2), vec(5, -2, 2)),
        a -> CorpusHelpers.weightedSum(a.v(0), a.v(1)),
        a -> { var g = CorpusHelpersGrad.weightedSum(a.v(0), a.v(1)); return r(g.value(), g.x(), g.w()); },
        d -> Twin.weightedSum(d.v(0), d.v(1))));
    c.add(fn("CorpusHelpers.sumSquares", args(vec(5, -2, 2)),
        a -> CorpusHelpers.sumSquares(a.v(0)),
        a -> { var g = CorpusHelpersGrad.sumSquares(a.v(0)); return r(g.value(), g.x()); },
        d -> Twin.sumSquares(d.v(0))));
    c.add(fn("CorpusHelpers.smoothAbs", args(s(-2, 2), s(0.05, 1)),
        a -> CorpusHelpers.smoothAbs(a.s(0), a.s(1)),
        a -> { var g = CorpusHelpersGrad.smoothAbs(a.s(0), a.s(1)); return r(g.value(), g.x()); },
        d -> Twin.smoothAbs(d.s(0), d.s(1))).active(0));
    c.add(fn("CorpusHelpers.chebyshev(n=6)", args(s(-1, 1)),
        a -> CorpusHelpers.chebyshev(a.s(0), 6),
        a -> { var g = CorpusHelpersGrad.chebyshev(a.s(0), 6); return r(g.value(), g.x()); },
        d -> Twin.chebyshev(d.s(0), 6)));
    // 8. Numeric code as libraries write it (LanguageCorpus)
    c.add(fn("logGamma", args(s(0.7, 6)),
        a -> LanguageCorpus.logGamma(a.s(0)),
        a -> { var g = LanguageCorpusGrad.logGamma(a.s(0)); return r(g.value(), g.x()); },
        d -> Twin.logGamma(d.s(0))));
    c.add(fn("checkedNorm", args(vec(5, -2, 2), s(0.5, 2)),
        a -> LanguageCorpus.checkedNorm(a.v(0), a.s(1)),
        a -> { var g = LanguageCorpusGrad.checkedNorm(a.v(0), a.s(1)); return r(g.value(), g.v(), g.scale()); },
        d -> Twin.checkedNorm(d.v(0), d.s(1))));
    c.add(fn("bitSteered", args(s(-5, 5)),
        a -> LanguageCorpus.bitSteered(a.s(0)),
        a -> { var g = LanguageCorpusGrad.bitSteered(a.s(0)); return r(g.value(), g.x()); },
        d -> Twin.bitSteered(d.s(0)))
        // away from where the sign, the exponent, round(4x) or compare(x, 1) change
        .where(a -> Math.abs(a.s(0)) > 0.3 && away(Math.abs(a.s(0)), 0.5, 1, 2, 4) && awayFromGrid(a.s(0) * 4, 1, 0.5))
        .mustInclude(a -> a.s(0) < 0).mustInclude(a -> a.s(0) > 1));
    c.add(fn("rowViews", args(s(-1.5, 1.5), mat(3, 4, -1, 1)),
        a -> LanguageCorpus.rowViews(a.s(0), a.m(1)),
        a -> { var g = LanguageCorpusGrad.rowViews(a.s(0), a.m(1)); return r(g.value(), g.x(), g.m()); },
        d -> Twin.rowViews(d.s(0), d.m(1))));
    c.add(fn("labelledRows", args(s(-1.5, 1.5), mat(4, 3, -1, 1)),
        a -> LanguageCorpus.labelledRows(a.s(0), a.m(1)),
        a -> { var g = LanguageCorpusGrad.labelledRows(a.s(0), a.m(1)); return r(g.value(), g.x(), g.m()); },
        d -> Twin.labelledRows(d.s(0), d.m(1)))
        .where(a -> Arrays.stream(a.m(1)).flatMapToDouble(Arrays::stream).allMatch(v -> away(v, -0.5, 0.8)))
        .mustInclude(a -> Arrays.stream(a.m(1)).flatMapToDouble(Arrays::stream).anyMatch(v -> v < -0.5))
        .mustInclude(a -> Arrays.stream(a.m(1)).flatMapToDouble(Arrays::stream).anyMatch(v -> v > 0.8)));
    c.add(fn("embedded", args(s(-1.5, 1.5), vec(6, -1, 1)),
        a -> LanguageCorpus.embedded(a.s(0), a.v(1)),
        a -> { var g = LanguageCorpusGrad.embedded(a.s(0), a.v(1)); return r(g.value(), g.x(), g.b()); },
        d -> Twin.embedded(d.s(0), d.v(1))));
    // 9. Copies (a.clone())
    c.add(fn("clonedSmoothing", args(vec(6, -2, 2), s(0.1, 0.9)),
        a -> ControlFlowCorpus.clonedSmoothing(a.v(0), a.s(1)),
        a -> { var g = ControlFlowCorpusGrad.clonedSmoothing(a.v(0), a.s(1)); return r(g.value(), g.x(), g.alpha()); },
        d -> Twin.clonedSmoothing(d.v(0), d.s(1))));
    c.add(fn("clonedRows", args(mat(3, 4, -1.5, 1.5), vec(3, -1, 1), s(-1, 1)),
        a -> ControlFlowCorpus.clonedRows(a.m(0), a.v(1), a.s(2)),
        a -> { var g = ControlFlowCorpusGrad.clonedRows(a.m(0), a.v(1), a.s(2)); return r(g.value(), g.m(), g.v(), g.x()); },
        d -> Twin.clonedRows(d.m(0), d.v(1), d.s(2))));
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // The tests

  @TestFactory
  Stream<DynamicTest> corpus() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name, () -> check(c)));
  }

  @Test
  void corpusIsLargeEnough() {
    long methods = cases().stream().map(c -> c.name.replaceAll("\\(.*", "")).distinct().count();
    assertTrue(methods >= 60, "corpus has " + methods + " distinct methods");
  }

  /** The gradient throws where the method throws: the same exception, with the same message. */
  @Test
  void argumentChecksThrowInTheGradientAsInTheMethod() {
    IllegalArgumentException primal = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> LanguageCorpus.logGamma(0.25));
    IllegalArgumentException grad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> LanguageCorpusGrad.logGamma(0.25));
    assertEquals("logGamma needs x > 0.5, got 0.25", primal.getMessage());
    assertEquals(primal.getMessage(), grad.getMessage());

    double[] v = {1, Double.NaN, 2};
    ArithmeticException inLoop = org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class,
        () -> LanguageCorpusGrad.checkedNorm(v, 1));
    assertEquals("v[1] = NaN", inLoop.getMessage());
    IllegalArgumentException effect = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> LanguageCorpusGrad.checkedNorm(new double[0], 1));
    assertEquals("n = 0 must be positive", effect.getMessage()); // thrown by checkPositive, called for its effect
    NullPointerException nulls = org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
        () -> LanguageCorpusGrad.checkedNorm(null, 1));
    assertEquals("v", nulls.getMessage());
    // a NaN argument takes the early return in both
    assertTrue(Double.isNaN(LanguageCorpusGrad.logGamma(Double.NaN).value()));
  }

  /** Only differentiable parameters get a component; arrays get their own shape. */
  @Test
  void recordsListOnlyDifferentiableParameters() {
    assertEquals(List.of("value", "w1", "b1", "w2", "b2"), componentNames(ControlFlowCorpusGrad.MlpTanh.class));
    assertEquals(List.of(double.class, double[][].class, double[].class, double[].class, double.class),
        componentTypes(ControlFlowCorpusGrad.MlpTanh.class));
    assertEquals(List.of("value", "c"), componentNames(ControlFlowCorpusGrad.PolyFitLoss.class));
    assertEquals(List.of("value", "w", "b"), componentNames(ControlFlowCorpusGrad.SoftplusRegression.class));
    assertEquals(List.of("value", "t"), componentNames(ControlFlowCorpusGrad.TaylorExp.class));
    assertEquals(List.of("value", "pred", "target"), componentNames(ControlFlowCorpusGrad.ClippedLoss.class));
    assertEquals(List.of("value", "z"), componentNames(ControlFlowCorpusGrad.CrossEntropy.class));
    assertEquals(List.of("value", "r"), componentNames(ControlFlowCorpusGrad.Discounted.class));
    assertEquals(List.of("value", "x"), componentNames(CorpusHelpersGrad.SmoothAbs.class));
    assertEquals(List.of("value", "x"), componentNames(CorpusHelpersGrad.Chebyshev.class));
  }

  /**
   * The primal writes into its parameter array; the gradient method must not (it works on a copy),
   * and its gradient is with respect to the values on entry.
   */
  @Test
  void inPlaceWritesLeaveTheCallersArrayAlone() {
    double[] x = {1.5, -0.5, 0.25, -2.0};
    double[] entry = x.clone();

    double[] forPrimal = x.clone();
    ControlFlowCorpus.squareInPlace(forPrimal);
    assertNotEquals(entry[0], forPrimal[0], "the primal is expected to write into its argument");

    var sq = ControlFlowCorpusGrad.squareInPlace(x);
    assertArrayEquals(entry, x, 0.0);
    assertEquals(ControlFlowCorpus.squareInPlace(x.clone()), sq.value(), 0.0);
    for (int i = 0; i < x.length; i++) {
      // d/dx sqrt(1 + x²) at the entry value
      assertEquals(entry[i] / Math.sqrt(1 + entry[i] * entry[i]), sq.x()[i], 1e-15);
    }
    assertTrue(sq.x() != x, "the gradient must be a new array");

    ControlFlowCorpusGrad.smoothInPlace(x, 0.3);
    assertArrayEquals(entry, x, 0.0);
    var clamp = ControlFlowCorpusGrad.clampInPlace(x, -1.0, 1.0);
    assertArrayEquals(entry, x, 0.0);
    // clamped elements pass their adjoint to the bound, not to themselves
    assertEquals(0.0, clamp.x()[0], 0.0);
    assertEquals(0.0, clamp.x()[3], 0.0);
    assertEquals(2 * 1.0 * 1.0, clamp.hi(), 0.0);
    assertEquals(2 * 4 * -1.0, clamp.lo(), 0.0);
    assertEquals(2 * 2 * -0.5, clamp.x()[1], 0.0);
    ControlFlowCorpusGrad.normalizeInPlace(x);
    assertArrayEquals(entry, x, 0.0);
  }

  /** Values that never reach the result get exactly 0, through loops, branches and dead arrays. */
  @Test
  void inactivePathsGiveExactlyZero() {
    Random rnd = new Random(11);
    for (int i = 0; i < 20; i++) {
      double x = 4 * rnd.nextDouble() - 2;
      double y = 4 * rnd.nextDouble() - 2;
      assertEquals(0.0, ControlFlowCorpusGrad.deadCode(x, y).y(), 0.0);
      assertEquals(0.0, ControlFlowCorpusGrad.deadScratch(new double[] {x, y, 1}, y).y(), 0.0);
      assertEquals(0.0, ControlFlowCorpusGrad.taylorExp(x, 0).t(), 0.0);
      assertEquals(0.0, ControlFlowCorpusGrad.powRec(x, 0).x(), 0.0);
    }
    // a clipped residual passes no gradient to the prediction beyond the regulariser
    var clipped = ControlFlowCorpusGrad.clippedLoss(3.0, 0.0, true);
    assertEquals(0.02 * 3.0, clipped.pred(), 1e-15);
    assertEquals(0.0, clipped.target(), 0.0);
    // no element above the level: only the level counts
    var none = ControlFlowCorpusGrad.firstAbove(new double[] {0.1, 0.2, 0.3}, 0.5);
    assertArrayEquals(new double[] {0, 0, 0}, none.x(), 0.0);
    assertEquals(1.0, none.level(), 1e-15);
  }

  /** The hand-written partials themselves agree with finite differences of their primal. */
  @Test
  void handWrittenPartialsMatchFiniteDifferences() {
    Random rnd = new Random(5);
    for (int i = 0; i < 20; i++) {
      double a = 6 * rnd.nextDouble() - 3;
      double b = 6 * rnd.nextDouble() - 3;
      assertEquals(fd(t -> ControlFlowCorpus.softplus(t), a), ControlFlowCorpus.softplusDx(a), 1e-8);
      assertEquals(fd(t -> ControlFlowCorpus.logAddExp(t, b), a), ControlFlowCorpus.logAddExpDa(a, b), 1e-8);
      assertEquals(fd(t -> ControlFlowCorpus.logAddExp(a, t), b), ControlFlowCorpus.logAddExpDb(a, b), 1e-8);
      double[] z = {a, b, a * b / 3, 1 - a};
      double[] grad = ControlFlowCorpus.logSumExpGrad(z);
      assertEquals(z.length, grad.length);
      for (int k = 0; k < z.length; k++) {
        int kk = k;
        assertEquals(fd(t -> {
          double[] q = z.clone();
          q[kk] = t;
          return ControlFlowCorpus.logSumExp(q);
        }, z[k]), grad[k], 1e-8);
      }
    }
  }

  /**
   * quantize is piecewise constant, so finite differences give 0; its hand-written partial is the
   * straight-through 1. The gradient must follow the partial: it is used, not re-derived.
   */
  @Test
  void handWrittenPartialIsUsedNotDerived() {
    for (double w : new double[] {-1.3, -0.2, 0.4, 0.77, 2.1}) {
      double target = 0.3;
      double q = ControlFlowCorpus.quantize(w);
      var g = ControlFlowCorpusGrad.quantizedLoss(w, target);
      assertEquals((q - target) * (q - target), g.value(), 0.0);
      assertEquals(2 * (q - target), g.w(), 1e-15);
      assertEquals(-2 * (q - target), g.target(), 1e-15);
    }
  }

  private static double fd(java.util.function.DoubleUnaryOperator f, double x) {
    double h = 1e-4 * Math.max(1, Math.abs(x));
    double d1 = (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
    double d2 = (f.applyAsDouble(x + h / 2) - f.applyAsDouble(x - h / 2)) / h;
    return (4 * d2 - d1) / 3;
  }

  private static List<String> componentNames(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  private static List<Class<?>> componentTypes(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).<Class<?>>map(RecordComponent::getType).toList();
  }

  private static void check(Case c) {
    List<String> problems = new ArrayList<>();
    int[] flat = c.activeFlat();
    for (double[] p : c.points()) {
      String at = c.name + " at " + Arrays.toString(p);
      double primal = c.primal.applyAsDouble(c.unpack(p));
      Args callerArgs = c.unpack(p);
      Object[] g = c.grad.apply(callerArgs);
      if (!Arrays.equals(callerArgs.flatten(), p)) {
        problems.add(at + ": the gradient method changed the caller's arrays to "
            + Arrays.toString(callerArgs.flatten()));
      }
      double value = (Double) g[0];
      if (Double.compare(primal, value) != 0) {
        problems.add(at + ": value " + value + " != primal " + primal);
      }
      if (!Double.isFinite(primal)) {
        problems.add(at + ": primal is not finite: " + primal);
        continue;
      }
      if (g.length != c.active.length + 1) {
        problems.add(at + ": " + (g.length - 1) + " components, expected " + c.active.length);
        continue;
      }
      double[] got = new double[flat.length];
      String shapeProblem = null;
      int pos = 0;
      for (int k = 0; k < c.active.length && shapeProblem == null; k++) {
        shapeProblem = c.spec.get(c.active[k]).shapeProblem(g[k + 1]);
        if (shapeProblem == null) {
          pos = copyInto(g[k + 1], got, pos);
        } else {
          shapeProblem = "component " + (k + 1) + ": " + shapeProblem;
        }
      }
      if (shapeProblem != null) {
        problems.add(at + ": " + shapeProblem);
        continue;
      }

      DerivativeStructure twin = c.twinAt(p);
      double twinValueTol = 1e-12 * Math.max(1, Math.abs(primal));
      if (!(Math.abs(twin.getValue() - primal) <= twinValueTol)) {
        problems.add(at + ": the twin's value " + twin.getValue() + " != primal " + primal + " (twin is wrong?)");
      }
      for (int k = 0; k < flat.length; k++) {
        String comp = at + ", d/d(element " + flat[k] + ")";
        if (!Double.isFinite(got[k])) {
          problems.add(comp + ": generated partial is " + got[k]);
          continue;
        }
        // (b) finite differences
        double fd = richardson(c, p, flat[k]);
        double fdTol = FD_REL * Math.max(1, Math.abs(got[k]));
        if (!(Math.abs(fd - got[k]) <= fdTol)) {
          problems.add(comp + ": generated " + got[k] + " vs finite differences " + fd + " (diff "
              + Math.abs(fd - got[k]) + ", tol " + fdTol + ")");
        }
        // (c) the forward-mode twin
        int[] orders = new int[flat.length];
        orders[k] = 1;
        double expected = twin.getPartialDerivative(orders);
        double twinTol = TWIN_REL * Math.abs(expected) + TWIN_ABS;
        if (!(Math.abs(expected - got[k]) <= twinTol)) {
          problems.add(comp + ": generated " + got[k] + " vs Hipparchus twin " + expected + " (diff "
              + Math.abs(expected - got[k]) + ", tol " + twinTol + ")");
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
    }
  }

  private static int copyInto(Object component, double[] out, int pos) {
    if (component instanceof Double d) {
      out[pos++] = d;
    } else if (component instanceof double[] v) {
      for (double e : v) {
        out[pos++] = e;
      }
    } else {
      for (double[] row : (double[][]) component) {
        for (double e : row) {
          out[pos++] = e;
        }
      }
    }
    return pos;
  }

  /** Central differences at h and h/2, Richardson-extrapolated: D = (4 D(h/2) - D(h)) / 3. */
  private static double richardson(Case c, double[] p, int element) {
    double h = 1e-4 * Math.max(1, Math.abs(p[element]));
    double d1 = (shifted(c, p, element, h) - shifted(c, p, element, -h)) / (2 * h);
    double d2 = (shifted(c, p, element, h / 2) - shifted(c, p, element, -h / 2)) / h;
    return (4 * d2 - d1) / 3;
  }

  /** The primal at p with one element moved; fresh arrays, since some primals write into them. */
  private static double shifted(Case c, double[] p, int element, double delta) {
    double[] q = p.clone();
    q[element] += delta;
    return c.primal.applyAsDouble(c.unpack(q));
  }

  // ---------------------------------------------------------------------------------------------
  // Domains

  /** True when v is more than MARGIN away from every one of the given points. */
  private static boolean away(double v, double... from) {
    for (double f : from) {
      if (Math.abs(v - f) <= MARGIN) {
        return false;
      }
    }
    return true;
  }

  /** True when every element of x is more than MARGIN away from level. */
  private static boolean allAway(double[] x, double level) {
    for (double v : x) {
      if (!away(v, level)) {
        return false;
      }
    }
    return true;
  }

  private static boolean pairwiseAway(double[] x) {
    for (int i = 0; i < x.length; i++) {
      for (int j = i + 1; j < x.length; j++) {
        if (!away(x[i] - x[j], 0)) {
          return false;
        }
      }
    }
    return true;
  }

  /** True when v is at least 0.01 away from every offset + k * step. */
  private static boolean awayFromGrid(double v, double step, double offset) {
    double r = (v - offset) / step;
    return Math.abs(r - Math.rint(r)) > 0.01;
  }

  /** landingTime's Euler heights stay clear of 0 until the crossing, so the step count is stable. */
  private static boolean landingStepsAwayFromGround(double v0, double g) {
    double dt = 0.05;
    double y = 0;
    double v = v0;
    for (int i = 0; i < 100000; i++) {
      y += v * dt;
      v -= g * dt;
      if (Math.abs(y) < 0.01) {
        return false;
      }
      if (y < 0) {
        return true;
      }
    }
    return false;
  }

  /** The first layer's pre-activations W x + b. */
  private static double[] affine(double[][] w, double[] b, double[] x) {
    double[] z = new double[b.length];
    for (int j = 0; j < b.length; j++) {
      z[j] = b[j];
      for (int i = 0; i < x.length; i++) {
        z[j] += w[j][i] * x[i];
      }
    }
    return z;
  }

  private static double sumSq(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v * v;
    }
    return s;
  }

  private static double max(double[] x) {
    return Arrays.stream(x).max().orElseThrow();
  }

  private static double min(double[] x) {
    return Arrays.stream(x).min().orElseThrow();
  }

  // ---------------------------------------------------------------------------------------------
  // Arguments

  enum Kind { SCALAR, VECTOR, MATRIX }

  /**
   * One double, double[] or double[][] argument: its shape and sampling range. Element i of a
   * vector is drawn from [lo + i * step, hi + i * step] (step 0 except for increasing knots).
   */
  record Arg(Kind kind, int rows, int cols, double lo, double hi, double step) {
    int size() {
      return rows * cols;
    }

    /** null when the gradient component has this argument's type and shape. */
    String shapeProblem(Object component) {
      switch (kind) {
        case SCALAR:
          return component instanceof Double ? null : "expected a double, got " + describe(component);
        case VECTOR:
          return component instanceof double[] v && v.length == rows ? null
              : "expected a double[" + rows + "], got " + describe(component);
        default:
          if (component instanceof double[][] m && m.length == rows) {
            for (double[] row : m) {
              if (row == null || row.length != cols) {
                return "expected a double[" + rows + "][" + cols + "], got a row " + describe(row);
              }
            }
            return null;
          }
          return "expected a double[" + rows + "][" + cols + "], got " + describe(component);
      }
    }

    private static String describe(Object o) {
      if (o instanceof double[] v) {
        return "double[" + v.length + "]";
      }
      if (o instanceof double[][] m) {
        return "double[" + m.length + "][]";
      }
      return o == null ? "null" : o.getClass().getSimpleName();
    }
  }

  private static Arg s(double lo, double hi) {
    return new Arg(Kind.SCALAR, 1, 1, lo, hi, 0);
  }

  private static Arg vec(int n, double lo, double hi) {
    return new Arg(Kind.VECTOR, n, 1, lo, hi, 0);
  }

  /** Increasing knots: element i in [lo + i * step, hi + i * step]. */
  private static Arg ramp(int n, double lo, double hi, double step) {
    return new Arg(Kind.VECTOR, n, 1, lo, hi, step);
  }

  private static Arg mat(int rows, int cols, double lo, double hi) {
    return new Arg(Kind.MATRIX, rows, cols, lo, hi, 0);
  }

  private static List<Arg> args(Arg... a) {
    return List.of(a);
  }

  private static Object[] r(Object... components) {
    return components;
  }

  /** A point unpacked into fresh argument objects: Double, double[] or double[][]. */
  static final class Args {
    private final List<Arg> spec;
    private final Object[] values;

    Args(List<Arg> spec, double[] p) {
      this.spec = spec;
      this.values = new Object[spec.size()];
      int pos = 0;
      for (int i = 0; i < spec.size(); i++) {
        Arg a = spec.get(i);
        switch (a.kind()) {
          case SCALAR -> values[i] = p[pos];
          case VECTOR -> values[i] = Arrays.copyOfRange(p, pos, pos + a.rows());
          case MATRIX -> {
            double[][] m = new double[a.rows()][];
            for (int r = 0; r < a.rows(); r++) {
              m[r] = Arrays.copyOfRange(p, pos + r * a.cols(), pos + (r + 1) * a.cols());
            }
            values[i] = m;
          }
        }
        pos += a.size();
      }
    }

    /** Argument i as the method takes it (a fresh array for each Args). */
    Object value(int i) {
      return values[i];
    }

    double s(int i) {
      return (Double) values[i];
    }

    double[] v(int i) {
      return (double[]) values[i];
    }

    double[][] m(int i) {
      return (double[][]) values[i];
    }

    /** The arguments' current elements, flat (to see whether a call wrote into them). */
    double[] flatten() {
      int n = spec.stream().mapToInt(Arg::size).sum();
      double[] out = new double[n];
      int pos = 0;
      for (Object o : values) {
        pos = copyInto(o, out, pos);
      }
      return out;
    }
  }

  /** A point as DerivativeStructures: the active arguments' elements are the variables, in order. */
  static final class DArgs {
    private final Object[] values;

    DArgs(List<Arg> spec, int[] active, double[] p) {
      this(spec, active, p, 1);
    }

    /** With derivatives up to {@code order} (2 for the Hessian-vector products of {@link ForwardCorpusTest}). */
    DArgs(List<Arg> spec, int[] active, double[] p, int order) {
      int nVars = 0;
      for (int i : active) {
        nVars += spec.get(i).size();
      }
      DSFactory factory = new DSFactory(nVars, order);
      boolean[] isActive = new boolean[spec.size()];
      for (int i : active) {
        isActive[i] = true;
      }
      this.values = new Object[spec.size()];
      int pos = 0;
      int var = 0;
      for (int i = 0; i < spec.size(); i++) {
        Arg a = spec.get(i);
        DerivativeStructure[] e = new DerivativeStructure[a.size()];
        for (int k = 0; k < e.length; k++) {
          e[k] = isActive[i] ? factory.variable(var++, p[pos + k]) : factory.constant(p[pos + k]);
        }
        switch (a.kind()) {
          case SCALAR -> values[i] = e[0];
          case VECTOR -> values[i] = e;
          case MATRIX -> {
            DerivativeStructure[][] m = new DerivativeStructure[a.rows()][];
            for (int r = 0; r < a.rows(); r++) {
              m[r] = Arrays.copyOfRange(e, r * a.cols(), (r + 1) * a.cols());
            }
            values[i] = m;
          }
        }
        pos += a.size();
      }
    }

    DerivativeStructure s(int i) {
      return (DerivativeStructure) values[i];
    }

    DerivativeStructure[] v(int i) {
      return (DerivativeStructure[]) values[i];
    }

    DerivativeStructure[][] m(int i) {
      return (DerivativeStructure[][]) values[i];
    }
  }

  private static Case fn(String name, List<Arg> spec, ToDoubleFunction<Args> primal,
      Function<Args, Object[]> grad, Function<DArgs, DerivativeStructure> twin) {
    int[] all = new int[spec.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return new Case(name, spec, a -> true, List.of(), all, primal, grad, twin);
  }

  /** One corpus method: its arguments come from a flat point; active lists the differentiated ones. */
  record Case(String name, List<Arg> spec, Predicate<Args> valid, List<Predicate<Args>> required,
      int[] active, ToDoubleFunction<Args> primal, Function<Args, Object[]> grad,
      Function<DArgs, DerivativeStructure> twin) {

    Case where(Predicate<Args> p) {
      return new Case(name, spec, p, required, active, primal, grad, twin);
    }

    /** At least one sampled point must satisfy p (e.g. each branch taken). */
    Case mustInclude(Predicate<Args> p) {
      List<Predicate<Args>> r = new ArrayList<>(required);
      r.add(p);
      return new Case(name, spec, valid, r, active, primal, grad, twin);
    }

    /** The differentiated arguments (the others are @NoDerivative): the record's components. */
    Case active(int... args) {
      return new Case(name, spec, valid, required, args, primal, grad, twin);
    }

    Args unpack(double[] p) {
      return new Args(spec, p);
    }

    /** The flat indices of the active arguments' elements, in record order. */
    int[] activeFlat() {
      int[] offset = new int[spec.size()];
      for (int i = 1; i < spec.size(); i++) {
        offset[i] = offset[i - 1] + spec.get(i - 1).size();
      }
      List<Integer> out = new ArrayList<>();
      for (int i : active) {
        for (int k = 0; k < spec.get(i).size(); k++) {
          out.add(offset[i] + k);
        }
      }
      return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** POINTS deterministic points that satisfy valid; the first ones cover required. */
    List<double[]> points() {
      Random rnd = new Random(name.hashCode());
      List<double[]> out = new ArrayList<>();
      for (Predicate<Args> r : required) {
        out.add(sample(rnd, valid.and(r)));
      }
      while (out.size() < POINTS) {
        out.add(sample(rnd, valid));
      }
      return out;
    }

    private double[] sample(Random rnd, Predicate<Args> ok) {
      int n = spec.stream().mapToInt(Arg::size).sum();
      for (int attempt = 0; attempt < 100_000; attempt++) {
        double[] p = new double[n];
        int pos = 0;
        for (Arg a : spec) {
          for (int k = 0; k < a.size(); k++) {
            double shift = a.kind() == Kind.VECTOR ? k * a.step() : 0;
            p[pos + k] = a.lo() + shift + (a.hi() - a.lo()) * rnd.nextDouble();
          }
          pos += a.size();
        }
        if (ok.test(unpack(p))) {
          return p;
        }
      }
      throw new IllegalStateException(name + ": no valid point found");
    }

    DerivativeStructure twinAt(double[] p) {
      return twin.apply(new DArgs(spec, active, p));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The twins: each corpus method again, statement for statement, over DerivativeStructure. Every
  // double is a DerivativeStructure (constants too), every double[] a DerivativeStructure[]; ints,
  // booleans and the instance stay as they are. Branches decide on getValue().

  static final class Twin {
    private Twin() {}

    private static DerivativeStructure k(DerivativeStructure like, double value) {
      return like.getFactory().constant(value);
    }

    private static DerivativeStructure sq(DerivativeStructure a) {
      return a.multiply(a);
    }

    /** Java's Math.max rule: the first argument when a >= b. */
    private static DerivativeStructure max(DerivativeStructure a, DerivativeStructure b) {
      return a.getValue() >= b.getValue() ? a : b;
    }

    private static DerivativeStructure[] copy(DerivativeStructure[] x) {
      return x.clone();
    }

    // 1. Branches

    static DerivativeStructure piecewise(DerivativeStructure x) {
      DerivativeStructure y;
      if (x.getValue() < -1) {
        y = x.negate().multiply(x).multiply(x).subtract(2);
      } else if (x.getValue() < 1) {
        y = x.multiply(Math.PI).divide(2).sin();
      } else {
        y = x.log().add(1);
      }
      return sq(y).add(x);
    }

    static DerivativeStructure huber(DerivativeStructure r, DerivativeStructure delta) {
      DerivativeStructure a = r.abs();
      if (a.getValue() <= delta.getValue()) {
        return r.multiply(0.5).multiply(r);
      }
      return delta.multiply(a.subtract(delta.multiply(0.5)));
    }

    static DerivativeStructure nestedIfs(DerivativeStructure x, DerivativeStructure y) {
      DerivativeStructure r;
      if (x.getValue() > y.getValue()) {
        if (x.getValue() > 0) {
          r = x.multiply(y).add(x.negate().exp());
        } else {
          r = x.sin().subtract(y);
        }
      } else {
        if (y.getValue() > 1) {
          r = sq(y).divide(sq(x).add(1));
        } else if (x.getValue() < -1) {
          r = x.multiply(y).cos();
        } else {
          r = x.subtract(sq(y).multiply(y));
        }
      }
      return r.add(x.multiply(0.1));
    }

    static DerivativeStructure bilinear(DerivativeStructure u, DerivativeStructure v, DerivativeStructure[][] f) {
      int i;
      int j;
      if (u.getValue() < 1) {
        i = 0;
        j = v.getValue() < 1 ? 0 : 1;
      } else {
        i = 1;
        j = v.getValue() < 1 ? 0 : 1;
      }
      DerivativeStructure s = u.subtract(i);
      DerivativeStructure t = v.subtract(j);
      DerivativeStructure s1 = s.negate().add(1);
      DerivativeStructure t1 = t.negate().add(1);
      return s1.multiply(t1).multiply(f[i][j]).add(s.multiply(t1).multiply(f[i + 1][j]))
          .add(s1.multiply(t).multiply(f[i][j + 1])).add(s.multiply(t).multiply(f[i + 1][j + 1]));
    }

    static DerivativeStructure clampTernary(DerivativeStructure x, DerivativeStructure lo,
        DerivativeStructure hi) {
      DerivativeStructure c = x.getValue() < lo.getValue() ? lo : x.getValue() > hi.getValue() ? hi : x;
      return sq(c).add(x.sin().multiply(c));
    }

    static DerivativeStructure ternaryMix(DerivativeStructure x, DerivativeStructure y) {
      DerivativeStructure t = x.getValue() > y.getValue() ? x.multiply(y) : x.add(y);
      DerivativeStructure u = (x.getValue() > 0 ? x.sin() : x.cos()).multiply(t);
      return u.add(t.getValue() > 1 ? t.sqrt() : sq(t).add(1).multiply(0.5));
    }

    @SuppressWarnings("fallthrough")
    static DerivativeStructure taylorExp(DerivativeStructure t, int order) {
      DerivativeStructure s = k(t, 0);
      switch (order) {
        case 4:
          s = s.add(t.multiply(t).multiply(t).multiply(t).divide(24));
        case 3:
          s = s.add(t.multiply(t).multiply(t).divide(6));
        case 2:
          s = s.add(t.multiply(t).divide(2));
        case 1:
          s = s.add(t);
        case 0:
          s = s.add(1);
          break;
        default:
          s = t.exp();
      }
      return s;
    }

    @SuppressWarnings("fallthrough")
    static DerivativeStructure smoothingPenalty(DerivativeStructure[] u, int kind) {
      int n = u.length;
      DerivativeStructure s = k(u[0], 0);
      switch (kind) {
        case 0:
          for (int i = 1; i < n; i++) {
            DerivativeStructure d = u[i].subtract(u[i - 1]);
            s = s.add(sq(d));
          }
          break;
        case 1:
          for (int i = 1; i < n - 1; i++) {
            DerivativeStructure d2 = u[i + 1].subtract(u[i].multiply(2)).add(u[i - 1]);
            s = s.add(sq(d2));
          }
        case 2:
          s = s.add(u[0].multiply(0.5).multiply(u[0]).add(u[n - 1].multiply(0.5).multiply(u[n - 1])));
          break;
        default:
          for (DerivativeStructure v : u) {
            s = s.add(v.abs());
          }
      }
      return s;
    }

    static DerivativeStructure activation(DerivativeStructure x, int kind) {
      DerivativeStructure y;
      switch (kind) {
        case 0 -> y = x.tanh();
        case 1 -> y = x.getValue() > 0 ? x : x.multiply(0.01);
        case 2, 3 -> {
          DerivativeStructure s = x.negate().exp().add(1).reciprocal();
          y = kind == 2 ? x.multiply(s) : s;
        }
        default -> y = x;
      }
      return y.multiply(x.multiply(0.1).add(1));
    }

    static DerivativeStructure lossByKind(DerivativeStructure pred, DerivativeStructure target, int kind) {
      DerivativeStructure r = pred.subtract(target);
      DerivativeStructure loss;
      switch (kind) {
        case 0 -> loss = sq(r);
        case 1 -> loss = huber(r, k(r, 1.0));
        case 2 -> {
          DerivativeStructure a = r.abs();
          loss = a.getValue() < 0.5 ? sq(a) : a.subtract(0.25);
        }
        default -> loss = r.cosh().log();
      }
      return loss;
    }

    static DerivativeStructure alternatingLog1p(DerivativeStructure x, int terms) {
      DerivativeStructure s = k(x, 0);
      DerivativeStructure p = x;
      for (int j = 1; j <= terms; j++) {
        if (j % 2 == 1) {
          s = s.add(p.divide(j));
        } else {
          s = s.subtract(p.divide(j));
        }
        p = p.multiply(x);
      }
      return s;
    }

    static DerivativeStructure simpsonSin(DerivativeStructure a, int n) {
      double h = 1.0 / n;
      DerivativeStructure s = k(a, 0);
      for (int i = 0; i <= n; i++) {
        double w = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
        s = s.add(a.multiply(i).multiply(h).sin().multiply(w));
      }
      return s.multiply(h).divide(3);
    }

    static DerivativeStructure clippedLoss(DerivativeStructure pred, DerivativeStructure target,
        boolean squared) {
      DerivativeStructure d = pred.subtract(target);
      if (d.getValue() > 1) {
        d = k(d, 1);
      } else if (d.getValue() < -1) {
        d = k(d, -1);
      }
      DerivativeStructure base = squared ? sq(d) : d.abs();
      return base.add(pred.multiply(0.01).multiply(pred));
    }

    static DerivativeStructure piecewiseEarlyReturn(DerivativeStructure x, DerivativeStructure y) {
      if (x.getValue() < 0) {
        return x.expm1().multiply(y);
      }
      DerivativeStructure q = sq(x).add(y);
      if (q.getValue() > 2) {
        return q.log().add(x);
      }
      return q.multiply(y);
    }

    // 2. Loops

    static DerivativeStructure horner(DerivativeStructure x, DerivativeStructure[] c) {
      DerivativeStructure s = k(x, 0);
      for (int i = c.length - 1; i >= 0; i--) {
        s = s.multiply(x).add(c[i]);
      }
      return s;
    }

    static DerivativeStructure hornerForward(DerivativeStructure x, DerivativeStructure[] c) {
      DerivativeStructure s = k(x, 0);
      for (DerivativeStructure ci : c) {
        s = s.multiply(x).add(ci);
      }
      return s;
    }

    static DerivativeStructure sinIterate(DerivativeStructure x, int n) {
      DerivativeStructure s = k(x, 0);
      for (int i = 0; i < n; i++) {
        s = s.sin().add(x);
      }
      return s;
    }

    static DerivativeStructure ema(DerivativeStructure[] x, DerivativeStructure alpha) {
      DerivativeStructure m = x[0];
      for (int i = 1; i < x.length; i++) {
        m = alpha.multiply(x[i]).add(alpha.negate().add(1).multiply(m));
      }
      return m;
    }

    static DerivativeStructure pendulum(DerivativeStructure q0, DerivativeStructure p0, DerivativeStructure dt,
        int steps) {
      DerivativeStructure q = q0;
      DerivativeStructure p = p0;
      for (int i = 0; i < steps; i++) {
        p = p.subtract(dt.multiply(0.5).multiply(q.sin()));
        q = q.add(dt.multiply(p));
        p = p.subtract(dt.multiply(0.5).multiply(q.sin()));
      }
      return p.multiply(0.5).multiply(p).subtract(q.cos());
    }

    static DerivativeStructure logRangeReduce(DerivativeStructure x) {
      DerivativeStructure y = x;
      int n = 0;
      while (y.getValue() >= 2) {
        y = y.divide(2);
        n++;
      }
      while (y.getValue() < 1) {
        y = y.multiply(2);
        n--;
      }
      return y.subtract(1).log1p().add(n * ControlFlowCorpus.LN2);
    }

    static DerivativeStructure expSeries(DerivativeStructure x) {
      DerivativeStructure term = k(x, 1);
      DerivativeStructure sum = k(x, 1);
      int n = 0;
      while (Math.abs(term.getValue()) > 1e-16 * Math.abs(sum.getValue())) {
        n++;
        term = term.multiply(x).divide(n);
        sum = sum.add(term);
      }
      return sum;
    }

    static DerivativeStructure newtonSqrt(DerivativeStructure a) {
      DerivativeStructure x = a.getValue() > 1 ? a : k(a, 1);
      DerivativeStructure prev;
      do {
        prev = x;
        x = x.add(a.divide(x)).multiply(0.5);
      } while (Math.abs(x.getValue() - prev.getValue()) > 1e-14 * x.getValue());
      return x;
    }

    static DerivativeStructure kepler(DerivativeStructure m, DerivativeStructure e) {
      DerivativeStructure ea = m;
      DerivativeStructure delta;
      int iterations = 0;
      do {
        delta = ea.subtract(e.multiply(ea.sin())).subtract(m).divide(e.multiply(ea.cos()).negate().add(1));
        ea = ea.subtract(delta);
        iterations++;
      } while (Math.abs(delta.getValue()) > 1e-13 && iterations < 50);
      return e.multiply(ea.cos()).negate().add(1);
    }

    static DerivativeStructure newtonCbrt(DerivativeStructure a) {
      DerivativeStructure x = k(a, 1);
      for (int i = 0; i < 30; i++) {
        x = x.subtract(x.multiply(x).multiply(x).subtract(a).divide(x.multiply(x).multiply(3)));
      }
      return x;
    }

    static DerivativeStructure budgetedSum(DerivativeStructure[] x, DerivativeStructure budget) {
      DerivativeStructure s = k(budget, 0);
      int used = 0;
      for (int i = 0; i < x.length; i++) {
        s = s.add(sq(x[i]));
        used++;
        if (s.getValue() > budget.getValue()) {
          break;
        }
      }
      return s.divide(used).add(budget.multiply(0.1));
    }

    static DerivativeStructure interp(DerivativeStructure t, DerivativeStructure[] xs, DerivativeStructure[] ys) {
      int j = xs.length - 2;
      for (int i = 0; i < xs.length - 1; i++) {
        if (t.getValue() < xs[i + 1].getValue()) {
          j = i;
          break;
        }
      }
      DerivativeStructure w = t.subtract(xs[j]).divide(xs[j + 1].subtract(xs[j]));
      return w.negate().add(1).multiply(ys[j]).add(w.multiply(ys[j + 1]));
    }

    static DerivativeStructure sqrtOfPositives(DerivativeStructure[] x) {
      DerivativeStructure s = k(x[0], 0);
      for (int i = 0; i < x.length; i++) {
        if (x[i].getValue() <= 0) {
          continue;
        }
        s = s.add(x[i].sqrt().multiply(i + 1));
      }
      return s;
    }

    static DerivativeStructure skipEveryThird(DerivativeStructure[] x, DerivativeStructure w) {
      DerivativeStructure s = k(w, 0);
      for (int i = 0; i < x.length; i++) {
        if (i % 3 == 2) {
          continue;
        }
        DerivativeStructure t = x[i].multiply(w);
        s = s.add(sq(t).add(t.sin()));
      }
      return s;
    }

    static DerivativeStructure firstAbove(DerivativeStructure[] x, DerivativeStructure level) {
      for (int i = 0; i < x.length; i++) {
        if (x[i].getValue() > level.getValue()) {
          return x[i].multiply(i + 1).subtract(level);
        }
      }
      return sq(level);
    }

    static DerivativeStructure landingTime(DerivativeStructure v0, DerivativeStructure g) {
      double dt = 0.05;
      DerivativeStructure y = k(v0, 0);
      DerivativeStructure v = v0;
      double t = 0;
      for (int i = 0; i < 100000; i++) {
        DerivativeStructure yPrev = y;
        y = y.add(v.multiply(dt));
        v = v.subtract(g.multiply(dt));
        t += dt;
        if (y.getValue() < 0) {
          return y.multiply(dt).divide(y.subtract(yPrev)).negate().add(t);
        }
      }
      return k(v0, t);
    }

    static DerivativeStructure matVecNorm(DerivativeStructure[][] a, DerivativeStructure[] x) {
      DerivativeStructure[] y = new DerivativeStructure[a.length];
      for (int i = 0; i < a.length; i++) {
        y[i] = k(x[0], 0);
        for (int j = 0; j < x.length; j++) {
          y[i] = y[i].add(a[i][j].multiply(x[j]));
        }
      }
      DerivativeStructure s = k(x[0], 0);
      for (DerivativeStructure yi : y) {
        s = s.add(sq(yi));
      }
      return s;
    }

    static DerivativeStructure quadForm(DerivativeStructure[][] a, DerivativeStructure[] x) {
      DerivativeStructure s = k(x[0], 0);
      for (int i = 0; i < x.length; i++) {
        DerivativeStructure row = k(x[0], 0);
        for (int j = 0; j < a[i].length; j++) {
          row = row.add(a[i][j].multiply(x[j]));
        }
        s = s.add(x[i].multiply(row));
      }
      return s;
    }

    static DerivativeStructure scaledEnergy(DerivativeStructure[] x, DerivativeStructure w) {
      DerivativeStructure s = k(w, 0);
      for (DerivativeStructure xi : x) {
        DerivativeStructure t = xi.multiply(w);
        s = s.add(sq(t));
      }
      return s;
    }

    // 3. Arrays

    static DerivativeStructure reverseDot(DerivativeStructure[] x) {
      int n = x.length;
      DerivativeStructure s = k(x[0], 0);
      for (int i = 0; i < n; i++) {
        s = s.add(x[i].multiply(i + 1).multiply(x[n - 1 - i]));
      }
      return s;
    }

    static DerivativeStructure cyclicVariation(DerivativeStructure[] x) {
      DerivativeStructure s = k(x[0], 0);
      for (int i = 0; i < x.length; i++) {
        s = s.add(sq(x[(i + 1) % x.length].subtract(x[i])));
      }
      return s.add(1).sqrt();
    }

    static DerivativeStructure cumsumLoss(DerivativeStructure[] x) {
      DerivativeStructure[] t = new DerivativeStructure[x.length];
      for (int i = 0; i < x.length; i++) {
        t[i] = x[i];
        if (i > 0) {
          t[i] = t[i].add(t[i - 1]);
        }
      }
      DerivativeStructure s = k(x[0], 0);
      for (int i = 0; i < t.length; i++) {
        s = s.add(t[i].sin().divide(i + 1));
      }
      return s;
    }

    static DerivativeStructure softmaxDot(DerivativeStructure[] z, DerivativeStructure[] y) {
      DerivativeStructure m = z[0];
      for (int i = 1; i < z.length; i++) {
        if (z[i].getValue() > m.getValue()) {
          m = z[i];
        }
      }
      DerivativeStructure[] e = new DerivativeStructure[z.length];
      DerivativeStructure sum = k(m, 0);
      for (int i = 0; i < z.length; i++) {
        e[i] = z[i].subtract(m).exp();
        sum = sum.add(e[i]);
      }
      DerivativeStructure r = k(m, 0);
      for (int i = 0; i < z.length; i++) {
        e[i] = e[i].divide(sum);
        r = r.add(e[i].multiply(y[i]));
      }
      return r;
    }

    private static DerivativeStructure[] hidden(DerivativeStructure[][] w1, DerivativeStructure[] b1,
        DerivativeStructure[] x, boolean relu) {
      DerivativeStructure[] h = new DerivativeStructure[b1.length];
      for (int j = 0; j < b1.length; j++) {
        DerivativeStructure z = b1[j];
        for (int i = 0; i < x.length; i++) {
          z = z.add(w1[j][i].multiply(x[i]));
        }
        h[j] = relu ? (z.getValue() > 0 ? z : k(z, 0)) : z.tanh();
      }
      return h;
    }

    private static DerivativeStructure output(DerivativeStructure[] h, DerivativeStructure[] w2,
        DerivativeStructure b2) {
      DerivativeStructure out = b2;
      for (int j = 0; j < h.length; j++) {
        out = out.add(w2[j].multiply(h[j]));
      }
      return out;
    }

    static DerivativeStructure mlpTanh(DerivativeStructure[][] w1, DerivativeStructure[] b1,
        DerivativeStructure[] w2, DerivativeStructure b2, DerivativeStructure[] x, DerivativeStructure label) {
      DerivativeStructure diff = output(hidden(w1, b1, x, false), w2, b2).subtract(label);
      return diff.multiply(0.5).multiply(diff);
    }

    static DerivativeStructure mlpRelu(DerivativeStructure[][] w1, DerivativeStructure[] b1,
        DerivativeStructure[] w2, DerivativeStructure b2, DerivativeStructure[] x, DerivativeStructure label) {
      DerivativeStructure out = output(hidden(w1, b1, x, true), w2, b2);
      DerivativeStructure p = out.negate().exp().add(1).reciprocal();
      return label.multiply(p.log()).add(label.negate().add(1).multiply(p.negate().add(1).log())).negate();
    }

    static DerivativeStructure trimmedMean(DerivativeStructure[] x) {
      int n = x.length;
      DerivativeStructure[] t = copy(x);
      for (int pass = 0; pass < n - 1; pass++) {
        for (int j = 0; j < n - 1 - pass; j++) {
          if (t[j].getValue() > t[j + 1].getValue()) {
            DerivativeStructure tmp = t[j];
            t[j] = t[j + 1];
            t[j + 1] = tmp;
          }
        }
      }
      DerivativeStructure s = k(x[0], 0);
      for (int i = 1; i < n - 1; i++) {
        s = s.add(t[i]);
      }
      DerivativeStructure range = t[n - 1].subtract(t[0]);
      return s.divide(n - 2).add(range.multiply(0.25).multiply(range));
    }

    static DerivativeStructure squareInPlace(DerivativeStructure[] x) {
      for (int i = 0; i < x.length; i++) {
        x[i] = x[i].multiply(x[i]);
      }
      DerivativeStructure s = k(x[0], 0);
      for (DerivativeStructure v : x) {
        s = s.add(v.add(1).sqrt());
      }
      return s;
    }

    static DerivativeStructure smoothInPlace(DerivativeStructure[] x, DerivativeStructure alpha) {
      for (int i = 1; i < x.length; i++) {
        x[i] = alpha.multiply(x[i]).add(alpha.negate().add(1).multiply(x[i - 1]));
      }
      DerivativeStructure s = k(alpha, 0);
      for (int i = 0; i < x.length; i++) {
        s = s.add(x[i].multiply(x[i]).multiply(i + 1));
      }
      return s;
    }

    static DerivativeStructure clampInPlace(DerivativeStructure[] x, DerivativeStructure lo,
        DerivativeStructure hi) {
      for (int i = 0; i < x.length; i++) {
        if (x[i].getValue() < lo.getValue()) {
          x[i] = lo;
        } else if (x[i].getValue() > hi.getValue()) {
          x[i] = hi;
        }
      }
      DerivativeStructure s = k(lo, 0);
      for (int i = 0; i < x.length; i++) {
        s = s.add(x[i].multiply(i + 1).multiply(x[i]));
      }
      return s;
    }

    static DerivativeStructure normalizeInPlace(DerivativeStructure[] x) {
      DerivativeStructure ss = k(x[0], 0);
      for (DerivativeStructure v : x) {
        ss = ss.add(sq(v));
      }
      DerivativeStructure norm = ss.sqrt();
      for (int i = 0; i < x.length; i++) {
        x[i] = x[i].divide(norm);
      }
      DerivativeStructure s = k(x[0], 0);
      for (int i = 0; i < x.length; i++) {
        s = s.add(x[i].multiply(i + 1).add(x[i].multiply(x[i]).multiply(x[i])));
      }
      return s;
    }

    static DerivativeStructure triangleNorms(DerivativeStructure[] x, DerivativeStructure[] mu,
        DerivativeStructure[] diag, DerivativeStructure[] lower, int comps) {
      int d = x.length;
      DerivativeStructure s = k(x[0], 0);
      for (int c = 0; c < comps; c++) {
        DerivativeStructure[] xc = new DerivativeStructure[d];
        DerivativeStructure[] q = new DerivativeStructure[d];
        for (int i = 0; i < d; i++) {
          xc[i] = x[i].subtract(mu[c * d + i]);
          q[i] = diag[c * d + i].multiply(xc[i]);
        }
        int li = c * (d * (d - 1) / 2);
        for (int i = 0; i < d; i++) {
          for (int j = i + 1; j < d; j++) {
            q[j] = q[j].add(lower[li++].multiply(xc[i]));
          }
        }
        DerivativeStructure sq = k(x[0], 0);
        for (int i = 0; i < d; i++) {
          sq = sq.add(q[i].multiply(q[i]));
        }
        s = s.add(sq.add(1).log());
      }
      return s;
    }

    static DerivativeStructure partialRefill(DerivativeStructure[] x, DerivativeStructure[] w, int rounds) {
      int d = x.length;
      DerivativeStructure[] q = new DerivativeStructure[d];
      Arrays.fill(q, k(x[0], 0));
      DerivativeStructure s = k(x[0], 0);
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < d - 1; i++) {
          q[i] = w[i].multiply(x[i]).add(r);
        }
        for (int j = 1; j < d; j++) {
          q[j] = q[j].add(w[j].multiply(x[j - 1]));
        }
        s = s.add(q[d - 1].sin().multiply(q[0]));
      }
      return s;
    }

    static DerivativeStructure readBetweenRefill(DerivativeStructure[] x, DerivativeStructure[] w, int rounds) {
      int n = x.length;
      DerivativeStructure[] q = new DerivativeStructure[n];
      DerivativeStructure s = k(x[0], 0);
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++) {
          q[i] = x[i].multiply(w[(i + r) % n]);
        }
        s = s.add(q[0].multiply(q[n - 1]));
        for (int j = 1; j < n; j++) {
          q[j] = q[j].add(x[j - 1].multiply(x[j]));
        }
        s = s.add(q[n - 1].multiply(0.1).exp().multiply(q[1]));
      }
      return s;
    }

    static DerivativeStructure stridedSum(DerivativeStructure[] x, int step) {
      DerivativeStructure s = k(x[0], 0);
      int at = 0;
      for (int visits = 0; visits < x.length; visits++) {
        s = s.multiply(0.5).add(x[at % x.length].sin().multiply(visits + 1));
        at += step - 1;
      }
      return s;
    }

    static DerivativeStructure expChain(DerivativeStructure[] x, DerivativeStructure w) {
      DerivativeStructure s = k(w, 0);
      for (int i = 0; i < x.length; i++) {
        DerivativeStructure e = w.multiply(x[i]).exp();
        DerivativeStructure r = e.multiply(e).add(1).sqrt();
        DerivativeStructure t = s.subtract(e).tanh();
        s = s.add(e.multiply(r)).add(t.multiply(t));
      }
      return s;
    }

    static DerivativeStructure guardedIndex(DerivativeStructure[] x, DerivativeStructure[] w, int m) {
      DerivativeStructure s = k(x[0], 0);
      for (int kk = 0; kk <= x.length; kk++) {
        for (int j = 0; j < (kk < x.length ? m : 0); j++) {
          s = s.add(x[kk].multiply(w[j]).multiply(j + 1));
        }
      }
      return s;
    }

    static DerivativeStructure hashedPicks(DerivativeStructure[] x, int rounds) {
      DerivativeStructure s = k(x[0], 0);
      long h = 1152921504606858321L;
      for (int r = 0; r < rounds; r++) {
        s = s.multiply(0.75).add(x[(int) ((h % x.length + x.length) % x.length)].sin().multiply(r + 1));
        h = h * 6364136223846793005L + 1442695040888963407L;
      }
      return s;
    }

    static DerivativeStructure carriedScratch(DerivativeStructure[] x, DerivativeStructure w, int rounds) {
      int n = x.length;
      DerivativeStructure[] t = new DerivativeStructure[n];
      Arrays.fill(t, k(w, 0));
      DerivativeStructure s = k(w, 0);
      for (int r = 0; r < rounds; r++) {
        s = s.add(t[r % n].multiply(w));
        for (int i = 0; i < n; i++) {
          t[i] = x[i].multiply(r + 1);
        }
        s = s.add(t[(r + 1) % n].sin().multiply(w));
      }
      return s;
    }

    static DerivativeStructure scratchAcrossLoops(DerivativeStructure[] x, DerivativeStructure w, int rounds) {
      int n = x.length;
      DerivativeStructure[] t = new DerivativeStructure[n];
      DerivativeStructure s = k(w, 0);
      for (int r = 0; r < rounds; r++) {
        for (int c = 0; c < 2; c++) {
          for (int i = 0; i < n; i++) {
            t[i] = x[i].multiply(c + 1).add(r);
          }
          s = s.add(t[c].sin().multiply(w));
        }
        s = s.add(t[n - 1].multiply(t[0]).multiply(w));
      }
      return s;
    }

    // 4. Calls

    static DerivativeStructure callsSame(DerivativeStructure x, DerivativeStructure y) {
      DerivativeStructure p = piecewise(x);
      DerivativeStructure h = huber(x.subtract(y), sq(y).multiply(0.1).add(0.5));
      return p.multiply(y).add(h);
    }

    static DerivativeStructure polyFitLoss(DerivativeStructure[] c, DerivativeStructure[] xs,
        DerivativeStructure[] ys) {
      DerivativeStructure loss = k(c[0], 0);
      for (int i = 0; i < xs.length; i++) {
        DerivativeStructure r = horner(xs[i], c).subtract(ys[i]);
        loss = loss.add(sq(r));
      }
      return loss.divide(xs.length);
    }

    static DerivativeStructure normalizedScore(DerivativeStructure[] x, DerivativeStructure[] w) {
      return weightedSum(x, w).divide(sumSquares(w).add(1));
    }

    static DerivativeStructure smoothTotalVariation(DerivativeStructure[] x) {
      DerivativeStructure s = k(x[0], 0);
      for (int i = 0; i + 1 < x.length; i++) {
        s = s.add(smoothAbs(x[i + 1].subtract(x[i]), k(x[0], 0.1)));
      }
      return s;
    }

    static DerivativeStructure rowNormSum(DerivativeStructure[][] a) {
      DerivativeStructure s = k(a[0][0], 0);
      for (DerivativeStructure[] row : a) {
        s = s.add(sumSquares(row).add(1e-3).sqrt());
      }
      return s;
    }

    static DerivativeStructure powRec(DerivativeStructure x, int n) {
      return n == 0 ? k(x, 1) : x.multiply(powRec(x, n - 1));
    }

    static DerivativeStructure chebyshevSeries(DerivativeStructure x, DerivativeStructure[] w) {
      DerivativeStructure s = k(x, 0);
      for (int j = 0; j < w.length; j++) {
        s = s.add(w[j].multiply(chebyshev(x, j)));
      }
      return s;
    }

    static DerivativeStructure softplus(DerivativeStructure x) {
      return x.abs().negate().exp().log1p().add(max(x, k(x, 0)));
    }

    static DerivativeStructure softplusRegression(DerivativeStructure[] w, DerivativeStructure b,
        DerivativeStructure[] x) {
      DerivativeStructure z = b;
      for (int i = 0; i < w.length; i++) {
        z = z.add(w[i].multiply(x[i]));
      }
      return softplus(z).add(softplus(z.multiply(-2).add(1)).multiply(0.5));
    }

    static DerivativeStructure softplusChain(DerivativeStructure x) {
      DerivativeStructure s = softplus(x);
      for (int i = 0; i < 3; i++) {
        s = softplus(s.subtract(1)).add(x.multiply(0.5));
      }
      return s;
    }

    static DerivativeStructure logAddExp(DerivativeStructure a, DerivativeStructure b) {
      DerivativeStructure m = max(a, b);
      return m.add(a.subtract(b).abs().negate().exp().log1p());
    }

    static DerivativeStructure smoothMax3(DerivativeStructure a, DerivativeStructure b, DerivativeStructure c) {
      return logAddExp(logAddExp(a, b), c);
    }

    static DerivativeStructure foldLogAddExp(DerivativeStructure[] z) {
      DerivativeStructure acc = z[0];
      for (int i = 1; i < z.length; i++) {
        acc = logAddExp(acc, z[i]);
      }
      return acc;
    }

    static DerivativeStructure logSumExp(DerivativeStructure[] z) {
      DerivativeStructure m = z[0];
      for (DerivativeStructure v : z) {
        m = max(m, v);
      }
      DerivativeStructure s = k(m, 0);
      for (DerivativeStructure v : z) {
        s = s.add(v.subtract(m).exp());
      }
      return m.add(s.log());
    }

    static DerivativeStructure crossEntropy(DerivativeStructure[] z, int label) {
      return logSumExp(z).subtract(z[label]);
    }

    static DerivativeStructure temperedLse(DerivativeStructure[] z, DerivativeStructure tau) {
      DerivativeStructure[] t = new DerivativeStructure[z.length];
      for (int i = 0; i < z.length; i++) {
        t[i] = z[i].divide(tau);
      }
      return tau.multiply(logSumExp(t));
    }

    // 5. Activity

    static DerivativeStructure positiveFraction(DerivativeStructure[] x) {
      int positives = 0;
      DerivativeStructure s = k(x[0], 0);
      for (DerivativeStructure v : x) {
        if (v.getValue() > 0) {
          positives++;
        }
        s = s.add(sq(v));
      }
      return s.multiply(positives).divide(x.length);
    }

    static DerivativeStructure constantLocal(DerivativeStructure x) {
      double c = 0;
      for (int i = 1; i <= 4; i++) {
        c += 1.0 / i;
      }
      double scale = c > 2 ? 0.5 : 2;
      return x.multiply(scale * c).multiply(x).add(x.multiply(c).sin());
    }

    static DerivativeStructure deadCode(DerivativeStructure x, DerivativeStructure y) {
      DerivativeStructure waste = k(y, 0);
      for (int i = 0; i < 5; i++) {
        waste = waste.add(y.multiply(i).exp());
      }
      DerivativeStructure r = sq(x);
      if (x.getValue() > 0) {
        DerivativeStructure unused = r.multiply(y).add(waste);
        r = r.add(x);
      } else {
        r = r.subtract(x);
      }
      return r;
    }

    static DerivativeStructure deadScratch(DerivativeStructure[] x, DerivativeStructure y) {
      DerivativeStructure[] scratch = new DerivativeStructure[x.length];
      DerivativeStructure s = k(y, 0);
      for (int i = 0; i < x.length; i++) {
        scratch[i] = x[i].multiply(y);
        s = s.add(sq(x[i]));
      }
      return s;
    }

    // 6. Instance methods

    static DerivativeStructure shiftedPoly(ControlFlowCorpus self, DerivativeStructure x,
        DerivativeStructure[] c) {
      DerivativeStructure u = x.subtract(self.shift);
      DerivativeStructure s = k(x, 0);
      for (int i = c.length - 1; i >= 0; i--) {
        s = s.multiply(u).add(c[i]);
      }
      return s;
    }

    static DerivativeStructure discounted(ControlFlowCorpus self, DerivativeStructure[] r) {
      DerivativeStructure g = k(r[0], 0);
      double w = 1;
      for (DerivativeStructure ri : r) {
        g = g.add(ri.getValue() > 0 ? ri.multiply(w) : ri.multiply(2 * w));
        w *= self.decay;
      }
      return g;
    }

    static DerivativeStructure polyProduct(ControlFlowCorpus self, DerivativeStructure x,
        DerivativeStructure[] c) {
      return shiftedPoly(self, x, c).multiply(shiftedPoly(self, x.negate(), c)).add(piecewise(x));
    }

    // 7. CorpusHelpers

    static DerivativeStructure weightedSum(DerivativeStructure[] x, DerivativeStructure[] w) {
      DerivativeStructure s = k(x[0], 0);
      for (int i = 0; i < x.length; i++) {
        s = s.add(w[i].multiply(x[i]));
      }
      return s;
    }

    static DerivativeStructure sumSquares(DerivativeStructure[] x) {
      DerivativeStructure s = k(x[0], 0);
      for (DerivativeStructure v : x) {
        s = s.add(sq(v));
      }
      return s;
    }

    static DerivativeStructure smoothAbs(DerivativeStructure x, DerivativeStructure eps) {
      return sq(x).add(sq(eps)).sqrt();
    }

    // 8. LanguageCorpus
    static DerivativeStructure logGamma(DerivativeStructure x) {
      DerivativeStructure z = x.subtract(1);
      DerivativeStructure a = k(x, LanguageCorpus.LANCZOS[0]);
      DerivativeStructure t = z.add(LanguageCorpus.LANCZOS.length - 1.5);
      for (int i = 1; i < LanguageCorpus.LANCZOS.length; i++) {
        a = a.add(z.add(i).reciprocal().multiply(LanguageCorpus.LANCZOS[i]));
      }
      return z.add(0.5).multiply(t.log()).subtract(t).add(a.log()).add(0.5 * Math.log(2 * Math.PI));
    }

    static DerivativeStructure checkedNorm(DerivativeStructure[] v, DerivativeStructure scale) {
      DerivativeStructure s = k(scale, 0);
      for (DerivativeStructure e : v) {
        s = s.add(sq(e));
      }
      return scale.multiply(s.sqrt());
    }

    static DerivativeStructure bitSteered(DerivativeStructure x) {
      double xv = x.getValue();
      boolean negative = (Double.doubleToRawLongBits(xv) & LanguageCorpus.SIGN_BIT) != 0;
      int e = Math.getExponent(xv);
      int bucket = (e & 3) ^ (e >> 1) | (e << 2 >>> 30);
      long round = Math.round(xv * 4);
      int offset = 1 + (int) (round & 1L) + Integer.bitCount(bucket) + Math.floorMod(e, 3);
      DerivativeStructure y = negative ? sq(x).negate() : sq(x).multiply(x);
      return y.multiply(1 + offset).add(x.multiply(Double.compare(xv, 1.0)));
    }

    static DerivativeStructure rowViews(DerivativeStructure x, DerivativeStructure[][] m0) {
      DerivativeStructure[][] m = new DerivativeStructure[m0.length][];
      for (int i = 0; i < m.length; i++) {
        m[i] = m0[i].clone();
      }
      DerivativeStructure s = k(x, 0);
      for (DerivativeStructure[] row : m) {
        for (int j = 0; j < row.length; j++) {
          row[j] = row[j].multiply(x);
          s = s.add(sq(row[j]));
        }
        for (DerivativeStructure v : row) {
          s = s.add(v.sin());
        }
      }
      m[0][1] = s.multiply(m[0][0]);
      return m[0][1].add(m[1][0]);
    }

    static DerivativeStructure labelledRows(DerivativeStructure x, DerivativeStructure[][] m) {
      DerivativeStructure s = k(x, 0);
      outer:
      for (DerivativeStructure[] row : m) {
        for (DerivativeStructure v : row) {
          if (v.getValue() < -0.5) {
            continue outer;
          }
          if (v.getValue() > 0.8) {
            break outer;
          }
          s = x.multiply(v).sin().add(s.multiply(v)).add(s);
        }
        s = s.multiply(1.1);
      }
      return s.multiply(x);
    }

    static DerivativeStructure embedded(DerivativeStructure x, DerivativeStructure[] b) {
      DerivativeStructure[] a = new DerivativeStructure[b.length];
      for (int k = 0; k < b.length; k++) {
        a[k] = b[k].multiply(x);
      }
      DerivativeStructure t = x.multiply(2);
      DerivativeStructure s = t;
      for (int k = 1; k < a.length; k += 2) {
        s = s.add(a[k].multiply(t));
      }
      DerivativeStructure u = a[0].add(s);
      DerivativeStructure last = a[a.length - 1];
      return u.multiply(last).add(s.multiply(a.length - 1));
    }

    static DerivativeStructure chebyshev(DerivativeStructure x, int n) {
      if (n == 0) {
        return k(x, 1);
      }
      if (n == 1) {
        return x;
      }
      return x.multiply(2).multiply(chebyshev(x, n - 1)).subtract(chebyshev(x, n - 2));
    }

    // 9. Copies
    static DerivativeStructure clonedSmoothing(DerivativeStructure[] x, DerivativeStructure alpha) {
      DerivativeStructure[] s = x.clone();
      for (int i = 1; i < s.length; i++) {
        s[i] = alpha.multiply(s[i]).add(alpha.negate().add(1).multiply(s[i - 1]));
      }
      DerivativeStructure r = k(alpha, 0);
      for (int i = 0; i < x.length; i++) {
        r = r.add(sq(x[i].subtract(s[i])));
      }
      return r.add(s[s.length - 1]);
    }

    static DerivativeStructure clonedRows(DerivativeStructure[][] m0, DerivativeStructure[] v0, DerivativeStructure x) {
      DerivativeStructure[][] m = new DerivativeStructure[m0.length][];
      for (int i = 0; i < m.length; i++) {
        m[i] = m0[i].clone();
      }
      DerivativeStructure[] v = v0.clone();
      DerivativeStructure[] first = m[0].clone();
      int k = m.length - 1;
      DerivativeStructure[] last = m[k].clone();
      DerivativeStructure[] mid = m[k - 1].clone();
      DerivativeStructure[] w = v.clone();
      DerivativeStructure[] c = new DerivativeStructure[ControlFlowCorpus.WEIGHTS.length];
      for (int i = 0; i < c.length; i++) {
        c[i] = k(x, ControlFlowCorpus.WEIGHTS[i]);
      }
      c[1] = c[1].multiply(x);
      v[0] = x.multiply(v[1]);
      m[0][1] = x;
      DerivativeStructure s = k(x, 0);
      for (int j = 0; j < first.length; j++) {
        first[j] = first[j].multiply(last[j].add(x));
        s = s.add(first[j].multiply(w[j % w.length])).add(mid[j].sin().multiply(m[0][j]))
            .add(c[j % c.length].multiply(v[0]));
      }
      return s.add(v[0].multiply(w[0]));
    }
  }
}
