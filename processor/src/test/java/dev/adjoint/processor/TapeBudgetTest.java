package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.adjoint.tape.DoubleStack;
import java.lang.reflect.Method;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code -Aadjoint.tapeBudget}: an unlabelled top-level loop the {@code checkpoint:} label would fit is
 * taped while the tapes stay within the budget and checkpointed past it, with the same gradient, bit for
 * bit, as without the option, below the budget and above it; off by default; a budget that is not a
 * number of bytes is refused at the loop (ADJ247).
 */
class TapeBudgetTest {
  private static final String[] SOURCE = {
      "package tb;",
      "import dev.adjoint.Differentiable;",
      "import dev.adjoint.NoDerivative;",
      "class Steps {",
      "  @Differentiable",
      "  static double run(double[] u0, int first, int steps, @NoDerivative double r) {",
      "    int n = u0.length;",
      "    double[] u = new double[n];",
      "    double[] next = new double[n];",
      "    for (int i = 0; i < n; i++) { // the copy loop",
      "      u[i] = u0[i];",
      "    }",
      "    double energy = 0;",
      "    for (int t = first; t < steps; t++) { // the time loop",
      "      for (int i = 1; i < n - 1; i++) {",
      "        next[i] = u[i] + r * (u[i - 1] - 2 * u[i] + u[i + 1]) + 0.01 * (u[i] - u[i] * u[i] * u[i]);",
      "      }",
      "      for (int i = 1; i < n - 1; i++) {",
      "        u[i] = next[i];",
      "      }",
      "      energy = 0.9 * energy + u[n / 2] * u[n / 2];",
      "    }",
      "    return energy + u[1] * u[n - 2];",
      "  }",
      "}"};

  private static Class<?> plain;
  private static Class<?> small;
  private static Class<?> large;
  private static String smallSource;

  private static Compilation compile(String... options) {
    return javac().withOptions((Object[]) options).withProcessors(new AdjointProcessor())
        .compile(Compile.source("tb.Steps", SOURCE));
  }

  @BeforeAll
  static void compileAll() throws Exception {
    Compilation none = compile();
    assertThat(none).succeededWithoutWarnings();
    assertFalse(Compile.generated(none, "tb.StepsGrad").contains("Revolve"), "off by default");
    plain = Compile.load(none).loadClass("tb.StepsGrad");
    Compilation two = compile("-Aadjoint.tapeBudget=2K");
    assertThat(two).succeededWithoutWarnings();
    smallSource = Compile.generated(two, "tb.StepsGrad");
    small = Compile.load(two).loadClass("tb.StepsGrad");
    Compilation gig = compile("-Aadjoint.tapeBudget=1g");
    assertThat(gig).succeededWithoutWarnings();
    large = Compile.load(gig).loadClass("tb.StepsGrad");
  }

  private static double[] start(int n) {
    double[] u0 = new double[n];
    for (int i = 0; i < n; i++) {
      u0[i] = 0.5 * Math.sin(0.3 * i + 0.1);
    }
    return u0;
  }

  private static Object call(Class<?> grad, double[] u0, int first, int steps) throws Exception {
    Method m = grad.getMethod("run", double[].class, int.class, int.class, double.class);
    return m.invoke(null, u0, first, steps, 0.2);
  }

  private static double value(Object record) throws Exception {
    return (double) record.getClass().getMethod("value").invoke(record);
  }

  private static double[] gradient(Object record) throws Exception {
    return (double[]) record.getClass().getMethod("u0").invoke(record);
  }

  @Test
  void theGeneratedCodeChecksTheTapesAgainstTheBudget() {
    assertTrue(smallSource.contains("doubleTape.size() * 8L <= 2048L"), smallSource);
    assertTrue(smallSource.contains("Revolve schedule = Revolve.schedule(tapedTo, steps, 0);"), smallSource);
  }

  @Test
  void theSameGradientBitForBitBelowAndAboveTheBudget() throws Exception {
    for (int steps : new int[] {0, 1, 2, 3, 10, 17, 40, 100, 257}) {
      for (int first : new int[] {0, 3}) {
        double[] u0 = start(12);
        Object whole = call(plain, u0, first, steps);
        for (Class<?> budgeted : new Class<?>[] {small, large}) {
          Object b = call(budgeted, u0, first, steps);
          assertEquals(value(whole), value(b), 0.0);
          assertArrayEquals(gradient(whole), gradient(b), 0.0, "steps " + steps + " from " + first);
        }
      }
    }
  }

  /**
   * The room of the tape the gradient released (the pool hands it back): its high-water mark. On a
   * thread of its own, whose pool holds no tape of an earlier test.
   */
  private static long tapeRoom(Class<?> grad, int n, int steps) throws Exception {
    long[] room = {-1};
    Exception[] failed = {null};
    Thread fresh = new Thread(() -> {
      try {
        call(grad, start(n), 0, steps);
        DoubleStack tape = DoubleStack.acquire();
        room[0] = tape.capacity();
        tape.release();
      } catch (Exception e) {
        failed[0] = e;
      }
    });
    fresh.start();
    fresh.join();
    if (failed[0] != null) {
      throw failed[0];
    }
    return room[0];
  }

  @Test
  void theTapeStopsAtTheBudgetAndGrowsWholeBelowIt() throws Exception {
    int n = 200;
    int steps = 5_000;
    long whole = (long) steps * (n - 2); // u[i] per inner cell and step
    long small = tapeRoom(TapeBudgetTest.small, n, steps);
    // 2 KB of tape (256 doubles), then one iteration at a time, to the tape's power-of-two growth
    assertTrue(small <= 1024, "tape room " + small + " under a 2 KB budget");
    long large = tapeRoom(TapeBudgetTest.large, n, steps);
    assertTrue(large >= whole, "tape room " + large + " under a 1 GB budget, the whole tape " + whole);
  }

  @Test
  void aBudgetThatIsNotANumberOfBytesIsRefusedAtTheLoop() {
    JavaFileObject source = Compile.source("tb.Steps", SOURCE);
    Compilation c = javac().withOptions("-Aadjoint.tapeBudget=lots").withProcessors(new AdjointProcessor())
        .compile(source);
    assertThat(c).hadErrorContaining("[ADJ247] -Aadjoint.tapeBudget=lots is not a number of bytes (like 268435456,"
        + " 256M or 1G), so this loop cannot be checked against it").inFile(source)
        .onLineContaining("// the copy loop"); // the first loop it applies to: one error per method
    assertThat(c).hadErrorCount(1);
  }
}
