package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
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
 * Loops whose iterations meet only in one sum are reversed iteration by iteration (each right after
 * it runs, the sum's adjoint taken as 1, the partials scaled in the reverse sweep). The dependence
 * test is checked both ways: each loop that qualifies is reversed so, each that must not (a scratch
 * array read before it is filled, or ahead of where its fill has got to (an element, or the whole
 * array given to a call), a scratch value read by the loop's condition, a carried counter, a sum read in the loop, two sums, a scratch
 * array read after the loop, a fill one short, a row view written, a sum whose earlier value the
 * reverse sweep needs) is reversed whole; and every gradient equals the one of the "save
 * everything" plan, which reverses every loop whole, and central differences.
 */
class IterationByIterationTest {
  private static final String[] SOURCE = {
      "package ii;",
      "import dev.adjoint.Differentiable;",
      "import dev.adjoint.NoDerivative;",
      "class Loops {",
      "  @Differentiable",
      "  static double rosen(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double s = 0;",
      "    for (int i = 0; i + 1 < x.length; i++) {",
      "      double a = x[i + 1] - x[i] * x[i];",
      "      double b = 1 - x[i];",
      "      s += 100 * a * a + b * b;",
      "    }",
      "    return s;",
      "  }",
      "  @Differentiable",
      "  static double mixture(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double[] e = new double[d];",
      "    double scale = Math.exp(x[0]);",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      for (int j = 0; j < d; j++) {",
      "        t[j] = data[i * d + j] - x[j];",
      "      }",
      "      for (int j = 0; j < d; j++) {",
      "        e[j] = scale * t[j] * t[j];",
      "      }",
      "      for (int j = 0; j < d; j++) {",
      "        for (int k = j + 1; k < d; k++) {",
      "          e[k] = e[k] + x[k] * t[j];",
      "        }",
      "      }",
      "      double q = 0;",
      "      for (int j = 0; j < d; j++) {",
      "        q = q + Math.sin(e[j]) * x[j + 1];",
      "      }",
      "      s = s + Math.log(1 + q * q);",
      "    }",
      "    return Math.sqrt(s) * scale;",
      "  }",
      "  @Differentiable",
      "  static double signs(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double s = x[0];",
      "    for (int i = 1; i < x.length; i++) {",
      "      if (x[i] < 0.1) {",
      "        continue;",
      "      }",
      "      double v = x[i] * x[i - 1];",
      "      if (v > 0.3) {",
      "        s -= Math.cos(v);",
      "      } else {",
      "        s = Math.sin(v) + s;",
      "      }",
      "    }",
      "    return s * s;",
      "  }",
      "  @Differentiable",
      "  static double readBeforeFill(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      double carried = t[0];",
      "      for (int j = 0; j < d; j++) {",
      "        t[j] = x[j] * data[i * d + j] + 0.5 * carried;",
      "      }",
      "      s += t[d - 1] * t[0];",
      "    }",
      "    return s;",
      "  }",
      "  @Differentiable",
      "  static double counter(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double s = 0;",
      "    int at = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      s += x[at % x.length] * x[i % x.length];",
      "      at += 3;",
      "    }",
      "    return s;",
      "  }",
      "  @Differentiable",
      "  static double sumReadInside(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double s = 0.5;",
      "    for (int i = 0; i < x.length; i++) {",
      "      s = s + s * x[i] * 0.1;",
      "    }",
      "    return s;",
      "  }",
      "  @Differentiable",
      "  static double twoSums(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double s = 0;",
      "    double p = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      s += x[i] * x[i];",
      "      p += Math.sin(x[i]);",
      "    }",
      "    return s * p;",
      "  }",
      "  @Differentiable",
      "  static double scratchReadAfter(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      for (int j = 0; j < d; j++) {",
      "        t[j] = x[j] * data[i * d + j];",
      "      }",
      "      s += t[0] * t[1];",
      "    }",
      "    return s + t[d - 1] * t[d - 1];",
      "  }",
      "  @Differentiable",
      "  static double fillOneShort(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      for (int j = 0; j < d - 1; j++) {",
      "        t[j] = x[j] * data[i * d + j];",
      "      }",
      "      s += t[d - 1] * t[0];",
      "      t[d - 1] = t[0] + x[1];",
      "    }",
      "    return s;",
      "  }",
      "  @Differentiable",
      "  static double rowWritten(double[][] m, @NoDerivative double[] data, int n, int d) {",
      "    double s = 0;",
      "    for (int i = 0; i < m.length; i++) {",
      "      double[] row = m[i];",
      "      row[0] = row[0] * row[1];",
      "      s += row[0] * m[0][0];",
      "    }",
      "    return s;",
      "  }",
      "  @Differentiable",
      "  static double earlierSumNeeded(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double s = x[0] * x[1];",
      "    double t = s * s;",
      "    for (int i = 0; i < x.length; i++) {",
      "      s += Math.sin(x[i]) * x[i];",
      "    }",
      "    return s * t;",
      "  }",
      "  @Differentiable",
      "  static double triangle(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] q = new double[d];",
      "    double s = 0;",
      "    for (int c = 0; c < n; c++) {",
      "      for (int i = 0; i < d; i++) {",
      "        q[i] = x[i] * data[c * d + i];",
      "      }",
      "      int li = 0;",
      "      for (int i = 0; i < d; i++) {",
      "        for (int j = i + 1; j < d; j++) {",
      "          q[j] += x[li + 3] * q[i];",
      "          li++;",
      "        }",
      "      }",
      "      double sq = 0;",
      "      for (int i = 0; i < d; i++) {",
      "        sq += q[i] * q[i];",
      "      }",
      "      s += sq;",
      "    }",
      "    return s;",
      "  }",
      "  @Differentiable",
      "  static double readsAhead(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      double q = 0;",
      "      for (int j = 0; j < d; j++) {",
      "        t[j] = x[j] * data[i * d + j];",
      "        q += t[(j + 1) % d];",
      "      }",
      "      s += q * q;",
      "    }",
      "    return s;",
      "  }",
      "  @Differentiable",
      "  static double dot(double[] a, double[] b) {",
      "    double s = 0;",
      "    for (int i = 0; i < a.length; i++) {",
      "      s += a[i] * b[i];",
      "    }",
      "    return s;",
      "  }",
      // the fill passes the whole array to a call, which reads the elements not filled yet (last iteration's)
      "  @Differentiable",
      "  static double fillPassesWhole(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      double q = 0;",
      "      for (int j = 0; j < d; j++) {",
      "        t[j] = x[j] * data[i * d + j];",
      "        q += dot(t, x);",
      "      }",
      "      s += q * q;",
      "    }",
      "    return s;",
      "  }",
      // float[] partials are double[], as float[] adjoints are
      "  @Differentiable",
      "  static float floatPartials(float[] x, @NoDerivative double[] data, int n, int d) {",
      "    float s = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      float a = (float) Math.sin(x[i]);",
      "      s += a * a * x[0];",
      "    }",
      "    return s * s;",
      "  }",
      // a while loop's trip count in the body: its reverse counts down a variable of its own
      "  @Differentiable",
      "  static double whileInside(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double s = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      double q = 1;",
      "      int k = 0;",
      "      while (q > 0.2 && k < 5) {",
      "        q = q * Math.cos(x[i] + k * x[0]);",
      "        k++;",
      "      }",
      "      s += q;",
      "    }",
      "    return s * s;",
      "  }",
      // the condition reads a scratch number, which the iteration's reverse has put back to x[i] * x[0]
      "  @Differentiable",
      "  static double scratchInCondition(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double c = 0;",
      "    double s = 0;",
      "    for (int i = 0; i < x.length && c < 10; i++) {",
      "      c = x[i] * x[0];",
      "      double a = Math.sin(c);",
      "      c = c * 100;",
      "      s += a * a * c;",
      "    }",
      "    return s * s;",
      "  }",
      // the same with an element of a scratch array
      "  @Differentiable",
      "  static double scratchArrayInCondition(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[x.length];",
      "    double s = 0;",
      "    for (int i = 0; i < x.length && t[0] < 10; i++) {",
      "      for (int j = 0; j < x.length; j++) {",
      "        t[j] = x[j] * x[i];",
      "      }",
      "      double a = Math.sin(t[0] * t[1]);",
      "      t[0] = t[0] * 100;",
      "      s += a * a * t[0];",
      "    }",
      "    return s * s;",
      "  }",
      "}"};

  /** The methods whose loop is reversed iteration by iteration; every other one is reversed whole. */
  private static final List<String> AT_ONCE = List.of("rosen", "mixture", "signs", "triangle", "floatPartials", "whileInside");

  private static Compilation fused;
  private static Compilation whole;

  private static Compilation compile(boolean all) {
    List<String> options = new ArrayList<>(List.of("-Xlint:all", "-parameters"));
    if (all) {
      options.add("-Aadjoint.saves=all");
    }
    JavaFileObject file = Compile.source("ii.Loops", SOURCE);
    return javac().withOptions(options).withProcessors(new AdjointProcessor()).compile(file);
  }

  @BeforeAll
  static void compileBoth() {
    fused = compile(false);
    whole = compile(true);
    assertThat(fused).succeededWithoutWarnings();
    assertThat(whole).succeededWithoutWarnings();
  }

  /** The generated pullback of one method, up to the next one. */
  private static String pullback(String name) {
    String all = Compile.generated(fused, "ii.LoopsGrad");
    java.util.regex.Matcher from = java.util.regex.Pattern.compile("public static \\w+ " + name + "Vjp\\(").matcher(all);
    assertTrue(from.find(), name);
    java.util.regex.Matcher to = java.util.regex.Pattern.compile("public static \\w+ \\w+Vjp\\(").matcher(all);
    return all.substring(from.start(), to.find(from.end()) ? to.start() : all.length());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rosen", "mixture", "signs", "triangle", "readBeforeFill", "counter", "sumReadInside", "twoSums",
      "scratchReadAfter", "fillOneShort", "rowWritten", "earlierSumNeeded", "readsAhead", "fillPassesWhole",
      "floatPartials", "whileInside", "scratchInCondition", "scratchArrayInCondition"})
  void theDependenceTestDecidesHowEachLoopIsReversed(String name) {
    String code = pullback(name);
    assertEquals(AT_ONCE.contains(name), code.contains("each is reversed as soon as it has run"), code);
    assertTrue(!Compile.generated(whole, "ii.LoopsGrad").contains("each is reversed as soon as it has run"),
        "the save-everything plan reverses loops whole");
  }

  @Test
  void aSumReturnedAsItIsTakesTheSeedAndItsIterationsAddIntoTheAdjointsThemselves() {
    String rosen = pullback("rosen");
    assertTrue(rosen.contains("with sBar = seed (the method returns s as it is)"), rosen);
    assertTrue(!rosen.contains("BarPerS") && !rosen.contains("addScaled"), rosen);
    // a sum used after the loop (sqrt(s) * scale, s * s) has an adjoint only the reverse sweep knows
    for (String name : List.of("mixture", "signs")) {
      String code = pullback(name);
      assertTrue(code.contains("taken as 1") && code.contains("BarPerS"), code);
    }
  }

  @Test
  void theSameGradientsAsLoopsReversedWhole() throws Exception {
    Class<?> a = Compile.load(fused).loadClass("ii.LoopsGrad");
    Class<?> b = Compile.load(whole).loadClass("ii.LoopsGrad");
    assertTrue(Twins.compare(a, b, 17, 1e-12) > 0);
  }

  /**
   * Hessian-vector products run forward mode over the gradient, iterations reversed at once included
   * (the partials carry tangents): equal to those over loops reversed whole.
   */
  @Test
  void hessianVectorProductsOverIterationsReversedAtOnce() throws Exception {
    String[] source = {
        "package ii;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Mode;",
        "class Curved {",
        "  @Differentiable(modes = {Mode.REVERSE, Mode.HVP})",
        "  static double f(double[] x, int n) {",
        "    double[] t = new double[x.length];",
        "    double s = 0;",
        "    for (int i = 0; i < n; i++) {",
        "      for (int j = 0; j < x.length; j++) {",
        "        t[j] = Math.sin(x[j] * (i + 1));",
        "      }",
        "      double q = t[0] * t[1];",
        "      s += q * q;",
        "    }",
        "    return s * s;",
        "  }",
        "}"};
    double[][] results = new double[2][];
    for (int k = 0; k < 2; k++) {
      List<String> options = new ArrayList<>(List.of("-Xlint:all", "-parameters"));
      if (k == 1) {
        options.add("-Aadjoint.saves=all");
      }
      Compilation c = javac().withOptions(options).withProcessors(new AdjointProcessor())
          .compile(Compile.source("ii.Curved", source));
      assertThat(c).succeededWithoutWarnings();
      assertEquals(k == 0, Compile.generated(c, "ii.CurvedGrad").contains("each is reversed as soon as it has run"));
      Method hvp = Compile.load(c).loadClass("ii.CurvedGrad").getDeclaredMethod("fHvp", double[].class, int.class,
          double[].class);
      Object record = hvp.invoke(null, new double[] {0.4, 0.7, 0.2, 0.9}, 3, new double[] {0.3, -1.1, 0.8, 0.5});
      results[k] = (double[]) record.getClass().getMethod("x").invoke(record);
    }
    for (int i = 0; i < results[0].length; i++) {
      assertEquals(results[1][i], results[0][i], 1e-12 * Math.max(1, Math.abs(results[1][i])), "at " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rosen", "mixture", "signs", "triangle", "readBeforeFill", "counter", "scratchReadAfter",
      "fillOneShort", "earlierSumNeeded", "readsAhead", "fillPassesWhole", "whileInside",
      "scratchInCondition", "scratchArrayInCondition"})
  void equalToCentralDifferences(String name) throws Exception {
    ClassLoader loader = Compile.load(fused);
    Class<?> grad = loader.loadClass("ii.LoopsGrad");
    Class<?> primal = loader.loadClass("ii.Loops");
    Method g = grad.getDeclaredMethod(name, double[].class, double[].class, int.class, int.class);
    Method f = primal.getDeclaredMethod(name, double[].class, double[].class, int.class, int.class);
    f.setAccessible(true);
    g.setAccessible(true);
    int n = 4;
    int d = 3;
    double[] x = new double[7];
    for (int i = 0; i < x.length; i++) {
      x[i] = 0.2 + 0.13 * i - 0.05 * (i % 3);
    }
    double[] data = new double[n * d];
    for (int i = 0; i < data.length; i++) {
      data[i] = Math.cos(0.7 * i);
    }
    Object record = g.invoke(null, x, data, n, d);
    double[] gradient = (double[]) record.getClass().getMethod("x").invoke(record);
    for (int i = 0; i < x.length; i++) {
      double h = 1e-5;
      double[] up = x.clone();
      double[] down = x.clone();
      up[i] += h;
      down[i] -= h;
      double[] up2 = x.clone();
      double[] down2 = x.clone();
      up2[i] += 2 * h;
      down2[i] -= 2 * h;
      double c1 = ((double) f.invoke(null, up, data, n, d) - (double) f.invoke(null, down, data, n, d)) / (2 * h);
      double c2 = ((double) f.invoke(null, up2, data, n, d) - (double) f.invoke(null, down2, data, n, d)) / (4 * h);
      double richardson = (4 * c1 - c2) / 3;
      assertEquals(richardson, gradient[i], 1e-6 * Math.max(1, Math.abs(richardson)), name + " at " + i);
    }
  }
}
