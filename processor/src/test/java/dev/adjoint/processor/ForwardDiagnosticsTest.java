package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The forward-mode diagnostics, each at its line. */
class ForwardDiagnosticsTest {
  @Test
  void tensorsInForwardModeAreRefusedAtTheMethod() {
    JavaFileObject source = Compile.source("p.T",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Mode;",
        "import dev.adjoint.tensor.Tensor;",
        "class T {",
        "  @Differentiable(modes = Mode.FORWARD)",
        "  static Tensor f(Tensor x) {",
        "    return x.mul(x);",
        "  }",
        "}");
    assertThat(Compile.sources(source)).hadErrorContaining("[ADJ240] Tensor is not supported by Mode.FORWARD yet")
        .inFile(source).onLineContaining("static Tensor f(");
  }

  @Test
  void hvpThroughACallWithAHandWrittenDerivativeIsRefusedAtTheCall() {
    JavaFileObject source = Compile.source("p.H",
        "package p;",
        "import dev.adjoint.Derivative;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Mode;",
        "class H {",
        "  @Differentiable(modes = Mode.HVP)",
        "  static double f(double x) {",
        "    double y = g(x);",
        "    return y * y;",
        "  }",
        "  static double g(double x) {",
        "    return Math.sin(x);",
        "  }",
        "  @Derivative(of = \"g\")",
        "  static double gDx(double x) {",
        "    return Math.cos(x);",
        "  }",
        "}");
    assertThat(Compile.sources(source)).hadErrorContaining(
        "[ADJ244] a call of g, whose derivative is hand-written (@Derivative gives no second derivative) is not"
            + " supported by Mode.HVP yet; remove Mode.HVP from modes (reverse and forward mode support it)")
        .inFile(source).onLineContaining("g(x);");
  }

  @Test
  void hvpThroughARecursiveCallIsRefusedAtTheCall() {
    JavaFileObject source = Compile.source("p.R",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Mode;",
        "class R {",
        "  @Differentiable(modes = {Mode.REVERSE, Mode.HVP})",
        "  static double f(double x, int n) {",
        "    return n == 0 ? x : x * f(x, n - 1);",
        "  }",
        "}");
    assertThat(Compile.sources(source)).hadErrorContaining("[ADJ244] the recursive call of f")
        .inFile(source).onLineContaining("x * f(x, n - 1)");
  }

  @Test
  void hvpThroughACalleeThatRecursesIsRefusedAtTheOuterCall() {
    JavaFileObject source = Compile.source("p.Q",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Mode;",
        "class Q {",
        "  @Differentiable(modes = {Mode.REVERSE, Mode.HVP})",
        "  static double f(double x) {",
        "    double t = cheb(x, 3);",
        "    return t * x;",
        "  }",
        "  @Differentiable",
        "  static double cheb(double x, int n) {",
        "    if (n == 0) {",
        "      return 1;",
        "    }",
        "    return 2 * x * cheb(x, n - 1);",
        "  }",
        "}");
    Compilation c = Compile.sources(source);
    assertThat(c).hadErrorContaining(
        "[ADJ244] a call of cheb (inside it: the recursive call of cheb) is not supported by Mode.HVP yet")
        .inFile(source).onLineContaining("double t = cheb(x, 3);");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void hvpThroughACallUnderAConditionalIsRefusedAtTheCall() {
    JavaFileObject source = Compile.source("p.C",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Mode;",
        "class C {",
        "  @Differentiable(modes = Mode.HVP)",
        "  static double f(double x) {",
        "    return x > 0 ? sq(x) : x;",
        "  }",
        "  @Differentiable",
        "  static double sq(double x) {",
        "    return x * x;",
        "  }",
        "}");
    assertThat(Compile.sources(source)).hadErrorContaining("[ADJ244] a call of sq under ?:, && or ||")
        .inFile(source).onLineContaining("sq(x) : x");
  }

  @Test
  void hvpOfAnArrayResultIsRefused() {
    JavaFileObject source = Compile.source("p.V",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Mode;",
        "class V {",
        "  @Differentiable(modes = Mode.HVP)",
        "  static double[] f(double[] x) {",
        "    double[] y = new double[x.length];",
        "    y[0] = x[0] * x[0];",
        "    return y;",
        "  }",
        "}");
    assertThat(Compile.sources(source)).hadErrorContaining("[ADJ242] Mode.HVP needs a double or float result")
        .inFile(source).onLineContaining("static double[] f(");
  }

  @Test
  void calleeCompiledEarlierWithoutJvpIsNamedAtTheCall() {
    JavaFileObject callee = Compile.source("q.Lib",
        "package q;",
        "import dev.adjoint.Differentiable;",
        "public class Lib {",
        "  @Differentiable",
        "  public static double g(double x) {",
        "    return x * x;",
        "  }",
        "}");
    Compilation first = Compile.sources(callee);
    assertThat(first).succeeded();
    JavaFileObject caller = Compile.source("p.C",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Mode;",
        "class C {",
        "  @Differentiable(modes = Mode.FORWARD)",
        "  static double f(double x) {",
        "    return q.Lib.g(x) + x;",
        "  }",
        "}");
    Compilation second = Compile.againstClassesOf(first, caller);
    assertThat(second).hadErrorContaining("[ADJ241] Lib.g is called from a method with Mode.FORWARD, but its generated"
        + " class q.LibGrad has no gJvp").inFile(caller).onLineContaining("q.Lib.g(x)");
  }
}
