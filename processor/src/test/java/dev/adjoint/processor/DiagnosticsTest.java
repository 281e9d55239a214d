package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every diagnostic in the catalogue, case by case: the message (tag and text) and the exact line.
 * Each case is a method body; the line containing {@code marker} must carry the error.
 */
class DiagnosticsTest {

  static Stream<Arguments> bodyErrors() {
    return Stream.of(
        // statements the straight-line subset does not have yet
        err("for loop", "double s = 0; for (int i = 0; i < 3; i++) { s += x; } return s;", "for (", "[ADJ201] for loops are not supported yet"),
        err("while loop", "double s = x; while (s < 10) { s = s * 2; } return s;", "while (", "[ADJ201] while loops"),
        err("do loop", "double s = x; do { s = s * 2; } while (s < 10); return s;", "do {", "[ADJ201] do/while loops"),
        err("enhanced for", "double s = 0; for (double v : new double[] {x}) { s += v; } return s;", "for (double v", "[ADJ201] enhanced for loops"),
        err("if", "if (x > 0) { return x; } return -x;", "if (x > 0)", "[ADJ202] an if statement is not supported yet"),
        err("ternary", "return x > 0 ? x : -x;", "return x > 0", "[ADJ202] the conditional operator ?:"),
        err("switch", "int k = 1; switch (k) { default: x = x * 2; } return x;", "switch (k)", "[ADJ202] a switch statement"),
        err("try", "try { return x; } catch (RuntimeException e) { return 0; }", "try {", "[ADJ203] try/catch/finally cannot be differentiated"),
        err("lambda", "java.util.function.DoubleUnaryOperator f = v -> v * v; return x;", "v -> v * v", "[ADJ204] a lambda expression cannot be differentiated"),
        err("method reference", "java.util.function.DoubleUnaryOperator f = Math::sin; return x;", "Math::sin", "[ADJ204] a method reference"),
        err("static field write", "COUNT = x; return x;", "COUNT = x", "[ADJ205] writing field 'COUNT' is not supported"),
        err("this field write", "this.state = x; return x;", "this.state = x", "[ADJ205] writing field 'state'"),
        err("array read", "double[] a = {x}; return a[0];", "return a[0]", "[ADJ206] arrays are not supported yet (an array read)"),
        err("array creation", "double[] a = new double[2]; return x;", "new double[2]", "[ADJ206] arrays are not supported yet (an array creation)"),
        err("synchronized", "synchronized (Bodies.class) { x = x * 2; } return x;", "synchronized (", "[ADJ207] a synchronized block is not supported"),
        err("throw", "throw new IllegalStateException();", "throw new", "[ADJ207] throw is not supported"),
        err("unused call", "Math.sin(x); return x;", "Math.sin(x);", "[ADJ207] a call whose result is unused"),
        err("new object", "Object o = new Object(); return x;", "new Object()", "[ADJ208] creating an object is not supported"),
        err("bitwise", "int k = 3 << 1; return x * k;", "3 << 1", "[ADJ208] the operator or expression '3 << 1'"),
        err("Math without rule", "return Math.copySign(x, -1.0);", "copySign", "[ADJ209] no derivative rule for Math.copySign with 2 arguments"),
        err("Math arity", "return Math.max(x);", "Math.max(x)", "[ADJ209] no derivative rule for Math.max with 1 argument"),
        err("string", "String s = \"a\"; return x;", "\"a\"", "[ADJ210] values of type String are not supported"),
        err("unresolved", "return x * nowhere;", "nowhere", "[ADJ211] cannot resolve 'nowhere'"),
        err("private field", "return x * secret;", "x * secret", "[ADJ212] field Bodies.secret is private, so the generated class BodiesGrad cannot read it"),
        err("assignment in expression", "double y; double z = (y = x) * 2; return z;", "(y = x)", "[ADJ213] an assignment or increment inside an expression"),
        err("call to own method", "return helper(x);", "helper(x)", "[ADJ214] calling helper(...) is not supported yet"),
        err("call to other class", "return Double.valueOf(x);", "Double.valueOf", "[ADJ214] calling Double.valueOf(...)"),
        err("return without value", "return;", "return;", "[ADJ207] return without a value is not supported"));
  }

  private static Arguments err(String name, String body, String marker, String message) {
    return Arguments.of(name, body, marker, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodyErrors")
  void bodyErrorIsReportedAtItsLine(String name, String body, String marker, String message) {
    JavaFileObject source = Compile.source("p.Bodies",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Bodies {",
        "  static double COUNT;",
        "  double state;",
        "  private double secret = 2;",
        "  static double helper(double v) { return v; }",
        "  @Differentiable",
        "  double f(double x) {",
        "    " + body.replace("; ", ";\n    ").replace("{ ", "{\n    "),
        "  }",
        "}");
    Compilation compilation = Compile.sources(source);
    assertThat(compilation).hadErrorContaining(message).inFile(source).onLineContaining(marker);
    assertFalse(Compile.generatedEvenOnError(source).containsKey("BodiesGrad.java"),
        "a method with an error must get no generated code");
  }

  static Stream<Arguments> signatureErrors() {
    return Stream.of(
        err("result type", "@Differentiable static int f(double x) { return 1; }", "static int f", "[ADJ102] the result of a @Differentiable method must be double or float, not int"),
        err("unknown wrt", "@Differentiable(wrt = {\"y\"}) static double f(double x) { return x; }", "static double f", "[ADJ103] wrt names 'y', which is not a parameter of f; its parameters are: x"),
        err("wrt int", "@Differentiable(wrt = {\"n\"}) static double f(double x, int n) { return x * n; }", "int n)", "[ADJ104] wrt names parameter 'n' of type int, which cannot be differentiated"),
        err("wrt and NoDerivative", "@Differentiable(wrt = {\"x\"}) static double f(@NoDerivative double x) { return x; }", "@NoDerivative double x", "[ADJ105] parameter 'x' is listed in wrt and also marked @NoDerivative"),
        err("nothing", "@Differentiable static double f(int n) { return n; }", "static double f", "[ADJ106] f has no parameter to differentiate with respect to"),
        err("value parameter", "@Differentiable static double f(double value) { return value; }", "double value)", "[ADJ107] parameter 'value' clashes with the component 'value'"),
        err("overload", "@Differentiable static double f(double x) { return x; }\n  @Differentiable static double f(double x, double y) { return x * y; }", "double f(double x, double y)", "[ADJ108] another @Differentiable method named 'f' exists in p.Sig"),
        err("array parameter", "@Differentiable static double f(double x, double[] a) { return x; }", "double[] a", "[ADJ109] parameter 'a' has type double[], which Adjoint cannot differentiate yet"),
        err("abstract", "@Differentiable abstract double f(double x);", "abstract double f", "[ADJ101] f has no body to differentiate"),
        err("generic", "@Differentiable static <T> double f(double x) { return x; }", "<T> double f", "[ADJ111] generic methods cannot be differentiated yet"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signatureErrors")
  void signatureErrorIsReportedAtTheDeclaration(String name, String member, String marker, String message) {
    JavaFileObject source = Compile.source("p.Sig",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.NoDerivative;",
        "abstract class Sig {",
        "  " + member,
        "}");
    assertThat(Compile.sources(source)).hadErrorContaining(message).inFile(source).onLineContaining(marker);
  }

  @Test
  void missingReturnIsLeftToJavacAndGeneratesNothing() {
    JavaFileObject source = Compile.source("p.NoReturn",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class NoReturn {",
        "  @Differentiable static double f(double x) {",
        "    double y = x * x;",
        "  }",
        "}");
    Compilation compilation = Compile.sources(source);
    assertThat(compilation).hadErrorContaining("missing return statement");
    assertThat(compilation).hadErrorCount(1);
    assertFalse(Compile.generatedEvenOnError(source).containsKey("NoReturnGrad.java"));
  }

  @Test
  void instanceMethodOfAGenericClassCompilesWithoutWarnings() {
    JavaFileObject source = Compile.source("p.Box",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Box<T, U> {",
        "  double w = 3;",
        "  @Differentiable double f(double x) { return w * x * x; }",
        "}");
    Compilation compilation = javac().withProcessors(new AdjointProcessor())
        .withOptions("-Xlint:all,-processing", "-Werror").compile(source);
    assertThat(compilation).succeededWithoutWarnings();
    assertTrue(Compile.generated(compilation, "p.BoxGrad").contains("public static F f(Box<?, ?> self, double x)"));
  }

  @Test
  void privateNestedClassIsRejected() {
    JavaFileObject source = Compile.source("p.Outer",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Outer {",
        "  private static class Hidden {",
        "    @Differentiable static double f(double x) { return x * x; }",
        "  }",
        "}");
    assertThat(Compile.sources(source))
        .hadErrorContaining("[ADJ110] p.Outer.Hidden is private, so the generated class Outer_HiddenGrad cannot use it")
        .inFile(source).onLineContaining("double f(");
  }

  @Test
  void allErrorsOfAMethodAreReportedInOneCompile() {
    JavaFileObject source = Compile.source("p.Many",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Many {",
        "  @Differentiable static double f(double x) {",
        "    double a = Math.copySign(x, 1.0);",
        "    double b = x * missing;",
        "    return a + b;",
        "  }",
        "}");
    Compilation compilation = Compile.sources(source);
    assertThat(compilation).hadErrorContaining("[ADJ209]").inFile(source).onLineContaining("copySign");
    assertThat(compilation).hadErrorContaining("[ADJ211]").inFile(source).onLineContaining("missing");
  }

  @Test
  void goodMethodsAreStillGeneratedBesideABadOne() {
    JavaFileObject source = Compile.source("p.Mixed",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Mixed {",
        "  @Differentiable static double good(double x) { return x * x; }",
        "  @Differentiable static double bad(double x) { for (;;) { } }",
        "}");
    Compilation compilation = Compile.sources(source);
    assertThat(compilation).hadErrorContaining("[ADJ201]").inFile(source).onLineContaining("bad(");
    String generated = Compile.generatedEvenOnError(source).get("MixedGrad.java");
    assertTrue(generated != null && generated.contains("public static Good good(double x)"), "MixedGrad: " + generated);
    assertFalse(generated.contains(" bad("), generated);
  }

  @Test
  void parameterThatCannotReachTheResultGetsAWarning() {
    JavaFileObject source = Compile.source("p.Unused",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Unused {",
        "  @Differentiable static double f(double x, double y) {",
        "    return x * Math.floor(y);",
        "  }",
        "}");
    Compilation compilation = Compile.sources(source);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningContaining("[ADJ301] the result of f does not depend on parameter 'y'")
        .inFile(source).onLineContaining("double y)");
  }
}
