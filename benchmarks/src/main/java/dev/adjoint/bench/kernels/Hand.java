package dev.adjoint.bench.kernels;

/**
 * Hand-written reverse-mode gradients of the kernels in {@link Gmm}, {@link Lstm} and {@link Scalar}: what a
 * careful person writes instead of using a tool (derivations in the comments). They are checked against
 * finite differences and against the generated gradients in {@code KernelAgreementTest}. They allocate their
 * work arrays per call, as the generated code does.
 */
public final class Hand {
  private Hand() {}

  /** Value and gradient of {@link Gmm#gmm}. */
  public record GmmGradient(double value, double[] alphas, double[] means, double[] icf) {}

  /** Value and gradient of {@link Lstm#lstm}. */
  public record LstmGradient(double value, double[] mainParams, double[] extraParams) {}

  /** Value and gradient of a function of one array. */
  public record ArrayGradient(double value, double[] x) {}

  /**
   * GMM. Per point i and component k, with xc = x_i − μ_k and y = Q_k xc (Q_k = diag(e^q_k) + L_k),
   * main_ik = α_k + Σq_k − ½‖y‖²; the objective adds lse_k(main_ik) over i. With the softmax weight
   * w_ik = ∂lse/∂main_ik: ∂α_k and ∂Σq_k get w_ik; ȳ = −w_ik y; ∂e^q_kj += ȳ_j xc_j; ∂L_jl += ȳ_j xc_l (l &lt; j);
   * x̄c = Q_kᵀ ȳ and ∂μ_k −= x̄c. The −n·lse(α) term gives −n·softmax(α). The Wishart prior
   * ½γ²(‖e^q‖² + ‖L‖²) − m Σq gives γ² e^q, γ² L and −m. Finally ∂q_kj = ∂Σq_k + ∂e^q_kj · e^q_kj.
   */
  public static GmmGradient gmm(double[] alphas, double[] means, double[] icf, double[] x, int d, int k, int n,
      double wishartGamma, int wishartM) {
    int icfSz = d * (d + 1) / 2;
    double[] qdiags = new double[d * k];
    double[] sumQs = new double[k];
    for (int ik = 0; ik < k; ik++) {
      double s = 0;
      for (int id = 0; id < d; id++) {
        double q = icf[ik * icfSz + id];
        s += q;
        qdiags[ik * d + id] = Math.exp(q);
      }
      sumQs[ik] = s;
    }
    double[] gAlphas = new double[k];
    double[] gMeans = new double[k * d];
    double[] gIcf = new double[k * icfSz];
    double[] gQdiags = new double[k * d];
    double[] gSumQs = new double[k];
    double[] xc = new double[k * d]; // this point, centred on each component
    double[] y = new double[k * d]; // Q_k xc
    double[] xcBar = new double[d];
    double[] main = new double[k];

    double slse = 0;
    for (int ix = 0; ix < n; ix++) {
      int xo = ix * d;
      double mx = Double.NEGATIVE_INFINITY;
      for (int ik = 0; ik < k; ik++) {
        int o = ik * d;
        for (int id = 0; id < d; id++) {
          double c = x[xo + id] - means[o + id];
          xc[o + id] = c;
          y[o + id] = qdiags[o + id] * c;
        }
        int li = ik * icfSz + d;
        for (int i = 0; i < d; i++) {
          double c = xc[o + i];
          for (int j = i + 1; j < d; j++) {
            y[o + j] += icf[li++] * c;
          }
        }
        double sq = 0;
        for (int id = 0; id < d; id++) {
          sq += y[o + id] * y[o + id];
        }
        double m = alphas[ik] + sumQs[ik] - 0.5 * sq;
        main[ik] = m;
        if (m > mx) {
          mx = m;
        }
      }
      double se = 0;
      for (int ik = 0; ik < k; ik++) {
        main[ik] = Math.exp(main[ik] - mx); // reuse: now e^(main - max)
        se += main[ik];
      }
      slse += Math.log(se) + mx;
      double inv = 1 / se;
      for (int ik = 0; ik < k; ik++) {
        double w = main[ik] * inv;
        gAlphas[ik] += w;
        gSumQs[ik] += w;
        int o = ik * d;
        // ȳ = −w y. Diagonal part of Q.
        for (int id = 0; id < d; id++) {
          double yb = -w * y[o + id];
          gQdiags[o + id] += yb * xc[o + id];
          xcBar[id] = qdiags[o + id] * yb;
        }
        // Strictly lower part: y_j += L_jl xc_l.
        int li = ik * icfSz + d;
        for (int i = 0; i < d; i++) {
          double c = xc[o + i];
          double acc = 0;
          for (int j = i + 1; j < d; j++) {
            double yb = -w * y[o + j];
            gIcf[li] += yb * c;
            acc += icf[li] * yb;
            li++;
          }
          xcBar[i] += acc;
        }
        for (int id = 0; id < d; id++) {
          gMeans[o + id] -= xcBar[id];
        }
      }
    }

    // − n · lse(α)
    double amx = alphas[0];
    for (int ik = 1; ik < k; ik++) {
      amx = Math.max(amx, alphas[ik]);
    }
    double ase = 0;
    for (int ik = 0; ik < k; ik++) {
      ase += Math.exp(alphas[ik] - amx);
    }
    double lseAlphas = Math.log(ase) + amx;
    for (int ik = 0; ik < k; ik++) {
      gAlphas[ik] -= n * Math.exp(alphas[ik] - amx) / ase;
    }
    double constant = -n * d * 0.5 * Math.log(2 * Math.PI);
    double err = constant + slse - n * lseAlphas;

    // Wishart prior
    int wn = d + wishartM + 1;
    double c = wn * d * (Math.log(wishartGamma) - 0.5 * Math.log(2)) - Gmm.logGammaDistrib(0.5 * wn, d);
    double g2 = wishartGamma * wishartGamma;
    double out = 0;
    for (int ik = 0; ik < k; ik++) {
      double frob = 0;
      for (int id = 0; id < d; id++) {
        double qd = qdiags[ik * d + id];
        frob += qd * qd;
        gQdiags[ik * d + id] += g2 * qd;
      }
      for (int i = d; i < icfSz; i++) {
        double l = icf[ik * icfSz + i];
        frob += l * l;
        gIcf[ik * icfSz + i] += g2 * l;
      }
      out += 0.5 * g2 * frob - wishartM * sumQs[ik];
      gSumQs[ik] -= wishartM;
    }
    // Back through sum_qs and Qdiags = e^q to the log-diagonal entries of icf.
    for (int ik = 0; ik < k; ik++) {
      for (int id = 0; id < d; id++) {
        gIcf[ik * icfSz + id] += gSumQs[ik] + gQdiags[ik * d + id] * qdiags[ik * d + id];
      }
    }
    return new GmmGradient(err + out - k * c, gAlphas, gMeans, gIcf);
  }

  /**
   * LSTM. The forward pass keeps, per step, layer and unit, the layer input, the previous hidden and cell
   * state, the four gates and tanh of the new cell; the reverse pass runs back in time carrying the adjoints
   * of each layer's hidden and cell state. With c' = c·f + i·g and h' = o·tanh(c'):
   * c̄' = c̄'_carried + h̄'·o·(1 − tanh²c'), ō = h̄'·tanh c', f̄ = c̄'·c, c̄ = c̄'·f, ī = c̄'·g, ḡ = c̄'·i; a sigmoid
   * gate s passes s̄·s(1 − s) to its pre-activation, the tanh gate ḡ(1 − g²). The loss
   * −Σ_t Σ_i y_i (ŷ_i − log(Σ_j e^ŷ_j + 2)) / count gives ŷ̄_i = −(y_i − (Σ_j y_j)·e^ŷ_i / (Σ e^ŷ + 2)) / count.
   */
  public static LstmGradient lstm(double[] mainParams, double[] extraParams, double[] state, double[] sequence,
      int l, int c, int b) {
    int steps = c - 1;
    int cells = steps * l * b;
    double[] xIn = new double[cells];
    double[] hPrev = new double[cells];
    double[] cPrev = new double[cells];
    double[] fG = new double[cells];
    double[] iG = new double[cells];
    double[] oG = new double[cells];
    double[] gG = new double[cells];
    double[] tC = new double[cells];
    double[] yIn = new double[steps * b]; // the last layer's output at each step
    double[] soft = new double[steps * b]; // e^ŷ / (Σ e^ŷ + 2)
    double[] s = state.clone();
    double[] input = new double[b];
    double total = 0;
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < b; i++) {
        input[i] = sequence[t * b + i] * extraParams[i];
      }
      for (int layer = 0; layer < l; layer++) {
        int w = 8 * b * layer;
        int h = 2 * b * layer;
        int at = (t * l + layer) * b;
        for (int i = 0; i < b; i++) {
          double xi = input[i];
          double hp = s[h + i];
          double cp = s[h + b + i];
          double f = sigmoid(xi * mainParams[w + i] + mainParams[w + 4 * b + i]);
          double ig = sigmoid(hp * mainParams[w + b + i] + mainParams[w + 5 * b + i]);
          double o = sigmoid(xi * mainParams[w + 2 * b + i] + mainParams[w + 6 * b + i]);
          double g = Math.tanh(hp * mainParams[w + 3 * b + i] + mainParams[w + 7 * b + i]);
          double cn = cp * f + ig * g;
          double tc = Math.tanh(cn);
          double hn = o * tc;
          xIn[at + i] = xi;
          hPrev[at + i] = hp;
          cPrev[at + i] = cp;
          fG[at + i] = f;
          iG[at + i] = ig;
          oG[at + i] = o;
          gG[at + i] = g;
          tC[at + i] = tc;
          s[h + b + i] = cn;
          s[h + i] = hn;
          input[i] = hn;
        }
      }
      double sum = 0;
      for (int i = 0; i < b; i++) {
        double yp = input[i] * extraParams[b + i] + extraParams[2 * b + i];
        yIn[t * b + i] = input[i];
        double e = Math.exp(yp);
        soft[t * b + i] = e;
        sum += e;
        input[i] = yp; // now ŷ
      }
      sum += 2;
      double lse = Math.log(sum);
      double inv = 1 / sum;
      for (int i = 0; i < b; i++) {
        soft[t * b + i] *= inv;
        total += sequence[(t + 1) * b + i] * (input[i] - lse);
      }
    }
    int count = steps * b;
    double value = -total / count;

    double[] gMain = new double[mainParams.length];
    double[] gExtra = new double[extraParams.length];
    double[] hBar = new double[l * b]; // adjoint of each layer's hidden state, carried back in time
    double[] cBar = new double[l * b];
    double[] inBar = new double[b];
    double totalBar = -1.0 / count;
    for (int t = steps - 1; t >= 0; t--) {
      double goldSum = 0;
      for (int i = 0; i < b; i++) {
        goldSum += sequence[(t + 1) * b + i];
      }
      for (int i = 0; i < b; i++) {
        double ypBar = totalBar * (sequence[(t + 1) * b + i] - goldSum * soft[t * b + i]);
        gExtra[b + i] += ypBar * yIn[t * b + i];
        gExtra[2 * b + i] += ypBar;
        inBar[i] = ypBar * extraParams[b + i];
      }
      for (int layer = l - 1; layer >= 0; layer--) {
        int w = 8 * b * layer;
        int at = (t * l + layer) * b;
        for (int i = 0; i < b; i++) {
          int a = at + i;
          double hnBar = hBar[layer * b + i] + inBar[i];
          double tc = tC[a];
          double o = oG[a];
          double f = fG[a];
          double ig = iG[a];
          double g = gG[a];
          double cnBar = cBar[layer * b + i] + hnBar * o * (1 - tc * tc);
          double zf = cnBar * cPrev[a] * f * (1 - f);
          double zi = cnBar * g * ig * (1 - ig);
          double zo = hnBar * tc * o * (1 - o);
          double zg = cnBar * ig * (1 - g * g);
          double xi = xIn[a];
          double hp = hPrev[a];
          gMain[w + i] += zf * xi;
          gMain[w + 4 * b + i] += zf;
          gMain[w + b + i] += zi * hp;
          gMain[w + 5 * b + i] += zi;
          gMain[w + 2 * b + i] += zo * xi;
          gMain[w + 6 * b + i] += zo;
          gMain[w + 3 * b + i] += zg * hp;
          gMain[w + 7 * b + i] += zg;
          hBar[layer * b + i] = zi * mainParams[w + b + i] + zg * mainParams[w + 3 * b + i];
          cBar[layer * b + i] = cnBar * f;
          inBar[i] = zf * mainParams[w + i] + zo * mainParams[w + 2 * b + i];
        }
      }
      for (int i = 0; i < b; i++) {
        gExtra[i] += inBar[i] * sequence[t * b + i];
      }
    }
    return new LstmGradient(value, gMain, gExtra);
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /** Rosenbrock chain: ∂/∂x_i of 100 a² + b² with a = x_{i+1} − x_i², b = 1 − x_i. */
  public static ArrayGradient rosenbrock(double[] x) {
    double[] g = new double[x.length];
    double f = 0;
    for (int i = 0; i < x.length - 1; i++) {
      double xi = x[i];
      double a = x[i + 1] - xi * xi;
      double b = 1 - xi;
      f += 100 * a * a + b * b;
      g[i] += -400 * a * xi - 2 * b;
      g[i + 1] += 200 * a;
    }
    return new ArrayGradient(f, g);
  }

  /**
   * Reaction–diffusion chain: the forward pass keeps every state; the reverse pass applies the transpose of
   * each step's Jacobian, ū_i ← ū'_i (1 − 2r + dt (1 − 3u_i²)) + r (ū'_{i−1} + ū'_{i+1}).
   */
  public static ArrayGradient reactionDiffusion(double[] u0, double[] target, int steps, double r, double dt) {
    int n = u0.length;
    double[] traj = new double[(steps + 1) * n];
    System.arraycopy(u0, 0, traj, 0, n);
    for (int t = 0; t < steps; t++) {
      int from = t * n;
      int to = from + n;
      for (int i = 0; i < n; i++) {
        double ui = traj[from + i];
        double left = i > 0 ? traj[from + i - 1] : 0.0;
        double right = i < n - 1 ? traj[from + i + 1] : 0.0;
        traj[to + i] = ui + r * (left - 2 * ui + right) + dt * (ui - ui * ui * ui);
      }
    }
    double loss = 0;
    double[] bar = new double[n];
    double[] prev = new double[n];
    int last = steps * n;
    for (int i = 0; i < n; i++) {
      double e = traj[last + i] - target[i];
      loss += e * e;
      bar[i] = 2 * e;
    }
    for (int t = steps - 1; t >= 0; t--) {
      int from = t * n;
      for (int i = 0; i < n; i++) {
        double ui = traj[from + i];
        double v = bar[i] * (1 - 2 * r + dt * (1 - 3 * ui * ui));
        if (i > 0) {
          v += r * bar[i - 1];
        }
        if (i < n - 1) {
          v += r * bar[i + 1];
        }
        prev[i] = v;
      }
      double[] tmp = bar;
      bar = prev;
      prev = tmp;
    }
    return new ArrayGradient(loss, bar);
  }
}
