package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In an iteration reversed as soon as it has run, a call whose pullback follows it at once (the
 * iteration's last statement, {@code s = s + f(t)}, {@code s += f(t)}, {@code s = s - f(t)}) gives
 * its value and its pullback from one run of the callee, {@code fValueVjpInto}. Checked both ways
 * (where it applies and where it must not), and every gradient equals the "save everything" plan's
 * (which reverses every loop whole and never merges) and central differences; the callee's own
 * {@code fValueVjpInto} equals its value and {@code fVjpInto}.
 */
class ValuePullbacksTest {
  private static final String[] SOURCE = {
      "package vp;",
      "import dev.adjoint.Differentiable;",
      "import dev.adjoint.NoDerivative;",
      "class Calls {",
      "  @Differentiable",
      "  static double lse(double[] v, int n) {",
      "    double mx = v[0];",
      "    for (int i = 1; i < n; i++) {",
      "      if (v[i] > mx) {",
      "        mx = v[i];",
      "      }",
      "    }",
      "    double e = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      e = e + Math.exp(v[i] - mx);",
      "    }",
      "    return Math.log(e) + mx;",
      "  }",
      // an early return and branches
      "  @Differentiable",
      "  static double early(double[] v, int n) {",
      "    if (v[0] > 1) {",
      "      return v[0] * v[1];",
      "    }",
      "    double p = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      if (v[i] < 0.5) {",
      "        p += Math.sin(v[i]);",
      "      } else {",
      "        p += v[i] * v[i];",
      "      }",
      "    }",
      "    return p;",
      "  }",
      "  @Differentiable",
      "  static double frob(double[][] m, int n) {",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      for (int j = 0; j < n; j++) {",
      "        s += Math.sin(m[i][j]) * m[j][i];",
      "      }",
      "    }",
      "    return s;",
      "  }",
      "  @Differentiable",
      "  static double plus(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      for (int j = 0; j < d; j++) {",
      "        t[j] = x[j] * data[i * d + j] + x[j + 1];",
      "      }",
      "      s = s + lse(t, d);",
      "    }",
      "    return s * s;",
      "  }",
      "  @Differentiable",
      "  static double minus(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double s = 1;",
      "    for (int i = 0; i < n; i++) {",
      "      for (int j = 0; j < d; j++) {",
      "        t[j] = Math.sin(x[j] * data[i * d + j]) + x[0];",
      "      }",
      "      s = s - lse(t, d);",
      "    }",
      "    return s * s;",
      "  }",
      "  @Differentiable",
      "  static double compound(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      for (int j = 0; j < d; j++) {",
      "        t[j] = 2 * x[j] + data[i * d + j];",
      "      }",
      "      s += early(t, d);",
      "    }",
      "    return Math.exp(s);",
      "  }",
      // the seed is the constant's product, known when the call runs
      "  @Differentiable",
      "  static double scaled(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      for (int j = 0; j < d; j++) {",
      "        t[j] = x[j] * x[j] * data[i * d + j];",
      "      }",
      "      s = s + 2.5 * lse(t, d) - x[i];",
      "    }",
      "    return s * s;",
      "  }",
      // not merged: a loop over two-dimensional arrays is reversed whole (frobValueVjpInto is checked below)
      "  @Differentiable",
      "  static double rows(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[][] m = new double[d][d];",
      "    for (int j = 0; j < d; j++) {",
      "      for (int k = 0; k < d; k++) {",
      "        m[j][k] = x[j] * x[k + 1] + 0.1 * k;",
      "      }",
      "    }",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      s = s + data[i] * frob(m, d);",
      "    }",
      "    return s * s;",
      "  }",
      // not merged: the call's seed is known only once the statements after it are reversed
      "  @Differentiable",
      "  static double seedLater(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      for (int j = 0; j < d; j++) {",
      "        t[j] = x[j] * data[i * d + j];",
      "      }",
      "      double q = lse(t, d);",
      "      s += q * q;",
      "    }",
      "    return s;",
      "  }",
      // not merged: the seed of each call is the other call's value
      "  @Differentiable",
      "  static double product(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      for (int j = 0; j < d; j++) {",
      "        t[j] = x[j] * data[i * d + j];",
      "      }",
      "      s = s + lse(t, d) * early(t, d);",
      "    }",
      "    return s;",
      "  }",
      // not merged: the seed reads the call's value (exp of it)
      "  @Differentiable",
      "  static double ofTheValue(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double s = 0;",
      "    for (int i = 0; i < n; i++) {",
      "      for (int j = 0; j < d; j++) {",
      "        t[j] = x[j] * data[i * d + j];",
      "      }",
      "      s = s + Math.exp(lse(t, d));",
      "    }",
      "    return s;",
      "  }",
      // not merged: the loop is reversed whole (its sum is read inside), so no pullback follows the call
      "  @Differentiable",
      "  static double wholeLoop(double[] x, @NoDerivative double[] data, int n, int d) {",
      "    double[] t = new double[d];",
      "    double s = 0.5;",
      "    for (int i = 0; i < n; i++) {",
      "      for (int j = 0; j < d; j++) {",
      "        t[j] = x[j] * data[i * d + j] * s;",
      "      }",
      "      s = s + lse(t, d);",
      "    }",
      "    return s;",
      "  }",
      "}"};

  /** The callers whose call gives value and pullback at once. */
  private static final List<String> MERGED = List.of("plus", "minus", "compound", "scaled");

  private static Compilation merged;
  private static Compilation whole;

  private static Compilation compile(boolean all) {
    List<String> options = new ArrayList<>(List.of("-Xlint:all", "-parameters"));
    if (all) {
      options.add("-Aadjoint.saves=all");
    }
    return javac().withOptions(options).withProcessors(new AdjointProcessor())
        .compile(Compile.source("vp.Calls", SOURCE));
  }

  @BeforeAll
  static void compileBoth() {
    merged = compile(false);
    whole = compile(true);
    assertThat(merged).succeededWithoutWarnings();
    assertThat(whole).succeededWithoutWarnings();
  }

  /** The generated pullback ({@code mVjp}) of one method, up to the next generated method. */
  private static String pullback(Compilation c, String name) {
    String all = Compile.generated(c, "vp.CallsGrad");
    java.util.regex.Matcher from = java.util.regex.Pattern.compile("public static \\w+ " + name + "Vjp\\(")
        .matcher(all);
    assertTrue(from.find(), name);
    java.util.regex.Matcher to = java.util.regex.Pattern.compile("\n  public static ").matcher(all);
    return all.substring(from.start(), to.find(from.end()) ? to.start() : all.length());
  }

  @ParameterizedTest
  @ValueSource(strings = {"plus", "minus", "compound", "scaled", "rows", "seedLater", "product", "ofTheValue",
      "wholeLoop"})
  void mergedWhereThePullbackFollowsTheCallAtOnce(String name) {
    String code = pullback(merged, name);
    assertEquals(MERGED.contains(name), code.contains("ValueVjpInto("), code);
    boolean fused = !name.equals("wholeLoop") && !name.equals("rows");
    assertEquals(fused, code.contains("each is reversed as soon as it has run"), code);
    if (MERGED.contains(name)) {
      // one run of the callee per iteration: no separate pullback call is left
      assertTrue(!java.util.regex.Pattern.compile("[^e]VjpInto\\([tm], d").matcher(code).find(), code);
      assertTrue(code.contains("'s pullback ran with the call: "), code);
    }
    assertTrue(!pullback(whole, name).contains("ValueVjpInto("), "the save-everything plan never merges");
  }

  @Test
  void theSameGradientsAsTheSaveEverythingPlan() throws Exception {
    Class<?> a = Compile.load(merged).loadClass("vp.CallsGrad");
    Class<?> b = Compile.load(whole).loadClass("vp.CallsGrad");
    assertTrue(Twins.compare(a, b, 23, 1e-12) > 0);
  }

  /** The callee's {@code fValueVjpInto}: its value, and what {@code fVjpInto} adds, into the same arrays. */
  @Test
  void valueVjpIntoIsTheValueAndTheAccumulatingPullback() throws Exception {
    ClassLoader loader = Compile.load(merged);
    Class<?> grad = loader.loadClass("vp.CallsGrad");
    Class<?> primal = loader.loadClass("vp.Calls");
    for (String name : List.of("lse", "early")) {
      Method valueInto = grad.getDeclaredMethod(name + "ValueVjpInto", double[].class, int.class, double.class,
          double[].class);
      Method into = grad.getDeclaredMethod(name + "VjpInto", double[].class, int.class, double.class, double[].class);
      Method f = primal.getDeclaredMethod(name, double[].class, int.class);
      f.setAccessible(true);
      for (double[] v : List.of(new double[] {0.3, 0.9, -0.4, 0.7}, new double[] {1.4, 0.2, 0.8, 0.1})) {
        double[] bar1 = {0.5, -1, 2, 0.25};
        double[] bar2 = bar1.clone();
        double value = (double) valueInto.invoke(null, v, 4, -1.75, bar1);
        into.invoke(null, v, 4, -1.75, bar2);
        assertEquals((double) f.invoke(null, v, 4), value, 0.0, name);
        for (int i = 0; i < v.length; i++) {
          assertEquals(bar2[i], bar1[i], 0.0, name + " at " + i);
        }
      }
    }
    Method frob = grad.getDeclaredMethod("frobValueVjpInto", double[][].class, int.class, double.class,
        double[][].class);
    double[][] m = {{0.3, 0.9}, {-0.4, 0.7}};
    double[][] bar = new double[2][2];
    double value = (double) frob.invoke(null, m, 2, 2.0, bar);
    assertEquals(Math.sin(0.3) * 0.3 + Math.sin(0.9) * -0.4 + Math.sin(-0.4) * 0.9 + Math.sin(0.7) * 0.7, value, 1e-15);
    // d/dm[0][1] of sin(m01) m10 + sin(m10) m01 = cos(m01) m10 + sin(m10), times the seed 2
    assertEquals(2 * (Math.cos(0.9) * -0.4 + Math.sin(-0.4)), bar[0][1], 1e-14);
  }

  @ParameterizedTest
  @ValueSource(strings = {"plus", "minus", "compound", "scaled", "rows", "seedLater", "product", "ofTheValue",
      "wholeLoop"})
  void equalToCentralDifferences(String name) throws Exception {
    ClassLoader loader = Compile.load(merged);
    Method g = loader.loadClass("vp.CallsGrad").getDeclaredMethod(name, double[].class, double[].class, int.class,
        int.class);
    Method f = loader.loadClass("vp.Calls").getDeclaredMethod(name, double[].class, double[].class, int.class,
        int.class);
    f.setAccessible(true);
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
    ToDoubleFunction<double[]> value = p -> {
      try {
        return (double) f.invoke(null, p, data, n, d);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    };
    Object record = g.invoke(null, x, data, n, d);
    double[] gradient = (double[]) record.getClass().getMethod("x").invoke(record);
    boolean nonZero = false;
    for (int i = 0; i < x.length; i++) {
      double richardson = (4 * central(value, x, i, 1e-5) - central(value, x, i, 2e-5)) / 3;
      assertEquals(richardson, gradient[i], 1e-6 * Math.max(1, Math.abs(richardson)), name + " at " + i);
      nonZero |= gradient[i] != 0;
    }
    assertTrue(nonZero, name);
  }

  /**
   * With {@code -Aadjoint.checkFinite=true} the merged call is checked as its own statement: the
   * adjoint arrays its pullback added into, named with the call's line; and a non-finite adjoint
   * inside the callee still names the callee's statement.
   */
  @Test
  void finiteChecksCoverTheMergedCall() throws Exception {
    String[] source = {
        "package vp;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.NoDerivative;",
        "class Roots {",
        "  @Differentiable",
        "  static double roots(double[] v, int n) {",
        "    double r = 0;",
        "    for (int i = 0; i < n; i++) {",
        "      r += Math.sqrt(v[i]);",
        "    }",
        "    return r;",
        "  }",
        "  @Differentiable",
        "  static double f(double[] x, @NoDerivative double[] data, int n, int d) {",
        "    double[] t = new double[d];",
        "    double s = 0;",
        "    for (int i = 0; i < n; i++) {",
        "      for (int j = 0; j < d; j++) {",
        "        t[j] = x[j] * data[i * d + j];",
        "      }",
        "      s = s + roots(t, d);",
        "    }",
        "    return s;",
        "  }",
        "}"};
    Compilation c = javac().withOptions("-Xlint:all", "-parameters", "-Aadjoint.checkFinite=true")
        .withProcessors(new AdjointProcessor()).compile(Compile.source("vp.Roots", source));
    assertThat(c).succeededWithoutWarnings();
    String code = Compile.generated(c, "vp.RootsGrad");
    // s is returned as it is: its adjoint is the seed while the loop runs
    assertTrue(code.contains("s = s + RootsGrad.rootsValueVjpInto(t, d, seed, tBar); // line 21"), code);
    assertTrue(code.contains("\"s = s + roots(t, d);\", \"tBar[*]\""), code);
    Method g = Compile.load(c).loadClass("vp.RootsGrad").getMethod("f", double[].class, double[].class, int.class,
        int.class);
    g.invoke(null, new double[] {1, 2, 3}, new double[] {1, 1, 1, 2, 2, 2}, 2, 3); // finite: no exception
    Throwable t = assertThrows(java.lang.reflect.InvocationTargetException.class,
        () -> g.invoke(null, new double[] {1, 0, 3}, new double[] {1, 1, 1, 2, 2, 2}, 2, 3)).getCause();
    assertTrue(t.getMessage().contains("from line 9: r += Math.sqrt(v[i]);"), t.getMessage());
  }

  private static double central(ToDoubleFunction<double[]> f, double[] x, int i, double h) {
    double[] up = x.clone();
    double[] down = x.clone();
    up[i] += h;
    down[i] -= h;
    return (f.applyAsDouble(up) - f.applyAsDouble(down)) / (2 * h);
  }
}
