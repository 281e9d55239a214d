package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Forward mode and Hessian-vector products of a corpus of scalar, control-flow, array and call
 * programs ({@code forward/Corpus.java}), compiled with the processor and run: {@code mJvp}'s value
 * is the method's, its tangent the Richardson central difference along the direction and the
 * gradient's inner product with it; {@code mHvp} is the central difference of the generated
 * gradient along the direction, is symmetric ({@code <u, Hv> = <v, Hu>}), and for two programs
 * equals Hipparchus {@code DerivativeStructure} of order 2. Points where the method is not smooth
 * along the direction (a branch decided within the step) are skipped, and each program must still
 * be checked at most points.
 */
class ForwardModeTest {
  private static final List<String> JVP = List.of("rosenbrock", "branches", "loops", "arrays", "matrix", "zoo",
      "calls", "recursion", "dotCall", "helpers", "checkpointed", "libraries");
  private static final List<String> HVP = List.of("rosenbrock", "branches", "loops", "arrays", "matrix", "zoo",
      "dotCall", "helpers", "checkpointed", "libraries");
  private static final int POINTS = 12;

  private static Class<?> primal;
  private static Class<?> grad;

  @BeforeAll
  static void compile() throws Exception {
    Compilation c = Compile.sources(JavaFileObjects.forResource(
        ForwardModeTest.class.getClassLoader().getResource("forward/Corpus.java")));
    assertThat(c).succeededWithoutWarnings();
    ClassLoader loader = Compile.load(c);
    primal = loader.loadClass("forward.Corpus");
    grad = loader.loadClass("forward.CorpusGrad");
  }

  @TestFactory
  Stream<DynamicTest> jvpIsTheDirectionalDerivative() {
    return JVP.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      Program p = new Program(name);
      Random random = new Random(name.hashCode());
      int checked = 0;
      for (int k = 0; k < POINTS; k++) {
        Object[] x = p.point(random);
        Object[] d = p.direction(random);
        Object jvp = p.call(grad, name + "Jvp", concat(x, d));
        double value = p.f(x);
        assertEquals(value, component(jvp, "value"), 1e-12 * Math.max(1, Math.abs(value)), name + " value");
        double tangent = component(jvp, "tangent");
        double[] fd = p.richardson(s -> new double[] {p.f(p.along(x, d, s))}, x);
        if (fd == null) {
          continue;
        }
        checked++;
        assertEquals(fd[0], tangent, 1e-6 * Math.max(1, Math.abs(fd[0])), name + " tangent vs finite differences at "
            + Arrays.deepToString(x));
        if (p.hasGradient()) {
          double inner = dot(p.gradient(x), flat(d));
          assertEquals(inner, tangent, 1e-10 * Math.max(1, Math.abs(inner)), name + " tangent vs <gradient, direction>");
        }
      }
      assertTrue(checked >= POINTS / 2, name + ": only " + checked + " smooth points");
    }));
  }

  @TestFactory
  Stream<DynamicTest> hvpIsTheGradientsDirectionalDerivativeAndSymmetric() {
    return HVP.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      Program p = new Program(name);
      Random random = new Random(name.hashCode() + 1);
      int checked = 0;
      for (int k = 0; k < POINTS; k++) {
        Object[] x = p.point(random);
        Object[] u = p.direction(random);
        Object[] v = p.direction(random);
        double[] hv = p.hvp(x, v);
        double[] hu = p.hvp(x, u);
        double scale = Math.max(1, Math.max(maxAbs(hv), maxAbs(hu)));
        assertEquals(dot(flat(u), hv), dot(flat(v), hu), 1e-10 * scale * (1 + maxAbs(flat(u)) * maxAbs(flat(v))),
            name + " <u, Hv> = <v, Hu>");
        double[] fd = p.richardson(s -> p.gradient(p.along(x, v, s)), x);
        if (fd == null) {
          continue;
        }
        checked++;
        double tol = 1e-5 * Math.max(1, maxAbs(fd));
        for (int i = 0; i < fd.length; i++) {
          assertEquals(fd[i], hv[i], tol, name + " (Hv)[" + i + "] vs finite differences of the gradient at "
              + Arrays.deepToString(x));
        }
      }
      assertTrue(checked >= POINTS / 2, name + ": only " + checked + " smooth points");
    }));
  }

  @Test
  void jvpOfAnArrayResultIsTheArrayOfDirectionalDerivatives() throws Exception {
    Method softmax = primal.getDeclaredMethod("softmax", double[].class);
    softmax.setAccessible(true);
    Method jvp = grad.getMethod("softmaxJvp", double[].class, double[].class);
    Random random = new Random(9);
    for (int k = 0; k < 5; k++) {
      double[] z = random.doubles(5, -2, 2).toArray();
      double[] d = random.doubles(5, -1, 1).toArray();
      Object rec = jvp.invoke(null, z.clone(), d.clone());
      double[] value = (double[]) rec.getClass().getMethod("value").invoke(rec);
      double[] tangent = (double[]) rec.getClass().getMethod("tangent").invoke(rec);
      double h = 1e-5;
      double[] plus = (double[]) softmax.invoke(null, (Object) along(z, d, h));
      double[] minus = (double[]) softmax.invoke(null, (Object) along(z, d, -h));
      double[] at = (double[]) softmax.invoke(null, (Object) z.clone());
      for (int i = 0; i < z.length; i++) {
        assertEquals(at[i], value[i], 0.0, "value[" + i + "]");
        double fd = (plus[i] - minus[i]) / (2 * h);
        assertEquals(fd, tangent[i], 1e-8, "tangent[" + i + "]");
      }
    }
  }

  private static double[] along(double[] x, double[] d, double s) {
    double[] out = x.clone();
    for (int i = 0; i < x.length; i++) {
      out[i] += s * d[i];
    }
    return out;
  }

  @Test
  void hvpEqualsHipparchusSecondOrderForRosenbrock() throws Exception {
    Program p = new Program("rosenbrock");
    Random random = new Random(7);
    for (int k = 0; k < 5; k++) {
      double[] x = random.doubles(6, -1.5, 1.5).toArray();
      double[] v = random.doubles(6, -1, 1).toArray();
      DSFactory factory = new DSFactory(x.length, 2);
      DerivativeStructure[] xs = new DerivativeStructure[x.length];
      for (int i = 0; i < x.length; i++) {
        xs[i] = factory.variable(i, x[i]);
      }
      DerivativeStructure s = factory.constant(0);
      for (int i = 0; i + 1 < x.length; i++) {
        DerivativeStructure a = xs[i + 1].subtract(xs[i].multiply(xs[i]));
        DerivativeStructure b = xs[i].negate().add(1);
        s = s.add(a.multiply(a).multiply(100)).add(b.multiply(b));
      }
      assertHessianTimes(s, v, p.hvp(new Object[] {x}, new Object[] {v}), "rosenbrock");
    }
  }

  @Test
  void hvpEqualsHipparchusSecondOrderForTheMathFunctions() throws Exception {
    Program p = new Program("zoo");
    Random random = new Random(11);
    DSFactory factory = new DSFactory(2, 2);
    for (int k = 0; k < 8; k++) {
      double x0 = random.nextDouble() * 2 + 0.2;
      double y0 = random.nextDouble() * 4 - 2;
      DerivativeStructure x = factory.variable(0, x0);
      DerivativeStructure y = factory.variable(1, y0);
      DerivativeStructure a = x.pow(3).add(y.abs().add(1).pow(x));
      DerivativeStructure b = x.hypot(y).add(y.atan2(x));
      DerivativeStructure c = x.multiply(7.3).add(20).remainder(3.0)
          .add(x0 >= y0 ? x : y).subtract(x0 * y0 <= 0.2 ? x.multiply(y) : factory.constant(0.2));
      DerivativeStructure f = a.multiply(b).add(c).add(x.add(3).cbrt()).add(y.divide(4).expm1())
          .add(x.multiply(x).add(1).sqrt());
      double[] v = {random.nextGaussian(), random.nextGaussian()};
      assertHessianTimes(f, v, p.hvp(new Object[] {x0, y0}, new Object[] {v[0], v[1]}), "zoo");
    }
  }

  private static void assertHessianTimes(DerivativeStructure f, double[] v, double[] hv, String name) {
    int n = v.length;
    for (int i = 0; i < n; i++) {
      double expected = 0;
      for (int j = 0; j < n; j++) {
        int[] orders = new int[n];
        orders[i]++;
        orders[j]++;
        expected += f.getPartialDerivative(orders) * v[j];
      }
      assertEquals(expected, hv[i], 1e-9 * Math.max(1, Math.abs(expected)), name + " (Hv)[" + i + "] vs Hipparchus");
    }
  }

  /** One corpus method: its primal, its parameters, points and directions. */
  private static final class Program {
    final String name;
    final Method method;
    final Class<?>[] types;

    Program(String name) {
      this.name = name;
      this.method = Arrays.stream(primal.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst()
          .orElseThrow();
      method.setAccessible(true);
      this.types = method.getParameterTypes();
    }

    boolean hasGradient() {
      return Arrays.stream(grad.getMethods()).anyMatch(m -> m.getName().equals(name + "Vjp"));
    }

    Object[] point(Random r) {
      Object[] x = new Object[types.length];
      for (int i = 0; i < types.length; i++) {
        x[i] = sample(types[i], r, true);
      }
      return x;
    }

    /** One entry per differentiated parameter (every double, double[] and double[][] one). */
    Object[] direction(Random r) {
      List<Object> d = new ArrayList<>();
      for (Class<?> t : types) {
        if (t != int.class) {
          d.add(sample(t, r, false));
        }
      }
      return d.toArray();
    }

    private static Object sample(Class<?> t, Random r, boolean point) {
      if (t == int.class) {
        return 3;
      }
      if (t == double.class) {
        return point ? -1.5 + 3 * r.nextDouble() : r.nextGaussian();
      }
      if (t == double[].class) {
        return r.doubles(4, point ? -1.2 : -1, point ? 1.2 : 1).toArray();
      }
      double[][] m = new double[3][];
      for (int i = 0; i < 3; i++) {
        m[i] = r.doubles(4, -1, 1).toArray();
      }
      return m;
    }

    /** x + s d, d having entries only for the differentiated parameters. */
    Object[] along(Object[] x, Object[] d, double s) {
      Object[] out = deepCopy(x);
      int k = 0;
      for (int i = 0; i < x.length; i++) {
        if (types[i] == int.class) {
          continue;
        }
        Object di = d[k++];
        if (di instanceof Double dd) {
          out[i] = (Double) x[i] + s * dd;
        } else if (di instanceof double[] da) {
          double[] a = (double[]) out[i];
          for (int j = 0; j < a.length; j++) {
            a[j] += s * da[j];
          }
        } else {
          double[][] a = (double[][]) out[i];
          double[][] dm = (double[][]) di;
          for (int j = 0; j < a.length; j++) {
            for (int l = 0; l < a[j].length; l++) {
              a[j][l] += s * dm[j][l];
            }
          }
        }
      }
      return out;
    }

    double f(Object[] x) {
      try {
        return ((Number) method.invoke(null, deepCopy(x))).doubleValue();
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }

    double[] gradient(Object[] x) {
      return components(call(grad, name, x));
    }

    double[] hvp(Object[] x, Object[] d) {
      return components(call(grad, name + "Hvp", concat(x, d)));
    }

    Object call(Class<?> owner, String method, Object[] args) {
      Method m = Arrays.stream(owner.getMethods()).filter(k -> k.getName().equals(method)).findFirst()
          .orElseThrow(() -> new AssertionError("no " + method));
      try {
        return m.invoke(null, deepCopy(args));
      } catch (InvocationTargetException e) {
        throw new AssertionError(method + " threw", e.getCause());
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    }

    /**
     * Richardson-extrapolated central differences of {@code g(s)} at s = 0 (the direction is built
     * into g): R1 from steps h, h/2 and R2 from h/2, h/4 must agree, else null (not smooth there).
     */
    double[] richardson(Function<Double, double[]> g, Object[] x) {
      double h = 1e-3;
      double[] d1 = central(g, h);
      double[] d2 = central(g, h / 2);
      double[] d4 = central(g, h / 4);
      double[] r1 = new double[d1.length];
      double[] r2 = new double[d1.length];
      for (int i = 0; i < d1.length; i++) {
        r1[i] = (4 * d2[i] - d1[i]) / 3;
        r2[i] = (4 * d4[i] - d2[i]) / 3;
        if (!Double.isFinite(r2[i]) || Math.abs(r1[i] - r2[i]) > 1e-7 * Math.max(1, Math.abs(r2[i]))) {
          return null;
        }
      }
      // f(0) must be the midpoint of f(h) and f(-h) up to curvature: no jump at the point itself
      double[] mid = g.apply(0.0);
      double[] plus = g.apply(h / 4);
      double[] minus = g.apply(-h / 4);
      for (int i = 0; i < mid.length; i++) {
        if (Math.abs(plus[i] + minus[i] - 2 * mid[i]) > 1e-3 * Math.max(1, Math.abs(mid[i]))) {
          return null;
        }
      }
      return r2;
    }

    private static double[] central(Function<Double, double[]> g, double h) {
      double[] p = g.apply(h);
      double[] m = g.apply(-h);
      double[] out = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        out[i] = (p[i] - m[i]) / (2 * h);
      }
      return out;
    }
  }

  private static double component(Object record, String name) {
    try {
      return ((Number) record.getClass().getMethod(name).invoke(record)).doubleValue();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Every component but the value, flattened in order. */
  private static double[] components(Object record) {
    List<Object> parts = new ArrayList<>();
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      if (c.getName().equals("value")) {
        continue;
      }
      try {
        parts.add(c.getAccessor().invoke(record));
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return flat(parts.toArray());
  }

  private static double[] flat(Object[] values) {
    List<Double> out = new ArrayList<>();
    for (Object o : values) {
      if (o instanceof Number n) {
        out.add(n.doubleValue());
      } else if (o instanceof double[] a) {
        for (double v : a) {
          out.add(v);
        }
      } else if (o instanceof double[][] m) {
        for (double[] row : m) {
          for (double v : row) {
            out.add(v);
          }
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static Object[] deepCopy(Object[] x) {
    Object[] out = x.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] instanceof double[] a) {
        out[i] = a.clone();
      } else if (out[i] instanceof double[][] m) {
        double[][] c = new double[m.length][];
        for (int j = 0; j < m.length; j++) {
          c[j] = m[j].clone();
        }
        out[i] = c;
      }
    }
    return out;
  }

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static double dot(double[] a, double[] b) {
    assertEquals(a.length, b.length);
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /**
   * An array declared in a branch is hoisted as null when the reverse sweep needs it; under
   * Mode.HVP its tangent starts as null too (once a zerosLike(null), ambiguous between overloads;
   * found by the fuzzer with -Aadjoint.saves=all).
   */
  @Test
  void aHoistedArrayCopyHasANullTangentUntilItsDeclarationRuns() {
    Compilation c = com.google.testing.compile.Compiler.javac()
        .withOptions("-Aadjoint.saves=all").withProcessors(new AdjointProcessor())
        .compile(Compile.source("p.Hoisted",
            "package p;",
            "import dev.adjoint.Differentiable;",
            "import dev.adjoint.Mode;",
            "class Hoisted {",
            "  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})",
            "  static double f(double c, int n, double[] y, double b) {",
            "    if (n != n) {",
            "      double[] q0 = y.clone();",
            "    }",
            "    double t1 = y[(n + n) % y.length];",
            "    return t1 * c - Math.pow(t1, 2) + Math.cos(b);",
            "  }",
            "}"));
    assertThat(c).succeeded();
    String generated = Compile.generated(c, "p.HoistedGrad");
    assertTrue(generated.contains("double[] q0Dot = null;"), generated);
  }
}

