package dev.adjoint.bench.cost;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * What the processor costs at build time: writes a source tree of {@value #CLASSES} classes × {@value
 * #METHODS_PER_CLASS} {@code @Differentiable} methods (five shapes in rotation: straight-line with Math
 * calls, a loop with a branch over a {@code double[]}, nested loops into a local array over a {@code
 * double[][]}, a {@code while} recurrence, and a loop calling another {@code @Differentiable} method), then
 * compiles it in this JVM with {@link javax.tools.JavaCompiler}, alternately with {@code -proc:none}, with
 * {@code -processor dev.adjoint.processor.AdjointProcessor} (which also compiles the generated {@code Grad}
 * classes), and with {@code -proc:none} on the sources plus the generated {@code Grad} sources (so that the
 * processor's own time and the time javac spends on the code it writes can be told apart). After {@code --warmup} rounds of each (javac warms up like any Java code), it times
 * {@code --rounds} rounds of each and prints the medians and (with − without) / methods.
 *
 * <p>Needs the runtime (annotations, tapes) on the class path it compiles against and the processor with
 * JavaPoet on the processor path: both default to this JVM's class path. Run from the repository root:
 *
 * <pre>mvn -B -q -pl benchmarks -am -DskipTests -Pprocessor-cost verify</pre>
 *
 * Options: {@code --rounds N} (default 10), {@code --warmup N} (default 3), {@code --out DIR} (default a
 * temporary directory), {@code --classpath CP}, {@code --processorpath CP}.
 */
public final class ProcessorCost {
  static final int CLASSES = 20;
  static final int METHODS_PER_CLASS = 10;

  private ProcessorCost() {}

  /** Entry point. */
  public static void main(String[] args) throws IOException {
    int rounds = 10;
    int warmup = 3;
    Path out = null;
    String classpath = System.getProperty("java.class.path");
    String processorpath = classpath;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--classpath" -> classpath = args[++i];
        case "--processorpath" -> processorpath = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (out == null) {
      out = Files.createTempDirectory("adjoint-processor-cost");
    }
    Path src = out.resolve("src");
    List<Path> sources = writeSources(src);
    int methods = CLASSES * METHODS_PER_CLASS;
    long sourceLines = countLines(sources);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no system Java compiler: run on a JDK, not a JRE");
    }
    List<Long> without = new ArrayList<>();
    List<Long> with = new ArrayList<>();
    List<Long> pregenerated = new ArrayList<>();
    long firstWithout = -1;
    long firstWith = -1;
    List<Path> generated = List.of();
    List<Path> both = new ArrayList<>();
    for (int r = 0; r < warmup + rounds; r++) {
      long a = compile(javac, sources, out.resolve("classes-plain"), null, classpath, null);
      long b = compile(javac, sources, out.resolve("classes-ad"), out.resolve("generated"), classpath, processorpath);
      if (r == 0) {
        // keep a copy of the generated sources: the third variant compiles them without the processor
        try (Stream<Path> s = Files.walk(out.resolve("generated"))) {
          Path keep = out.resolve("generated-copy");
          recreate(keep);
          for (Path p : s.filter(p -> p.toString().endsWith(".java")).toList()) {
            Path dest = keep.resolve(p.getFileName().toString());
            Files.copy(p, dest);
          }
          try (Stream<Path> k = Files.list(keep)) {
            generated = k.sorted().toList();
          }
        }
        both.addAll(sources);
        both.addAll(generated);
        firstWithout = a;
        firstWith = b;
      }
      long c = compile(javac, both, out.resolve("classes-pregenerated"), null, classpath, null);
      if (r >= warmup) {
        without.add(a);
        with.add(b);
        pregenerated.add(c);
      }
    }
    long generatedLines = countLines(generated);
    double medWithout = median(without) / 1e6;
    double medWith = median(with) / 1e6;
    double medPre = median(pregenerated) / 1e6;
    System.out.printf(Locale.ROOT, "source tree: %d classes, %d @Differentiable methods, %d lines (%s)%n", CLASSES,
        methods, sourceLines, src);
    System.out.printf(Locale.ROOT, "generated:   %d Grad classes, %d lines%n", generated.size(), generatedLines);
    System.out.printf(Locale.ROOT, "JDK %s, %d warm-up + %d timed rounds of each, in one JVM%n",
        System.getProperty("java.version"), warmup, rounds);
    System.out.printf(Locale.ROOT, "javac -proc:none, sources                               median %8.1f ms  (min %.1f, max %.1f; first, cold: %.1f)%n",
        medWithout, min(without) / 1e6, max(without) / 1e6, firstWithout / 1e6);
    System.out.printf(Locale.ROOT, "javac + AdjointProcessor, sources                       median %8.1f ms  (min %.1f, max %.1f; first, cold: %.1f)%n",
        medWith, min(with) / 1e6, max(with) / 1e6, firstWith / 1e6);
    System.out.printf(Locale.ROOT, "javac -proc:none, sources + the generated Grad sources  median %8.1f ms  (min %.1f, max %.1f)%n",
        medPre, min(pregenerated) / 1e6, max(pregenerated) / 1e6);
    System.out.printf(Locale.ROOT, "processor cost (with - without)  %8.1f ms in all = %.2f ms per method (min-based %.2f; cold %.2f)%n",
        medWith - medWithout, (medWith - medWithout) / methods, (min(with) - min(without)) / 1e6 / methods,
        (firstWith - firstWithout) / 1e6 / methods);
    System.out.printf(Locale.ROOT, "  of which compiling the generated code (pregenerated - without) %.2f ms per method,%n",
        (medPre - medWithout) / methods);
    System.out.printf(Locale.ROOT, "  and the processor itself (with - pregenerated)                 %.2f ms per method%n",
        (medWith - medPre) / methods);
  }

  private static long compile(JavaCompiler javac, List<Path> sources, Path classes, Path generated, String classpath,
      String processorpath) throws IOException {
    recreate(classes);
    List<String> options = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "-cp", classpath,
        "-implicit:none", "-Xlint:none"));
    if (processorpath == null) {
      options.add("-proc:none");
    } else {
      recreate(generated);
      options.addAll(List.of("-processor", "dev.adjoint.processor.AdjointProcessor", "-processorpath", processorpath,
          "-s", generated.toString()));
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter log = new StringWriter();
    long t0;
    long t1;
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
      t0 = System.nanoTime();
      boolean ok = javac.getTask(log, files, diagnostics, options, null, units).call();
      t1 = System.nanoTime();
      if (!ok) {
        StringBuilder sb = new StringBuilder("compilation failed (" + (processorpath == null ? "plain" : "with processor")
            + "):\n" + log);
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
          sb.append(d).append('\n');
        }
        throw new IllegalStateException(sb.toString());
      }
    }
    return t1 - t0;
  }

  /** Writes the source tree; returns the files. */
  static List<Path> writeSources(Path src) throws IOException {
    recreate(src);
    Path pkg = src.resolve("gen/cost");
    Files.createDirectories(pkg);
    List<Path> files = new ArrayList<>();
    for (int c = 0; c < CLASSES; c++) {
      StringBuilder sb = new StringBuilder();
      sb.append("package gen.cost;\n\n")
          .append("import dev.adjoint.Differentiable;\n\n")
          .append("public final class C").append(c).append(" {\n")
          .append("  private C").append(c).append("() {}\n");
      for (int j = 0; j < METHODS_PER_CLASS; j++) {
        sb.append('\n').append(method(c, j));
      }
      sb.append("}\n");
      Path f = pkg.resolve("C" + c + ".java");
      Files.writeString(f, sb.toString());
      files.add(f);
    }
    return files;
  }

  /** Method j of class c: shape j % 5, constants varied so that no two methods are alike. */
  static String method(int c, int j) {
    double k = 1 + 0.01 * (c * METHODS_PER_CLASS + j);
    String kk = String.format(Locale.ROOT, "%.2f", k);
    String name = "m" + j;
    String body = switch (j % 5) {
      case 0 -> """
            @Differentiable
            public static double NAME(double a, double b, double c) {
              double y1 = a * b + Math.sin(c) * KK;
              double y2 = Math.exp(y1 / (1 + b * b)) - Math.log1p(a * a);
              double y3 = y2 * y1 + Math.sqrt(1 + c * c);
              double y4 = Math.tanh(y3 - a) * Math.pow(b, 2) + Math.atan2(a, 1 + c * c);
              return y4 * y4 + y3 / KK;
            }
          """;
      case 1 -> """
            @Differentiable
            public static double NAME(double[] x, double w) {
              double s = 0;
              for (int i = 0; i < x.length; i++) {
                double v = x[i] * w + KK;
                if (v > 0) {
                  s += v * v;
                } else {
                  s -= Math.tanh(v);
                }
              }
              return s;
            }
          """;
      case 2 -> """
            @Differentiable
            public static double NAME(double[] x, double[][] w) {
              double[] h = new double[w.length];
              for (int i = 0; i < w.length; i++) {
                double acc = 0;
                for (int j = 0; j < x.length; j++) {
                  acc += w[i][j] * x[j];
                }
                h[i] = Math.tanh(acc * KK);
              }
              double out = 0;
              for (int i = 0; i < h.length; i++) {
                out += h[i] * h[i];
              }
              return out;
            }
          """;
      case 3 -> """
            @Differentiable
            public static double NAME(double a, double b) {
              double x = a;
              int k = 0;
              while (k < 20) {
                x = x - 0.1 * (x * x * x - b * KK);
                k++;
              }
              return x;
            }
          """;
      default -> """
            @Differentiable
            public static double NAME(double[] x, double a) {
              double s = 0;
              for (double v : x) {
                s += PREV(v, a, KK);
              }
              return s;
            }
          """.replace("PREV", "m" + (j - 4));
    };
    return body.replace("NAME", name).replace("KK", kk);
  }

  private static void recreate(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
  }

  private static long countLines(List<Path> files) {
    long n = 0;
    for (Path p : files) {
      try {
        n += Files.readAllLines(p).size();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return n;
  }

  private static double median(List<Long> xs) {
    long[] a = xs.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0;
  }

  private static long min(List<Long> xs) {
    return xs.stream().mapToLong(Long::longValue).min().orElse(0);
  }

  private static long max(List<Long> xs) {
    return xs.stream().mapToLong(Long::longValue).max().orElse(0);
  }
}
