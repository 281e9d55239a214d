package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loops labelled {@code checkpoint:} (or {@code checkpoint<n>:}): reversed by the binomial schedule from
 * copies of their state, with the same gradient, bit for bit, as the loop taped whole (it runs the same
 * operations in the same order), whatever the number of copies, equal to finite differences, and a tape
 * that holds one iteration; every loop the label cannot apply to is refused at its line (ADJ245), and a
 * label asking for no copy (ADJ246).
 */
class CheckpointTest {
  private static final String[] BODY = {
      "    int n = u0.length;",
      "    double[] u = new double[n];",
      "    double[] next = new double[n];",
      "    for (int i = 0; i < n; i++) {",
      "      u[i] = u0[i];",
      "    }",
      "    double energy = 0;",
      "    int flips = 0;",
      "    double[][] m = new double[2][2];",
      "    %LABEL%for (int t = first; t < steps; t++) {",
      "      for (int i = 0; i < n; i++) {",
      "        double left = i > 0 ? u[i - 1] : 0.0;",
      "        double right = i < n - 1 ? u[i + 1] : 0.0;",
      "        next[i] = u[i] + r * (left - 2 * u[i] + right) + dt * (u[i] - u[i] * u[i] * u[i]);",
      "      }",
      "      for (int i = 0; i < n; i++) {",
      "        u[i] = next[i];",
      "      }",
      "      if (u[0] > energy) {",
      "        flips++;",
      "      }",
      "      int k = 0;",
      "      while (k < n) {",
      "        if (u[k] < -0.4) {",
      "          break;",
      "        }",
      "        energy = energy + 0.001 * u[k];",
      "        k = k + 3;",
      "      }",
      "      for (int j = 0; j < 2; j++) {",
      "        for (int q = 0; q < 2; q++) {",
      "          m[j][q] = 0.5 * m[j][q] + u[j + q] * u[q];",
      "        }",
      "      }",
      "      energy = 0.9 * energy + u[0] * u[0] * (flips % 2 == 0 ? 1 : 0.5);",
      "    }",
      "    double loss = energy + m[0][1] * m[1][0];",
      "    for (int i = 0; i < n; i++) {",
      "      double e = u[i] - target[i];",
      "      loss = loss + e * e;",
      "    }",
      "    return loss;",
      "  }"};

  private static Class<?> grad;
  private static Class<?> primal;

  private static List<String> method(String name, String label) {
    List<String> out = new ArrayList<>();
    out.add("  @Differentiable");
    out.add("  static double " + name + "(double[] u0, @NoDerivative double[] target, int first, int steps,"
        + " @NoDerivative double r, @NoDerivative double dt) {");
    for (String line : BODY) {
      out.add(line.replace("%LABEL%", label));
    }
    return out;
  }

  @BeforeAll
  static void compile() throws Exception {
    List<String> lines = new ArrayList<>(List.of("package ck;", "import dev.adjoint.Differentiable;",
        "import dev.adjoint.NoDerivative;", "class Steps {"));
    lines.addAll(method("taped", ""));
    lines.addAll(method("checkpointed", "checkpoint: "));
    for (int copies : new int[] {1, 2, 3, 5}) {
      lines.addAll(method("checkpointed" + copies, "checkpoint" + copies + ": "));
    }
    lines.add("}");
    Compilation c = Compile.sources(Compile.source("ck.Steps", lines.toArray(String[]::new)));
    assertThat(c).succeededWithoutWarnings();
    ClassLoader loader = Compile.load(c);
    grad = loader.loadClass("ck.StepsGrad");
    primal = loader.loadClass("ck.Steps");
  }

  private static double[] start(int n) {
    double[] u0 = new double[n];
    for (int i = 0; i < n; i++) {
      u0[i] = 0.5 * Math.sin(0.3 * i + 0.1);
    }
    return u0;
  }

  private static double[] target(int n) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = 0.1 * i / n;
    }
    return t;
  }

  private static Object call(String name, double[] u0, int first, int steps) throws Exception {
    Method m = grad.getMethod(name, double[].class, double[].class, int.class, int.class, double.class, double.class);
    return m.invoke(null, u0, target(u0.length), first, steps, 0.2, 0.01);
  }

  private static double component(Object record, String name) throws Exception {
    return ((Number) record.getClass().getMethod(name).invoke(record)).doubleValue();
  }

  private static double[] gradient(Object record) throws Exception {
    return (double[]) record.getClass().getMethod("u0").invoke(record);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 9, 10, 17, 100, 257})
  void theSameGradientBitForBitAsTheWholeTape(int steps) throws Exception {
    for (int first : new int[] {0, 3}) {
      double[] u0 = start(12);
      Object whole = call("taped", u0, first, steps);
      Object stretches = call("checkpointed", u0, first, steps);
      assertEquals(component(whole, "value"), component(stretches, "value"), 0.0);
      assertArrayEquals(gradient(whole), gradient(stretches), 0.0, "steps " + steps + " from " + first);
    }
  }

  @Test
  void equalToFiniteDifferences() throws Exception {
    double[] u0 = start(8);
    double[] g = gradient(call("checkpointed", u0, 0, 50));
    Method f = primal.getDeclaredMethod("checkpointed", double[].class, double[].class, int.class, int.class,
        double.class, double.class);
    f.setAccessible(true);
    for (int i = 0; i < u0.length; i++) {
      double h = 1e-5;
      double[] plus = u0.clone();
      plus[i] += h;
      double[] minus = u0.clone();
      minus[i] -= h;
      double fd = ((double) f.invoke(null, plus, target(8), 0, 50, 0.2, 0.01)
          - (double) f.invoke(null, minus, target(8), 0, 50, 0.2, 0.01)) / (2 * h);
      assertEquals(fd, g[i], 1e-6 * Math.max(1, Math.abs(fd)), "d/du0[" + i + "]");
    }
  }

  @Test
  void theTapeHoldsOneIteration() throws Exception {
    int n = 200;
    int steps = 20_000;
    call("checkpointed", start(n), 0, steps);
    // the pool hands back the tape the gradient just released: its room is its high-water mark (or the
    // room an earlier test's tape had, at most 4096 here)
    dev.adjoint.tape.DoubleStack tape = dev.adjoint.tape.DoubleStack.acquire();
    long room = tape.capacity();
    tape.release();
    long whole = (long) steps * n; // the whole loop's tape: u, one value per element and step
    assertTrue(room <= Math.max(4096, 4 * n), "tape room " + room + " for a whole tape of " + whole);
    assertTrue(room >= n, "tape room " + room + " below one iteration");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5})
  void fewCopiesGiveTheSameGradientBitForBit(int copies) throws Exception {
    Method m = grad.getMethod("checkpointed" + copies, double[].class, double[].class, int.class, int.class,
        double.class, double.class);
    for (int steps : new int[] {0, 1, 2, 3, 7, 31, 100, 257}) {
      double[] u0 = start(12);
      Object whole = call("taped", u0, 3, steps);
      Object few = m.invoke(null, u0, target(u0.length), 3, steps, 0.2, 0.01);
      assertEquals(component(whole, "value"), component(few, "value"), 0.0);
      assertArrayEquals(gradient(whole), gradient(few), 0.0, "steps " + steps + " with " + copies + " copies");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Refusals

  private static void refused(String message, String marker, String... body) {
    List<String> lines = new ArrayList<>(List.of("package ck;", "import dev.adjoint.Differentiable;", "class R {",
        "  @Differentiable", "  static double f(double[] a, int n) {"));
    lines.addAll(List.of(body));
    lines.add("  }");
    lines.add("}");
    JavaFileObject source = Compile.source("ck.R", lines.toArray(String[]::new));
    Compilation c = Compile.sources(source);
    assertThat(c).hadErrorContaining("[ADJ245] the loop labelled checkpoint: " + message).inFile(source)
        .onLineContaining(marker);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void aNestedLoopIsRefused() {
    refused("is inside another statement", "for (int t = 0; t < n; t++)",
        "    double s = 0;",
        "    for (int k = 0; k < 2; k++) {",
        "      checkpoint:",
        "      for (int t = 0; t < n; t++) {",
        "        s = s * a[0] + 1;",
        "      }",
        "    }",
        "    return s;");
  }

  @Test
  void aWhileLoopIsRefused() {
    refused("is not of the form for (int t = a; t < b; t++)", "while (s < 10)",
        "    double s = a[0];",
        "    checkpoint:",
        "    while (s < 10) {",
        "      s = s * 2 + 1;",
        "    }",
        "    return s;");
  }

  @Test
  void aLoopLeftByBreakIsRefused() {
    refused("is left otherwise than through its condition", "for (int t = 0; t < n; t++)",
        "    double s = a[0];",
        "    checkpoint:",
        "    for (int t = 0; t < n; t++) {",
        "      s = s * a[1];",
        "      if (s > 10) {",
        "        break;",
        "      }",
        "    }",
        "    return s;");
  }

  @Test
  void stateThatCannotBeCopiedIsRefused() {
    refused("changes g, of type float, which cannot be copied", "for (int t = 0; t < n; t++)",
        "    float g = 1;",
        "    double s = a[0];",
        "    checkpoint:",
        "    for (int t = 0; t < n; t++) {",
        "      g = g * 0.5f;",
        "      s = s * a[1] + g;",
        "    }",
        "    return s;");
  }

  @Test
  void aLabelAskingForNoCopyIsRefused() {
    List<String> lines = List.of("package ck;", "import dev.adjoint.Differentiable;", "class R {",
        "  @Differentiable", "  static double f(double[] a, int n) {",
        "    double s = a[0];",
        "    checkpoint0:",
        "    for (int t = 0; t < n; t++) { // the loop",
        "      s = s * a[1];",
        "    }",
        "    return s;",
        "  }",
        "}");
    theOnlyErrorIsAtTheLoop(lines, "[ADJ246] the label checkpoint0: asks for 0 copies of the loop's state;"
        + " write checkpoint<n>: with n from 1 to 1000000");
  }

  /** Compiles {@code lines} (class ck.R): one error, {@code message}, at the line marked "// the loop". */
  private static void theOnlyErrorIsAtTheLoop(List<String> lines, String message) {
    JavaFileObject source = Compile.source("ck.R", lines.toArray(String[]::new));
    Compilation c = Compile.sources(source);
    assertThat(c).hadErrorContaining(message).inFile(source).onLineContaining("// the loop");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void aLoopLeftByBreakingItsNumberedLabelIsRefused() {
    List<String> lines = List.of("package ck;", "import dev.adjoint.Differentiable;", "class R {",
        "  @Differentiable", "  static double f(double[] a, int n) {",
        "    double s = a[0];",
        "    checkpoint4:",
        "    for (int t = 0; t < n; t++) { // the loop",
        "      for (int k = 0; k < 2; k++) {",
        "        s = s * a[1];",
        "        if (s > 10) {",
        "          break checkpoint4;",
        "        }",
        "      }",
        "    }",
        "    return s;",
        "  }",
        "}");
    theOnlyErrorIsAtTheLoop(lines, "[ADJ245] the loop labelled checkpoint: is left otherwise than through its"
        + " condition");
  }

  @Test
  void aBoundTheLoopChangesIsRefused() {
    refused("changes m, which its bounds read", "for (int t = 0; t < m; t++)",
        "    int m = n;",
        "    double s = a[0];",
        "    checkpoint:",
        "    for (int t = 0; t < m; t++) {",
        "      s = s * a[1];",
        "      m = m - 1;",
        "    }",
        "    return s;");
  }
}
