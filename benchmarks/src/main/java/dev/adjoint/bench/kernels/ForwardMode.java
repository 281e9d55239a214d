package dev.adjoint.bench.kernels;

import org.hipparchus.analysis.differentiation.Gradient;

/**
 * The kernels in Hipparchus forward mode ({@link Gradient}: a value and a vector of first partials carried
 * through every operation), written the way a Hipparchus user would: the same loops as the plain Java, over
 * {@code Gradient}s.
 *
 * <p>Forward mode costs one pass per input direction. Each method differentiates with respect to a
 * <em>chunk</em> of the flat inputs, {@code [first, first + width)}, in one pass of width {@code width};
 * every other input is a constant. The full gradient of N inputs is ⌈N/width⌉ such passes
 * ({@link #chunks}); for large N the benchmarks time one chunk and report ⌈N/width⌉ × that time.
 */
public final class ForwardMode {
  private ForwardMode() {}

  /** The value and the partials with respect to the inputs {@code first .. first + partials.length - 1}. */
  public record Chunk(double value, int first, double[] partials) {}

  /** Number of passes of width {@code width} for {@code inputs} inputs. */
  public static int chunks(int inputs, int width) {
    return (inputs + width - 1) / width;
  }

  /** Lifts {@code values} (flat inputs starting at {@code offset}) to Gradients: chunk members are variables. */
  private static Gradient[] lift(double[] values, int offset, int first, int width) {
    Gradient[] out = new Gradient[values.length];
    for (int i = 0; i < values.length; i++) {
      int flat = offset + i;
      out[i] = flat >= first && flat < first + width
          ? Gradient.variable(width, flat - first, values[i])
          : Gradient.constant(width, values[i]);
    }
    return out;
  }

  private static Chunk chunk(Gradient result, int first) {
    return new Chunk(result.getValue(), first, result.getGradient());
  }

  /** {@link Gmm#gmm}, inputs flattened as alphas, means, icf. */
  public static Chunk gmm(double[] alphasV, double[] meansV, double[] icfV, double[] x, int d, int k, int n,
      double wishartGamma, int wishartM, int first, int width) {
    Gradient[] alphas = lift(alphasV, 0, first, width);
    Gradient[] means = lift(meansV, alphasV.length, first, width);
    Gradient[] icf = lift(icfV, alphasV.length + meansV.length, first, width);
    int icfSz = d * (d + 1) / 2;
    Gradient zero = Gradient.constant(width, 0);
    Gradient[] qdiags = new Gradient[d * k];
    Gradient[] sumQs = new Gradient[k];
    Gradient[] xcentered = new Gradient[d];
    Gradient[] qxcentered = new Gradient[d];
    Gradient[] mainTerm = new Gradient[k];
    for (int ik = 0; ik < k; ik++) {
      sumQs[ik] = zero;
      for (int id = 0; id < d; id++) {
        Gradient q = icf[ik * icfSz + id];
        sumQs[ik] = sumQs[ik].add(q);
        qdiags[ik * d + id] = q.exp();
      }
    }
    Gradient slse = zero;
    for (int ix = 0; ix < n; ix++) {
      for (int ik = 0; ik < k; ik++) {
        for (int id = 0; id < d; id++) {
          xcentered[id] = means[ik * d + id].negate().add(x[ix * d + id]);
        }
        for (int id = 0; id < d; id++) {
          qxcentered[id] = qdiags[ik * d + id].multiply(xcentered[id]);
        }
        int lparamsidx = 0;
        for (int i = 0; i < d; i++) {
          for (int j = i + 1; j < d; j++) {
            qxcentered[j] = qxcentered[j].add(icf[ik * icfSz + d + lparamsidx].multiply(xcentered[i]));
            lparamsidx++;
          }
        }
        Gradient sqsum = zero;
        for (int id = 0; id < d; id++) {
          sqsum = sqsum.add(qxcentered[id].multiply(qxcentered[id]));
        }
        mainTerm[ik] = alphas[ik].add(sumQs[ik]).subtract(sqsum.multiply(0.5));
      }
      slse = slse.add(logsumexp(mainTerm, k));
    }
    Gradient lseAlphas = logsumexp(alphas, k);
    double constant = -n * d * 0.5 * Math.log(2 * Math.PI);
    Gradient err = slse.add(constant).subtract(lseAlphas.multiply(n));
    int wn = d + wishartM + 1;
    double c = wn * d * (Math.log(wishartGamma) - 0.5 * Math.log(2)) - Gmm.logGammaDistrib(0.5 * wn, d);
    Gradient out = zero;
    for (int ik = 0; ik < k; ik++) {
      Gradient frobenius = zero;
      for (int id = 0; id < d; id++) {
        frobenius = frobenius.add(qdiags[ik * d + id].multiply(qdiags[ik * d + id]));
      }
      for (int i = d; i < icfSz; i++) {
        frobenius = frobenius.add(icf[ik * icfSz + i].multiply(icf[ik * icfSz + i]));
      }
      out = out.add(frobenius.multiply(0.5 * wishartGamma * wishartGamma)).subtract(sumQs[ik].multiply(wishartM));
    }
    return chunk(err.add(out).subtract(k * c), first);
  }

  private static Gradient logsumexp(Gradient[] v, int n) {
    Gradient mx = v[0];
    for (int i = 1; i < n; i++) {
      if (v[i].getValue() > mx.getValue()) {
        mx = v[i];
      }
    }
    Gradient semx = Gradient.constant(mx.getFreeParameters(), 0);
    for (int i = 0; i < n; i++) {
      semx = semx.add(v[i].subtract(mx).exp());
    }
    return semx.log().add(mx);
  }

  /** {@link Lstm#lstm}, inputs flattened as main parameters, extra parameters. */
  public static Chunk lstm(double[] mainV, double[] extraV, double[] state, double[] sequence, int l, int c, int b,
      int first, int width) {
    Gradient[] mainParams = lift(mainV, 0, first, width);
    Gradient[] extraParams = lift(extraV, mainV.length, first, width);
    Gradient zero = Gradient.constant(width, 0);
    Gradient[] s = new Gradient[2 * l * b];
    for (int i = 0; i < s.length; i++) {
      s[i] = Gradient.constant(width, state[i]);
    }
    Gradient[] input = new Gradient[b];
    Gradient[] ypred = new Gradient[b];
    Gradient total = zero;
    int count = 0;
    for (int t = 0; t < c - 1; t++) {
      for (int i = 0; i < b; i++) {
        input[i] = extraParams[i].multiply(sequence[t * b + i]);
      }
      for (int layer = 0; layer < l; layer++) {
        int w = 8 * b * layer;
        int h = 2 * b * layer;
        for (int i = 0; i < b; i++) {
          Gradient forget = sigmoid(input[i].multiply(mainParams[w + i]).add(mainParams[w + 4 * b + i]));
          Gradient ingate = sigmoid(s[h + i].multiply(mainParams[w + b + i]).add(mainParams[w + 5 * b + i]));
          Gradient outgate = sigmoid(input[i].multiply(mainParams[w + 2 * b + i]).add(mainParams[w + 6 * b + i]));
          Gradient change = s[h + i].multiply(mainParams[w + 3 * b + i]).add(mainParams[w + 7 * b + i]).tanh();
          s[h + b + i] = s[h + b + i].multiply(forget).add(ingate.multiply(change));
          s[h + i] = outgate.multiply(s[h + b + i].tanh());
        }
        for (int i = 0; i < b; i++) {
          input[i] = s[h + i];
        }
      }
      for (int i = 0; i < b; i++) {
        ypred[i] = input[i].multiply(extraParams[b + i]).add(extraParams[2 * b + i]);
      }
      Gradient sum = zero;
      for (int i = 0; i < b; i++) {
        sum = sum.add(ypred[i].exp());
      }
      Gradient lse = sum.add(2).log();
      for (int i = 0; i < b; i++) {
        total = total.add(ypred[i].subtract(lse).multiply(sequence[(t + 1) * b + i]));
      }
      count += b;
    }
    return chunk(total.negate().divide(count), first);
  }

  private static Gradient sigmoid(Gradient z) {
    return z.negate().exp().add(1).reciprocal();
  }

  /** {@link Scalar#rosenbrock}. */
  public static Chunk rosenbrock(double[] xV, int first, int width) {
    Gradient[] x = lift(xV, 0, first, width);
    Gradient f = Gradient.constant(width, 0);
    for (int i = 0; i < x.length - 1; i++) {
      Gradient a = x[i + 1].subtract(x[i].multiply(x[i]));
      Gradient b = x[i].negate().add(1);
      f = f.add(a.multiply(a).multiply(100)).add(b.multiply(b));
    }
    return chunk(f, first);
  }

  /** {@link Scalar#reactionDiffusion}. */
  public static Chunk reactionDiffusion(double[] u0V, double[] target, int steps, double r, double dt, int first,
      int width) {
    int n = u0V.length;
    Gradient zero = Gradient.constant(width, 0);
    Gradient[] u = lift(u0V, 0, first, width);
    Gradient[] next = new Gradient[n];
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < n; i++) {
        Gradient left = i > 0 ? u[i - 1] : zero;
        Gradient right = i < n - 1 ? u[i + 1] : zero;
        Gradient ui = u[i];
        next[i] = ui.add(left.subtract(ui.multiply(2)).add(right).multiply(r))
            .add(ui.subtract(ui.multiply(ui).multiply(ui)).multiply(dt));
      }
      Gradient[] tmp = u;
      u = next;
      next = tmp;
    }
    Gradient loss = zero;
    for (int i = 0; i < n; i++) {
      Gradient e = u[i].subtract(target[i]);
      loss = loss.add(e.multiply(e));
    }
    return chunk(loss, first);
  }
}
