package dev.adjoint.bench.kernels;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import dev.adjoint.NoDerivative;

/**
 * The ADBench GMM objective (Srajer, Kukelova, Fitzgibbon 2018), written as a person would write it in
 * plain Java: the same loops, in the same order, as ADBench's C++ reference ({@code src/cpp/shared/gmm.h}),
 * over flat {@code double[]}s.
 *
 * <ul>
 *   <li>{@code alphas[k]}: unnormalised log mixture weights;
 *   <li>{@code means[k*d]}: component means, row {@code ik} at {@code ik*d};
 *   <li>{@code icf[k*(d*(d+1)/2)]}: per component, the log of the diagonal of the inverse-covariance
 *       factor Q, then its strictly lower triangle column by column;
 *   <li>{@code x[n*d]}: the points (constant); {@code wishartGamma}, {@code wishartM}: the Wishart prior.
 * </ul>
 */
public final class Gmm {
  private Gmm() {}

  /** ADBench's GMM objective: the log-likelihood of the points plus the log Wishart prior. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  public static double gmm(double[] alphas, double[] means, double[] icf, @NoDerivative double[] x,
      int d, int k, int n, @NoDerivative double wishartGamma, int wishartM) {
    int icfSz = d * (d + 1) / 2;
    double[] qdiags = new double[d * k];
    double[] sumQs = new double[k];
    double[] xcentered = new double[d];
    double[] qxcentered = new double[d];
    double[] mainTerm = new double[k];

    // preprocess_qs
    for (int ik = 0; ik < k; ik++) {
      sumQs[ik] = 0;
      for (int id = 0; id < d; id++) {
        double q = icf[ik * icfSz + id];
        sumQs[ik] = sumQs[ik] + q;
        qdiags[ik * d + id] = Math.exp(q);
      }
    }

    double slse = 0;
    for (int ix = 0; ix < n; ix++) {
      for (int ik = 0; ik < k; ik++) {
        // subtract
        for (int id = 0; id < d; id++) {
          xcentered[id] = x[ix * d + id] - means[ik * d + id];
        }
        // Qtimesx
        for (int id = 0; id < d; id++) {
          qxcentered[id] = qdiags[ik * d + id] * xcentered[id];
        }
        int lparamsidx = 0;
        for (int i = 0; i < d; i++) {
          for (int j = i + 1; j < d; j++) {
            qxcentered[j] = qxcentered[j] + icf[ik * icfSz + d + lparamsidx] * xcentered[i];
            lparamsidx++;
          }
        }
        // sqnorm
        double sqsum = 0;
        for (int id = 0; id < d; id++) {
          sqsum = sqsum + qxcentered[id] * qxcentered[id];
        }
        mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * sqsum;
      }
      slse = slse + logsumexp(mainTerm, k);
    }

    double lseAlphas = logsumexp(alphas, k);
    double constant = -n * d * 0.5 * Math.log(2 * Math.PI);
    double err = constant + slse - n * lseAlphas;

    // log_wishart_prior
    int wn = d + wishartM + 1;
    double c = wn * d * (Math.log(wishartGamma) - 0.5 * Math.log(2)) - logGammaDistrib(0.5 * wn, d);
    double out = 0;
    for (int ik = 0; ik < k; ik++) {
      double frobenius = 0;
      for (int id = 0; id < d; id++) {
        frobenius = frobenius + qdiags[ik * d + id] * qdiags[ik * d + id];
      }
      for (int i = d; i < icfSz; i++) {
        frobenius = frobenius + icf[ik * icfSz + i] * icf[ik * icfSz + i];
      }
      out = out + 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumQs[ik];
    }
    return err + out - k * c;
  }

  /** log Σ exp(x[i]) over the first {@code n} entries, shifted by the maximum (ADBench's {@code logsumexp}). */
  @Differentiable
  public static double logsumexp(double[] v, int n) {
    double mx = v[0];
    for (int i = 1; i < n; i++) {
      if (v[i] > mx) {
        mx = v[i];
      }
    }
    double semx = 0;
    for (int i = 0; i < n; i++) {
      semx = semx + Math.exp(v[i] - mx);
    }
    return Math.log(semx) + mx;
  }

  /**
   * log Γ_p(a), the multivariate log-gamma function (ADBench's {@code log_gamma_distrib}). A plain
   * method: {@link #gmm} calls it with ints only, a constant that needs no derivative.
   */
  public static double logGammaDistrib(double a, int p) {
    double out = 0.25 * p * (p - 1) * Math.log(Math.PI);
    for (int j = 1; j <= p; j++) {
      out = out + org.hipparchus.special.Gamma.logGamma(a + 0.5 * (1 - j));
    }
    return out;
  }
}
