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
        err("array alias", "double[] a = new double[2]; double[] b = a; return x;", "double[] b = a", "[ADJ216] 'b' would make two names for one array"),
        err("array replaced", "double[] a = new double[2]; a = new double[3]; return x;", "a = new double[3]", "[ADJ216] 'a' would make two names for one array (or replace a whole array)"),
        err("row view replaced", "double[][] m = new double[2][2]; double[] r = m[0]; r = m[1]; return x;", "r = m[1]", "[ADJ216] 'r' would make two names for one array (or replace a whole array), and the gradient of aliased arrays is ambiguous; 'r' is a view of a row; declare another view for another row"),
        err("array in loop", "for (int i = 0; i < 2; i++) { double[] t = new double[2]; x = x + t[0]; } return x;", "double[] t", "[ADJ217] array 't' is created inside a loop"),
        err("array initializer in expression", "return x * sum(new double[] {x});", "new double[] {x}", "[ADJ208] this array creation is not supported"),
        err("call without derivative", "return Double.sum(x, x);", "Double.sum(x, x)", "[ADJ214] Double.sum(...) has no derivative; ways out: mark it @Differentiable"),
        err("helper that cannot be differentiated on demand", "return risky(x);", "risky(x)",
            "[ADJ229] risky(...) is differentiated on demand here (it is not @Differentiable, and an argument depends on"
                + " the inputs), but it cannot be: Bodies.risky (line 8) has: [ADJ203] try/catch/finally"),
        err("private static field that is not final", "return mutable * x;", "mutable * x",
            "[ADJ231] the private field Bodies.mutable cannot be copied into the generated class (which cannot read"
                + " it): it is not static final, so the generated class cannot copy it"),
        err("private constant built by a call", "return BUILT * x;", "BUILT * x",
            "[ADJ231] the private field Bodies.BUILT cannot be copied into the generated class (which cannot read"
                + " it): its initializer calls build; make it package-private"),
        err("private helper that cannot be differentiated", "return secretHelper(1.0) * x;", "secretHelper(1.0)",
            "[ADJ230] secretHelper(...) is private, so the generated class takes its value from the gradient Adjoint"
                + " generates for it on demand, but it cannot be differentiated: Bodies.secretHelper (line 9) has: [ADJ203]"),
        err("call to other class", "return Double.valueOf(x);", "Double.valueOf", "[ADJ214] Double.valueOf(...) (its result is java.lang.Double, not double, float or Tensor) has no derivative"),
        err("call without a partial", "return two(x, x);", "two(x, x)", "[ADJ218] the argument for parameter 'b' of Bodies.two depends on the differentiated inputs, but it has no derivative with respect to it"),
        err("case variable used in a later case", "switch ((int) x) { case 0: double t = x; case 1: t = 2; x = t; } return x;", "case 1:", "[ADJ207] using 't', declared in an earlier case, in this case"),
        err("callee writes an array", "double[] a = new double[1]; a[0] = x; return scale(a);", "scale(a)", "[ADJ224] scale(...) writes into its array parameter 'v'"),
        err("tensor op without a rule", "dev.adjoint.tensor.Tensor t = dev.adjoint.tensor.Tensor.zeros(2); return t.set(x, 0).sum().item();", "t.set(x, 0)", "[ADJ209] no derivative rule for Tensor.set with respect to argument 1 (there is no setVjp... rule for it)"),
        err("tensor factory with a varying value", "return dev.adjoint.tensor.Tensor.full(x, 3).sum().item();", "Tensor.full(x, 3)", "[ADJ209] no derivative rule for Tensor.full with respect to argument 1"),
        err("indexing a call's array", "double[] a = new double[1]; return x * dev.adjoint.tensor.Tensor.scalar(x).toArray()[0];", "toArray()[0]", "[ADJ208] indexing the result of 'dev.adjoint.tensor.Tensor.scalar(x).toArray()' is not supported"),
        err("switch on double", "switch (\"s\".length()) { default: x = x * 2; } return x;", "switch (", "[ADJ2"),
        err("try", "try { return x; } catch (RuntimeException e) { return 0; }", "try {", "[ADJ203] try/catch/finally cannot be differentiated"),
        err("lambda", "java.util.function.DoubleUnaryOperator f = v -> v * v; return x;", "v -> v * v", "[ADJ204] a lambda expression cannot be differentiated"),
        err("anonymous class", "java.util.function.DoubleSupplier g = new java.util.function.DoubleSupplier() { public double getAsDouble() { return 1; } }; return x;", "new java.util.function.DoubleSupplier()", "[ADJ204] an anonymous class cannot be differentiated: the code it holds runs elsewhere; write the computation inline"),
        err("method reference", "java.util.function.DoubleUnaryOperator f = Math::sin; return x;", "Math::sin", "[ADJ204] a method reference"),
        err("static field write", "COUNT = x; return x;", "COUNT = x", "[ADJ205] writing field 'COUNT' is not supported"),
        err("this field write", "this.state = x; return x;", "this.state = x", "[ADJ205] writing field 'state'"),
        err("synchronized", "synchronized (Bodies.class) { x = x * 2; } return x;", "synchronized (", "[ADJ207] a synchronized block is not supported"),
        err("throw reading an instance field", "if (x < 0) throw new IllegalStateException(\"x < \" + secret); return x;", "\"x < \" + secret", "[ADJ208] reading 'secret' in the thrown exception is not supported in a @Differentiable method; build the message from parameters, locals, static constants and method calls"),
        err("throw calling a private method", "if (x < 0) throw new IllegalStateException(describe(x)); return x;", "describe(x)", "[ADJ228] method describe(...) is private, so the generated class BodiesGrad cannot call it"),
        err("unused call", "f(x); return x;", "f(x);", "[ADJ207] a call whose result is unused"),
        err("private call for its effect", "hidden(3); return x;", "hidden(3)", "[ADJ228] method hidden(...) is private, so the generated class BodiesGrad cannot call it; make it package-private"),
        err("call for its effect writes an array", "double[] a = new double[1]; a[0] = x; fillOnes(a); return a[0];", "fillOnes(a)", "[ADJ224] fillOnes(...) writes into its array parameter 'v'"),
        err("library call may write an array", "double[] a = new double[2]; a[0] = x; java.util.Arrays.fill(a, 1.0); return a[0];", "Arrays.fill", "[ADJ226] java.util.Arrays.fill(...) may write into the array 'a' it is given (its source is not at hand to check)"),
        err("double from bits", "long b = Double.doubleToRawLongBits(x); double m = Double.longBitsToDouble(b & 0xFFFFFFFFL); return m * x;", "double m =", "[ADJ227] Double.longBitsToDouble(...) rebuilds a floating-point value from the bits of 'x', which depends on the differentiated inputs: no derivative flows through bits, so the gradient would be silently zero"),
        err("write into a constant table", "TABLE[0] = x; return x;", "TABLE[0] = x", "[ADJ205] writing field 'TABLE' is not supported"),
        err("new object", "Object o = new StringBuilder(); return x;", "new StringBuilder()", "[ADJ208] creating an object is not supported"),
        err("Math without rule", "return Math.nextAfter(x, -1.0);", "nextAfter", "[ADJ209] no derivative rule for Math.nextAfter with 2 arguments"),
        err("Math.random", "return x * Math.random();", "Math.random()", "[ADJ208] Math.random() is not supported in a @Differentiable method; draw the random numbers outside and pass them in as @NoDerivative parameters"),
        err("object method given a varying number", "return SCALER.times(x);", "SCALER.times(x)", "[ADJ250] SCALER.times(...) calls a method of an object that carries no derivative, but it is given a floating-point argument, which may depend on the inputs, and Adjoint has no derivative rule for it"),
        err("object method returning an object", "return x * SCALER.self().factor();", "SCALER.self()", "[ADJ250] SCALER.self(...) calls a method of an object that carries no derivative, but its result, of type p.Bodies.Scaler, is not a number or a boolean"),
        err("object method that may change", "return x * SCALER.next();", "SCALER.next()", "[ADJ250] SCALER.next(...) calls a method of an object that carries no derivative, but Adjoint cannot tell that it gives the same value each time"),
        err("private object built by a call", "return x * MADE.factor();", "MADE.factor()", "[ADJ231] the private field Bodies.MADE cannot be copied into the generated class (which cannot read it): its initializer is not new T(...) of a class"),
        err("private object built from a variable", "return x * SCALED.factor();", "SCALED.factor()", "[ADJ231] the private field Bodies.SCALED cannot be copied into the generated class (which cannot read it): its constructor is given 'COUNT', not a literal or a number constant"),
        err("object method outside the compilation", "return x * RANDOM.nextGaussian();", "RANDOM.nextGaussian()", "[ADJ250] RANDOM.nextGaussian(...) calls a method of an object that carries no derivative, but Adjoint cannot tell that it gives the same value each time (it is not a getter of final fields whose source is in the compilation)"),
        err("value object method without a rule", "org.apache.commons.numbers.core.DD d = org.apache.commons.numbers.core.DD.ofSquare(x); return d.negate().hi();",
            "d.negate()", "[ADJ251] calling d.negate(...): a DD stands for a number, which Adjoint differentiates by replacing the object with its parts; that needs a local variable created by one of its factories (DD.of(x), DD.ofSum(x, y), DD.ofDifference(x, y), DD.ofProduct(x, y), DD.ofSquare(x)) and only used through hi(), lo(), doubleValue(); compute with the numbers it gives instead"),
        err("value object chosen by a condition", "org.apache.commons.numbers.core.DD d = x > 0 ? org.apache.commons.numbers.core.DD.ofSquare(x) : org.apache.commons.numbers.core.DD.of(x); return d.hi();",
            "x > 0 ?", "[ADJ251] creating the DD 'd' this way: a DD stands for a number"),
        err("changing object shared by two variables", "org.apache.commons.numbers.core.Sum s = org.apache.commons.numbers.core.Sum.create(); org.apache.commons.numbers.core.Sum t = s.add(x); return t.getAsDouble();",
            "Sum t =", "[ADJ251] making the Sum 't' share the object of 's': a Sum stands for a number"),
        err("changing object where it may not run", "org.apache.commons.numbers.core.Sum s = org.apache.commons.numbers.core.Sum.of(x); return x > 0 ? s.add(x).getAsDouble() : x;",
            "return x > 0", "[ADJ251] calling add(...) where it may not run, or runs more than once,: a Sum stands for a number"),
        err("changing object read elsewhere in its statement", "org.apache.commons.numbers.core.Sum s = org.apache.commons.numbers.core.Sum.of(x); return s.getAsDouble() * s.add(x).getAsDouble();",
            "return s.get", "[ADJ251] changing the Sum 's' in a statement that also reads it"),
        err("null for an array that carries a derivative", "return sum(null) * x;", "sum(null)",
            "[ADJ208] null as an argument for the double[] parameter of sum(...) is not supported in a @Differentiable method; pass an array (null is only taken where no derivative flows)"),
        err("object made from a varying value", "Tol t = new Tol(x * 2); return x * t.eps();", "new Tol(x * 2)",
            "[ADJ252] new Tol(...) is given a value that depends on the inputs, but the object carries no derivative, so the derivative through it would be lost"),
        err("object that may change", "Scaler made = new Scaler(); return x * made.factor();", "Scaler made",
            "[ADJ208] creating an object is not supported in a @Differentiable method; only objects whose fields are all final can be created (Scaler has a field that may change)"),
        err("Math arity", "return Math.max(x);", "Math.max(x)", "[ADJ209] no derivative rule for Math.max with 1 argument"),
        err("string", "String s = \"a\"; return x;", "String s", "[ADJ210] values of type String are not supported"),
        err("unresolved", "return x * nowhere;", "nowhere", "[ADJ211] cannot resolve 'nowhere'"),
        err("private field", "return x * secret;", "x * secret", "[ADJ212] field Bodies.secret is private, so the generated class BodiesGrad cannot read it"),
        err("assignment read elsewhere", "double y = 0; double z = (y = x) * y; return z;", "double z", "[ADJ213] an assignment or increment to 'y', which the statement also reads elsewhere, is not supported; write it as its own statement"),
        err("increment that may not run", "int i = 0; double y = x > 0 ? x * i++ : x; return y;", "double y", "[ADJ213] an assignment or increment in an operand of ?: (it may not run) is not supported"),
        err("do-while condition with continue", "int k = 0; do { if (k == 1) continue; x = x * 2; } while (++k < 3); return x;", "do {", "[ADJ213] an assignment or increment in the condition of a do ... while loop whose body has a continue"),
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
        "  static double risky(double v) { try{ return v; } finally{ } }",
        "  private static double secretHelper(double v) { try{ return v; } finally{ } }",
        "  private static double mutable = 1;",
        "  private static final double BUILT = build();",
        "  static double build() { return 2; }",
        "  private static void hidden(int n) { }",
        "  private static String describe(double v) { return \"v = \" + v; }",
        "  static void fillOnes(double[] v) { v[0] = 1; }",
        "  static final double[] TABLE = {1, 2};",
        "  static final class Scaler {",
        "    final double factor = 2; double count;",
        "    double times(double v) { return factor * v; }",
        "    Scaler self() { return this; }",
        "    Scaler() { }",
        "    Scaler(double c) { count = c; }",
        "    static Scaler make() { return new Scaler(); }",
        "    double factor() { return factor; }",
        "    double next() { return count++; }",
        "  }",
        "  static final Scaler SCALER = new Scaler();",
        "  static final class Tol { final double eps; Tol(double eps) { this.eps = eps; } double eps() { return eps; } }",
        "  static final java.util.Random RANDOM = new java.util.Random(1);",
        "  private static final Scaler MADE = Scaler.make();",
        "  private static final Scaler SCALED = new Scaler(COUNT);",
        "  static double sum(double[] v) { return v[0]; }",
        "  @dev.adjoint.Differentiable static double sumD(double[] v) { return v[0]; }",
        "  static double two(double a, double b) { return a * b; }",
        "  @dev.adjoint.Differentiable static double scale(double[] v) { v[0] = v[0] * 2; return v[0]; }",
        "  @dev.adjoint.Derivative(of = \"two\", wrt = \"a\") static double twoDa(double a, double b) { return b; }",
        "  @Differentiable",
        "  double f(double x) {",
        "    " + body.replace("; ", ";\n    ").replace("{ ", "{\n    "),
        "  }",
        "}");
    Compilation compilation = Compile.sources(source);
    assertThat(compilation).hadErrorContaining(message).inFile(source).onLineContaining(marker);
    String generated = Compile.generatedEvenOnError(source).get("BodiesGrad.java");
    assertTrue(generated != null && generated.contains("public static SumD sumD("),
        "the good method beside it is generated: " + generated);
    assertTrue(generated.contains("@WritesArguments(\"v\")\n  public static Scale scale("), generated);
    assertFalse(generated.contains("public static F f("), "a method with an error must get no generated code");
  }

  static Stream<Arguments> signatureErrors() {
    return Stream.of(
        err("result type", "@Differentiable static int f(double x) { return 1; }", "static int f", "[ADJ102] the result of a @Differentiable method must be double, float or Tensor, not int"),
        err("unknown wrt", "@Differentiable(wrt = {\"y\"}) static double f(double x) { return x; }", "static double f", "[ADJ103] wrt names 'y', which is not a parameter of f; its parameters are: x"),
        err("wrt int", "@Differentiable(wrt = {\"n\"}) static double f(double x, int n) { return x * n; }", "int n)", "[ADJ104] wrt names parameter 'n' of type int, which cannot be differentiated"),
        err("wrt and NoDerivative", "@Differentiable(wrt = {\"x\"}) static double f(@NoDerivative double x) { return x; }", "@NoDerivative double x", "[ADJ105] parameter 'x' is listed in wrt and also marked @NoDerivative"),
        err("nothing", "@Differentiable static double f(int n) { return n; }", "static double f", "[ADJ106] f has no parameter to differentiate with respect to"),
        err("private enum parameter", "private enum Kind { A, B }\n  @Differentiable static double f(double x, Kind kind) { return x; }", "Kind kind)", "[ADJ110] p.Sig.Kind is private, so the generated class SigGrad cannot use it"),
        err("value and valueBar parameters", "@Differentiable static double f(double value, double valueBar) { return value * valueBar; }", "double valueBar)", "[ADJ107] parameters 'value' and 'valueBar' would both need the component 'valueBar' of the generated record"),
        err("overload", "@Differentiable static double f(double x) { return x; }\n  @Differentiable static double f(double x, double y) { return x * y; }", "double f(double x, double y)", "[ADJ108] another @Differentiable method named 'f' exists in p.Sig"),
        err("float matrix", "@Differentiable static double f(float[][] a) { return a[0][0]; }", "float[][] a", "[ADJ109] parameter 'a' has type float[][], which Adjoint cannot differentiate yet; mark it @NoDerivative to treat it as a constant, or leave it out of wrt"),
        err("wrt float matrix", "@Differentiable(wrt = {\"a\"}) static double f(double x, float[][] a) { return x; }", "float[][] a", "[ADJ104] wrt names parameter 'a' of type float[][], which cannot be differentiated; only double, float, double[], double[][] and float[] parameters can"),
        err("float matrix local", "@Differentiable static double f(float[] a) { float[][] m = new float[2][2]; return a[0]; }", "new float[2][2]", "[ADJ208] this array creation is not supported in a @Differentiable method; create double[], double[][] or float[] arrays with new double[n], new double[n][m] or new float[n]"),
        err("derivative of nothing", "@Derivative(of = \"nope\") static double d(double x) { return 1; }", "static double d", "[ADJ220] @Derivative(of = \"nope\"): there is no method of that name in Sig"),
        err("derivative of another class's missing method", "@Derivative(of = \"Math.nope\") static double d(double x) { return 1; }", "static double d", "[ADJ220] @Derivative(of = \"Math.nope\"): there is no method 'nope' in java.lang.Math"),
        err("derivative of an unknown class", "@Derivative(of = \"Nowhere.f\") static double d(double x) { return 1; }", "static double d", "[ADJ220] @Derivative(of = \"Nowhere.f\"): there is no class 'Nowhere' here; import it or write its fully qualified name"),
        err("derivative of another class's instance method", "@Derivative(of = \"String.length\") static double d() { return 1; }", "static double d", "[ADJ220] @Derivative(of = \"String.length\"): a rule written outside the class of its method can only be for a static method"),
        err("derivative of overloads", "static double g(double x) { return x; }\n  static double g(double x, double y) { return x; }\n  @Derivative(of = \"g\") static double d(double x) { return 1; }", "static double d", "[ADJ220] @Derivative(of = \"g\"): Sig has several methods named 'g'"),
        err("derivative parameters", "static double g(double x) { return x; }\n  @Derivative(of = \"g\") static double d(double x, double y) { return 1; }", "static double d", "[ADJ221] @Derivative method d must take exactly the parameters (double x) and be static, to be the partial derivative of g"),
        err("derivative result", "static double g(double[] x) { return x[0]; }\n  @Derivative(of = \"g\") static double d(double[] x) { return 1; }", "static double d", "[ADJ221] @Derivative method d must return double[] (the type of parameter 'x'), not double"),
        err("derivative static", "static double g(double x) { return x; }\n  @Derivative(of = \"g\") double d(double x) { return 1; }", "double d(", "[ADJ221] @Derivative method d must take exactly the parameters (double x) and be static"),
        err("derivative wrt unknown", "static double g(double x) { return x; }\n  @Derivative(of = \"g\", wrt = \"y\") static double d(double x) { return 1; }", "static double d", "[ADJ222] @Derivative(wrt = \"y\"): 'g' has no parameter named 'y'; its parameters are: x"),
        err("derivative wrt int", "static double g(double x, int n) { return x; }\n  @Derivative(of = \"g\", wrt = \"n\") static double d(double x, int n) { return 1; }", "static double d", "[ADJ222] @Derivative(wrt = \"n\"): parameter 'n' has type int, which carries no derivative"),
        err("derivative wrt ambiguous", "static double g(double x, double y) { return x; }\n  @Derivative(of = \"g\") static double d(double x, double y) { return 1; }", "static double d", "[ADJ222] @Derivative(wrt = \"\"): 'g' has 2 differentiable parameters; name the one"),
        err("derivative twice", "static double g(double x) { return x; }\n  @Derivative(of = \"g\") static double d(double x) { return 1; }\n  @Derivative(of = \"g\", wrt = \"x\") static double e(double x) { return 1; }", "static double e", "[ADJ223] a second @Derivative of g with respect to 'x' (the first is d); keep one"),
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
        "import dev.adjoint.Derivative;",
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
  void aRefusedArrayInitializerIsTheOneErrorOfItsDeclaration() {
    JavaFileObject source = Compile.source("p.Copy",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Copy {",
        "  @Differentiable static double f(double[] a) {",
        "    double[] u = java.util.Arrays.copyOf(a, 2);",
        "    return u[0] * a[1];",
        "  }",
        "}");
    Compilation compilation = Compile.sources(source);
    // not also ADJ216 about the name u would give the array the refused call returns
    assertThat(compilation).hadErrorContaining("[ADJ214]").inFile(source).onLineContaining("copyOf(a, 2)");
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void aCloneInsideAnExpressionIsRefusedOnce() {
    JavaFileObject source = Compile.source("p.CloneUse",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class CloneUse {",
        "  @Differentiable static double f(double[] a, double x) {",
        "    double s = a.clone()[0] * x;",
        "    return s;",
        "  }",
        "}");
    Compilation compilation = Compile.sources(source);
    assertThat(compilation).hadErrorContaining("[ADJ255] a.clone() is supported only as the whole initializer of"
        + " a local array declaration (double[] u = a.clone();)").inFile(source).onLineContaining("a.clone()[0]");
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void aShallowCloneOfAMatrixIsRefusedAndItsUsesRaiseNothingMore() {
    JavaFileObject source = Compile.source("p.CloneMatrix",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class CloneMatrix {",
        "  @Differentiable static double f(double[][] m, double x) {",
        "    double[][] c = m.clone();",
        "    double s = 0;",
        "    for (int i = 0; i < 2; i++) {",
        "      double[] r = m[i].clone();",
        "      s += r[0] * x;",
        "    }",
        "    return s + c[0][0];",
        "  }",
        "}");
    Compilation compilation = Compile.sources(source);
    assertThat(compilation).hadErrorContaining("[ADJ216] 'c' would make two names for one array")
        .inFile(source).onLineContaining("m.clone()");
    assertThat(compilation).hadErrorContaining("m.clone() copies only the outer array, so its rows would be"
        + " shared").inFile(source).onLineContaining("m.clone()");
    assertThat(compilation).hadErrorContaining("[ADJ217] array 'r' is created inside a loop")
        .inFile(source).onLineContaining("m[i].clone()");
    assertThat(compilation).hadErrorCount(2);
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
  void aConditionWhoseCallWasRefusedGetsNoSecondError() {
    JavaFileObject source = Compile.source("p.Cond",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Cond {",
        "  private static boolean isOdd(double v) { return (((long) -v) & 0x1) == 1; }",
        "  @Differentiable static double f(double x) {",
        "    if (isOdd(x * 2)) {",
        "      return -x;",
        "    }",
        "    return x;",
        "  }",
        "}");
    Compilation compilation = Compile.sources(source);
    assertThat(compilation).hadErrorContaining("[ADJ228] method isOdd(...) is private").inFile(source)
        .onLineContaining("isOdd(x * 2)");
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void allErrorsOfAMethodAreReportedInOneCompile() {
    JavaFileObject source = Compile.source("p.Many",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Many {",
        "  @Differentiable static double f(double x) {",
        "    double a = Math.nextAfter(x, 1.0);",
        "    double b = x * missing;",
        "    return a + b;",
        "  }",
        "}");
    Compilation compilation = Compile.sources(source);
    assertThat(compilation).hadErrorContaining("[ADJ209]").inFile(source).onLineContaining("nextAfter");
    assertThat(compilation).hadErrorContaining("[ADJ211]").inFile(source).onLineContaining("missing");
  }

  @Test
  void goodMethodsAreStillGeneratedBesideABadOne() {
    JavaFileObject source = Compile.source("p.Mixed",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Mixed {",
        "  @Differentiable static double good(double x) { return x * x; }",
        "  @Differentiable static double bad(double x) { try { return x; } finally { } }",
        "}");
    Compilation compilation = Compile.sources(source);
    assertThat(compilation).hadErrorContaining("[ADJ203]").inFile(source).onLineContaining("bad(");
    String generated = Compile.generatedEvenOnError(source).get("MixedGrad.java");
    assertTrue(generated != null && generated.contains("public static Good good(double x)"), "MixedGrad: " + generated);
    assertFalse(generated.contains(" bad("), generated);
  }

  @Test
  void instanceMethodOfAModelMayCallAnother() {
    // formerly ADJ225: the call is reversed through inner's pullback, which weights w's gradient
    JavaFileObject source = Compile.source("p.Net",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.tensor.Tensor;",
        "class Net {",
        "  final Tensor w = Tensor.ones(2).requiresGrad(true);",
        "  @Differentiable double inner(double s) { return w.sum().item() * s; }",
        "  @Differentiable double outer(double s) {",
        "    double f = inner(s);",
        "    return f * f;",
        "  }",
        "}");
    assertThat(Compile.sources(source)).succeededWithoutWarnings();
  }

  @Test
  void arrayResultReturnedEarly() {
    JavaFileObject source = Compile.source("p.Early",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Early {",
        "  @Differentiable static double[] f(double[] x) {",
        "    double[] y = new double[x.length];",
        "    if (x[0] > 0) {",
        "      return y;",
        "    }",
        "    y[0] = x[0];",
        "    return y;",
        "  }",
        "}");
    assertThat(Compile.sources(source))
        .hadErrorContaining("[ADJ207] this return of a double[] result is not supported")
        .inFile(source).onLineContaining("      return y;");
  }

  @Test
  void privateParameterFieldCannotBeListed() {
    JavaFileObject source = Compile.source("p.Hidden",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.tensor.Tensor;",
        "class Hidden {",
        "  final Tensor w = Tensor.ones(2).requiresGrad(true);",
        "  private final Tensor secret = Tensor.ones(2);",
        "  @Differentiable double f(double s) { return w.sum().item() * s; }",
        "}");
    Compilation compilation = Compile.sources(source);
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .hadWarningContaining("[ADJ303] the private field 'secret' of Hidden holds parameters that namedParameters"
            + " cannot list")
        .inFile(source).onLineContaining("private final Tensor secret");
  }

  @Test
  void instanceMethodOfAnObjectThatIsNoSubModule() {
    JavaFileObject source = Compile.source("p.Holder",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Scale { double times(double x) { return 2 * x; } }",
        "class Holder {",
        "  final Scale scale = new Scale();",
        "  @Differentiable double f(double x) {",
        "    return scale.times(x);",
        "  }",
        "}");
    assertThat(Compile.sources(source))
        .hadErrorContaining("reading the field 'scale' of type p.Scale, which is not a sub-module"
            + " (no @Differentiable instance method)")
        .inFile(source).onLineContaining("return scale.times(x)");
    assertThat(Compile.sources(source)).hadErrorCount(1); // no follow-on error for the call
  }

  @Test
  void instanceMethodOfAModelThatCannotBeDifferentiatedOnDemand() {
    JavaFileObject source = Compile.source("p.Outer",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.tensor.Tensor;",
        "class Outer {",
        "  final Tensor w = Tensor.ones(2).requiresGrad(true);",
        "  double plain(double s) { try { return w.sum().item() * s; } finally { } }",
        "  @Differentiable double f(double s) {",
        "    return plain(s) + s;",
        "  }",
        "}");
    assertThat(Compile.sources(source))
        .hadErrorContaining("[ADJ229] plain(...) is differentiated on demand here")
        .inFile(source).onLineContaining("return plain(s) + s;");
    assertThat(Compile.sources(source)).hadErrorCount(1); // the helper's own error is in this one message
  }

  @Test
  void derivativeOfADifferentiableMethodIsNeverUsed() {
    JavaFileObject source = Compile.source("p.Both",
        "package p;",
        "import dev.adjoint.Derivative;",
        "import dev.adjoint.Differentiable;",
        "class Both {",
        "  @Differentiable static double g(double x) { return x * x; }",
        "  @Derivative(of = \"g\") static double gDx(double x) { return 2 * x; }",
        "}");
    Compilation compilation = Compile.sources(source);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningContaining("[ADJ302] this @Derivative is never used: g is @Differentiable")
        .inFile(source).onLineContaining("gDx");
  }

  @Test
  void differentiableCalleeCompiledEarlierWithoutItsGradClassIsReported() {
    // Lib is compiled first without the processor: LibGrad does not exist on the class path
    Compilation lib = javac().withProcessors().compile(Compile.source("q.Lib",
        "package q;",
        "public class Lib {",
        "  @dev.adjoint.Differentiable public static double sq(double x) { return x * x; }",
        "}"));
    assertThat(lib).succeeded();
    java.nio.file.Path dir;
    try {
      dir = java.nio.file.Files.createTempDirectory("adjoint-lib");
      for (JavaFileObject f : lib.generatedFiles()) {
        if (f.getKind() == JavaFileObject.Kind.CLASS) {
          java.nio.file.Path out = dir.resolve("q").resolve("Lib.class");
          java.nio.file.Files.createDirectories(out.getParent());
          try (java.io.InputStream in = f.openInputStream()) {
            java.nio.file.Files.copy(in, out);
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    JavaFileObject user = Compile.source("p.User",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class User {",
        "  @Differentiable static double f(double x) {",
        "    return q.Lib.sq(x) + x;",
        "  }",
        "}");
    Compilation compilation = javac().withProcessors(new AdjointProcessor())
        .withClasspath(classpathWith(dir)).compile(user);
    assertThat(compilation).hadErrorContaining("[ADJ219] q.Lib.sq(...) is @Differentiable, but its generated class q.LibGrad is not on the class path")
        .inFile(user).onLineContaining("q.Lib.sq(x)");
  }

  private static java.util.List<java.io.File> classpathWith(java.nio.file.Path dir) {
    java.util.List<java.io.File> cp = new java.util.ArrayList<>();
    cp.add(dir.toFile());
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      cp.add(new java.io.File(entry));
    }
    return cp;
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
