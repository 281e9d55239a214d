package dev.adjoint.processor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every entry of the rule registry, checked at random points against two independent oracles:
 * Richardson-extrapolated central differences of the {@code java.lang.Math} function itself, and
 * Hipparchus forward mode. The partial is evaluated from the very IR the generated code prints.
 */
class RulesTest {
  private static final DSFactory DS1 = new DSFactory(1, 1);

  @TestFactory
  Stream<DynamicTest> everyPartialMatchesBothOracles() {
    // scalb takes an int exponent (checked end to end in the processor's numeric tests)
    return Rules.all().stream().filter(r -> !r.hasZeroDerivative() && !r.name().equals("scalb")).map(rule ->
        DynamicTest.dynamicTest(rule.name() + "/" + rule.arity(), () -> check(rule)));
  }

  @Test
  void registryCoversEveryDifferentiableMathFunction() {
    List<String> names = Rules.all().stream().map(ScalarRule::name).toList();
    for (String f : List.of("sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh",
        "exp", "expm1", "log", "log10", "log1p", "sqrt", "cbrt", "pow", "hypot", "abs", "max", "min", "fma",
        "floor", "ceil", "rint", "round", "signum", "toRadians", "toDegrees")) {
      assertTrue(names.contains(f), f);
    }
  }

  @Test
  void piecewiseConstantFunctionsHaveZeroDerivativeBetweenJumps() throws Exception {
    for (String f : List.of("floor", "ceil", "rint", "signum")) {
      ScalarRule rule = Rules.lookup(f, 1).orElseThrow();
      assertTrue(rule.hasZeroDerivative(), f);
      Method m = Math.class.getMethod(f, double.class);
      assertEquals(0.0, richardson(x -> call(m, x[0]), new double[] {2.3}, 0), 0.0, f);
    }
  }

  @Test
  void powOfNegativeBaseWithIntegerExponentHasItsTrueDerivative() {
    ScalarRule pow = Rules.lookup("pow", 2).orElseThrow();
    Var a = new Var("a", Prim.DOUBLE, Var.Kind.PARAMETER);
    Expr.Literal three = new Expr.Literal(3, "3", Prim.INT);
    Expr partial = pow.partial().of(0, List.of(new Expr.Read(a), three), null);
    Map<Var, Double> env = new IdentityHashMap<>();
    env.put(a, -2.0);
    assertEquals(12.0, Eval.eval(partial, env), 1e-12); // 3 * (-2)^2, not NaN via log(-2)
  }

  private static void check(ScalarRule rule) throws Exception {
    Random random = new Random(rule.name().hashCode());
    Method function = mathMethod(rule.name(), rule.arity());
    for (int trial = 0; trial < 20; trial++) {
      double[] x = point(rule.name(), rule.arity(), random);
      List<Var> vars = new ArrayList<>();
      List<Expr> args = new ArrayList<>();
      Map<Var, Double> env = new IdentityHashMap<>();
      for (int i = 0; i < x.length; i++) {
        Var v = new Var("a" + i, Prim.DOUBLE, Var.Kind.PARAMETER);
        vars.add(v);
        args.add(new Expr.Read(v));
        env.put(v, x[i]);
      }
      Var valueVar = new Var("v", Prim.DOUBLE, Var.Kind.SYNTHETIC);
      env.put(valueVar, call(function, x));
      double[] forward = forwardMode(rule.name(), x);
      for (int i = 0; i < x.length; i++) {
        double partial = Eval.eval(rule.partial().of(i, args, new Expr.Read(valueVar)), env);
        int wrt = i;
        double fd = richardson(p -> call(function, p), x, wrt);
        String where = rule.name() + " d/da" + i + " at " + java.util.Arrays.toString(x);
        assertEquals(fd, partial, 1e-6 * Math.max(1, Math.abs(fd)), where + " vs finite differences");
        assertEquals(forward[i], partial, 1e-12 * Math.max(1, Math.abs(forward[i])), where + " vs forward mode");
      }
    }
  }

  /** Points inside each function's domain and away from its kinks. */
  private static double[] point(String name, int arity, Random r) {
    double[] x = new double[arity];
    for (int i = 0; i < arity; i++) {
      x[i] = switch (name) {
        case "asin", "acos" -> -0.9 + 1.8 * r.nextDouble();
        case "log", "log10", "sqrt" -> 0.1 + 5 * r.nextDouble();
        case "log1p" -> -0.9 + 5 * r.nextDouble();
        case "pow" -> i == 0 ? 0.2 + 3 * r.nextDouble() : -2 + 4 * r.nextDouble();
        case "tan" -> -1.2 + 2.4 * r.nextDouble();
        case "cosh", "sinh", "exp", "expm1" -> -3 + 6 * r.nextDouble();
        default -> {
          double v = -3 + 6 * r.nextDouble();
          yield Math.abs(v) < 0.05 ? v + 0.1 : v; // away from 0: abs, cbrt, hypot
        }
      };
    }
    if ((name.equals("max") || name.equals("min")) && Math.abs(x[0] - x[1]) < 0.05) {
      x[1] += 0.1;
    }
    if (name.equals("IEEEremainder")) {
      double d = x[0] / x[1] - Math.rint(x[0] / x[1]);
      if (Math.abs(Math.abs(d) - 0.5) < 0.05 || Math.abs(x[1]) < 0.5) {
        x[1] = 1.7; // away from the jumps at half-integer quotients, and from tiny divisors
        x[0] = Math.rint(x[0]) + 0.1;
      }
    }
    return x;
  }

  /** Hipparchus forward mode: the same function over DerivativeStructure, one seed at a time. */
  private static double[] forwardMode(String name, double[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      DerivativeStructure[] a = new DerivativeStructure[x.length];
      for (int j = 0; j < x.length; j++) {
        a[j] = j == i ? DS1.variable(0, x[j]) : DS1.constant(x[j]);
      }
      DerivativeStructure y = switch (name) {
        case "sin" -> a[0].sin();
        case "cos" -> a[0].cos();
        case "tan" -> a[0].tan();
        case "asin" -> a[0].asin();
        case "acos" -> a[0].acos();
        case "atan" -> a[0].atan();
        case "atan2" -> a[0].atan2(a[1]);
        case "toRadians" -> a[0].toRadians();
        case "toDegrees" -> a[0].toDegrees();
        case "sinh" -> a[0].sinh();
        case "cosh" -> a[0].cosh();
        case "tanh" -> a[0].tanh();
        case "exp" -> a[0].exp();
        case "expm1" -> a[0].expm1();
        case "log" -> a[0].log();
        case "log10" -> a[0].log10();
        case "log1p" -> a[0].log1p();
        case "sqrt" -> a[0].sqrt();
        case "cbrt" -> a[0].cbrt();
        case "pow" -> a[0].pow(a[1]);
        case "hypot" -> a[0].hypot(a[1]);
        case "abs" -> a[0].abs();
        case "max" -> x[0] >= x[1] ? a[0] : a[1];
        case "min" -> x[0] <= x[1] ? a[0] : a[1];
        case "fma" -> a[0].multiply(a[1]).add(a[2]);
        case "copySign" -> a[0].copySign(a[1]);
        case "nextUp" -> a[0].add(Math.nextUp(x[0]) - x[0]);
        case "nextDown" -> a[0].add(Math.nextDown(x[0]) - x[0]);
        case "IEEEremainder" -> a[0].remainder(a[1]);
        default -> throw new AssertionError("no forward-mode twin for " + name);
      };
      out[i] = y.getPartialDerivative(1);
    }
    return out;
  }

  interface Fn {
    double at(double[] x);
  }

  /** Central differences at h and h/2, combined by Richardson extrapolation (error O(h^4)). */
  static double richardson(Fn f, double[] x, int i) {
    double h = 1e-3 * Math.max(1, Math.abs(x[i]));
    double d1 = central(f, x, i, h);
    double d2 = central(f, x, i, h / 2);
    return (4 * d2 - d1) / 3;
  }

  private static double central(Fn f, double[] x, int i, double h) {
    double[] p = x.clone();
    double[] m = x.clone();
    p[i] += h;
    m[i] -= h;
    return (f.at(p) - f.at(m)) / (2 * h);
  }

  private static Method mathMethod(String name, int arity) throws ReflectiveOperationException {
    return doubleMethod(Math.class, name, arity);
  }

  /** {@code owner.name(double, ..., double)}. */
  private static Method doubleMethod(Class<?> owner, String name, int arity) throws ReflectiveOperationException {
    Class<?>[] types = new Class<?>[arity];
    java.util.Arrays.fill(types, double.class);
    return owner.getMethod(name, types);
  }

  private static double call(Method m, double... args) {
    try {
      Object[] boxed = new Object[args.length];
      for (int i = 0; i < args.length; i++) {
        boxed[i] = args[i];
      }
      return ((Number) m.invoke(null, boxed)).doubleValue();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** A small interpreter for the IR expressions that rules produce. */
  static final class Eval {
    /** The objects that reads of object variables stand for: the receivers of library methods' rules. */
    static final Map<Var, Object> OBJECTS = new java.util.IdentityHashMap<>();

    private Eval() {}

    static double eval(Expr e, Map<Var, Double> env) {
      if (e instanceof Expr.Literal l) {
        return l.value() instanceof Boolean b ? (b ? 1 : 0) : ((Number) l.value()).doubleValue();
      }
      if (e instanceof Expr.Read r) {
        return env.get(r.var());
      }
      if (e instanceof Expr.FieldRead f) {
        try {
          return Class.forName(f.owner().qualifiedName()).getField(f.name()).getDouble(null);
        } catch (ReflectiveOperationException ex) {
          throw new AssertionError(ex);
        }
      }
      if (e instanceof Expr.Neg n) {
        return -eval(n.operand(), env);
      }
      if (e instanceof Expr.Cast c) {
        return eval(c.operand(), env);
      }
      if (e instanceof Expr.Conditional c) {
        return eval(c.cond(), env) != 0 ? eval(c.then(), env) : eval(c.otherwise(), env);
      }
      if (e instanceof Expr.Binary b) {
        double l = eval(b.left(), env);
        double r = eval(b.right(), env);
        return switch (b.op()) {
          case ADD -> l + r;
          case SUB -> l - r;
          case MUL -> l * r;
          case DIV -> l / r;
          case REM -> l % r;
          case LT -> l < r ? 1 : 0;
          case GT -> l > r ? 1 : 0;
          case LE -> l <= r ? 1 : 0;
          case GE -> l >= r ? 1 : 0;
          case EQ -> l == r ? 1 : 0;
          case NE -> l != r ? 1 : 0;
          default -> throw new AssertionError(b.op());
        };
      }
      if (e instanceof Expr.Call c && c.onReceiver()) {
        Object receiver = OBJECTS.get(((Expr.Read) c.args().get(0)).var());
        double[] args = c.args().subList(1, c.args().size()).stream().mapToDouble(a -> eval(a, env)).toArray();
        try {
          Method m = doubleMethod(receiver.getClass(), c.name(), args.length);
          Object[] boxed = java.util.Arrays.stream(args).boxed().toArray();
          return ((Number) m.invoke(receiver, boxed)).doubleValue();
        } catch (ReflectiveOperationException ex) {
          throw new AssertionError(ex);
        }
      }
      if (e instanceof Expr.Call c) {
        double[] args = c.args().stream().mapToDouble(a -> eval(a, env)).toArray();
        try {
          return call(doubleMethod(Class.forName(c.owner().qualifiedName()), c.name(), args.length), args);
        } catch (ReflectiveOperationException ex) {
          throw new AssertionError(ex);
        }
      }
      throw new AssertionError("cannot evaluate " + e);
    }
  }

}
