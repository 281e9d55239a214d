package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.Failure.Category;
import dev.adjoint.processor.fuzz.GradientChecker.Outcome;
import dev.adjoint.tensor.Tensor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * Checks the gradient of one tensor program (see {@link TensorGenerator}) at one point, given by
 * a seed: the arguments (and the model, for an instance method) come from the program's own
 * {@code fuzzArgs(new Random(seed))}. The checked function is the method's result, or for a
 * {@code Tensor} result {@code <S, f(x)>} with a random seed tensor S (its gradient is
 * {@code mVjp(..., S)}); a {@code double} result is checked through {@code m} at even seeds and
 * through {@code mVjp(..., c)} with a random c at odd ones.
 *
 * <p>The value must equal the primal's bit for bit (every element of a tensor result). Every
 * element of every tensor gradient in the record, every double partial, and every element of
 * every model parameter's {@code grad()} (fields of the model and of its sub-modules, found by
 * reflection; cleared before the call) is compared with finite differences by
 * {@link GradientChecker#compare}, perturbing the element in place and restoring it.
 */
final class TensorChecker {
  private TensorChecker() {}

  /** The failure point of a tensor program: its seed, printed {@code seed=123}. */
  static Point point(long seed) {
    return new Point(List.of("seed"), new Object[] {seed});
  }

  /**
   * Checks method {@code name} of {@code cls} against {@code grad} at {@code seed}; parameters
   * named in {@code constants} are {@code @NoDerivative} (the annotation is not kept at run time),
   * every other one must have its record component.
   */
  static Outcome check(Class<?> cls, Class<?> grad, String name, Set<String> constants, long seed) {
    Outcome out = new Outcome();
    Point pt = point(seed);
    Method primal = find(cls, name, false);
    Object[] all;
    try {
      Method fuzzArgs = cls.getDeclaredMethod("fuzzArgs", Random.class);
      fuzzArgs.setAccessible(true);
      all = (Object[]) fuzzArgs.invoke(null, new Random(seed));
    } catch (InvocationTargetException e) {
      out.primalError = e.getCause();
      return out;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    boolean instance = !Modifier.isStatic(primal.getModifiers());
    Object self = instance ? all[0] : null;
    Object[] args = instance ? Arrays.copyOfRange(all, 1, all.length) : all;
    Object v0;
    try {
      v0 = primal.invoke(self, args);
    } catch (InvocationTargetException e) {
      out.primalError = e.getCause();
      return out;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    Random sr = new Random(seed * 0x9E3779B97F4A7C15L + 17);
    Tensor seedTensor = v0 instanceof Tensor t ? Tensor.rand(sr, -1, 1, t.shape()) : null;
    double seedScalar = v0 instanceof Tensor || seed % 2 == 0 ? 1 : 0.5 + 1.5 * sr.nextDouble();
    if (!finite(v0)) {
      out.skipped = true;
      return out;
    }
    List<Tensor> params = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    if (self != null) {
      collect(self, "this", params, labels);
    }
    params.forEach(Tensor::clearGrad);
    Object rec;
    try {
      rec = invokeGradient(grad, name, self, args, v0 instanceof Tensor ? seedTensor : seedScalar, seed);
    } catch (InvocationTargetException e) {
      Throwable c = e.getCause();
      StackTraceElement[] st = c.getStackTrace();
      out.failure = new Failure(Category.EXCEPTION, c.getClass().getSimpleName(),
          "the generated gradient threw " + c + (st.length == 0 ? "" : " at " + st[0]), pt);
      return out;
    }
    Map<String, Object> comps = GradientChecker.components(rec);
    String mismatch = sameValue(v0, comps.get("value"));
    if (mismatch != null) {
      out.failure = new Failure(Category.VALUE_MISMATCH, "", mismatch, pt);
      return out;
    }
    Evaluator f = () -> {
      Object v = primal.invoke(self, args);
      double s = v instanceof Tensor t ? inner(seedTensor, t) : (Double) v;
      return s * seedScalar;
    };
    Parameter[] ps = primal.getParameters();
    for (int i = 0; i < ps.length && out.failure == null; i++) {
      String pn = ps[i].getName();
      Object arg = args[i];
      if (!(arg instanceof Tensor) && !(arg instanceof Double)) {
        continue;
      }
      Object g = comps.get(pn);
      if (g == null && !comps.containsKey(pn)) {
        if (!constants.contains(pn)) {
          out.failure = new Failure(Category.GRADIENT_MISMATCH, "shape",
              "the gradient record " + rec.getClass().getSimpleName() + " has no component '" + pn + "'", pt);
        }
        continue;
      }
      if (arg instanceof Double d) {
        int at = i;
        DoubleUnaryOperator fi = v -> {
          Object old = args[at];
          args[at] = v;
          try {
            return f.eval();
          } catch (ReflectiveOperationException | RuntimeException e) {
            return Double.NaN;
          } finally {
            args[at] = old;
          }
        };
        GradientChecker.compare(fi, d, g instanceof Double gd ? gd : Double.NaN, pn, pt, out);
      } else {
        tensor((Tensor) arg, g, pn, f, pt, out);
      }
    }
    for (int k = 0; k < params.size() && out.failure == null; k++) {
      tensor(params.get(k), params.get(k).grad(), labels.get(k) + ".grad()", f, pt, out);
    }
    if (out.failure == null) {
      jvp(grad, name, self, args, params, comps, constants, f, v0, seedTensor, seedScalar, seed, pt, out);
    }
    if (out.failure == null && out.coordsChecked == 0 && out.coordsSkipped > 0) {
      out.skipped = true;
    }
    return out;
  }

  /**
   * Forward mode, when the program has it ({@code mJvp}), once the gradient has passed: along a
   * random direction d of the differentiated parameters and of a model's parameters (their
   * {@code tangent()}, one left null), its value is the method's, its tangent (seeded as the
   * gradient was) is {@code Σ <gradient, d>} (a model parameter's gradient is its {@code grad()})
   * and the finite difference along d.
   */
  private static void jvp(Class<?> grad, String name, Object self, Object[] args, List<Tensor> params,
      Map<String, Object> comps, Set<String> constants, Evaluator f, Object v0, Tensor seedTensor, double seedScalar,
      long seed, Point pt, Outcome out) {
    Method jvp = Arrays.stream(grad.getDeclaredMethods()).filter(m -> m.getName().equals(name + "Jvp")).findFirst()
        .orElse(null);
    if (jvp == null) {
      return;
    }
    jvp.setAccessible(true);
    Random dr = new Random(seed * 31 + 7);
    Parameter[] ps = jvp.getParameters();
    int first = self == null ? 0 : 1;
    List<Object> call = new ArrayList<>();
    if (self != null) {
      call.add(self);
    }
    call.addAll(Arrays.asList(args));
    Object[] d = new Object[args.length];
    double inner = 0;
    // each parameter once (a tensor may be reachable twice), the first without a tangent
    List<Tensor> distinct = new ArrayList<>();
    Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    params.stream().filter(seen::add).forEach(distinct::add);
    for (int k = 0; k < distinct.size(); k++) {
      Tensor p = distinct.get(k);
      p.setTangent(k == 0 ? null : Tensor.rand(dr, -1, 1, p.shape()));
      if (p.tangent() != null && p.grad() != null) {
        inner += inner(p.grad(), p.tangent());
      }
    }
    try {
      jvpAlong(jvp, ps, first, call, args, d, inner, distinct, comps, constants, f, v0, seedTensor, seedScalar, dr,
          pt, out);
    } finally {
      distinct.forEach(p -> p.setTangent(null));
    }
  }

  private static void jvpAlong(Method jvp, Parameter[] ps, int first, List<Object> call, Object[] args, Object[] d,
      double inner0, List<Tensor> params, Map<String, Object> comps, Set<String> constants, Evaluator f, Object v0,
      Tensor seedTensor, double seedScalar, Random dr, Point pt, Outcome out) {
    double inner = inner0;
    for (int i = 0; i < args.length; i++) {
      String pn = ps[first + i].getName();
      if (!(args[i] instanceof Tensor) && !(args[i] instanceof Double) || constants.contains(pn)) {
        continue;
      }
      d[i] = args[i] instanceof Tensor t ? Tensor.rand(dr, -1, 1, t.shape()) : -1 + 2 * dr.nextDouble();
      call.add(d[i]);
      Object g = comps.get(pn);
      inner += g == null ? 0 : d[i] instanceof Tensor dt ? inner((Tensor) g, dt) : (Double) g * (Double) d[i];
    }
    Object rec;
    try {
      rec = jvp.invoke(null, call.toArray());
    } catch (InvocationTargetException e) {
      out.failure = new Failure(Category.EXCEPTION, "jvp-" + e.getCause().getClass().getSimpleName(),
          "the generated mJvp threw " + e.getCause(), pt);
      return;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    Map<String, Object> c = GradientChecker.components(rec);
    String mismatch = sameValue(v0, c.get("value"));
    if (mismatch != null) {
      out.failure = new Failure(Category.VALUE_MISMATCH, "jvp", "mJvp: " + mismatch, pt);
      return;
    }
    Object t = c.get("tangent");
    double tangent = (t instanceof Tensor tt ? inner(seedTensor, tt) : (Double) t) * seedScalar;
    if (!(Math.abs(tangent - inner) <= 1e-9 * Math.max(1, Math.abs(inner)))) {
      out.failure = new Failure(Category.GRADIENT_MISMATCH, "jvp", "mJvp's tangent (seeded) is " + tangent
          + " but the gradient's inner product with the direction is " + inner, pt);
      return;
    }
    Object[] saved = args.clone();
    List<double[]> savedData = params.stream().map(p -> p.data().clone()).toList();
    DoubleUnaryOperator along = s -> {
      for (int i = 0; i < args.length; i++) {
        if (d[i] instanceof Tensor dt) {
          args[i] = ((Tensor) saved[i]).add(dt.mul(s));
        } else if (d[i] instanceof Double dd) {
          args[i] = (Double) saved[i] + s * dd;
        }
      }
      for (int k = 0; k < params.size(); k++) {
        Tensor p = params.get(k);
        if (p.tangent() != null) {
          double[] data = p.data();
          double[] dir = p.tangent().data();
          for (int j = 0; j < data.length; j++) {
            data[j] = savedData.get(k)[j] + s * dir[j];
          }
        }
      }
      try {
        return f.eval();
      } catch (ReflectiveOperationException | RuntimeException e) {
        return Double.NaN;
      } finally {
        System.arraycopy(saved, 0, args, 0, args.length);
        for (int k = 0; k < params.size(); k++) {
          System.arraycopy(savedData.get(k), 0, params.get(k).data(), 0, savedData.get(k).length);
        }
      }
    };
    GradientChecker.compare(along, 0, tangent, "mJvp's tangent", pt, out);
  }

  /** The scalar checked, as a function of the (in place perturbed) arguments. */
  private interface Evaluator {
    double eval() throws ReflectiveOperationException;
  }

  /** Checks every element of gradient {@code g} (null: zero) of tensor {@code x}. */
  private static void tensor(Tensor x, Object g, String label, Evaluator f, Point pt, Outcome out) {
    if (g != null && !(g instanceof Tensor gt && Arrays.equals(gt.shape(), x.shape()))) {
      out.failure = new Failure(Category.GRADIENT_MISMATCH, "shape", label + " is " + describe(g)
          + ", expected shape " + Arrays.toString(x.shape()), pt);
      return;
    }
    double[] data = x.data();
    double[] ga = g == null ? new double[data.length] : ((Tensor) g).toArray();
    for (int j = 0; j < data.length && out.failure == null; j++) {
      int at = j;
      double x0 = data[j];
      DoubleUnaryOperator fj = v -> {
        data[at] = v;
        try {
          return f.eval();
        } catch (ReflectiveOperationException | RuntimeException e) {
          return Double.NaN;
        } finally {
          data[at] = x0;
        }
      };
      String el = x.dim() == 0 ? label : label + Arrays.toString(unravel(j, x.shape()));
      GradientChecker.compare(fj, x0, ga[j], el + (g == null ? " (null gradient)" : ""), pt, out);
    }
  }

  private static Object invokeGradient(Class<?> grad, String name, Object self, Object[] args, Object seedArg,
      long seed) throws InvocationTargetException {
    boolean vjp = seedArg instanceof Tensor || seed % 2 != 0;
    Method m = find(grad, vjp ? name + "Vjp" : name, true);
    List<Object> a = new ArrayList<>();
    if (self != null) {
      a.add(self);
    }
    a.addAll(Arrays.asList(args));
    if (vjp) {
      a.add(seedArg);
    }
    try {
      return m.invoke(null, a.toArray());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every tensor reachable from a model through its fields, lists and arrays (its parameters). */
  static void collect(Object o, String label, List<Tensor> out, List<String> labels) {
    for (Field fd : o.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(fd.getModifiers())) {
        continue;
      }
      fd.setAccessible(true);
      Object v;
      try {
        v = fd.get(o);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
      String l = label + "." + fd.getName();
      member(v, l, out, labels);
    }
  }

  private static void member(Object v, String l, List<Tensor> out, List<String> labels) {
    if (v instanceof Tensor t) {
      if (!out.contains(t)) {
        out.add(t);
        labels.add(l);
      }
    } else if (v instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        member(list.get(i), l + "[" + i + "]", out, labels);
      }
    } else if (v instanceof Object[] arr) {
      for (int i = 0; i < arr.length; i++) {
        member(arr[i], l + "[" + i + "]", out, labels);
      }
    } else if (v != null && v.getClass().getClassLoader() != Tensor.class.getClassLoader()
        && v.getClass().getClassLoader() != null) {
      collect(v, l, out, labels);
    }
  }

  private static String sameValue(Object primal, Object value) {
    if (primal instanceof Double d) {
      if (!(value instanceof Double g) || Double.doubleToLongBits(g) != Double.doubleToLongBits(d)) {
        return "value() is " + describe(value) + " but the method returns " + d;
      }
      return null;
    }
    Tensor t = (Tensor) primal;
    if (!(value instanceof Tensor g) || !Arrays.equals(g.shape(), t.shape())) {
      return "value() is " + describe(value) + " but the method returns a tensor of shape " + Arrays.toString(t.shape());
    }
    double[] a = t.data();
    double[] b = g.data();
    for (int i = 0; i < a.length; i++) {
      if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
        return "value() element " + i + " is " + b[i] + " but the method's is " + a[i];
      }
    }
    return null;
  }

  private static boolean finite(Object v) {
    if (v instanceof Double d) {
      return Double.isFinite(d);
    }
    for (double x : ((Tensor) v).data()) {
      if (!Double.isFinite(x)) {
        return false;
      }
    }
    return true;
  }

  static double inner(Tensor s, Tensor t) {
    if (!Arrays.equals(s.shape(), t.shape())) {
      throw new IllegalStateException("result shape changed to " + Arrays.toString(t.shape()));
    }
    double[] a = s.data();
    double[] b = t.data();
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static int[] unravel(int j, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = j % shape[d];
      j /= shape[d];
    }
    return idx;
  }

  private static String describe(Object o) {
    if (o instanceof Tensor t) {
      return "a tensor of shape " + Arrays.toString(t.shape()) + " " + Arrays.toString(t.data());
    }
    return String.valueOf(o);
  }

  private static Method find(Class<?> c, String name, boolean mustBeStatic) {
    for (Method m : c.getDeclaredMethods()) {
      if (m.getName().equals(name) && !m.isSynthetic() && (!mustBeStatic || Modifier.isStatic(m.getModifiers()))) {
        m.setAccessible(true);
        return m;
      }
    }
    throw new IllegalArgumentException("no method " + name + " in " + c.getName());
  }
}
