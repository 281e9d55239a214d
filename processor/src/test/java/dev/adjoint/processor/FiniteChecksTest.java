package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * NaN and infinity provenance, {@code -Aadjoint.checkFinite=true}: the generated gradients are
 * lint-clean and equal, bit for bit, to those generated without the option wherever they are
 * finite; the first non-finite adjoint throws, naming the statement and line it came from and the
 * values its adjoint code read; without the option nothing of it is generated.
 */
class FiniteChecksTest {
  private static final String OPTION = "-Aadjoint.checkFinite=true";

  private static Compilation compile(boolean checks, JavaFileObject... files) {
    List<String> options = new ArrayList<>(List.of("-Xlint:all"));
    if (checks) {
      options.add(OPTION);
    }
    return javac().withOptions(options).withProcessors(new AdjointProcessor()).compile(files);
  }

  private static JavaFileObject resource(String path) {
    return JavaFileObjects.forResource(FiniteChecksTest.class.getClassLoader().getResource(path));
  }

  @Test
  void gradientsWithChecksEqualThoseWithout() throws Exception {
    Compilation plain = compile(false, resource("forward/Corpus.java"));
    Compilation checked = compile(true, resource("forward/Corpus.java"));
    assertThat(plain).succeededWithoutWarnings();
    assertThat(checked).succeededWithoutWarnings();
    assertTrue(Compile.generated(checked, "forward.CorpusGrad").contains("NonFiniteAdjointException.at("));
    int compared = Twins.compare(Compile.load(plain).loadClass("forward.CorpusGrad"),
        Compile.load(checked).loadClass("forward.CorpusGrad"), 20261203, 0);
    assertTrue(compared >= 40, "only " + compared + " finite gradients compared");
  }

  @Test
  void everyGoldenInputCompilesLintCleanWithChecks() {
    for (String name : List.of("Branch", "Call", "Checks", "Clash", "Forward", "Library", "Loop", "MathFunctions",
        "Model", "Modules", "Reassign", "Scratch", "Seed000", "TensorNet", "While")) {
      Compilation c = compile(true, resource("golden/input/" + name + ".java"));
      assertThat(c).succeededWithoutWarnings();
    }
  }

  private static final String[] NAN_SOURCE = {
      "package nan;",
      "import dev.adjoint.Differentiable;",
      "class Norms {",
      "  @Differentiable",
      "  static double logNorm(double x, double y) {",
      "    double r = Math.sqrt(x * x + y * y);",
      "    double l = Math.log(r);",
      "    return l;",
      "  }",
      "  @Differentiable",
      "  static double roots(double[] x, double w) {",
      "    double s = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      s += w * Math.sqrt(x[i]);",
      "    }",
      "    return s;",
      "  }",
      "}"};

  @Test
  void theFirstNonFiniteAdjointNamesItsStatementLineAndValues() throws Exception {
    Compilation c = compile(true, JavaFileObjects.forSourceLines("nan.Norms", NAN_SOURCE));
    assertThat(c).succeededWithoutWarnings();
    Class<?> grad = Compile.load(c).loadClass("nan.NormsGrad");
    Method logNorm = grad.getMethod("logNorm", double.class, double.class);
    logNorm.invoke(null, 3.0, 4.0); // finite: no exception
    Throwable t = assertThrows(InvocationTargetException.class, () -> logNorm.invoke(null, 0.0, 0.0)).getCause();
    assertInstanceOf(ArithmeticException.class, t);
    // log's adjoint is finite at r = 0 only if r is not 0: the first bad one is rBar, at line 7
    assertTrue(t.getMessage().startsWith("non-finite adjoint in the gradient of Norms.logNorm, from line 7: "
        + "double l = Math.log(r);"), t.getMessage());
    assertTrue(t.getMessage().contains("produced rBar = Infinity"), t.getMessage());
    assertTrue(t.getMessage().contains("r = 0.0"), t.getMessage());
    assertEquals(7, t.getClass().getMethod("line").invoke(t));

    Method roots = grad.getMethod("roots", double[].class, double.class);
    Throwable u = assertThrows(InvocationTargetException.class,
        () -> roots.invoke(null, new double[] {1, 0, 4}, 2.0)).getCause();
    assertTrue(u.getMessage().contains("from line 14: s += w * Math.sqrt(x[i]);"), u.getMessage());
    assertTrue(u.getMessage().contains("produced xBar[i] = Infinity"), u.getMessage());
    assertTrue(u.getMessage().contains("x[i] = 0.0"), u.getMessage());
  }

  @Test
  void withoutTheOptionNothingIsGenerated() {
    Compilation c = compile(false, JavaFileObjects.forSourceLines("nan.Norms", NAN_SOURCE));
    assertThat(c).succeededWithoutWarnings();
    assertFalse(Compile.generated(c, "nan.NormsGrad").contains("NonFinite"));
  }
}
