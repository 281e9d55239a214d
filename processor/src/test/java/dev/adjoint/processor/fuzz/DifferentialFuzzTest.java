package dev.adjoint.processor.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing of the processor: random {@code @Differentiable} programs (see
 * {@link ProgramGenerator}) are compiled with the processor, and every generated gradient is
 * checked against the primal's value and against finite differences (see {@link GradientChecker}).
 * Failing programs are shrunk, printed, and written to {@code target/fuzz-failures/} in the
 * format of {@code src/test/resources/fuzz/regressions/}.
 *
 * <p>System properties: {@code adjoint.fuzz.count} (programs, 2000), {@code adjoint.fuzz.seed},
 * {@code adjoint.fuzz.features} (subset of MATH,BRANCH,LOOP,ARRAY,CALL; all by default),
 * {@code adjoint.fuzz.only} (check program #i alone), {@code adjoint.fuzz.batch} (programs per
 * compilation, 100), {@code adjoint.fuzz.threads} (1: two javac runs side by side were slower than
 * one on a 2-core machine), {@code adjoint.fuzz.points} (points per
 * program, 3), {@code adjoint.fuzz.timeoutMillis} (per program, 10000), {@code adjoint.fuzz.shrinkSeconds}
 * (60), {@code adjoint.fuzz.maxShrink} (distinct failures to shrink, 8), and
 * {@code adjoint.fuzz.corrupt} (a factor applied to every analytic partial, to check that the
 * checker catches wrong gradients: {@code -Dadjoint.fuzz.corrupt=1.0001} must fail).
 */
class DifferentialFuzzTest {

  @Test
  void generatedGradientsMatchTheirPrimalsAndFiniteDifferences() {
    FuzzRun.Config c = FuzzRun.Config.fromSystemProperties();
    GradientChecker.corruption = Double.parseDouble(System.getProperty("adjoint.fuzz.corrupt", "1"));
    try {
      FuzzRun.Summary s = FuzzRun.run(c);
      System.out.println(s.line());
      System.out.println(s.details() + " (seed " + c.seed() + ", features " + c.featureList() + ")");
      if (!s.failures.isEmpty()) {
        String report = FuzzRun.shrinkAndReport(c, s);
        System.out.println(report);
        fail(report);
      }
    } finally {
      GradientChecker.corruption = 1.0;
    }
  }
}
