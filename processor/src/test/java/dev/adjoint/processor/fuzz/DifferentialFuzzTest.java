package dev.adjoint.processor.fuzz;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.adjoint.processor.fuzz.ProgramGenerator.Feature;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing of the processor: random {@code @Differentiable} programs (see
 * {@link ProgramGenerator} and, for the feature TENSOR, {@link TensorGenerator}) are compiled with
 * the processor, and every generated gradient is checked against the primal's value and against
 * finite differences (see {@link GradientChecker} and {@link TensorChecker}). Failing programs are
 * shrunk, printed, and written to {@code target/fuzz-failures/} in the format of
 * {@code src/test/resources/fuzz/regressions/}.
 *
 * <p>System properties: {@code adjoint.fuzz.count} (programs, 2000), {@code adjoint.fuzz.seed},
 * {@code adjoint.fuzz.features} (subset of MATH,BRANCH,LOOP,ARRAY,CALL,TENSOR; when it is not
 * given, all scalar features with {@code count} programs and TENSOR with
 * {@code adjoint.fuzz.tensorCount} (70) programs; when TENSOR is given, {@code count} tensor
 * programs), {@code adjoint.fuzz.only} (check program #i alone), {@code adjoint.fuzz.batch}
 * (programs per compilation, 100), {@code adjoint.fuzz.threads} (1: two javac runs side by side
 * were slower than one on a 2-core machine; tensor programs always use one), {@code adjoint.fuzz.points}
 * (points per program, 3), {@code adjoint.fuzz.timeoutMillis} (per program, 10000),
 * {@code adjoint.fuzz.shrinkSeconds} (60), {@code adjoint.fuzz.maxShrink} (distinct failures to
 * shrink, 8), and {@code adjoint.fuzz.corrupt} (a factor applied to every analytic partial, to
 * check that the checker catches wrong gradients: {@code -Dadjoint.fuzz.corrupt=1.0001} must fail).
 */
class DifferentialFuzzTest {

  @Test
  void generatedGradientsMatchTheirPrimalsAndFiniteDifferences() {
    FuzzRun.Config all = FuzzRun.Config.fromSystemProperties();
    EnumSet<Feature> scalar = EnumSet.copyOf(all.features());
    scalar.remove(Feature.TENSOR);
    assumeFalse(scalar.isEmpty(), "only TENSOR requested");
    FuzzRun.Config c = all.withFeatures(scalar);
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

  @Test
  void tensorProgramsAndModelsMatchTheirPrimalsAndFiniteDifferences() {
    FuzzRun.Config c = FuzzRun.Config.fromSystemProperties();
    boolean asked = c.features().contains(Feature.TENSOR);
    assumeTrue(asked || System.getProperty("adjoint.fuzz.features") == null, "TENSOR not requested");
    int count = asked ? c.count() : Integer.getInteger("adjoint.fuzz.tensorCount", 70);
    GradientChecker.corruption = Double.parseDouble(System.getProperty("adjoint.fuzz.corrupt", "1"));
    try {
      TensorFuzzRun.Summary s = TensorFuzzRun.run(c, count);
      System.out.println(s.line() + " (seed " + c.seed() + ")");
      if (!s.counts.isEmpty()) {
        String report = TensorFuzzRun.shrinkAndReport(c, s);
        System.out.println(report);
        fail(report);
      }
    } finally {
      GradientChecker.corruption = 1.0;
    }
  }
}
