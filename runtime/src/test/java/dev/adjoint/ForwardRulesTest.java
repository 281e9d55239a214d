package dev.adjoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.nn.Activations;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The runtime's forward rules ({@link Jvp}), found by reflection: every op input with a reverse rule
 * ({@code <op>Vjp<Input>}) has a forward rule of the declared signature, every declared rule names a real op and
 * input, and every rule agrees with central differences of its op along a random direction and, through the
 * dot-product test {@code ⟨gy, J·d⟩ = ⟨Jᵀ·gy, d⟩}, with the reverse rule for the same input.
 */
class ForwardRulesTest {
  private static final List<Class<?>> OP_CLASSES = List.of(Tensor.class, Layers.class, Loss.class, Activations.class);
  private final Random rng = new Random(2026);

  /** One op overload: its method, and the inputs in rule order (receiver first). */
  private record Op(Method method) {
    List<Class<?>> inputTypes() {
      List<Class<?>> out = new ArrayList<>();
      if (!Modifier.isStatic(method.getModifiers())) {
        out.add(method.getDeclaringClass());
      }
      out.addAll(Arrays.asList(method.getParameterTypes()));
      return out;
    }

    List<String> inputNames() {
      List<String> out = new ArrayList<>();
      if (!Modifier.isStatic(method.getModifiers())) {
        out.add("self");
      }
      for (Parameter p : method.getParameters()) {
        out.add(p.getName());
      }
      return out;
    }

    String key() {
      return method.getDeclaringClass().getSimpleName() + "." + method.getName()
          + Arrays.toString(method.getParameterTypes()).replace("class ", "");
    }
  }

  /** The op overload a rule (reverse or forward) belongs to: same name, inputs = the rule's parameters from the third. */
  private static Op opOf(Class<?> owner, String name, Class<?>[] ruleParams) {
    List<Class<?>> inputs = Arrays.asList(ruleParams).subList(2, ruleParams.length);
    for (Method m : owner.getMethods()) {
      if (m.getName().equals(name) && m.getDeclaringClass() == owner && !m.isAnnotationPresent(Jvp.class)
          && new Op(m).inputTypes().equals(inputs)) {
        return new Op(m);
      }
    }
    return null;
  }

  private static List<Method> reverseRules() {
    List<Method> out = new ArrayList<>();
    for (Class<?> c : OP_CLASSES) {
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
            && m.getName().matches("[a-z][A-Za-z0-9]*Vjp[A-Z][A-Za-z0-9]*")) {
          out.add(m);
        }
      }
    }
    return out;
  }

  private static List<Method> forwardRules() {
    List<Method> out = new ArrayList<>();
    for (Class<?> c : OP_CLASSES) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Jvp.class)) {
          out.add(m);
        }
      }
    }
    return out;
  }

  /** The forward rule declared for input {@code wrt} of {@code op}, or null. */
  private static Method forwardRule(Op op, String wrt) {
    for (Method m : op.method().getDeclaringClass().getDeclaredMethods()) {
      Jvp j = m.getAnnotation(Jvp.class);
      if (j != null && j.of().equals(op.method().getName()) && j.wrt().equals(wrt)
          && Arrays.asList(m.getParameterTypes()).subList(2, m.getParameterCount()).equals(op.inputTypes())) {
        return m;
      }
    }
    return null;
  }

  @Test
  void everyInputWithAReverseRuleHasAForwardRule() {
    List<String> missing = new ArrayList<>();
    for (Method vjp : reverseRules()) {
      String name = vjp.getName();
      String opName = name.substring(0, name.indexOf("Vjp"));
      String input = name.substring(name.indexOf("Vjp") + 3);
      String wrt = Character.toLowerCase(input.charAt(0)) + input.substring(1);
      Op op = opOf(vjp.getDeclaringClass(), opName, vjp.getParameterTypes());
      if (op == null) {
        missing.add(vjp + " (no op overload with these inputs)");
        continue;
      }
      Method jvp = forwardRule(op, wrt);
      if (jvp == null) {
        missing.add(op.key() + " wrt " + wrt);
      }
    }
    assertTrue(missing.isEmpty(), "inputs with a reverse rule but no @Jvp rule: " + missing);
    assertTrue(reverseRules().size() > 100, "the reverse rules were found");
  }

  @Test
  void everyForwardRuleIsWellFormed() {
    for (Method jvp : forwardRules()) {
      Jvp j = jvp.getAnnotation(Jvp.class);
      String where = jvp.toString();
      assertTrue(Modifier.isPublic(jvp.getModifiers()) && Modifier.isStatic(jvp.getModifiers()), where + " public static");
      Op op = opOf(jvp.getDeclaringClass(), j.of(), jvp.getParameterTypes());
      if (op == null) {
        fail(where + ": no op " + j.of() + " with inputs " + Arrays.toString(jvp.getParameterTypes()));
      }
      int k = op.inputNames().indexOf(j.wrt());
      assertTrue(k >= 0, where + ": " + j.wrt() + " is not an input of " + op.key());
      assertEquals(op.inputTypes().get(k), jvp.getParameterTypes()[0], where + ": the tangent has the input's type");
      assertEquals(op.method().getReturnType(), jvp.getParameterTypes()[1], where + ": y has the op's type");
      assertEquals(op.method().getReturnType(), jvp.getReturnType(), where + ": returns the op's type");
    }
  }

  @Test
  void aParametersTangentIsItsDirectionAndZerosWithoutOne() {
    Tensor w = Tensor.randn(rng, 2, 3);
    Tensor zeros = dev.adjoint.rules.TensorArrays.tangentOf(w);
    assertTrue(Tensor.allClose(Tensor.zeros(2, 3), zeros, 0, 0), "no tangent: zeros of the parameter's shape");
    Tensor d = Tensor.randn(rng, 2, 3);
    assertTrue(w.setTangent(d) == w && w.tangent() == d);
    Tensor[] both = dev.adjoint.rules.TensorArrays.tangentsOf(new Tensor[] {w, Tensor.ones(4)});
    assertTrue(both[0] == d && Tensor.allClose(Tensor.zeros(4), both[1], 0, 0));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> w.setTangent(Tensor.zeros(3, 2)));
    assertEquals("setTangent: tangent of shape [3, 2] does not match tensor of shape [2, 3]", e.getMessage());
    assertTrue(w.setTangent(null).tangent() == null);
    assertTrue(dev.adjoint.rules.TensorArrays.tangentOf(null) == null, "a null field (an absent bias) has none");
  }

  // ---------------------------------------------------------------------------------------------- numeric checks

  /** Sample inputs (receiver first) for each op overload with rules, chosen away from kinks and poles. */
  private Map<String, Object[]> samples() {
    Map<String, Object[]> s = new LinkedHashMap<>();
    Tensor a = t(3, 4);
    Function<int[], Tensor> r = shape -> Tensor.randn(rng, shape);
    for (String op : List.of("add", "sub", "mul", "minimum", "maximum")) {
      s.put("Tensor." + op + "[Tensor]", new Object[] {r.apply(new int[] {3, 4}), r.apply(new int[] {4})});
    }
    s.put("Tensor.div[Tensor]", new Object[] {r.apply(new int[] {3, 1}), away(2, 3, 4)});
    for (String op : List.of("add", "sub", "mul", "rsub")) {
      s.put("Tensor." + op + "[double]", new Object[] {a, 1.3});
    }
    s.put("Tensor.div[double]", new Object[] {a, -1.7});
    s.put("Tensor.rdiv[double]", new Object[] {away(3, 4), 0.9});
    s.put("Tensor.sigmoid[double]", new Object[] {0.4});
    for (String op : List.of("neg", "exp", "tanh", "sigmoid", "relu", "abs", "square", "sin", "cos", "copy")) {
      s.put("Tensor." + op + "[]", new Object[] {away(2, 3)});
    }
    s.put("Tensor.log[]", new Object[] {positive(2, 3)});
    s.put("Tensor.sqrt[]", new Object[] {positive(2, 3)});
    s.put("Tensor.pow[double]", new Object[] {positive(2, 3), 2.5});
    s.put("Tensor.matmul[Tensor]", new Object[] {t(2, 3, 4), t(4, 5)});
    s.put("Tensor.transpose[]", new Object[] {t(3, 4)});
    s.put("Tensor.transpose[int, int]", new Object[] {t(2, 3, 4), 0, 2});
    s.put("Tensor.reshape[[I]", new Object[] {t(3, 4), new int[] {2, -1}});
    s.put("Tensor.unsqueeze[int]", new Object[] {t(3, 4), 1});
    s.put("Tensor.squeeze[int]", new Object[] {t(3, 1), 1});
    s.put("Tensor.broadcastTo[[I]", new Object[] {t(3, 1), new int[] {2, 3, 4}});
    s.put("Tensor.sumTo[[I]", new Object[] {t(2, 3, 4), new int[] {3, 1}});
    s.put("Tensor.sum[]", new Object[] {t(3, 4)});
    s.put("Tensor.sum[int]", new Object[] {t(3, 4), -1});
    s.put("Tensor.sum[int, boolean]", new Object[] {t(2, 3, 4), 1, true});
    s.put("Tensor.mean[]", new Object[] {t(3, 4)});
    s.put("Tensor.mean[int]", new Object[] {t(3, 4), 0});
    s.put("Tensor.mean[int, boolean]", new Object[] {t(2, 3, 4), 2, true});
    s.put("Tensor.max[]", new Object[] {t(3, 4)});
    s.put("Tensor.max[int]", new Object[] {t(3, 4), 1});
    s.put("Tensor.max[int, boolean]", new Object[] {t(2, 3, 4), 0, true});
    s.put("Tensor.clamp[double, double]", new Object[] {t(4, 5), -0.5, 0.7});
    s.put("Tensor.where[Tensor, Tensor, Tensor]", new Object[] {t(3, 4).gt(0), t(3, 4), t(4)});
    s.put("Tensor.logsumexp[int]", new Object[] {t(3, 4), 1});
    s.put("Tensor.logsumexp[int, boolean]", new Object[] {t(3, 4), 0, true});
    s.put("Tensor.narrow[int, int, int]", new Object[] {t(5, 3), 0, 1, 3});
    s.put("Tensor.select[int, int]", new Object[] {t(3, 4), 1, -1});
    s.put("Tensor.indexSelect[int, [I]", new Object[] {t(4, 3), 0, new int[] {2, 0, 2}});
    s.put("Tensor.cat[Tensor, Tensor, int]", new Object[] {t(2, 3), t(4, 3), 0});
    s.put("Tensor.stack[Tensor, Tensor, int]", new Object[] {t(2, 3), t(2, 3), 1});
    s.put("Tensor.item[]", new Object[] {t()});
    s.put("Tensor.get[[I]", new Object[] {t(3, 4), new int[] {1, 2}});
    s.put("Tensor.toArray[]", new Object[] {t(2, 3)});
    s.put("Tensor.scalar[double]", new Object[] {0.8});
    s.put("Tensor.of[[D, [I]", new Object[] {array(6), new int[] {2, 3}});
    s.put("Tensor.vector[[D]", new Object[] {array(4)});
    s.put("Tensor.cat[int, [LTensor;]", new Object[] {1, new Tensor[] {t(2, 3), t(2, 1), t(2, 2)}});
    s.put("Tensor.stack[int, [LTensor;]", new Object[] {0, new Tensor[] {t(3), t(3), t(3)}});

    s.put("Layers.linear[Tensor, Tensor, Tensor]", new Object[] {t(5, 3), t(3, 4), t(4)});
    s.put("Layers.linear[Tensor, Tensor]", new Object[] {t(2, 5, 3), t(3, 4)});
    s.put("Layers.conv2d[Tensor, Tensor, Tensor, int, int]", new Object[] {t(2, 2, 5, 5), t(3, 2, 3, 3), t(3), 2, 1});
    s.put("Layers.conv2d[Tensor, Tensor, int, int]", new Object[] {t(1, 2, 4, 4), t(2, 2, 2, 2), 1, 0});
    s.put("Layers.avgPool2d[Tensor, int, int]", new Object[] {t(2, 2, 4, 4), 2, 1});
    s.put("Layers.maxPool2d[Tensor, int, int]", new Object[] {t(2, 2, 4, 4), 2, 2});
    s.put("Layers.dropout[Tensor, Tensor]", new Object[] {t(3, 4), Layers.dropoutMask(rng, 0.3, 3, 4)});
    s.put("Layers.softmax[Tensor, int]", new Object[] {t(3, 4), -1});
    s.put("Layers.logSoftmax[Tensor, int]", new Object[] {t(3, 4), 0});
    s.put("Layers.layerNorm[Tensor, Tensor, Tensor, double]", new Object[] {t(3, 5), t(5), t(5), 1e-3});
    s.put("Layers.layerNorm[Tensor, Tensor, Tensor]", new Object[] {t(2, 2, 4), t(4), t(4)});
    s.put("Layers.embedding[Tensor, [I]", new Object[] {t(5, 3), new int[] {4, 0, 4, 2}});
    s.put("Layers.relu[Tensor]", new Object[] {away(3, 4)});
    s.put("Layers.sigmoid[Tensor]", new Object[] {t(3, 4)});
    s.put("Layers.tanh[Tensor]", new Object[] {t(3, 4)});

    s.put("Loss.mse[Tensor, Tensor]", new Object[] {t(4, 2), t(4, 2)});
    s.put("Loss.crossEntropy[Tensor, [I]", new Object[] {t(4, 3), new int[] {0, 2, 1, 2}});
    s.put("Loss.crossEntropy[Tensor, Tensor]", new Object[] {t(4, 3), Layers.softmax(t(4, 3), 1)});
    s.put("Loss.binaryCrossEntropy[Tensor, Tensor]", new Object[] {Tensor.rand(rng, 0.1, 0.9, 3, 2),
        Tensor.rand(rng, 0, 1, 3, 2)});
    s.put("Loss.binaryCrossEntropyWithLogits[Tensor, Tensor]", new Object[] {t(3, 2), Tensor.rand(rng, 0, 1, 3, 2)});

    s.put("Activations.softplus[Tensor]", new Object[] {t(3, 4)});
    s.put("Activations.gelu[Tensor]", new Object[] {t(3, 4)});
    s.put("Activations.geluTanh[Tensor]", new Object[] {t(3, 4)});
    s.put("Activations.leakyRelu[Tensor, double]", new Object[] {away(3, 4), 0.05});
    return s;
  }

  @Test
  void everyForwardRuleMatchesFiniteDifferencesAndItsReverseRule() throws Exception {
    Map<String, Object[]> samples = samples();
    TreeSet<String> checked = new TreeSet<>();
    List<String> unsampled = new ArrayList<>();
    for (Method jvp : forwardRules()) {
      Jvp j = jvp.getAnnotation(Jvp.class);
      Op op = opOf(jvp.getDeclaringClass(), j.of(), jvp.getParameterTypes());
      String key = op.key().replace("dev.adjoint.tensor.", "");
      Object[] in = samples.get(key);
      if (in == null) {
        unsampled.add(key);
        continue;
      }
      int k = op.inputNames().indexOf(j.wrt());
      String what = key + " wrt " + j.wrt();
      Object direction = randomLike(in[k]);
      Object y = call(op, in);
      Object tangent = invoke(jvp, prepend(direction, y, in));
      Object numeric = centralDifference(op, in, k, direction);
      assertClose(numeric, tangent, what + " vs central differences");
      // the dot-product test against the reverse rule of the same input: ⟨gy, J·d⟩ = ⟨Jᵀ·gy, d⟩
      String vjpName = j.of() + "Vjp" + Character.toUpperCase(j.wrt().charAt(0)) + j.wrt().substring(1);
      Class<?>[] vjpParams = jvp.getParameterTypes().clone();
      vjpParams[0] = jvp.getReturnType();
      Method vjp = jvp.getDeclaringClass().getMethod(vjpName, vjpParams);
      Object gy = randomLike(y);
      double forward = dot(gy, tangent);
      double reverse = dot(invoke(vjp, prepend(gy, y, in)), direction);
      assertEquals(reverse, forward, 1e-9 * (1 + Math.abs(reverse)), what + ": <gy, jvp(d)> vs <vjp(gy), d>");
      checked.add(what);
    }
    assertTrue(unsampled.isEmpty(), "forward rules without a sample in this test: " + unsampled);
    assertTrue(checked.size() >= forwardRules().size(), "checked " + checked.size());
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private Tensor t(int... shape) {
    return Tensor.randn(rng, shape);
  }

  private Tensor away(int... shape) {
    Tensor x = Tensor.zeros(shape);
    for (int i = 0; i < x.size(); i++) {
      double v = 0.3 + rng.nextDouble();
      x.data()[i] = rng.nextBoolean() ? v : -v;
    }
    return x;
  }

  private Tensor positive(int... shape) {
    return Tensor.rand(rng, 0.5, 2.0, shape);
  }

  private double[] array(int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.nextGaussian();
    }
    return a;
  }

  /** A random value of the same type and shape (a 0/1 mask stays a tensor of random values: it is a direction). */
  private Object randomLike(Object v) {
    if (v instanceof Tensor x) {
      return Tensor.randn(rng, x.shape());
    }
    if (v instanceof Double) {
      return rng.nextGaussian();
    }
    if (v instanceof double[] a) {
      return array(a.length);
    }
    if (v instanceof Tensor[] ts) {
      Tensor[] out = new Tensor[ts.length];
      for (int i = 0; i < ts.length; i++) {
        out[i] = i == 1 ? null : Tensor.randn(rng, ts[i].shape()); // a null tangent: an input that does not vary
      }
      return out;
    }
    throw new IllegalArgumentException("no direction for " + v);
  }

  private static Object[] prepend(Object first, Object second, Object[] rest) {
    Object[] out = new Object[rest.length + 2];
    out[0] = first;
    out[1] = second;
    System.arraycopy(rest, 0, out, 2, rest.length);
    return out;
  }

  private static Object invoke(Method m, Object[] args) throws Exception {
    try {
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  private static Object call(Op op, Object[] in) throws Exception {
    Method m = op.method();
    try {
      if (Modifier.isStatic(m.getModifiers())) {
        return m.invoke(null, in);
      }
      return m.invoke(in[0], Arrays.copyOfRange(in, 1, in.length));
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  /** {@code (op(in + h·d) - op(in - h·d)) / 2h} along input k, with a Richardson step for accuracy. */
  private static Object centralDifference(Op op, Object[] in, int k, Object d) throws Exception {
    double h = 1e-4;
    Object d1 = scale(diff(call(op, shifted(in, k, d, h)), call(op, shifted(in, k, d, -h))), 1 / (2 * h));
    Object d2 = scale(diff(call(op, shifted(in, k, d, h / 2)), call(op, shifted(in, k, d, -h / 2))), 1 / h);
    return diff(scale(d2, 4.0 / 3), scale(d1, 1.0 / 3)); // (4·D(h/2) - D(h)) / 3
  }

  private static Object[] shifted(Object[] in, int k, Object d, double h) {
    Object[] out = in.clone();
    out[k] = axpy(in[k], d, h);
    return out;
  }

  private static Object axpy(Object x, Object d, double h) {
    if (x instanceof Tensor t) {
      return t.add(((Tensor) d).mul(h));
    }
    if (x instanceof Double v) {
      return v + h * (Double) d;
    }
    if (x instanceof double[] a) {
      double[] out = a.clone();
      for (int i = 0; i < a.length; i++) {
        out[i] += h * ((double[]) d)[i];
      }
      return out;
    }
    Tensor[] ts = ((Tensor[]) x).clone();
    Tensor[] ds = (Tensor[]) d;
    for (int i = 0; i < ts.length; i++) {
      if (ds[i] != null) {
        ts[i] = ts[i].add(ds[i].mul(h));
      }
    }
    return ts;
  }

  private static Object diff(Object a, Object b) {
    if (a instanceof Tensor x) {
      return x.sub((Tensor) b);
    }
    if (a instanceof Double x) {
      return x - (Double) b;
    }
    double[] x = ((double[]) a).clone();
    for (int i = 0; i < x.length; i++) {
      x[i] -= ((double[]) b)[i];
    }
    return x;
  }

  private static Object scale(Object a, double c) {
    if (a instanceof Tensor x) {
      return x.mul(c);
    }
    if (a instanceof Double x) {
      return x * c;
    }
    double[] x = ((double[]) a).clone();
    for (int i = 0; i < x.length; i++) {
      x[i] *= c;
    }
    return x;
  }

  private static double[] values(Object v) {
    if (v instanceof Tensor t) {
      return t.toArray();
    }
    if (v instanceof Double d) {
      return new double[] {d};
    }
    if (v instanceof double[] a) {
      return a;
    }
    List<Double> all = new ArrayList<>();
    for (Tensor t : (Tensor[]) v) {
      if (t != null) {
        for (double x : t.toArray()) {
          all.add(x);
        }
      }
    }
    return all.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double dot(Object a, Object b) {
    if (a instanceof Tensor[] ta) {
      // a reverse rule's Tensor[] against a direction with a null (zero) entry
      double s = 0;
      Tensor[] tb = (Tensor[]) b;
      for (int i = 0; i < ta.length; i++) {
        if (tb[i] != null) {
          s += dot(ta[i], tb[i]);
        }
      }
      return s;
    }
    double[] x = values(a);
    double[] y = values(b);
    assertEquals(x.length, y.length, "dot: sizes");
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  private static void assertClose(Object expected, Object actual, String what) {
    if (expected instanceof Tensor e) {
      assertTrue(actual instanceof Tensor a && Arrays.equals(e.shape(), a.shape()),
          what + ": shape " + (actual instanceof Tensor a ? Arrays.toString(a.shape()) : actual)
              + ", expected " + Arrays.toString(e.shape()));
    }
    double[] e = values(expected);
    double[] a = values(actual);
    assertEquals(e.length, a.length, what + ": sizes");
    for (int i = 0; i < e.length; i++) {
      if (!(Math.abs(e[i] - a[i]) <= 1e-6 + 1e-6 * Math.abs(e[i]))) {
        fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
      }
    }
  }
}
