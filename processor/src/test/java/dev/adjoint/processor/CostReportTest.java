package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * {@code -Aadjoint.report}: one note per gradient, at its method, with what each loop tapes per
 * iteration (values and bytes), what the reverse sweep recomputes instead, and the processor's time;
 * nothing without the option.
 */
class CostReportTest {
  private static final JavaFileObject SOURCE = Compile.source("cost.Kernels",
      "package cost;",
      "import dev.adjoint.Differentiable;",
      "class Kernels {",
      "  @Differentiable",
      "  static double rosen(double[] x) {",
      "    double s = 0;",
      "    for (int i = 0; i + 1 < x.length; i++) {",
      "      double a = x[i + 1] - x[i] * x[i];",
      "      double b = 1 - x[i];",
      "      s += 100 * a * a + b * b;",
      "    }",
      "    return s;",
      "  }",
      "  @Differentiable",
      "  static double decay(double x, int n) {",
      "    double s = x;",
      "    for (int i = 0; i < n; i++) {",
      "      s = Math.sin(s) * 0.9 + x;",
      "    }",
      "    return s;",
      "  }",
      "  @Differentiable",
      "  static double product(double[] x) {",
      "    double p = 1;",
      "    for (int i = 0; i < x.length; i++) {",
      "      double a = x[i] * x[i];",
      "      p = p * (1 + a);",
      "    }",
      "    return p;",
      "  }",
      "}");

  private static List<String> notes(Compilation c) {
    return c.notes().stream().map(d -> d.getMessage(null)).filter(m -> m.startsWith("adjoint.report")).toList();
  }

  @Test
  void eachGradientGetsANoteWithItsTapesAndRecomputations() {
    Compilation c = javac().withOptions("-Aadjoint.report").withProcessors(new AdjointProcessor()).compile(SOURCE);
    assertThat(c).succeeded();
    List<String> notes = notes(c);
    assertEquals(3, notes.size(), notes::toString);
    String rosen = notes.get(0);
    assertTrue(rosen.startsWith("adjoint.report: Kernels.rosen, built in "), rosen);
    // its iterations meet only in the sum: each is reversed at once, and nothing is recomputed later
    assertTrue(rosen.contains("loop at line 7 `for (int i = 0; i + 1 < x.length; i++)`: reversed iteration by iteration,"
        + " each right after it runs (nothing is kept for the reverse sweep); tapes per iteration, used up by the"
        + " iteration itself, nothing"), rosen);
    assertFalse(rosen.contains("reversing the loop at line 7"), rosen);
    // a product is no sum: the loop is reversed whole, recomputing a rather than taping it
    String product = notes.get(2);
    assertTrue(product.contains("reversing the loop at line 25: recomputes per iteration 1 value (a)"), product);
    String decay = notes.get(1);
    // s is overwritten each iteration: one double on the tape, 8 bytes
    assertTrue(decay.contains("loop at line 17 `for (int i = 0; i < n; i++)`: tapes per iteration 1 double = 8 bytes"),
        decay);
    assertTrue(c.notes().stream().filter(d -> d.getMessage(null).startsWith("adjoint.report: Kernels.decay"))
        .allMatch(d -> d.getKind() == Diagnostic.Kind.NOTE && d.getLineNumber() == 15));
  }

  @Test
  void aCheckpointedLoopIsReportedWithItsSecondRun() {
    JavaFileObject source = Compile.source("cost.Heat",
        "package cost;",
        "import dev.adjoint.Differentiable;",
        "class Heat {",
        "  @Differentiable",
        "  static double heat(double[] u, int steps) {",
        "    double peak = 0;",
        "    checkpoint:",
        "    for (int t = 0; t < steps; t++) {",
        "      u[0] = Math.sin(u[0]) + u[1];",
        "      peak = peak * 0.5 + u[0];",
        "    }",
        "    return peak;",
        "  }",
        "}");
    Compilation c = javac().withOptions("-Aadjoint.report").withProcessors(new AdjointProcessor()).compile(source);
    assertThat(c).succeeded();
    String note = notes(c).get(0);
    // the forward sweep runs it untaped: no line of its own saying "nothing"; u[0] is put back for cos
    assertTrue(!note.contains("loop at line 8 `"), note);
    assertTrue(note.contains("loop at line 8 (checkpoint:): tapes per iteration 1 double = 8 bytes, for one"
        + " iteration at a time, and keeps copies of its state where the binomial schedule (revolve) says"), note);
  }

  @Test
  void anArraySavedWholeCountsAsItsLength() {
    Compilation c = javac().withOptions("-Aadjoint.report").withProcessors(new AdjointProcessor())
        .compile(JavaFileObjects.forSourceLines("t.Steps",
            "package t;",
            "import dev.adjoint.Differentiable;",
            "class Steps {",
            "  @Differentiable",
            "  static double steps(double[] u0, int steps) {",
            "    int n = u0.length;",
            "    double[] u = new double[n];",
            "    double[] next = new double[n];",
            "    for (int i = 0; i < n; i++) {",
            "      u[i] = u0[i];",
            "    }",
            "    for (int t = 0; t < steps; t++) {",
            "      for (int i = 0; i < n; i++) {",
            "        next[i] = Math.sin(u[i]);",
            "      }",
            "      for (int i = 0; i < n; i++) {",
            "        u[i] = next[i];",
            "      }",
            "    }",
            "    return u[0] * u[n - 1];",
            "  }",
            "}"));
    assertThat(c).succeeded();
    String note = notes(c).get(0);
    assertTrue(note.contains("loop at line 12 `for (int t = 0; t < steps; t++)`: tapes per iteration u.length doubles"
        + " = 8 × u.length bytes"), note);
  }

  @Test
  void nothingWithoutTheOption() {
    Compilation c = javac().withProcessors(new AdjointProcessor()).compile(SOURCE);
    assertThat(c).succeeded();
    assertTrue(notes(c).isEmpty());
    Compilation off = javac().withOptions("-Aadjoint.report=false").withProcessors(new AdjointProcessor())
        .compile(SOURCE);
    assertTrue(notes(off).isEmpty());
  }
}
