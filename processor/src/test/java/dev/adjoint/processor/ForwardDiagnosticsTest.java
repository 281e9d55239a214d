package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.adjoint.tensor.Tensor;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The forward-mode diagnostics, each at its line. */
class ForwardDiagnosticsTest {
  @Test
  void hvpOfTensorCodeIsRefusedAtTheMethod() {
    JavaFileObject source = Compile.source("p.T",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Mode;",
        "import dev.adjoint.tensor.Tensor;",
        "class T {",
        "  @Differentiable(modes = {Mode.FORWARD, Mode.HVP})",
        "  static double f(Tensor x) {",
        "    return x.mul(x).sum().item();",
        "  }",
        "}");
    assertThat(Compile.sources(source)).hadErrorContaining("[ADJ244] a Tensor parameter or result (Hessian-vector"
        + " products of tensor code would need forward rules of the tensor ops' reverse rules; Mode.FORWARD supports"
        + " tensors) is not supported by Mode.HVP yet").inFile(source).onLineContaining("static double f(");
  }

  @Test
  void hvpOfAScalarMethodThatUsesTensorsIsRefusedAtTheFirstOp() {
    JavaFileObject source = Compile.source("p.S",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Mode;",
        "import dev.adjoint.tensor.Tensor;",
        "class S {",
        "  @Differentiable(modes = {Mode.REVERSE, Mode.HVP})",
        "  static double f(double x) {",
        "    Tensor t = Tensor.scalar(x);",
        "    return t.exp().mul(t).item();",
        "  }",
        "}");
    assertThat(Compile.sources(source)).hadErrorContaining("[ADJ244] Tensor.scalar (Hessian-vector products of tensor"
        + " code would need forward rules of the tensor ops' reverse rules; Mode.FORWARD supports tensors) is not"
        + " supported by Mode.HVP yet").inFile(source).onLineContaining("Tensor.scalar(x)");
  }

  @Test
  void hvpOfAModelIsRefusedAtTheMethod() {
    JavaFileObject source = Compile.source("p.M",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Mode;",
        "import dev.adjoint.NoDerivative;",
        "import dev.adjoint.tensor.Tensor;",
        "class M {",
        "  final Tensor w = Tensor.ones(3);",
        "  @Differentiable(modes = {Mode.FORWARD, Mode.HVP})",
        "  double f(@NoDerivative Tensor x) {",
        "    return x.mul(w).sum().item();",
        "  }",
        "}");
    assertThat(Compile.sources(source)).hadErrorContaining(
        "[ADJ244] a model's parameters (Tensor fields) (Hessian-vector products of tensor code would need forward"
            + " rules of the tensor ops' reverse rules; Mode.FORWARD supports tensors) is not supported by Mode.HVP"
            + " yet")
        .inFile(source).onLineContaining("double f(");
  }

  @Test
  void aLayerCalledInForwardModeIsRefusedAtTheCall() {
    JavaFileObject source = Compile.source("p.L",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Mode;",
        "import dev.adjoint.nn.Layer;",
        "import dev.adjoint.tensor.Tensor;",
        "class L {",
        "  final Layer inner;",
        "  L(Layer inner) {",
        "    this.inner = inner;",
        "  }",
        "  @Differentiable(modes = Mode.FORWARD)",
        "  double f(Tensor x) {",
        "    return inner.forward(x).sum().item();",
        "  }",
        "}");
    assertThat(Compile.sources(source)).hadErrorContaining("[ADJ240] a call of forward on a Layer (a Layer has a"
        + " pullback, no forward mode) is not supported by Mode.FORWARD yet")
        .inFile(source).onLineContaining("inner.forward(x)");
  }

  @Test
  void anOpInputWithoutAForwardRuleIsRefusedAtTheCall() {
    JavaFileObject source = Compile.source("p.U",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Mode;",
        "import dev.adjoint.tensor.Tensor;",
        "class U {",
        "  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})",
        "  static double f(Tensor x) {",
        "    Tensor y = x.exp();",
        "    return Ops.twice(y).sum().item();",
        "  }",
        "}",
        "class Ops {",
        "  public static Tensor twice(Tensor x) {",
        "    return x.mul(2.0);",
        "  }",
        "  public static Tensor twiceVjpX(Tensor gy, Tensor y, Tensor x) {",
        "    return gy.mul(2.0);",
        "  }",
        "}");
    assertThat(Compile.sources(source)).hadErrorContaining(
        "[ADJ240] argument 1 of Ops.twice (it has no @Jvp forward rule) is not supported by Mode.FORWARD yet")
        .inFile(source).onLineContaining("Ops.twice(y)");
  }

  @Test
  void aUserOpsForwardRuleIsUsed() throws Exception {
    JavaFileObject source = Compile.source("p.W",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.Jvp;",
        "import dev.adjoint.Mode;",
        "import dev.adjoint.tensor.Tensor;",
        "public class W {",
        "  @Differentiable(modes = Mode.FORWARD)",
        "  public static double f(Tensor x) {",
        "    return Ops2.cube(x).sum().item();",
        "  }",
        "}",
        "class Ops2 {",
        "  public static Tensor cube(Tensor x) {",
        "    return x.mul(x).mul(x);",
        "  }",
        "  public static Tensor cubeVjpX(Tensor gy, Tensor y, Tensor x) {",
        "    return gy.mul(x.square()).mul(3.0);",
        "  }",
        "  @Jvp(of = \"cube\", wrt = \"x\")",
        "  public static Tensor cubeTangent(Tensor dx, Tensor y, Tensor x) {",
        "    return dx.mul(x.square()).mul(3.0);",
        "  }",
        "}");
    Compilation c = Compile.sources(source);
    assertThat(c).succeededWithoutWarnings();
    Class<?> grad = Compile.load(c).loadClass("p.WGrad");
    Tensor x = Tensor.vector(1, -2, 0.5);
    Object jvp = grad.getMethod("fJvp", Tensor.class, Tensor.class).invoke(null, x, Tensor.vector(1, 1, 2));
    double tangent = (Double) jvp.getClass().getMethod("tangent").invoke(jvp);
    org.junit.jupiter.api.Assertions.assertEquals(3 * 1 + 3 * 4 + 3 * 0.25 * 2, tangent, 1e-12);
  }

  @Test
  void aForwardRuleThatMatchesNoInputIsAnErrorAtTheRule() {
    JavaFileObject source = Compile.source("p.Ops3",
        "package p;",
        "import dev.adjoint.Jvp;",
        "import dev.adjoint.tensor.Tensor;",
        "public class Ops3 {",
        "  public static Tensor cube(Tensor x) {",
        "    return x.mul(x).mul(x);",
        "  }",
        "  @Jvp(of = \"cube\", wrt = \"y\")",
        "  public static Tensor cubeJvpY(Tensor dx, Tensor y, Tensor x) {",
        "    return dx;",
        "  }",
        "  @Jvp(of = \"cube\", wrt = \"x\")",
        "  public static double cubeJvpX(Tensor dx, Tensor y, Tensor x) {",
        "    return 0;",
        "  }",
        "  @Jvp(of = \"cub\", wrt = \"x\")",
        "  public static Tensor cubJvpX(Tensor dx, Tensor y, Tensor x) {",
        "    return dx;",
        "  }",
        "}");
    Compilation c = Compile.sources(source);
    assertThat(c).hadErrorContaining("[ADJ243] @Jvp(of = \"cube\", wrt = \"y\") on Ops3.cubeJvpY: 'y' is not an"
        + " input of cube; its inputs are [x]").inFile(source).onLineContaining("cubeJvpY(");
    assertThat(c).hadErrorContaining("[ADJ243] @Jvp(of = \"cube\", wrt = \"x\") on Ops3.cubeJvpX: its second"
        + " parameter (the op's value) and its result must have the op's result type")
        .inFile(source).onLineContaining("cubeJvpX(");
    assertThat(c).hadErrorContaining("[ADJ243] @Jvp(of = \"cub\", wrt = \"x\") on Ops3.cubJvpX: there is no public"
        + " method 'cub' in Ops3").inFile(source).onLineContaining("cubJvpX(");
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
