package dev.adjoint.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.processor.fuzz.Ast.Program;
import dev.adjoint.processor.fuzz.ProgramGenerator.Feature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the fuzzer, not the processor: generated programs, with every feature, must be valid Java
 * (compiled here without the processor) and their primals must terminate with a finite, bounded
 * value at random points. {@code adjoint.fuzz.validateCount} sets the number of programs per
 * feature set (100).
 */
class GeneratedProgramsAreValidTest {

  @ParameterizedTest
  @ValueSource(strings = {"MATH", "MATH,BRANCH", "MATH,LOOP", "MATH,ARRAY", "MATH,CALL", "MATH,BRANCH,LOOP,ARRAY,CALL",
      "BRANCH,LOOP,ARRAY,CALL"})
  void programsCompileWithoutTheProcessorAndRun(String features) {
    int count = Integer.getInteger("adjoint.fuzz.validateCount", 100);
    long seed = Long.getLong("adjoint.fuzz.seed", FuzzRun.Config.DEFAULT_SEED) + features.hashCode();
    Set<Feature> fs = Feature.parse(features);
    FuzzRun.Config c = new FuzzRun.Config(seed, count, fs, 100, 1, 3, 10_000, -1, 0, 0);
    int checked = 0;
    List<String> problems = new ArrayList<>();
    try (FuzzHarness h = new FuzzHarness(10_000)) {
      for (int from = 0; from < count; from += 100) {
        List<Program> batch = new ArrayList<>();
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = from; i < Math.min(count, from + 100); i++) {
          Program p = FuzzRun.program(c, i);
          batch.add(p);
          indexOf.put(p.name(), i);
        }
        Map<String, FuzzHarness.Result> res = h.validate(batch, "Valid" + from,
            (p, m) -> FuzzRun.points(c, indexOf.get(p.name()), m));
        for (Program p : batch) {
          FuzzHarness.Result r = res.get(p.name());
          checked += r.pointsChecked;
          if (r.failure != null) {
            problems.add(r.failure + "\n" + FuzzHarness.render("Valid", List.of(p)).text());
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " invalid programs (features " + features + ", seed " + seed + "):\n"
          + String.join("\n", problems.subList(0, Math.min(5, problems.size()))));
    }
    assertTrue(checked > 0);
    System.out.println("fuzz validity [" + features + "]: " + count + " programs valid, " + checked + " primal evaluations");
  }
}
