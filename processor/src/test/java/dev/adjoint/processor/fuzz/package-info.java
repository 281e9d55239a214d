/**
 * Differential fuzzing of the Adjoint processor.
 *
 * <p>{@link dev.adjoint.processor.fuzz.ProgramGenerator} writes random, valid, bounded
 * {@code @Differentiable} methods over the features MATH, BRANCH, LOOP, ARRAY and CALL;
 * {@link dev.adjoint.processor.fuzz.FuzzHarness} compiles them about 100 to a class with the
 * processor, loads the classes from memory and checks each generated gradient against its primal
 * (value) and against Richardson-extrapolated central differences (every partial, every array
 * element) with {@link dev.adjoint.processor.fuzz.GradientChecker};
 * {@link dev.adjoint.processor.fuzz.Shrinker} reduces a failing program to a small one.
 *
 * <p>The feature TENSOR has its own pipeline: {@link dev.adjoint.processor.fuzz.TensorGenerator}
 * writes tensor programs and models ({@link dev.adjoint.processor.fuzz.TensorAst}), each with a
 * {@code fuzzArgs(Random)} that builds its arguments from a seed;
 * {@link dev.adjoint.processor.fuzz.TensorHarness} compiles them in batches and
 * {@link dev.adjoint.processor.fuzz.TensorChecker} checks the value bit for bit and every element
 * of every tensor gradient and model parameter {@code grad()} against the same finite differences;
 * {@link dev.adjoint.processor.fuzz.TensorShrinker} reduces failures and
 * {@link dev.adjoint.processor.fuzz.TensorFuzzRun} runs a campaign.
 *
 * <p>Tests:
 * <ul>
 *   <li>{@code DifferentialFuzzTest}: the campaigns. {@code mvn -o -B -pl processor test
 *       -Dtest=DifferentialFuzzTest -Dadjoint.fuzz.features=MATH -Dadjoint.fuzz.count=2000
 *       -Dadjoint.fuzz.seed=1}; {@code -Dadjoint.fuzz.only=17} re-runs program 17 of that seed;
 *       {@code -Dadjoint.fuzz.features=TENSOR} runs tensor programs only (without the property:
 *       the scalar features, and 70 tensor programs).
 *       Failures are shrunk and written to {@code processor/target/fuzz-failures/}.
 *   <li>{@code FuzzRegressionTest}: every {@code src/test/resources/fuzz/regressions/*.java} (a
 *       shrunk failure file can be copied there as it is; the format is described in the test).
 *   <li>{@code GeneratedTensorProgramsAreValidTest}, {@code TensorCheckerSelfTest}: the same two
 *       checks for the tensor generator and checker.
 *   <li>{@code GeneratedProgramsAreValidTest}: the generator's own check — programs with every
 *       feature compile without the processor and run to a finite, bounded value.
 *   <li>{@code GradientCheckerSelfTest}: the checker catches wrong values, partials and shapes,
 *       exceptions and hangs, and skips kinks.
 * </ul>
 */
package dev.adjoint.processor.fuzz;
