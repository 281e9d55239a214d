package dev.adjoint.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The scalar and control-flow corpora through forward mode and Hessian-vector products: every
 * method of {@link ScalarCorpus} and {@link ControlFlowCorpus} has {@code Mode.FORWARD} and, but for
 * the ones listed there with the reason (recursion, hand-written derivatives, instance callees),
 * {@code Mode.HVP}. At each corpus point (inside the domain, away from kinks and branch boundaries),
 * along a random direction d:
 *
 * <ol>
 *   <li>{@code mJvp}'s value is the method's and its tangent is ⟨∇f, d⟩ of the generated gradient
 *       (itself checked against finite differences and the Hipparchus twin by the corpus tests);
 *   <li>{@code mHvp}'s components are ∇²f·d of the corpus's Hipparchus twin evaluated as a
 *       {@link DerivativeStructure} of order 2, and ⟨u, H v⟩ = ⟨v, H u⟩.
 * </ol>
 *
 * <p>Methods are called by reflection, their arguments built from the case's parameters, so a case
 * whose method takes more than its point (an int order, a receiver) is left out; most are covered.
 */
class ForwardCorpusTest {
  private static final double JVP_REL = 1e-9;
  private static final double HVP_REL = 1e-7;

  // ---------------------------------------------------------------------------------------------
  // The scalar corpus

  @TestFactory
  Stream<DynamicTest> scalarCorpus() {
    return ScalarCorpusTest.cases().stream().filter(c -> primal(ScalarCorpus.class, c.name()) != null)
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> checkScalar(c)));
  }

  private static boolean scalarFits(ScalarCorpusTest.Case c) {
    Method m = primal(ScalarCorpus.class, c.name());
    return m != null && m.getParameterCount() == c.box().length / 2
        && Arrays.stream(m.getParameterTypes()).allMatch(t -> t == double.class || t == float.class);
  }

  private static void checkScalar(ScalarCorpusTest.Case c) throws Exception {
    if (!scalarFits(c)) {
      return;
    }
    Method m = primal(ScalarCorpus.class, c.name());
    Class<?>[] types = m.getParameterTypes();
    Method jvp = generated(ScalarCorpusGrad.class, c.name() + "Jvp");
    Method hvp = generated(ScalarCorpusGrad.class, c.name() + "Hvp");
    Random random = new Random(c.name().hashCode());
    double tol = c.floats() ? 1e-4 : JVP_REL;
    for (double[] p : c.points()) {
      double[] d = random.doubles(c.diff().length, -1, 1).toArray();
      String at = c.name() + " at " + Arrays.toString(p) + " along " + Arrays.toString(d);
      Object[] args = scalarArgs(types, p, c.diff(), d);
      Object record = jvp.invoke(null, args);
      double[] g = c.grad().apply(p);
      assertEquals(g[0], number(component(record, "value")), 0.0, at + ": mJvp's value");
      double inner = 0;
      for (int k = 0; k < d.length; k++) {
        inner += g[k + 1] * d[k];
      }
      double tangent = number(component(record, "tangent"));
      assertEquals(inner, tangent, tol * Math.max(1, Math.abs(inner)), at + ": tangent vs <gradient, d>");
      if (hvp == null || c.floats()) {
        continue;
      }
      double[][] h = scalarHessian(c, p);
      double[] hd = times(h, d);
      double[] got = components(hvp.invoke(null, args));
      assertClose(hd, got, HVP_REL, at + ": mHvp vs the twin's Hessian times d");
      double[] u = random.doubles(d.length, -1, 1).toArray();
      double[] hu = components(hvp.invoke(null, scalarArgs(types, p, c.diff(), u)));
      assertEquals(dot(u, got), dot(d, hu), HVP_REL * Math.max(1, Math.abs(dot(u, got))), at + ": <u, Hd> = <d, Hu>");
    }
  }

  private static Object[] scalarArgs(Class<?>[] types, double[] p, int[] diff, double[] d) {
    Object[] out = new Object[types.length + diff.length];
    for (int i = 0; i < types.length; i++) {
      out[i] = types[i] == float.class ? (Object) (float) p[i] : (Object) p[i];
    }
    for (int k = 0; k < diff.length; k++) {
      out[types.length + k] = types[diff[k]] == float.class ? (Object) (float) d[k] : (Object) d[k];
    }
    return out;
  }

  /** The twin's Hessian over the differentiated parameters, by Hipparchus at order 2. */
  private static double[][] scalarHessian(ScalarCorpusTest.Case c, double[] p) {
    int n = c.diff().length;
    DSFactory factory = new DSFactory(n, 2);
    DerivativeStructure[] x = new DerivativeStructure[p.length];
    for (int i = 0; i < p.length; i++) {
      x[i] = factory.constant(p[i]);
    }
    for (int k = 0; k < n; k++) {
      x[c.diff()[k]] = factory.variable(k, p[c.diff()[k]]);
    }
    return hessian(c.twin().apply(x), n);
  }

  // ---------------------------------------------------------------------------------------------
  // float[] parameters of the scalar corpus: the point holds the array's elements, then the scalars

  /** A float[] method's mJvp and mHvp at a point (p) along a direction (d), both flat. */
  private record FloatArrayCase(String name, java.util.function.BiFunction<double[], double[], Object> jvp,
      java.util.function.BiFunction<double[], double[], Object> hvp) {}

  private static List<FloatArrayCase> floatArrayCases() {
    float[] x = ScalarCorpusTest.FEATURES;
    int[] idx = ScalarCorpusTest.GATHER;
    return List.of(
        new FloatArrayCase("floatLogistic",
            (p, d) -> ScalarCorpusGrad.floatLogisticJvp(f(p, 0, 4), x, (float) p[4], f(d, 0, 4), (float) d[4]),
            (p, d) -> ScalarCorpusGrad.floatLogisticHvp(f(p, 0, 4), x, (float) p[4], f(d, 0, 4), (float) d[4])),
        new FloatArrayCase("floatSmoothing",
            (p, d) -> ScalarCorpusGrad.floatSmoothingJvp(f(p, 0, 5), p[5], f(d, 0, 5), d[5]),
            (p, d) -> ScalarCorpusGrad.floatSmoothingHvp(f(p, 0, 5), p[5], f(d, 0, 5), d[5])),
        new FloatArrayCase("gather",
            (p, d) -> ScalarCorpusGrad.gatherJvp(f(p, 0, 4), idx, 5L, 'c', p[4], f(d, 0, 4), d[4]),
            (p, d) -> ScalarCorpusGrad.gatherHvp(f(p, 0, 4), idx, 5L, 'c', p[4], f(d, 0, 4), d[4])),
        new FloatArrayCase("floatCopies",
            (p, d) -> ScalarCorpusGrad.floatCopiesJvp(f(p, 0, 3), p[3], f(d, 0, 3), d[3]),
            (p, d) -> ScalarCorpusGrad.floatCopiesHvp(f(p, 0, 3), p[3], f(d, 0, 3), d[3])),
        new FloatArrayCase("floatCalls",
            (p, d) -> ScalarCorpusGrad.floatCallsJvp(f(p, 0, 3), p[3], f(d, 0, 3), d[3]),
            (p, d) -> ScalarCorpusGrad.floatCallsHvp(f(p, 0, 3), p[3], f(d, 0, 3), d[3])));
  }

  private static float[] f(double[] p, int from, int n) {
    return ScalarCorpusTest.floats(p, from, n);
  }

  /**
   * mJvp's tangent is ⟨∇f, d⟩ of the generated gradient, and mHvp is the Hipparchus twin's Hessian
   * times d, to float accuracy (the method computes in float; its adjoints and tangents in double).
   */
  @TestFactory
  Stream<DynamicTest> floatArrays() {
    return floatArrayCases().stream().map(fc -> DynamicTest.dynamicTest(fc.name(), () -> {
      ScalarCorpusTest.Case c = ScalarCorpusTest.cases().stream().filter(k -> k.name().equals(fc.name()))
          .findFirst().orElseThrow();
      Random random = new Random(c.name().hashCode());
      for (double[] p : c.points()) {
        double[] d = random.doubles(c.diff().length, -1, 1).map(v -> (float) v).toArray();
        String at = c.name() + " at " + Arrays.toString(p) + " along " + Arrays.toString(d);
        double[] g = c.grad().apply(p);
        Object jvp = fc.jvp().apply(p, d);
        assertEquals(g[0], number(component(jvp, "value")), 0.0, at + ": mJvp's value");
        double inner = dot(Arrays.copyOfRange(g, 1, g.length), d);
        double tangent = number(component(jvp, "tangent"));
        assertEquals(inner, tangent, 1e-5 * Math.max(1, Math.abs(inner)), at + ": tangent vs <gradient, d>");
        double[] hd = times(scalarHessian(c, p), d);
        double[] got = components(fc.hvp().apply(p, d));
        assertClose(hd, got, 1e-4, at + ": mHvp vs the twin's Hessian times d");
        double[] u = random.doubles(d.length, -1, 1).map(v -> (float) v).toArray();
        double[] hu = components(fc.hvp().apply(p, u));
        assertEquals(dot(u, got), dot(d, hu), 1e-4 * Math.max(1, Math.abs(dot(u, got))), at + ": <u, Hd> = <d, Hu>");
      }
    }));
  }

  // ---------------------------------------------------------------------------------------------
  // The control-flow corpus

  @TestFactory
  Stream<DynamicTest> controlFlowCorpus() {
    return ControlFlowCorpusTest.cases().stream().filter(ForwardCorpusTest::controlFits)
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> checkControlFlow(c)));
  }

  private static boolean controlFits(ControlFlowCorpusTest.Case c) {
    return primal(ControlFlowCorpus.class, c.name()) != null && primalArgs(c, c.points().get(0)) != null;
  }

  /**
   * The method's arguments at the point: its double, double[] and double[][] parameters from the
   * case's spec in order, its int, long and boolean ones from the case name's variant
   * ({@code taylorExp(order=3)}); null when they do not line up.
   */
  private static Object[] primalArgs(ControlFlowCorpusTest.Case c, double[] p) {
    Method m = primal(ControlFlowCorpus.class, c.name());
    ControlFlowCorpusTest.Args values = c.unpack(p);
    List<String> variant = new ArrayList<>();
    java.util.regex.Matcher vm = java.util.regex.Pattern.compile("\\((.*)\\)").matcher(c.name());
    if (vm.find()) {
      for (String kv : vm.group(1).split(",\\s*")) {
        variant.add(kv.substring(kv.indexOf('=') + 1).trim());
      }
    }
    Object[] out = new Object[m.getParameterCount()];
    int spec = 0;
    int named = 0;
    for (int i = 0; i < out.length; i++) {
      Class<?> t = m.getParameterTypes()[i];
      if (t == double.class || t == double[].class || t == double[][].class) {
        if (spec >= c.spec().size() || !t.isInstance(values.value(spec)) && !(t == double.class
            && values.value(spec) instanceof Double)) {
          return null;
        }
        out[i] = values.value(spec++);
      } else if ((t == int.class || t == long.class || t == boolean.class) && named < variant.size()) {
        String v = variant.get(named++);
        try {
          out[i] = t == int.class ? (Object) Integer.parseInt(v) : t == long.class ? (Object) Long.parseLong(v)
              : (Object) Boolean.parseBoolean(v);
        } catch (NumberFormatException e) {
          return null;
        }
      } else {
        return null;
      }
    }
    return spec == c.spec().size() && named == variant.size() ? out : null;
  }

  private static void checkControlFlow(ControlFlowCorpusTest.Case c) throws Exception {
    String name = methodName(c.name());
    Method jvp = generated(ControlFlowCorpusGrad.class, name + "Jvp");
    Method hvp = generated(ControlFlowCorpusGrad.class, name + "Hvp");
    Random random = new Random(c.name().hashCode());
    int[] flat = c.activeFlat();
    for (double[] p : c.points()) {
      double[] d = random.doubles(flat.length, -1, 1).toArray();
      String at = c.name() + " at " + Arrays.toString(p) + " along " + Arrays.toString(d);
      Object record = jvp.invoke(null, controlArgs(c, p, d));
      Object[] g = c.grad().apply(c.unpack(p));
      assertEquals(number(g[0]), number(component(record, "value")), 0.0, at + ": mJvp's value");
      double[] gradient = flatten(Arrays.copyOfRange(g, 1, g.length));
      double inner = dot(gradient, d);
      double tangent = number(component(record, "tangent"));
      assertEquals(inner, tangent, JVP_REL * Math.max(1, Math.abs(inner)), at + ": tangent vs <gradient, d>");
      if (hvp == null) {
        continue;
      }
      double[][] h = hessian(c.twin().apply(new ControlFlowCorpusTest.DArgs(c.spec(), c.active(), p, 2)), flat.length);
      double[] got = components(hvp.invoke(null, controlArgs(c, p, d)));
      assertClose(times(h, d), got, HVP_REL, at + ": mHvp vs the twin's Hessian times d");
      double[] u = random.doubles(flat.length, -1, 1).toArray();
      double[] hu = components(hvp.invoke(null, controlArgs(c, p, u)));
      assertEquals(dot(u, got), dot(d, hu), HVP_REL * Math.max(1, Math.abs(dot(u, got))), at + ": <u, Hd> = <d, Hu>");
    }
  }

  /** The method's arguments from the point, then the direction shaped like each active argument. */
  private static Object[] controlArgs(ControlFlowCorpusTest.Case c, double[] p, double[] d) {
    List<Object> out = new ArrayList<>(Arrays.asList(primalArgs(c, p)));
    List<ControlFlowCorpusTest.Arg> activeSpec = new ArrayList<>();
    for (int i : c.active()) {
      activeSpec.add(c.spec().get(i));
    }
    ControlFlowCorpusTest.Args tangents = new ControlFlowCorpusTest.Args(activeSpec, d);
    for (int k = 0; k < activeSpec.size(); k++) {
      out.add(tangents.value(k));
    }
    return out.toArray();
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void mostOfBothCorporaAreCovered() {
    // the scalar table also checks methods of other classes (StaticImportCorpus, …): only ScalarCorpus's count
    long scalarCases = ScalarCorpusTest.cases().stream().filter(c -> primal(ScalarCorpus.class, c.name()) != null)
        .count();
    long scalar = ScalarCorpusTest.cases().stream().filter(ForwardCorpusTest::scalarFits).count();
    long control = ControlFlowCorpusTest.cases().stream().filter(ForwardCorpusTest::controlFits).count();
    long scalarHvp = ScalarCorpusTest.cases().stream().filter(ForwardCorpusTest::scalarFits)
        .filter(c -> generated(ScalarCorpusGrad.class, c.name() + "Hvp") != null && !c.floats()).count();
    long controlHvp = ControlFlowCorpusTest.cases().stream().filter(ForwardCorpusTest::controlFits)
        .filter(c -> generated(ControlFlowCorpusGrad.class, methodName(c.name()) + "Hvp") != null).count();
    System.out.printf("forward corpus: scalar %d of %d cases (%d with HVP), control flow %d of %d (%d with HVP)%n",
        scalar, scalarCases, scalarHvp, control, ControlFlowCorpusTest.cases().size(), controlHvp);
    assertTrue(scalar >= 0.75 * scalarCases, "scalar corpus: only " + scalar + " of " + scalarCases);
    assertTrue(control >= 0.6 * ControlFlowCorpusTest.cases().size(), "control-flow corpus: only " + control);
    assertTrue(scalarHvp >= 0.75 * scalar && controlHvp >= 0.7 * control, scalarHvp + ", " + controlHvp);
  }

  private static String methodName(String caseName) {
    return caseName.replaceAll("\\(.*", "");
  }

  /** The corpus's static method of that name (a case name may carry a variant in parentheses), if unique. */
  private static Method primal(Class<?> owner, String caseName) {
    String name = methodName(caseName);
    Method found = null;
    for (Method m : owner.getDeclaredMethods()) {
      if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers())) {
        if (found != null) {
          return null;
        }
        found = m;
      }
    }
    return found;
  }

  private static Method generated(Class<?> grad, String name) {
    for (Method m : grad.getDeclaredMethods()) {
      if (m.getName().equals(name) && Modifier.isPublic(m.getModifiers())) {
        return m;
      }
    }
    return null;
  }

  private static Object component(Object record, String name) {
    try {
      return record.getClass().getMethod(name).invoke(record);
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new AssertionError("no component " + name + " in " + record, e);
    }
  }

  /** The record's components after its value, flattened. */
  private static double[] components(Object record) throws ReflectiveOperationException {
    List<Object> out = new ArrayList<>();
    for (RecordComponent rc : record.getClass().getRecordComponents()) {
      if (!rc.getName().equals("value")) {
        out.add(rc.getAccessor().invoke(record));
      }
    }
    return flatten(out.toArray());
  }

  private static double[] flatten(Object[] values) {
    List<Double> out = new ArrayList<>();
    for (Object v : values) {
      if (v instanceof double[] a) {
        Arrays.stream(a).forEach(out::add);
      } else if (v instanceof float[] a) {
        for (float e : a) {
          out.add((double) e);
        }
      } else if (v instanceof double[][] m) {
        Arrays.stream(m).forEach(row -> Arrays.stream(row).forEach(out::add));
      } else {
        out.add(number(v));
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double number(Object o) {
    return ((Number) o).doubleValue();
  }

  private static double[][] hessian(DerivativeStructure f, int n) {
    double[][] h = new double[n][n];
    int[] orders = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        orders[i]++;
        orders[j]++;
        h[i][j] = f.getPartialDerivative(orders);
        orders[i]--;
        orders[j]--;
      }
    }
    return h;
  }

  private static double[] times(double[][] h, double[] d) {
    double[] out = new double[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = dot(h[i], d);
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void assertClose(double[] want, double[] got, double rel, String what) {
    assertEquals(want.length, got.length, what + ": length");
    double scale = 1;
    for (double w : want) {
      scale = Math.max(scale, Math.abs(w));
    }
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], rel * scale, what + " [" + i + "]");
    }
  }
}
