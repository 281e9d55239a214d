package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.Failure.Category;
import dev.adjoint.processor.fuzz.TensorAst.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A campaign of tensor programs (feature TENSOR): program {@code i} of a seed is generated from
 * its own random stream (so {@code only} regenerates it alone) and checked at
 * {@code pointsPerProgram} seeds, in batches on one thread; one program per distinct failure is
 * shrunk and written to {@link FuzzRun#FAILURE_DIR}.
 */
final class TensorFuzzRun {
  private TensorFuzzRun() {}

  /** A failing program. */
  record Found(int index, Program program, Failure failure) {}

  /** Totals of a campaign, and the smallest failing program of each signature. */
  static final class Summary {
    final FuzzRun.Summary totals = new FuzzRun.Summary();
    final Map<String, Integer> counts = new LinkedHashMap<>();
    final Map<String, Found> smallest = new LinkedHashMap<>();
    final Map<String, List<String>> names = new HashMap<>();

    void add(Found f) {
      String sig = f.failure().signature();
      counts.merge(sig, 1, Integer::sum);
      List<String> ns = names.computeIfAbsent(sig, k -> new ArrayList<>());
      if (ns.size() < 10) {
        ns.add(f.program().name());
      }
      Found s = smallest.get(sig);
      if (s == null || TensorAst.size(f.program()) < TensorAst.size(s.program())) {
        smallest.put(sig, f);
      }
    }

    String line() {
      FuzzRun.Summary t = totals;
      return String.format(Locale.ROOT, "tensor fuzz: %d programs, %d points checked, %d skipped, %d partials checked,"
          + " %d skipped (kinks, branch boundaries, non-finite), %d mismatches, %d crashes, %d invalid generated"
          + " programs; %d compilations, %.1f s (compiling %.1f s, checking %.1f s)%s", t.programs, t.pointsChecked,
          t.pointsSkipped, t.coordsChecked, t.coordsSkipped, t.mismatches, t.crashes, t.invalid, t.compilations,
          t.millis / 1000.0, t.compileMillis / 1000.0, t.checkMillis / 1000.0,
          counts.isEmpty() ? "" : "; failures by kind: " + counts);
    }
  }

  static Program program(long seed, int index) {
    return new TensorGenerator().generate(FuzzRun.programRandom(seed, index), "t" + index);
  }

  static List<Long> seeds(FuzzRun.Config c, int index) {
    Random r = FuzzRun.pointRandom(c.seed(), index);
    List<Long> out = new ArrayList<>();
    for (int k = 0; k < c.pointsPerProgram(); k++) {
      out.add(r.nextLong() & 0xFFFFFFFFL);
    }
    return out;
  }

  static Summary run(FuzzRun.Config c, int count) {
    long start = System.nanoTime();
    List<Integer> indices = new ArrayList<>();
    if (c.only() >= 0) {
      indices.add(c.only());
    } else {
      for (int i = 0; i < count; i++) {
        indices.add(i);
      }
    }
    Summary s = new Summary();
    FuzzRun.Summary t = s.totals;
    try (TensorHarness h = new TensorHarness(c.timeoutMillis())) {
      for (int from = 0; from < indices.size(); from += c.batchSize()) {
        List<Program> programs = new ArrayList<>();
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i : indices.subList(from, Math.min(indices.size(), from + c.batchSize()))) {
          Program p = program(c.seed(), i);
          programs.add(p);
          indexOf.put(p.name(), i);
        }
        Map<String, FuzzHarness.Result> res = h.run(programs, p -> seeds(c, indexOf.get(p.name())), false);
        for (Program p : programs) {
          FuzzHarness.Result r = res.get(p.name());
          t.programs++;
          t.pointsChecked += r.pointsChecked;
          t.pointsSkipped += r.pointsSkipped;
          t.coordsChecked += r.coordsChecked;
          t.coordsSkipped += r.coordsSkipped;
          if (r.failure != null) {
            Category cat = r.failure.category();
            if (cat == Category.INVALID_PROGRAM) {
              t.invalid++;
            } else if (cat.isMismatch()) {
              t.mismatches++;
            } else {
              t.crashes++;
            }
            s.add(new Found(indexOf.get(p.name()), p, r.failure));
          }
        }
      }
      t.compilations = h.harness.compilations;
      t.compileMillis = h.harness.compileNanos / 1_000_000;
      t.checkMillis = h.harness.checkNanos / 1_000_000;
    }
    t.millis = (System.nanoTime() - start) / 1_000_000;
    return s;
  }

  /** Shrinks the smallest program of each failure kind (within the budget), writes it, and reports all. */
  static String shrinkAndReport(FuzzRun.Config c, Summary s) {
    StringBuilder out = new StringBuilder(s.line()).append('\n');
    out.append(s.counts.size()).append(" distinct failure").append(s.counts.size() == 1 ? "" : "s")
        .append(" (seed ").append(c.seed()).append(", feature TENSOR):\n");
    long budgetEnd = System.nanoTime() + c.shrinkSeconds() * 1_000_000_000L;
    int n = 0;
    int shrunk = 0;
    try (TensorHarness h = new TensorHarness(2_000)) {
      TensorShrinker shrinker = new TensorShrinker(h);
      for (Map.Entry<String, Found> e : s.smallest.entrySet()) {
        n++;
        String sig = e.getKey();
        Found pick = e.getValue();
        out.append("\n[").append(n).append("] ").append(sig).append(" — ").append(s.counts.get(sig))
            .append(" program(s) (").append(String.join(", ", s.names.get(sig))).append(")\n");
        Program program = pick.program();
        Failure failure = pick.failure();
        String how = "not shrunk";
        long now = System.nanoTime();
        if (TensorShrinker.shrinkable(failure) && shrunk < c.maxShrink() && now < budgetEnd) {
          shrunk++;
          long left = Math.max(1, Math.min(c.maxShrink() - shrunk + 1, s.smallest.size() - n + 1));
          TensorShrinker.Shrunk r = shrinker.shrink(program, failure, now + (budgetEnd - now) / left);
          how = "shrunk from " + TensorAst.size(program) + " to " + TensorAst.size(r.program()) + " nodes ("
              + r.rounds() + " rounds, " + r.compiledCandidates() + " candidates)";
          program = r.program();
          failure = r.failure();
        }
        String cls = "Seed" + Long.toUnsignedString(c.seed()) + "_" + program.name();
        String text = TensorShrinker.write(FuzzRun.FAILURE_DIR, cls, program, failure,
            List.of("from: -Dadjoint.fuzz.seed=" + c.seed() + " -Dadjoint.fuzz.only=" + pick.index()
                + " -Dadjoint.fuzz.features=TENSOR"));
        out.append("    ").append(how).append("; written to ").append(FuzzRun.FAILURE_DIR.resolve(cls + ".java"))
            .append('\n');
        out.append("    ").append(failure.toString().replace("\n", "\n    ")).append('\n');
        for (String line : text.split("\n")) {
          if (!line.startsWith("//") && !line.startsWith("package") && !line.startsWith("import") && !line.isBlank()) {
            out.append("    | ").append(line).append('\n');
          }
        }
      }
    }
    out.append("\nReproduce one program with -Dadjoint.fuzz.seed=").append(c.seed())
        .append(" -Dadjoint.fuzz.features=TENSOR -Dadjoint.fuzz.only=<index>; a shrunk file can be copied to")
        .append(" src/test/resources/fuzz/regressions/ as it is.\n");
    return out.toString();
  }
}
