package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.Ast.Program;
import dev.adjoint.processor.fuzz.Failure.Category;
import dev.adjoint.processor.fuzz.ProgramGenerator.Feature;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One fuzzing campaign: generates {@code count} programs from a seed (program {@code i} from its
 * own random stream, so any program can be regenerated alone with {@code only}), checks them in
 * batches on a few threads, and shrinks one program per distinct failure.
 */
final class FuzzRun {
  /** Settings; {@link #fromSystemProperties()} reads the {@code adjoint.fuzz.*} properties. */
  record Config(long seed, int count, Set<Feature> features, int batchSize, int threads, int pointsPerProgram,
      long timeoutMillis, int only, int shrinkSeconds, int maxShrink) {

    static final long DEFAULT_SEED = 20250611L;
    static final String ALL = "MATH,BRANCH,LOOP,ARRAY,CALL,LANG";

    static Config fromSystemProperties() {
      return new Config(
          Long.getLong("adjoint.fuzz.seed", DEFAULT_SEED),
          Integer.getInteger("adjoint.fuzz.count", 2000),
          Feature.parse(System.getProperty("adjoint.fuzz.features", ALL)),
          Integer.getInteger("adjoint.fuzz.batch", 100),
          Integer.getInteger("adjoint.fuzz.threads", 1),
          Integer.getInteger("adjoint.fuzz.points", 3),
          Long.getLong("adjoint.fuzz.timeoutMillis", 10_000L),
          Integer.getInteger("adjoint.fuzz.only", -1),
          Integer.getInteger("adjoint.fuzz.shrinkSeconds", 60),
          Integer.getInteger("adjoint.fuzz.maxShrink", 8));
    }

    /** This configuration with other features. */
    Config withFeatures(Set<Feature> fs) {
      return new Config(seed, count, fs, batchSize, threads, pointsPerProgram, timeoutMillis, only, shrinkSeconds,
          maxShrink);
    }

    String featureList() {
      StringJoiner j = new StringJoiner(",");
      features.forEach(f -> j.add(f.name()));
      return j.toString();
    }
  }

  /** A failing program. */
  record Found(int index, Program program, Failure failure) {}

  /**
   * All failures with one signature: how many, the first few program names, and the smallest
   * program (the one to shrink). Memory stays bounded however many programs fail.
   */
  static final class Kind {
    final String signature;
    int count;
    final List<String> names = new ArrayList<>();
    Found smallest;

    Kind(String signature) {
      this.signature = signature;
    }

    void add(Found f) {
      count++;
      if (names.size() < 10) {
        names.add(f.program().name());
      }
      if (smallest == null || Ast.size(f.program()) < Ast.size(smallest.program())) {
        smallest = f;
      }
    }

    void merge(Kind o) {
      count += o.count;
      for (String n : o.names) {
        if (names.size() < 10) {
          names.add(n);
        }
      }
      if (smallest == null || Ast.size(o.smallest.program()) < Ast.size(smallest.program())) {
        smallest = o.smallest;
      }
    }
  }

  /** Totals of a campaign. */
  static final class Summary {
    int programs;
    int pointsChecked;
    int pointsSkipped;
    int coordsChecked;
    int coordsSkipped;
    int mismatches;
    int crashes;
    int invalid;
    int compilations;
    long compileMillis;
    long checkMillis;
    long millis;
    /** Failures by signature, in the order first seen. */
    final Map<String, Kind> failures = new LinkedHashMap<>();

    void add(Found f) {
      failures.computeIfAbsent(f.failure().signature(), Kind::new).add(f);
    }

    String line() {
      return String.format(Locale.ROOT, "fuzz: %d programs, %d points checked, %d skipped, %d mismatches, %d crashes",
          programs, pointsChecked, pointsSkipped, mismatches, crashes);
    }

    String details() {
      Map<String, Integer> bySig = new TreeMap<>();
      failures.forEach((sig, k) -> bySig.put(sig, k.count));
      return String.format(Locale.ROOT, "fuzz: %d partials checked, %d skipped (kinks, branch boundaries, non-finite);"
          + " %d invalid generated programs; %d compilations; %.1f s (compiling %.1f s, checking %.1f s, summed"
          + " over threads)%s", coordsChecked, coordsSkipped, invalid,
          compilations, millis / 1000.0, compileMillis / 1000.0, checkMillis / 1000.0, bySig.isEmpty() ? "" : "; failures by kind: " + bySig);
    }
  }

  private FuzzRun() {}

  static Random programRandom(long seed, int index) {
    return new Random(mix(seed, index, 0x9E3779B97F4A7C15L));
  }

  static Random pointRandom(long seed, int index) {
    return new Random(mix(seed, index, 0xC2B2AE3D27D4EB4FL));
  }

  private static long mix(long seed, int index, long salt) {
    long z = seed * 0xBF58476D1CE4E5B9L + (index + 1) * salt;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static String programName(int index) {
    return "p" + index;
  }

  static Program program(Config c, int index) {
    return new ProgramGenerator(c.features()).generate(programRandom(c.seed(), index), programName(index));
  }

  static List<Point> points(Config c, int index, java.lang.reflect.Method primal) {
    Random r = pointRandom(c.seed(), index);
    List<Point> out = new ArrayList<>();
    for (int k = 0; k < c.pointsPerProgram(); k++) {
      out.add(Point.random(primal, r));
    }
    return out;
  }

  static Summary run(Config c) {
    long start = System.nanoTime();
    List<Integer> indices = new ArrayList<>();
    if (c.only() >= 0) {
      indices.add(c.only());
    } else {
      for (int i = 0; i < c.count(); i++) {
        indices.add(i);
      }
    }
    List<List<Integer>> batches = new ArrayList<>();
    for (int from = 0; from < indices.size(); from += c.batchSize()) {
      batches.add(indices.subList(from, Math.min(indices.size(), from + c.batchSize())));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, c.threads()), r -> {
      Thread t = new Thread(r, "adjoint-fuzz-batch");
      t.setDaemon(true);
      return t;
    });
    Summary s = new Summary();
    try {
      List<Future<Summary>> futures = new ArrayList<>();
      for (int k = 0; k < batches.size(); k++) {
        List<Integer> batch = batches.get(k);
        String cls = "Batch" + k;
        futures.add(pool.submit(() -> runBatch(c, batch, cls)));
      }
      for (Future<Summary> f : futures) {
        Summary b = f.get();
        s.programs += b.programs;
        s.pointsChecked += b.pointsChecked;
        s.pointsSkipped += b.pointsSkipped;
        s.coordsChecked += b.coordsChecked;
        s.coordsSkipped += b.coordsSkipped;
        s.mismatches += b.mismatches;
        s.crashes += b.crashes;
        s.invalid += b.invalid;
        s.compilations += b.compilations;
        s.compileMillis += b.compileMillis;
        s.checkMillis += b.checkMillis;
        b.failures.forEach((sig, k) -> s.failures.merge(sig, k, (x, y) -> {
          x.merge(y);
          return x;
        }));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("fuzz batch failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    s.millis = (System.nanoTime() - start) / 1_000_000;
    return s;
  }

  private static Summary runBatch(Config c, List<Integer> batch, String cls) {
    Summary s = new Summary();
    List<Program> programs = new ArrayList<>();
    Map<String, Integer> indexOf = new HashMap<>();
    for (int i : batch) {
      Program p = program(c, i);
      programs.add(p);
      indexOf.put(p.name(), i);
    }
    try (FuzzHarness h = new FuzzHarness(c.timeoutMillis())) {
      Map<String, FuzzHarness.Result> res = h.run(programs, cls, (p, m) -> points(c, indexOf.get(p.name()), m), false);
      s.compilations = h.compilations;
      s.compileMillis = h.compileNanos / 1_000_000;
      s.checkMillis = h.checkNanos / 1_000_000;
      for (Program p : programs) {
        FuzzHarness.Result r = res.get(p.name());
        s.programs++;
        s.pointsChecked += r.pointsChecked;
        s.pointsSkipped += r.pointsSkipped;
        s.coordsChecked += r.coordsChecked;
        s.coordsSkipped += r.coordsSkipped;
        if (r.failure != null) {
          Category cat = r.failure.category();
          if (cat == Category.INVALID_PROGRAM) {
            s.invalid++;
          } else if (cat.isMismatch()) {
            s.mismatches++;
          } else {
            s.crashes++;
          }
          s.add(new Found(indexOf.get(p.name()), p, r.failure));
        }
      }
    }
    return s;
  }

  // ------------------------------------------------------------------------------------------ report

  static final Path FAILURE_DIR = Paths.get("target", "fuzz-failures");

  /**
   * Shrinks one program per distinct failure (the smallest of its kind, within the time budget),
   * writes each to {@link #FAILURE_DIR} and returns the report listing them all.
   */
  static String shrinkAndReport(Config c, Summary s) {
    Map<String, Kind> bySig = s.failures;
    StringBuilder out = new StringBuilder();
    out.append(s.line()).append('\n').append(s.details()).append('\n');
    out.append(bySig.size()).append(" distinct failure").append(bySig.size() == 1 ? "" : "s")
        .append(" (seed ").append(c.seed()).append(", features ").append(c.featureList()).append("):\n");
    long budgetEnd = System.nanoTime() + c.shrinkSeconds() * 1_000_000_000L;
    int shrunk = 0;
    int n = 0;
    try (FuzzHarness h = new FuzzHarness(2_000)) {
      Shrinker shrinker = new Shrinker(h);
      for (Kind kind : bySig.values()) {
        n++;
        out.append("\n[").append(n).append("] ").append(kind.signature).append(" — ").append(kind.count)
            .append(kind.count == 1 ? " program (" : " programs (").append(String.join(", ", kind.names))
            .append(kind.count > kind.names.size() ? ", ..." : "").append(")\n");
        Found pick = kind.smallest;
        Program program = pick.program();
        Failure failure = pick.failure();
        String how = "not shrunk";
        long now = System.nanoTime();
        if (Shrinker.shrinkable(failure) && shrunk < c.maxShrink() && now < budgetEnd) {
          shrunk++;
          long remainingSignatures = Math.max(1, Math.min(c.maxShrink() - shrunk + 1, bySig.size() - n + 1));
          long deadline = now + (budgetEnd - now) / remainingSignatures;
          Shrinker.Shrunk r = shrinker.shrink(program, failure, deadline);
          how = "shrunk from " + Ast.size(program) + " to " + Ast.size(r.program()) + " nodes (" + r.rounds()
              + " rounds, " + r.compiledCandidates() + " candidates)";
          program = r.program();
          failure = r.failure();
        }
        String cls = "Seed" + Long.toUnsignedString(c.seed()) + "_" + program.name();
        String text = Shrinker.write(FAILURE_DIR, cls, program, failure,
            List.of("from: -Dadjoint.fuzz.seed=" + c.seed() + " -Dadjoint.fuzz.only=" + pick.index()
                + " -Dadjoint.fuzz.features=" + c.featureList()));
        out.append("    ").append(how).append("; written to ").append(FAILURE_DIR.resolve(cls + ".java")).append('\n');
        out.append("    ").append(failure.toString().replace("\n", "\n    ")).append('\n');
        for (String line : text.split("\n")) {
          if (!line.startsWith("//") && !line.startsWith("package") && !line.startsWith("import") && !line.isBlank()) {
            out.append("    | ").append(line).append('\n');
          }
        }
      }
    }
    out.append("\nReproduce one program with -Dadjoint.fuzz.seed=").append(c.seed())
        .append(" -Dadjoint.fuzz.features=").append(c.featureList()).append(" -Dadjoint.fuzz.only=<index>;")
        .append(" a shrunk file can be copied to src/test/resources/fuzz/regressions/ as it is.\n");
    return out.toString();
  }
}
