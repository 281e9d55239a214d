package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.tensor.Tensor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Forward mode over tensor programs ({@code forward/TensorCorpus.java}), compiled with the processor
 * and run at random points along random directions: {@code mJvp}'s value is the method's; its
 * tangent (a {@code double} or a {@code Tensor} of the result's shape) is the Richardson central
 * difference of the method along the direction, and equals the reverse mode's
 * {@code ⟨gradient, direction⟩} (for a tensor result, {@code ⟨seed, tangent⟩ = ⟨mVjp(seed), direction⟩}).
 */
class ForwardTensorTest {
  private static final int POINTS = 6;

  private static Class<?> primal;
  private static Class<?> grad;
  private static Class<?> model;
  private static Class<?> modelGrad;

  /** A program's arguments at a random point, and which of them are differentiated (the tangents' order). */
  private record Program(Function<Random, Object[]> point, int... wrt) {}

  private static final Map<String, Program> PROGRAMS = new LinkedHashMap<>();

  static {
    PROGRAMS.put("deep", new Program(r -> new Object[] {t(r, 2, 3), t(r, 3, 3).mul(0.5), 3}, 0, 1));
    PROGRAMS.put("mlp", new Program(r -> new Object[] {t(r, 4, 3), t(r, 3, 5), t(r, 5), t(r, 5, 2),
        new int[] {0, 1, 1, 0}}, 1, 2, 3));
    PROGRAMS.put("attention", new Program(r -> new Object[] {t(r, 3, 4), t(r, 5, 4), t(r, 5, 2)}, 0, 1, 2));
    PROGRAMS.put("scaled", new Program(r -> new Object[] {t(r, 2, 3).mul(0.5), 0.3 + r.nextDouble()}, 0, 1));
    PROGRAMS.put("branches", new Program(r -> new Object[] {t(r, 3, 2), t(r, 2)}, 0, 1));
    PROGRAMS.put("calls", new Program(r -> new Object[] {t(r, 2, 3), t(r, 3, 3).mul(0.5)}, 0, 1));
    PROGRAMS.put("conv", new Program(r -> new Object[] {t(r, 2, 2, 4, 4), t(r, 3, 2, 3, 3).mul(0.5), t(r, 3),
        t(r, 2).add(1.0), t(r, 2)}, 1, 2, 3, 4));
    PROGRAMS.put("arrays", new Program(r -> new Object[] {new double[] {r.nextGaussian(), r.nextGaussian(),
        r.nextGaussian(), r.nextGaussian()}, t(r, 2, 2)}, 0, 1));
    PROGRAMS.put("zoo", new Program(r -> new Object[] {t(r, 6).mul(0.5), Tensor.rand(r, 0.5, 2.0, 2, 3)}, 0, 1));
  }

  @BeforeAll
  static void compile() throws Exception {
    Compilation c = Compile.sources(JavaFileObjects.forResource(
        ForwardTensorTest.class.getClassLoader().getResource("forward/TensorCorpus.java")));
    assertThat(c).succeededWithoutWarnings();
    ClassLoader loader = Compile.load(c);
    primal = loader.loadClass("forward.TensorCorpus");
    grad = loader.loadClass("forward.TensorCorpusGrad");
    Compilation m = Compile.sources(JavaFileObjects.forResource(
        ForwardTensorTest.class.getClassLoader().getResource("forward/ModelCorpus.java")));
    assertThat(m).succeededWithoutWarnings();
    ClassLoader models = Compile.load(m);
    model = models.loadClass("forward.ModelCorpus");
    modelGrad = models.loadClass("forward.ModelCorpusGrad");
  }

  /**
   * A model's mJvp: the direction is the argument's tangent and each parameter's {@code tangent()}
   * (one left null: a zero direction). Its tangent is the central difference of the method with the
   * parameters moved in place along their tangents, and the pullback's inner product with the
   * direction, {@code <x gradient, xDot> + Σ <p.grad(), p.tangent()>}.
   */
  @TestFactory
  Stream<DynamicTest> jvpOfAModelReadsItsParametersTangents() {
    return Stream.of("loss", "features").map(name -> DynamicTest.dynamicTest(name, () -> {
      Random random = new Random(name.hashCode());
      for (int k = 0; k < 3; k++) {
        java.lang.reflect.Constructor<?> make = model.getDeclaredConstructor(Random.class);
        make.setAccessible(true);
        Object net = make.newInstance(random);
        @SuppressWarnings("unchecked")
        Map<String, Tensor> params = (Map<String, Tensor>) call(modelGrad, "namedParameters", new Object[] {net});
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
          e.getValue().setTangent(e.getKey().equals("blocks.1.b") ? null : Tensor.randn(random, e.getValue().shape()));
        }
        assertTrue(params.containsKey("blocks.1.b") && params.containsKey("shifts.1") && params.containsKey("scales.0"),
            params.keySet().toString());
        Tensor x = t(random, 5, 3);
        Tensor xDot = t(random, 5, 3);
        boolean loss = name.equals("loss");
        int[] labels = {0, 1, 1, 0, 1};
        Object[] args = loss ? new Object[] {net, x, labels} : new Object[] {net, x};
        Object jvp = call(modelGrad, name + "Jvp", loss ? new Object[] {net, x, labels, xDot} : new Object[] {net, x, xDot});
        Method primalMethod = loss ? model.getDeclaredMethod(name, Tensor.class, int[].class)
            : model.getDeclaredMethod(name, Tensor.class);
        primalMethod.setAccessible(true);
        Function<Object[], Object> f = a -> {
          try {
            return primalMethod.invoke(a[0], Arrays.copyOfRange(a, 1, a.length));
          } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
          }
        };
        Object value = f.apply(args);
        assertArrayEquals(values(value), values(component(jvp, "value")), 1e-12, name + " value");
        Object tangent = component(jvp, "tangent");
        // reverse mode: the pullback with a random seed adds each parameter's gradient into its grad()
        params.values().forEach(Tensor::clearGrad);
        Object seed = value instanceof Tensor v ? Tensor.randn(random, v.shape()) : 1.0;
        Object pullback = loss ? call(modelGrad, name + "Vjp", new Object[] {net, x, labels, seed})
            : call(modelGrad, name + "Vjp", new Object[] {net, x, seed});
        double inner = dot(values(component(pullback, "x")), values(xDot));
        for (Tensor p : params.values()) {
          if (p.tangent() != null && p.grad() != null) {
            inner += dot(values(p.grad()), values(p.tangent()));
          }
        }
        double forward = dot(values(seed), values(tangent));
        assertEquals(inner, forward, 1e-9 * Math.max(1, Math.abs(inner)), name + " tangent vs reverse mode");
        // central differences, the parameters moved in place along their tangents
        Map<Tensor, double[]> saved = new java.util.IdentityHashMap<>();
        params.values().forEach(p -> saved.put(p, p.data().clone()));
        double[] fd = richardson(s -> {
          for (Tensor p : params.values()) {
            double[] d = p.data();
            double[] orig = saved.get(p);
            for (int i = 0; i < d.length; i++) {
              d[i] = orig[i] + (p.tangent() == null ? 0 : s * p.tangent().data()[i]);
            }
          }
          try {
            Object[] moved = args.clone();
            moved[1] = x.add(xDot.mul(s));
            return values(f.apply(moved));
          } finally {
            params.values().forEach(p -> System.arraycopy(saved.get(p), 0, p.data(), 0, p.data().length));
          }
        });
        assertTrue(fd != null, name + ": not smooth along the direction");
        double[] t = values(tangent);
        for (int i = 0; i < fd.length; i++) {
          assertEquals(fd[i], t[i], 1e-6 * Math.max(1, Math.abs(fd[i])), name + " tangent[" + i
              + "] vs finite differences");
        }
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> jvpOfTensorCodeIsTheDirectionalDerivativeAndMatchesReverseMode() {
    return PROGRAMS.keySet().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      Program p = PROGRAMS.get(name);
      Random random = new Random(name.hashCode());
      int checked = 0;
      for (int k = 0; k < POINTS; k++) {
        Object[] x = p.point().apply(random);
        Object[] d = new Object[p.wrt().length];
        for (int i = 0; i < d.length; i++) {
          d[i] = randomLike(x[p.wrt()[i]], random);
        }
        Object jvp = call(grad, name + "Jvp", concat(x, d));
        Object value = call(primal, name, x);
        Object tangent = component(jvp, "tangent");
        assertArrayEquals(values(value), values(component(jvp, "value")), 1e-12, name + " value");
        if (value instanceof Tensor v) {
          assertArrayEquals(v.shape(), ((Tensor) tangent).shape(), name + ": the tangent has the result's shape");
        }
        // reverse mode: <seed, J d> = <J^T seed, d>, the gradient's inner product with the direction
        Object seed = value instanceof Tensor v ? Tensor.randn(random, v.shape()) : 1.0;
        Object pullback = value instanceof Tensor ? call(grad, name + "Vjp", concat(x, new Object[] {seed}))
            : call(grad, name, x);
        double inner = 0;
        for (int i = 0; i < d.length; i++) {
          // the record's components: the value, then one per differentiated parameter in order
          inner += dot(values(component(pullback, i + 1)), values(d[i]));
        }
        double forward = dot(values(seed), values(tangent));
        assertEquals(inner, forward, 1e-9 * Math.max(1, Math.abs(inner)), name + " tangent vs reverse mode");
        double[] fd = richardson(s -> values(call(primal, name, along(x, p.wrt(), d, s))));
        if (fd == null) {
          continue;
        }
        checked++;
        double[] t = values(tangent);
        for (int i = 0; i < fd.length; i++) {
          assertEquals(fd[i], t[i], 1e-6 * Math.max(1, Math.abs(fd[i])), name + " tangent[" + i
              + "] vs finite differences");
        }
      }
      assertTrue(checked >= POINTS / 2, name + ": only " + checked + " smooth points");
    }));
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private static Tensor t(Random r, int... shape) {
    return Tensor.randn(r, shape);
  }

  private static Object randomLike(Object v, Random r) {
    if (v instanceof Tensor x) {
      return Tensor.randn(r, x.shape());
    }
    if (v instanceof double[] a) {
      double[] out = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        out[i] = r.nextGaussian();
      }
      return out;
    }
    return r.nextGaussian();
  }

  /** x moved by s along the direction d in its differentiated arguments. */
  private static Object[] along(Object[] x, int[] wrt, Object[] d, double s) {
    Object[] out = x.clone();
    for (int i = 0; i < wrt.length; i++) {
      Object v = x[wrt[i]];
      if (v instanceof Tensor t) {
        out[wrt[i]] = t.add(((Tensor) d[i]).mul(s));
      } else if (v instanceof double[] a) {
        double[] moved = a.clone();
        for (int j = 0; j < a.length; j++) {
          moved[j] += s * ((double[]) d[i])[j];
        }
        out[wrt[i]] = moved;
      } else {
        out[wrt[i]] = (Double) v + s * (Double) d[i];
      }
    }
    return out;
  }

  private static double[] values(Object v) {
    if (v instanceof Tensor t) {
      return t.toArray();
    }
    if (v instanceof double[] a) {
      return a;
    }
    return new double[] {(Double) v};
  }

  private static double dot(double[] a, double[] b) {
    assertEquals(a.length, b.length, "sizes");
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Central differences with two Richardson steps; null where the method is not smooth along the direction. */
  private static double[] richardson(Function<Double, double[]> g) {
    double h = 1e-3;
    double[] d1 = central(g, h);
    double[] d2 = central(g, h / 2);
    double[] d4 = central(g, h / 4);
    double[] out = new double[d1.length];
    for (int i = 0; i < d1.length; i++) {
      double r1 = (4 * d2[i] - d1[i]) / 3;
      double r2 = (4 * d4[i] - d2[i]) / 3;
      if (!Double.isFinite(r2) || Math.abs(r1 - r2) > 1e-7 * Math.max(1, Math.abs(r2))) {
        return null;
      }
      out[i] = r2;
    }
    return out;
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

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static Object call(Class<?> owner, String name, Object[] args) {
    for (Method m : owner.getDeclaredMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.length) {
        m.setAccessible(true);
        try {
          return m.invoke(null, args);
        } catch (InvocationTargetException e) {
          throw new AssertionError(name + " threw", e.getCause());
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no method " + name + " with " + args.length + " parameters in " + owner);
  }

  private static Object component(Object record, int index) {
    try {
      return record.getClass().getRecordComponents()[index].getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static Object component(Object record, String name) {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      if (c.getName().equals(name)) {
        try {
          return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no component " + name + " in " + record.getClass());
  }
}
