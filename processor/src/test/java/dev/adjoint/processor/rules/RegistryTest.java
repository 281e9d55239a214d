package dev.adjoint.processor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Var;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every entry of the registry in both modes, at random points, against Richardson central
 * differences of the primitive itself (the operator, the {@code Math}/{@code StrictMath} function,
 * the runtime helper): the pushforward along a random tangent is the directional derivative, and
 * the pullback of a random seed into each input is the seed times the partial derivative. Both are
 * evaluated from the IR the generated code prints.
 */
class RegistryTest {
  @TestFactory
  Stream<DynamicTest> everyRuleMatchesFiniteDifferencesInBothModes() {
    // the classes of Commons Math 3 and Hipparchus are on the test class path; Commons Math 4's are not
    return Registry.all().stream().filter(e -> !e.isZero() && e.kind() != Registry.Kind.ARRAY && loadable(e))
        .map(e -> DynamicTest.dynamicTest(e.key().toString(), () -> check(e)));
  }

  private static boolean loadable(Registry.Entry e) {
    if (e.key().owner().equals("operator")) {
      return true;
    }
    try {
      Class<?>[] types = new Class<?>[e.key().arity() - (e.key().onReceiver() ? 1 : 0)];
      java.util.Arrays.fill(types, double.class);
      Class.forName(e.key().owner()).getMethod(e.key().name(), types);
      return true;
    } catch (ClassNotFoundException | NoSuchMethodException notHere) {
      return false; // Commons Math 4 is not on the class path, Commons Math 3's FastMath has no fma
    }
  }

  @Test
  void everyPrimitiveIsKeyedByItsMethodAndBothMathClassesAreCovered() {
    List<String> keys = Registry.all().stream().map(e -> e.key().toString()).toList();
    for (ScalarRule r : Rules.all()) {
      assertTrue(keys.contains("java.lang.Math#" + r.name() + "/" + r.arity()), r.name());
      assertTrue(keys.contains("java.lang.StrictMath#" + r.name() + "/" + r.arity()), r.name());
      for (String fast : Rules.MATH_CLASSES) {
        assertTrue(keys.contains(fast + "#" + r.name() + "/" + r.arity()), fast + " " + r.name());
      }
    }
    for (BinOp op : List.of(BinOp.ADD, BinOp.SUB, BinOp.MUL, BinOp.DIV, BinOp.REM)) {
      assertTrue(Registry.operator(op).isPresent(), op.symbol());
    }
    assertTrue(Registry.operator(BinOp.LT).isEmpty(), "comparisons have no rule");
    assertEquals(keys.size(), keys.stream().distinct().count(), "one entry per primitive");
  }

  @Test
  void strictMathPartialsCallStrictMath() {
    Registry.Entry sin = Registry.function(new dev.adjoint.processor.ir.RefType("java.lang", List.of("StrictMath")),
        "sin", 1).orElseThrow();
    Var x = new Var("x", Prim.DOUBLE, Var.Kind.PARAMETER);
    Expr pullback = sin.pullback(0, Expr.Literal.ofDouble(2), List.of(new Expr.Read(x)), null);
    boolean[] strict = {false};
    dev.adjoint.processor.ir.Rewrite.bottomUp(pullback, e -> {
      strict[0] |= e instanceof Expr.Call c && c.owner().qualifiedName().equals("java.lang.StrictMath");
      return e;
    });
    assertTrue(strict[0], "StrictMath.sin's partial is StrictMath.cos");
  }

  private interface Fn {
    double at(double[] x);
  }

  private static void check(Registry.Entry entry) throws Exception {
    Object receiver = entry.key().onReceiver() ? receiver(entry.key().owner()) : null;
    Fn f = function(entry, receiver);
    int arity = entry.key().arity() - (receiver != null ? 1 : 0);
    Random random = new Random(entry.key().toString().hashCode());
    for (int trial = 0; trial < 12; trial++) {
      double[] x = point(entry, random);
      List<Expr> args = new ArrayList<>();
      if (receiver != null) {
        Var object = new Var("distribution", new dev.adjoint.processor.ir.RefType("x", List.of("X")), Var.Kind.PARAMETER);
        RulesTest.Eval.OBJECTS.put(object, receiver);
        args.add(new Expr.Read(object));
      }
      Map<Var, Double> env = new IdentityHashMap<>();
      List<Expr> tangents = new ArrayList<>();
      if (receiver != null) {
        tangents.add(null); // the receiver carries no derivative
      }
      double[] direction = new double[arity];
      for (int i = 0; i < arity; i++) {
        Var v = new Var("a" + i, Prim.DOUBLE, Var.Kind.PARAMETER);
        args.add(new Expr.Read(v));
        env.put(v, x[i]);
        Var t = new Var("t" + i, Prim.DOUBLE, Var.Kind.PARAMETER);
        direction[i] = random.nextGaussian();
        env.put(t, direction[i]);
        tangents.add(new Expr.Read(t));
      }
      Var value = new Var("v", Prim.DOUBLE, Var.Kind.SYNTHETIC);
      env.put(value, f.at(x));
      Var seed = new Var("g", Prim.DOUBLE, Var.Kind.PARAMETER);
      double g = 0.5 + random.nextDouble();
      env.put(seed, g);
      String where = entry.key() + " at " + java.util.Arrays.toString(x);
      // forward: the pushforward is the derivative along the direction
      double jvp = RulesTest.Eval.eval(entry.pushforward(args, tangents, new Expr.Read(value)), env);
      double fdDirectional = RulesTest.richardson(s -> f.at(along(x, direction, s[0])), new double[] {0}, 0);
      assertEquals(fdDirectional, jvp, 1e-6 * Math.max(1, Math.abs(fdDirectional)), where + " pushforward");
      // reverse: each input's contribution is the seed times its partial
      for (int i = 0; i < arity; i++) {
        int k = receiver != null ? i + 1 : i;
        double vjp = RulesTest.Eval.eval(entry.pullback(k, new Expr.Read(seed), args, new Expr.Read(value)), env);
        double fd = RulesTest.richardson(s -> f.at(s), x, i);
        assertEquals(g * fd, vjp, 1e-6 * Math.max(1, Math.abs(g * fd)), where + " pullback into argument " + i);
      }
    }
  }

  private static double[] along(double[] x, double[] d, double s) {
    double[] p = x.clone();
    for (int i = 0; i < p.length; i++) {
      p[i] += s * d[i];
    }
    return p;
  }

  /** An object of a library class whose methods have rules, with parameters other than the defaults. */
  private static Object receiver(String owner) throws ReflectiveOperationException {
    Class<?> type = Class.forName(owner);
    double[] p = switch (type.getSimpleName()) {
      case "LogNormalDistribution" -> new double[] {0.3, 0.6}; // both libraries: (scale or location, shape)
      case "ExponentialDistribution" -> new double[] {1.7};
      case "ChiSquaredDistribution" -> new double[] {3.5};
      case "TDistribution" -> new double[] {4.5};
      case "GammaDistribution" -> new double[] {2.5, 0.8};
      case "BetaDistribution" -> new double[] {2.5, 3.5};
      case "WeibullDistribution" -> new double[] {2.5, 1.3};
      case "UniformRealDistribution" -> new double[] {-3.5, 3.5};
      case "CauchyDistribution", "LogisticDistribution" -> new double[] {0.3, 1.2};
      default -> new double[] {0.7, 1.3};
    };
    Class<?>[] types = new Class<?>[p.length];
    java.util.Arrays.fill(types, double.class);
    return type.getConstructor(types).newInstance(java.util.Arrays.stream(p).boxed().toArray());
  }

  /** Where a distribution's density is positive and smooth: its support, away from its ends. */
  private static double inSupport(String owner, Random r) {
    String d = owner.substring(owner.lastIndexOf('.') + 1);
    return switch (d) {
      case "LogNormalDistribution", "ExponentialDistribution", "GammaDistribution", "ChiSquaredDistribution",
          "WeibullDistribution" -> 0.2 + 4 * r.nextDouble();
      case "BetaDistribution" -> 0.05 + 0.9 * r.nextDouble();
      default -> -3 + 6 * r.nextDouble();
    };
  }

  /** The primitive itself, as a function of its arguments. */
  private static Fn function(Registry.Entry e, Object receiver) throws ReflectiveOperationException {
    Registry.Key k = e.key();
    if (receiver != null) {
      Class<?>[] types = new Class<?>[k.arity() - 1];
      java.util.Arrays.fill(types, double.class);
      Method m = receiver.getClass().getMethod(k.name(), types);
      return x -> {
        try {
          return ((Number) m.invoke(receiver, java.util.Arrays.stream(x).boxed().toArray())).doubleValue();
        } catch (ReflectiveOperationException ex) {
          throw new AssertionError(ex);
        }
      };
    }
    if (k.owner().equals("operator")) {
      return switch (k.name() + k.arity()) {
        case "+2" -> x -> x[0] + x[1];
        case "-2" -> x -> x[0] - x[1];
        case "*2" -> x -> x[0] * x[1];
        case "/2" -> x -> x[0] / x[1];
        case "%2" -> x -> x[0] % x[1];
        case "-1" -> x -> -x[0];
        default -> throw new AssertionError(k);
      };
    }
    Class<?>[] types = new Class<?>[k.arity()];
    java.util.Arrays.fill(types, double.class);
    Method m = Class.forName(k.owner()).getMethod(k.name(), types);
    return x -> {
      try {
        Object[] boxed = new Object[x.length];
        for (int i = 0; i < x.length; i++) {
          boxed[i] = x[i];
        }
        return ((Number) m.invoke(null, boxed)).doubleValue();
      } catch (ReflectiveOperationException ex) {
        throw new AssertionError(ex);
      }
    };
  }

  /** Points inside each primitive's domain, away from its kinks and jumps. */
  private static double[] point(Registry.Entry e, Random r) {
    String name = e.key().name();
    int arity = e.key().arity() - (e.key().onReceiver() ? 1 : 0);
    double[] x = new double[arity];
    for (int i = 0; i < arity; i++) {
      x[i] = switch (name) {
        case "asin", "acos" -> -0.9 + 1.8 * r.nextDouble();
        case "log", "log10", "sqrt" -> 0.1 + 5 * r.nextDouble();
        case "log1p" -> -0.9 + 5 * r.nextDouble();
        case "pow", "powBasePartial" -> i == 0 ? 0.2 + 3 * r.nextDouble() : -2 + 4 * r.nextDouble();
        case "powExponentPartial" -> i == 0 ? 0.2 + 3 * r.nextDouble() : -2 + 4 * r.nextDouble();
        case "tan" -> -1.2 + 2.4 * r.nextDouble();
        case "erfInv", "inverseCumulativeProbability" -> name.equals("erfInv") ? -0.9 + 1.8 * r.nextDouble()
            : 0.05 + 0.9 * r.nextDouble();
        case "erfcInv" -> 0.1 + 1.8 * r.nextDouble();
        case "logGamma", "gamma", "digamma", "logBeta" -> 0.3 + 4 * r.nextDouble();
        case "logGamma1p" -> -0.4 + 1.9 * r.nextDouble(); // Commons Math's domain: [-0.5, 1.5]
        case "density", "cumulativeProbability" -> inSupport(e.key().owner(), r);
        case "cosh", "sinh", "exp", "expm1" -> -3 + 6 * r.nextDouble();
        case "hypotPartial" -> i == 0 ? -3 + 6 * r.nextDouble() : 0.5 + 3 * r.nextDouble();
        case "/", "%", "IEEEremainder" -> i == 1 ? 0.5 + 2 * r.nextDouble() : -3 + 6 * r.nextDouble();
        default -> {
          double v = -3 + 6 * r.nextDouble();
          yield Math.abs(v) < 0.05 ? v + 0.1 : v;
        }
      };
    }
    if ((name.equals("max") || name.equals("min")) && Math.abs(x[0] - x[1]) < 0.05) {
      x[1] += 0.1;
    }
    if (name.equals("IEEEremainder")) {
      double q = x[0] / x[1];
      if (Math.abs(q - Math.rint(q) - 0.5 * Math.signum(q - Math.rint(q))) < 0.05) {
        x[0] += 0.1 * x[1]; // away from the remainder's jumps, at half-integer quotients
      }
    }
    if (name.equals("%")) {
      double q = x[0] / x[1];
      if (Math.abs(q - Math.rint(q)) < 0.05) {
        x[0] += 0.1 * x[1]; // away from the remainder's jumps
      }
    }
    return x;
  }
}
