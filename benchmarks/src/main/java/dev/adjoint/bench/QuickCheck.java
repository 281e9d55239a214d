package dev.adjoint.bench;

import ai.djl.ndarray.NDManager;
import dev.adjoint.bench.Cases.Case;
import dev.adjoint.bench.Cases.Result;
import dev.adjoint.bench.kernels.Djl;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs every benchmark instance once through every engine and prints the gradient's largest entry and each
 * engine's largest difference from the generated gradient (relative to that entry), plus the wall time of
 * that one call: a readable version of the smoke test, not a benchmark. ND4J runs on the MLP only, Hipparchus
 * on every kernel but the MLP.
 *
 * <pre>java -Dai.djl.offline=true -cp benchmarks/target/benchmarks.jar dev.adjoint.bench.QuickCheck</pre>
 */
public final class QuickCheck {
  private QuickCheck() {}

  /** Entry point. */
  public static void main(String[] args) {
    try (NDManager manager = Djl.newManager()) {
      System.out.println("DJL engine: " + Djl.version());
      System.out.printf(Locale.ROOT, "%-32s %6s %12s %10s %10s %10s %10s %10s%n", "case", "inputs", "max|g|", "hand",
          "DJL", "ND4J", "Hipp.", "fwd chunk");
      for (Case c : Cases.all()) {
        long t0 = System.nanoTime();
        Result gen = c.generated();
        long t1 = System.nanoTime();
        Result hand = c.hand();
        Result djl = c.djl(manager);
        Optional<Result> nd4j = c.sameDiff();
        int width = Math.min(c.inputs(), 16);
        Result fwd = c.forwardMode() ? c.hipparchus(0, width) : null;
        double scale = diff(gen.gradient(), 0, new double[gen.gradient().length]); // max |g|
        System.out.printf(Locale.ROOT, "%-32s %6d %12.5g %10.2e %10.2e %10s %10s %10s   (generated once: %.1f ms)%n",
            c.name(), c.inputs(), scale, diff(gen.gradient(), 0, hand.gradient()) / scale,
            diff(gen.gradient(), 0, djl.gradient()) / scale,
            nd4j.map(r -> String.format(Locale.ROOT, "%.2e", diff(gen.gradient(), 0, r.gradient()) / scale)).orElse("—"),
            fwd == null ? "n/a" : String.format(Locale.ROOT, "%.2e", diff(gen.gradient(), 0, fwd.gradient()) / scale),
            fwd == null ? "—" : "[0," + width + ")", (t1 - t0) / 1e6);
      }
    }
  }

  private static double diff(double[] ref, int offset, double[] other) {
    double worst = 0;
    for (int i = 0; i < other.length; i++) {
      worst = Math.max(worst, Math.abs(ref[offset + i] - other[i]));
    }
    return worst;
  }
}
