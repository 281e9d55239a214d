package dev.adjoint.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code src/test/resources/fuzz/regressions/*.java} through the fuzzer's checks. Each
 * file is the complete source of one class {@code <file name>} (any package) with
 * {@code @Differentiable} methods; it must compile with the processor without errors. Evaluation
 * points are given by comment lines
 *
 * <pre>
 * // check: method a=0.3 n=3 x={1.0, 2.0, 3.0} w={{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}
 * </pre>
 *
 * naming the method and a value for every parameter (see {@link Point}); a method without a check
 * line is checked at 3 random points (doubles in [-2, 2], ints in [0, 5], arrays of length 3 to 5,
 * from a seed derived from the file and method names). At an explicit point the check must not be
 * skipped (the point must not sit on a kink or branch boundary). The files written by
 * {@link DifferentialFuzzTest} to {@code target/fuzz-failures/} have this format.
 *
 * <p>A tensor program (a file with {@code static Object[] fuzzArgs(Random r)}, as the
 * TENSOR feature writes them) is checked with {@link TensorChecker} at the seeds of its lines
 *
 * <pre>
 * // tensor-check: method seed=123
 * </pre>
 *
 * (the arguments, and the model for an instance method, are {@code fuzzArgs(new Random(seed))});
 * it needs at least one such line. A line {@code // options: -Aadjoint.tapeBudget=64} adds processor
 * options to the compilation. {@code -Dadjoint.fuzz.regressions=<folder>} runs another folder
 * of such files (shrunk failures of a campaign, say).
 */
class FuzzRegressionTest {
  private static final Pattern CHECK = Pattern.compile("^\\s*//\\s*check:\\s*(\\w+)\\s*(.*)$");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
  private static final Pattern TENSOR_CHECK = Pattern.compile("^\\s*//\\s*tensor-check:\\s*(\\w+)\\s+seed=(-?\\d+)\\s*$");
  private static final Pattern NO_DERIVATIVE = Pattern.compile("@NoDerivative\\s+\\w+\\s+(\\w+)");

  @TestFactory
  Stream<DynamicTest> regressionFilesPass() throws IOException, URISyntaxException {
    String dir = System.getProperty("adjoint.fuzz.regressions", "fuzz/regressions");
    URL url = FuzzRegressionTest.class.getClassLoader().getResource(dir);
    if (url == null) {
      throw new AssertionError("no test resource directory " + dir);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(Paths.get(url.toURI()))) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no regression files in " + url);
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
  }

  private static void check(Path file) throws Exception {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String cls = file.getFileName().toString().replaceFirst("\\.java$", "");
    Matcher pm = PACKAGE.matcher(text);
    String qualified = pm.find() ? pm.group(1) + "." + cls : cls;
    Compilation c = FuzzHarness.compile(qualified, text, true);
    if (c.status() != Compilation.Status.SUCCESS) {
      StringBuilder sb = new StringBuilder(file.getFileName() + " does not compile with the processor:");
      for (Diagnostic<?> d : c.errors()) {
        sb.append("\n  line ").append(d.getLineNumber()).append(": ").append(d.getMessage(null));
      }
      fail(sb.toString());
    }
    ClassLoader loader = FuzzHarness.load(c);
    Class<?> primal = loader.loadClass(qualified);
    Class<?> grad = loader.loadClass(qualified + "Grad");
    if (text.contains("static Object[] fuzzArgs(Random")) {
      checkTensorProgram(file, text, primal, grad);
      return;
    }

    Map<String, List<String>> checks = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = CHECK.matcher(line);
      if (m.find()) {
        checks.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2).trim());
      }
    }
    List<String> methods = new ArrayList<>();
    for (Method m : grad.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()) && m.getReturnType().isRecord()) {
        methods.add(m.getName());
      }
    }
    // mVjp(…, seed) is what m(…) runs with the seed 1, and helper calls run it with their adjoint:
    // the check of m covers it
    methods.removeIf(n -> n.endsWith("Vjp") && methods.contains(n.substring(0, n.length() - 3)));
    // mJvp and mHvp are checked along a direction with m (DirectionalChecker)
    methods.removeIf(n -> (n.endsWith("Jvp") || n.endsWith("Hvp"))
        && methods.contains(n.substring(0, n.length() - 3)));
    methods.sort(null);
    for (String name : checks.keySet()) {
      if (!methods.contains(name)) {
        fail(file.getFileName() + ": check line for '" + name + "', which has no generated gradient; gradients: " + methods);
      }
    }
    List<String> problems = new ArrayList<>();
    int checked = 0;
    try (FuzzHarness h = new FuzzHarness(10_000)) {
      for (String name : methods) {
        List<String> explicit = checks.getOrDefault(name, List.of());
        FuzzHarness.Result r = h.check(primal, grad, name, m -> {
          List<Point> pts = new ArrayList<>();
          if (explicit.isEmpty()) {
            Random rnd = new Random(cls.hashCode() * 31L + name.hashCode());
            for (int k = 0; k < 3; k++) {
              pts.add(Point.random(m, rnd));
            }
          } else {
            for (String s : explicit) {
              pts.add(Point.parse(s, m));
            }
          }
          return pts;
        }, false);
        checked += r.pointsChecked;
        if (r.failure != null) {
          problems.add(name + ": " + r.failure);
        } else if (!explicit.isEmpty() && r.pointsSkipped > 0) {
          problems.add(name + ": " + r.pointsSkipped + " of the explicit points were skipped (kink or branch"
              + " boundary, or non-finite values): move them");
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(file.getFileName() + ":\n  " + String.join("\n  ", problems));
    }
    System.out.println("fuzz regression " + file.getFileName() + ": " + methods.size() + " methods, " + checked
        + " points checked");
  }

  private static void checkTensorProgram(Path file, String text, Class<?> primal, Class<?> grad) {
    Map<String, List<Long>> seeds = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = TENSOR_CHECK.matcher(line);
      if (m.find()) {
        seeds.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Long.parseLong(m.group(2)));
      }
    }
    if (seeds.isEmpty()) {
      fail(file.getFileName() + ": a tensor program needs '// tensor-check: method seed=N' lines");
    }
    java.util.Set<String> constants = new java.util.HashSet<>();
    Matcher nd = NO_DERIVATIVE.matcher(text);
    while (nd.find()) {
      constants.add(nd.group(1));
    }
    List<String> problems = new ArrayList<>();
    int checked = 0;
    try (TensorHarness h = new TensorHarness(10_000)) {
      for (Map.Entry<String, List<Long>> e : seeds.entrySet()) {
        FuzzHarness.Result r = h.check(primal, grad, e.getKey(), constants, e.getValue());
        checked += r.pointsChecked;
        if (r.failure != null) {
          problems.add(e.getKey() + ": " + r.failure);
        } else if (r.pointsSkipped > 0) {
          problems.add(e.getKey() + ": " + r.pointsSkipped + " of the seeds were skipped (every partial at a kink or"
              + " branch boundary, or non-finite values): choose others");
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(file.getFileName() + ":\n  " + String.join("\n  ", problems));
    }
    System.out.println("fuzz regression " + file.getFileName() + ": " + seeds.size() + " tensor methods, " + checked
        + " points checked");
  }
}
