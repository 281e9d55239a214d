package dev.adjoint.corpus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real-world corpus: published numeric libraries, every static numeric method annotated in turn
 * (see {@link CorpusRunner}). Each must be differentiated correctly or refused with a clean
 * diagnostic at its line; no crash, no wrong gradient. The share differentiated per library must
 * not fall below its floor.
 *
 * <p>System properties: {@code adjoint.corpus.only=<library>} and {@code adjoint.corpus.method=<text>}
 * (a part of the method id, e.g. {@code Erf.value}) narrow the run; {@code adjoint.corpus.reportOnly=true}
 * prints the report without asserting; {@code adjoint.corpus.floor.<library>=<percent>} overrides a floor.
 */
class RealWorldCorpusTest {

  /**
   * Differentiated share (percent of methods found) each library must keep: the measured value,
   * rounded down. Raise them as the processor improves.
   */
  private static final Map<String, Double> FLOORS = Map.of(
      "commons-numbers-gamma", 56.0,
      "finmath-lib", 82.0,
      "jts-core", 84.0);

  /**
   * Methods on which today's processor fails (crash or wrong gradient), by id, with the reason: they
   * are reported, but do not fail the test. Remove an entry when its bug is fixed.
   */
  static final Map<String, String> KNOWN_FAILURES = Map.of();

  @Test
  void everyMethodIsDifferentiatedOrCleanlyRefused() throws IOException {
    Path root = Path.of(System.getProperty("adjoint.corpus.sources", "target/corpus-sources"));
    String only = System.getProperty("adjoint.corpus.only", "");
    String methodFilter = System.getProperty("adjoint.corpus.method", "");
    boolean reportOnly = Boolean.getBoolean("adjoint.corpus.reportOnly");
    int threads = Integer.getInteger("adjoint.corpus.threads", 2);
    CorpusReport report = new CorpusReport();
    for (String name : Library.NAMES) {
      if (!only.isEmpty() && !only.equals(name)) {
        continue;
      }
      long t0 = System.nanoTime();
      Library lib = Library.load(root, name);
      MethodFinder.Found found = MethodFinder.find(lib);
      List<CorpusMethod> chosen = found.candidates().stream()
          .filter(m -> methodFilter.isEmpty() || m.id().contains(methodFilter)).toList();
      List<Outcome> outcomes = ParallelRun.run(lib, chosen, found, threads);
      report.add(lib, outcomes, found.excluded(), (System.nanoTime() - t0) / 1_000_000_000L);
    }
    String text = report.render();
    System.out.println(text);
    Path out = Path.of(System.getProperty("adjoint.corpus.report", "target/corpus-report.md"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, text, StandardCharsets.UTF_8);
    if (reportOnly) {
      return;
    }
    List<String> problems = new ArrayList<>();
    report.results().forEach((lib, outcomes) -> {
      for (Outcome o : outcomes) {
        boolean known = KNOWN_FAILURES.containsKey(o.method().id());
        if (o.verdict().failure() && !known) {
          problems.add(o.verdict() + " " + lib.name() + " " + o.method().id() + ": " + o.reason() + "\n" + o.detail());
        } else if (known && !o.verdict().failure()) {
          problems.add("known failure " + o.method().id() + " is now " + o.verdict()
              + ": remove it from RealWorldCorpusTest.KNOWN_FAILURES (and raise the floor)");
        }
      }
      double floor = Double.parseDouble(System.getProperty("adjoint.corpus.floor." + lib.name(),
          String.valueOf(FLOORS.getOrDefault(lib.name(), 50.0))));
      double share = CorpusReport.share(outcomes);
      if (methodFilter.isEmpty() && share < floor) {
        problems.add(String.format("%s: %.1f%% differentiated, below the floor of %.1f%%", lib.name(), share, floor));
      }
    });
    assertTrue(problems.isEmpty(), problems.size() + " problem(s):\n" + String.join("\n", problems));
  }

}
