package dev.adjoint.corpus;

import dev.adjoint.corpus.Outcome.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Renders the outcomes of the corpus as markdown: per library the counts, the refusals by tag, the top reasons. */
final class CorpusReport {
  private final Map<Library, List<Outcome>> results = new LinkedHashMap<>();
  private final Map<String, Long> seconds = new LinkedHashMap<>();

  /** {@code -Dadjoint.corpus.details=true}: every refusal's diagnostics in full, not only the failures'. */
  private static final boolean DETAILS = Boolean.getBoolean("adjoint.corpus.details");

  private final Map<String, Map<String, Integer>> excluded = new LinkedHashMap<>();

  void add(Library lib, List<Outcome> outcomes, Map<String, Integer> left, long secs) {
    results.put(lib, outcomes);
    excluded.put(lib.name(), left);
    seconds.put(lib.name(), secs);
  }

  Map<Library, List<Outcome>> results() {
    return results;
  }

  /** Differentiated over found, in percent (0 when nothing was found). */
  static double share(List<Outcome> outcomes) {
    long d = outcomes.stream().filter(o -> o.verdict() == Verdict.DIFFERENTIATED).count();
    return outcomes.isEmpty() ? 0 : 100.0 * d / outcomes.size();
  }

  static Map<Verdict, Long> counts(List<Outcome> outcomes) {
    Map<Verdict, Long> c = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      c.put(v, outcomes.stream().filter(o -> o.verdict() == v).count());
    }
    return c;
  }

  String render() {
    StringBuilder s = new StringBuilder("# Adjoint real-world corpus\n\n");
    s.append("Every static method with a double/float result and a double, float, double[] or double[][] parameter,"
        + " annotated @Differentiable one at a time; the library's whole source set run through the processor, the"
        + " generated code compiled against the library's jar, gradients checked against Richardson central"
        + " differences at " + SamplePoints.COUNT + " points (or, for a method defined at none of them, " + SamplePoints.COUNT
        + " larger ones, in (10, 40)).\n\n");
    s.append("| library | found | differentiated | refused | unchecked | uncallable | crash | wrong | bad diagnostic"
        + " | share | seconds |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map.Entry<Library, List<Outcome>> e : results.entrySet()) {
      Map<Verdict, Long> c = counts(e.getValue());
      s.append(String.format("| %s | %d | %d | %d | %d | %d | %d | %d | %d | %.1f%% | %d |%n", e.getKey().name(),
          e.getValue().size(), c.get(Verdict.DIFFERENTIATED), c.get(Verdict.REFUSED), c.get(Verdict.UNCHECKED),
          c.get(Verdict.UNCALLABLE), c.get(Verdict.CRASH), c.get(Verdict.WRONG), c.get(Verdict.BAD_DIAGNOSTIC),
          share(e.getValue()), seconds.get(e.getKey().name())));
    }
    for (Map.Entry<Library, List<Outcome>> e : results.entrySet()) {
      library(s, e.getKey(), e.getValue(), excluded.get(e.getKey().name()));
    }
    return s.toString();
  }

  private static void top(StringBuilder s, String title, List<Outcome> outcomes,
      java.util.function.Function<Outcome, String> key) {
    Map<String, List<Outcome>> reasons = new LinkedHashMap<>();
    for (Outcome o : outcomes) {
      if (o.verdict() == Verdict.REFUSED || o.verdict() == Verdict.UNCHECKED || o.verdict() == Verdict.UNCALLABLE) {
        String k = o.verdict() == Verdict.REFUSED ? key.apply(o) : o.verdict() + ": " + o.reason();
        reasons.computeIfAbsent(k, x -> new ArrayList<>()).add(o);
      }
    }
    List<Map.Entry<String, List<Outcome>>> top = new ArrayList<>(reasons.entrySet());
    top.sort(Comparator.comparing((Map.Entry<String, List<Outcome>> e) -> -e.getValue().size())
        .thenComparing(Map.Entry::getKey));
    s.append(title).append(":\n\n");
    for (Map.Entry<String, List<Outcome>> e : top.subList(0, Math.min(10, top.size()))) {
      s.append("- ").append(e.getValue().size()).append(" × ").append(e.getKey()).append(" — e.g. ")
          .append(e.getValue().get(0).method().id()).append('\n');
    }
    s.append('\n');
  }

  private static void library(StringBuilder s, Library lib, List<Outcome> outcomes, Map<String, Integer> left) {
    s.append("\n## ").append(lib.name()).append("\n\n").append(lib.description()).append(" (")
        .append(lib.sources().size()).append(" source files).\n\n");
    Map<String, Integer> byTag = new TreeMap<>();
    for (Outcome o : outcomes) {
      if (o.verdict() == Verdict.REFUSED) {
        byTag.merge(o.tags().get(0), 1, Integer::sum);
      }
    }
    s.append("Left out (double/float result, not candidates): ").append(left.isEmpty() ? "none" : left.toString())
        .append("\n\n");
    s.append("Refused by (first) tag: ").append(byTag.isEmpty() ? "none" : byTag.toString()).append("\n\n");
    top(s, "Top reasons not differentiated, by diagnostic template (count, reason, example)", outcomes, Outcome::group);
    top(s, "Top first messages (count, message, example)", outcomes, Outcome::reason);
    for (Outcome o : outcomes) {
      if (o.verdict().failure() || DETAILS && o.verdict() == Verdict.REFUSED) {
        s.append("\n**").append(o.verdict()).append("** ").append(o.method().id()).append(" (")
            .append(o.method().file()).append(':').append(o.method().firstLine()).append("): ").append(o.reason())
            .append("\n```\n").append(o.detail().strip()).append("\n```\n");
      }
    }
    s.append("\n<details><summary>every method</summary>\n\n");
    for (Outcome o : outcomes) {
      s.append("- ").append(o.method().id()).append(": ").append(o.verdict())
          .append(o.tags().isEmpty() ? "" : " " + o.tags()).append(o.reason().isEmpty() ? "" : " — " + o.reason())
          .append('\n');
    }
    s.append("\n</details>\n");
  }
}
