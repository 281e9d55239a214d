package dev.adjoint.bench;

import ai.djl.ndarray.NDManager;
import dev.adjoint.bench.adbench.AdBench;
import dev.adjoint.bench.adbench.AdBench.GmmInput;
import dev.adjoint.bench.adbench.AdBench.LstmInput;
import dev.adjoint.bench.kernels.Djl;
import dev.adjoint.bench.kernels.ForwardMode;
import dev.adjoint.bench.kernels.Gmm;
import dev.adjoint.bench.kernels.GmmGrad;
import dev.adjoint.bench.kernels.Hand;
import dev.adjoint.bench.kernels.HandMlp;
import dev.adjoint.bench.kernels.Lstm;
import dev.adjoint.bench.kernels.LstmGrad;
import dev.adjoint.bench.kernels.Mlp;
import dev.adjoint.bench.kernels.MlpGrad;
import dev.adjoint.bench.kernels.SameDiffMlp;
import dev.adjoint.bench.kernels.Scalar;
import dev.adjoint.bench.kernels.ScalarGrad;
import dev.adjoint.tensor.Tensor;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Every benchmark instance behind one interface, each engine returning the value and the flat gradient, so
 * that the smoke test (and anyone) can run a kernel once through every engine and compare. The JMH
 * benchmarks call the engines directly instead, so that no flattening is timed.
 */
public final class Cases {
  private Cases() {}

  /** A value and a flat gradient (for Hipparchus: the partials of one chunk). */
  public record Result(double value, double[] gradient) {}

  /** One kernel on one input, through every engine. */
  public interface Case {
    String name();

    /** Number of differentiated inputs (the length of the flat gradient). */
    int inputs();

    double primal();

    Result generated();

    Result hand();

    /** Forward mode over the inputs {@code [first, first + width)}; the result holds those partials only. */
    Result hipparchus(int first, int width);

    Result djl(NDManager manager);

    /** Whether Hipparchus forward mode is run on this kernel (not on the MLP: 39 301 inputs). */
    default boolean forwardMode() {
      return true;
    }

    /** ND4J SameDiff, on the kernels written for it (the MLP); empty on the others. */
    default Optional<Result> sameDiff() {
      return Optional.empty();
    }

    /** The primal as a function of the flat inputs, for finite differences. */
    double primalAt(double[] flatInputs);

    /** The flat inputs. */
    double[] flatInputs();
  }

  static double[] concat(double[]... parts) {
    int len = 0;
    for (double[] p : parts) {
      len += p.length;
    }
    double[] out = new double[len];
    int pos = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }

  static double[] slice(double[] flat, int from, int len) {
    double[] out = new double[len];
    System.arraycopy(flat, from, out, 0, len);
    return out;
  }

  /** The GMM objective on {@link AdBench#gmm(String) an ADBench instance}. */
  public static Case gmm(GmmInput g) {
    return new Case() {
      @Override
      public String name() {
        return "gmm " + g.name();
      }

      @Override
      public int inputs() {
        return g.inputs();
      }

      @Override
      public double primal() {
        return Gmm.gmm(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(), g.wishartM());
      }

      @Override
      public Result generated() {
        GmmGrad.Gmm r = GmmGrad.gmm(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(),
            g.wishartM());
        return new Result(r.value(), concat(r.alphas(), r.means(), r.icf()));
      }

      @Override
      public Result hand() {
        Hand.GmmGradient r = Hand.gmm(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(),
            g.wishartM());
        return new Result(r.value(), concat(r.alphas(), r.means(), r.icf()));
      }

      @Override
      public Result hipparchus(int first, int width) {
        ForwardMode.Chunk r = ForwardMode.gmm(g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(),
            g.wishartGamma(), g.wishartM(), first, width);
        return new Result(r.value(), r.partials());
      }

      @Override
      public Result djl(NDManager manager) {
        Djl.Result r = Djl.gmm(manager, g.alphas(), g.means(), g.icf(), g.x(), g.d(), g.k(), g.n(), g.wishartGamma(),
            g.wishartM());
        return new Result(r.value(), concat(r.grads()));
      }

      @Override
      public double[] flatInputs() {
        return concat(g.alphas(), g.means(), g.icf());
      }

      @Override
      public double primalAt(double[] flat) {
        int a = g.alphas().length;
        int m = g.means().length;
        return Gmm.gmm(slice(flat, 0, a), slice(flat, a, m), slice(flat, a + m, g.icf().length), g.x(), g.d(), g.k(),
            g.n(), g.wishartGamma(), g.wishartM());
      }
    };
  }

  /** The LSTM objective on {@link AdBench#lstm() ADBench's instance}. */
  public static Case lstm(LstmInput s) {
    return new Case() {
      @Override
      public String name() {
        return "lstm " + s.name();
      }

      @Override
      public int inputs() {
        return s.inputs();
      }

      @Override
      public double primal() {
        return Lstm.lstm(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b());
      }

      @Override
      public Result generated() {
        LstmGrad.Lstm r = LstmGrad.lstm(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b());
        return new Result(r.value(), concat(r.mainParams(), r.extraParams()));
      }

      @Override
      public Result hand() {
        Hand.LstmGradient r = Hand.lstm(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b());
        return new Result(r.value(), concat(r.mainParams(), r.extraParams()));
      }

      @Override
      public Result hipparchus(int first, int width) {
        ForwardMode.Chunk r = ForwardMode.lstm(s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(),
            s.b(), first, width);
        return new Result(r.value(), r.partials());
      }

      @Override
      public Result djl(NDManager manager) {
        Djl.Result r = Djl.lstm(manager, s.mainParams(), s.extraParams(), s.state(), s.sequence(), s.l(), s.c(), s.b());
        return new Result(r.value(), concat(r.grads()));
      }

      @Override
      public double[] flatInputs() {
        return concat(s.mainParams(), s.extraParams());
      }

      @Override
      public double primalAt(double[] flat) {
        int mlen = s.mainParams().length;
        return Lstm.lstm(slice(flat, 0, mlen), slice(flat, mlen, s.extraParams().length), s.state(), s.sequence(),
            s.l(), s.c(), s.b());
      }
    };
  }

  /** Seeded input of the scalar kernels: uniform on [-1, 1) (Rosenbrock) or a smooth bump plus noise. */
  public static double[] scalarInput(int n, long seed) {
    Random rng = new Random(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = 0.5 * Math.sin(Math.PI * (i + 1) / (n + 1)) + 0.5 * (rng.nextDouble() - 0.5);
    }
    return x;
  }

  /** Rosenbrock chain over {@code n} inputs. */
  public static Case rosenbrock(int n) {
    double[] x = scalarInput(n, 7);
    return new Case() {
      @Override
      public String name() {
        return "rosenbrock n=" + n;
      }

      @Override
      public int inputs() {
        return n;
      }

      @Override
      public double primal() {
        return Scalar.rosenbrock(x);
      }

      @Override
      public Result generated() {
        ScalarGrad.Rosenbrock r = ScalarGrad.rosenbrock(x);
        return new Result(r.value(), r.x());
      }

      @Override
      public Result hand() {
        Hand.ArrayGradient r = Hand.rosenbrock(x);
        return new Result(r.value(), r.x());
      }

      @Override
      public Result hipparchus(int first, int width) {
        ForwardMode.Chunk r = ForwardMode.rosenbrock(x, first, width);
        return new Result(r.value(), r.partials());
      }

      @Override
      public Result djl(NDManager manager) {
        Djl.Result r = Djl.rosenbrock(manager, x);
        return new Result(r.value(), r.grads()[0]);
      }

      @Override
      public double[] flatInputs() {
        return x.clone();
      }

      @Override
      public double primalAt(double[] flat) {
        return Scalar.rosenbrock(flat);
      }
    };
  }

  /** Parameters of the reaction–diffusion chain: steps, r = D·dt/dx², dt. */
  public static final int RD_STEPS = 100;

  public static final double RD_R = 0.2;
  public static final double RD_DT = 0.01;

  /** Reaction–diffusion chain over {@code n} cells, {@link #RD_STEPS} steps. */
  public static Case reactionDiffusion(int n) {
    double[] u0 = scalarInput(n, 11);
    double[] target = new double[n];
    for (int i = 0; i < n; i++) {
      target[i] = 0.25 * Math.sin(2 * Math.PI * i / n);
    }
    return new Case() {
      @Override
      public String name() {
        return "reactionDiffusion n=" + n;
      }

      @Override
      public int inputs() {
        return n;
      }

      @Override
      public double primal() {
        return Scalar.reactionDiffusion(u0, target, RD_STEPS, RD_R, RD_DT);
      }

      @Override
      public Result generated() {
        ScalarGrad.ReactionDiffusion r = ScalarGrad.reactionDiffusion(u0, target, RD_STEPS, RD_R, RD_DT);
        return new Result(r.value(), r.u0());
      }

      @Override
      public Result hand() {
        Hand.ArrayGradient r = Hand.reactionDiffusion(u0, target, RD_STEPS, RD_R, RD_DT);
        return new Result(r.value(), r.x());
      }

      @Override
      public Result hipparchus(int first, int width) {
        ForwardMode.Chunk r = ForwardMode.reactionDiffusion(u0, target, RD_STEPS, RD_R, RD_DT, first, width);
        return new Result(r.value(), r.partials());
      }

      @Override
      public Result djl(NDManager manager) {
        Djl.Result r = Djl.reactionDiffusion(manager, u0, target, RD_STEPS, RD_R, RD_DT);
        return new Result(r.value(), r.grads()[0]);
      }

      @Override
      public double[] flatInputs() {
        return u0.clone();
      }

      @Override
      public double primalAt(double[] flat) {
        return Scalar.reactionDiffusion(flat, target, RD_STEPS, RD_R, RD_DT);
      }
    };
  }

  /** Seed 003's MLP over {@link Tensor} on {@code m}; gradient order w1, b1, w2, b2, each row-major. */
  public static Case mlp(Mlp.Input m) {
    return new Case() {
      private SameDiffMlp graph;

      @Override
      public String name() {
        return "mlp " + m.name();
      }

      @Override
      public int inputs() {
        return m.inputs();
      }

      @Override
      public double primal() {
        return Mlp.loss(m.x(), m.w1(), m.b1(), m.w2(), m.b2(), m.target());
      }

      @Override
      public Result generated() {
        MlpGrad.Loss r = MlpGrad.loss(m.x(), m.w1(), m.b1(), m.w2(), m.b2(), m.target());
        return new Result(r.value(), concat(r.w1().data(), r.b1().data(), r.w2().data(), r.b2().data()));
      }

      @Override
      public Result hand() {
        HandMlp.Gradient r = HandMlp.loss(m.x(), m.w1(), m.b1(), m.w2(), m.b2(), m.target());
        return new Result(r.value(), concat(r.w1().data(), r.b1().data(), r.w2().data(), r.b2().data()));
      }

      @Override
      public boolean forwardMode() {
        return false;
      }

      @Override
      public Result hipparchus(int first, int width) {
        throw new UnsupportedOperationException("forward mode is not run on the MLP (" + m.inputs() + " inputs)");
      }

      @Override
      public Result djl(NDManager manager) {
        Djl.Result r = Djl.mlp(manager, m.x().data(), m.w1().data(), m.b1().data(), m.w2().data(), m.b2().data(),
            m.target().data(), m.n(), m.in(), m.hidden());
        return new Result(r.value(), concat(r.grads()));
      }

      @Override
      public Optional<Result> sameDiff() {
        if (graph == null) {
          graph = new SameDiffMlp(m.in(), m.hidden());
        }
        SameDiffMlp.Result r = graph.loss(m.x().data(), m.w1().data(), m.b1().data(), m.w2().data(), m.b2().data(),
            m.target().data(), m.n());
        return Optional.of(new Result(r.value(), concat(r.w1(), r.b1(), r.w2(), r.b2())));
      }

      @Override
      public double[] flatInputs() {
        return concat(m.w1().data(), m.b1().data(), m.w2().data(), m.b2().data());
      }

      @Override
      public double primalAt(double[] flat) {
        int w1 = m.w1().size();
        int h = m.hidden();
        return Mlp.loss(m.x(), Tensor.wrap(slice(flat, 0, w1), m.in(), h), Tensor.wrap(slice(flat, w1, h), h),
            Tensor.wrap(slice(flat, w1 + h, h), h, 1), Tensor.wrap(slice(flat, w1 + 2 * h, 1), 1), m.target());
      }
    };
  }

  /** Every instance the benchmarks time. */
  public static List<Case> all() {
    return List.of(
        gmm(AdBench.gmm("d2_K5")),
        gmm(AdBench.gmm("d10_K25")),
        gmm(AdBench.gmm("d20_K50")),
        lstm(AdBench.lstm()),
        rosenbrock(100),
        rosenbrock(1000),
        reactionDiffusion(100),
        reactionDiffusion(1000),
        mlp(Mlp.seed003()));
  }
}
