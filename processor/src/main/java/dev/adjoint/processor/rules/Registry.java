package dev.adjoint.processor.rules;

import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.compare;
import static dev.adjoint.processor.ir.Exprs.cond;
import static dev.adjoint.processor.ir.Exprs.div;
import static dev.adjoint.processor.ir.Exprs.helper;
import static dev.adjoint.processor.ir.Exprs.math;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.num;
import static dev.adjoint.processor.ir.Exprs.sub;

import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Rewrite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one registry of scalar derivative rules, for both modes: one entry per primitive (each
 * arithmetic operator, each {@code Math} and {@code StrictMath} function, each runtime helper that
 * generated code calls, each zero-derivative function), keyed by the method it belongs to
 * ({@code java.lang.Math#sin/1}, {@code operator#* /2}), never by a bare name.
 *
 * <p>An entry holds one formula per input: the partial derivative applied to a direction,
 * {@code ∂f/∂xᵢ · g}. Forward mode sums it over the inputs with their tangents
 * ({@link Entry#pushforward}); reverse mode applies it to the result's adjoint and adds it into
 * each input's ({@link Entry#pullback}): the scalar partials are the single source of both, as Clad
 * writes {@code pow_pullback} with {@code pow_pushforward}. Runtime helpers that only the reverse
 * sweep calls ({@code ScalarRules.powBasePartial}) have entries too, so that forward mode can run
 * over a reverse sweep (Hessian-vector products).
 */
public final class Registry {
  /** Where a rule comes from, for documentation and counts. */
  public enum Kind {
    /** {@code + - * / %} and unary minus. */
    OPERATOR,
    /** A {@code java.lang.Math} or {@code java.lang.StrictMath} function. */
    MATH,
    /** A runtime helper ({@code dev.adjoint.rules.ScalarRules}) that generated reverse code calls. */
    HELPER,
    /** Zero derivative wherever one exists (floor, round, signum, a truncated quotient). */
    ZERO,
    /** A runtime array helper of generated code, linear in its array ({@code ArrayRules.copy}). */
    ARRAY,
    /** A function of a numeric library whose source Adjoint does not see ({@code Erf.erf}, a distribution's density). */
    LIBRARY
  }

  /**
   * The method a rule belongs to: its class (or {@code operator}), name and arity; for an instance
   * method ({@code onReceiver}) the arity counts the receiver, argument 0.
   */
  public record Key(String owner, String name, int arity, boolean onReceiver) {
    Key(String owner, String name, int arity) {
      this(owner, name, arity, false);
    }

    @Override
    public String toString() {
      return owner + (onReceiver ? "#this." : "#") + name + "/" + arity;
    }
  }

  /** {@code ∂f/∂x_i · g}, as an expression of the arguments and the function's value. */
  @FunctionalInterface
  public interface Linear {
    Expr apply(int i, Expr g, List<Expr> args, Expr value);
  }

  /** One primitive's rule; {@code rule} null for a zero derivative. */
  public record Entry(Key key, Kind kind, Linear rule) {
    public boolean isZero() {
      return rule == null;
    }

    /** The adjoint contribution to input {@code i} from the result's adjoint {@code seed}. */
    public Expr pullback(int i, Expr seed, List<Expr> args, Expr value) {
      return rule.apply(i, seed, args, value);
    }

    /**
     * The result's tangent, {@code Σ ∂f/∂x_i · ẋ_i} over the inputs whose tangent is not null;
     * null when every tangent is null (the result does not vary).
     */
    public Expr pushforward(List<Expr> args, List<Expr> tangents, Expr value) {
      Expr sum = null;
      for (int i = 0; i < args.size(); i++) {
        Expr t = tangents.get(i);
        if (t == null || rule == null) {
          continue;
        }
        Expr term = rule.apply(i, t, args, value);
        // x * x: the two equal terms once, doubled
        sum = sum == null ? term : sum.equals(term) ? mul(num(2), term) : add(sum, term);
      }
      return sum;
    }
  }

  private static final String OPERATOR = "operator";
  private static final String MATH = "java.lang.Math";
  private static final String STRICT_MATH = "java.lang.StrictMath";
  private static final RefType STRICT_MATH_TYPE = new RefType("java.lang", List.of("StrictMath"));
  private static final Map<Key, Entry> ENTRIES = new LinkedHashMap<>();

  static {
    // 1. Arithmetic operators (the partial of a quotient reuses the quotient)
    put(OPERATOR, "+", 2, Kind.OPERATOR, (i, g, a, v) -> g);
    put(OPERATOR, "-", 2, Kind.OPERATOR, (i, g, a, v) -> i == 0 ? g : neg(g));
    put(OPERATOR, "*", 2, Kind.OPERATOR, (i, g, a, v) -> mul(g, a.get(1 - i)));
    put(OPERATOR, "/", 2, Kind.OPERATOR, (i, g, a, v) -> i == 0
        ? div(g, a.get(1))
        : neg(div(mul(g, v), a.get(1))));
    // l % r = l - r * trunc(l / r), and trunc has derivative 0 almost everywhere
    put(OPERATOR, "%", 2, Kind.OPERATOR, (i, g, a, v) -> i == 0
        ? g
        : neg(mul(g, helper("truncatedQuotient", a.get(0), a.get(1)))));
    put(OPERATOR, "-", 1, Kind.OPERATOR, (i, g, a, v) -> neg(g));

    // 2. Math and StrictMath functions, from their partials (Rules); StrictMath's partials call
    //    StrictMath, so that a gradient is as reproducible across JVMs as the value; the FastMath
    //    classes of Commons Math and Hipparchus share Math's rules (their partials call Math)
    List<String> owners = new ArrayList<>(List.of(MATH, STRICT_MATH));
    Rules.MATH_CLASSES.stream().filter(c -> !owners.contains(c)).sorted().forEach(owners::add);
    for (ScalarRule r : Rules.all()) {
      for (String owner : owners) {
        Kind kind = r.hasZeroDerivative() ? Kind.ZERO : Kind.MATH;
        put(owner, r.name(), r.arity(), kind, r.hasZeroDerivative() ? null : (i, g, a, v) -> {
          Expr partial = r.partial().of(i, a, v);
          return mul(g, owner.equals(STRICT_MATH) ? strict(partial) : partial);
        });
      }
    }

    // 3. The runtime helpers that reverse sweeps call (dev.adjoint.rules.ScalarRules), each with
    //    the derivative of its guarded formula, so that forward mode runs over a reverse sweep
    String helpers = Exprs.SCALAR_RULES.qualifiedName();
    put(helpers, "truncatedQuotient", 2, Kind.ZERO, null);
    // powBasePartial(x, c) = c x^(c-1): d/dx = c (c-1) x^(c-2), d/dc = x^(c-1) (1 + c ln x)
    put(helpers, "powBasePartial", 2, Kind.HELPER, (i, g, a, v) -> i == 0
        ? mul(g, mul(a.get(1), helper("powBasePartial", a.get(0), sub(a.get(1), num(1)))))
        : mul(g, mul(math("pow", a.get(0), sub(a.get(1), num(1))), add(num(1), mul(a.get(1), math("log", a.get(0)))))));
    // powExponentPartial(x, y, p) = p ln x: d/dx = p / x, d/dy = 0 (y only guards), d/dp = ln x
    put(helpers, "powExponentPartial", 3, Kind.HELPER, (i, g, a, v) -> switch (i) {
      case 0 -> mul(g, div(a.get(2), a.get(0)));
      case 1 -> num(0);
      default -> mul(g, helper("powExponentPartial", a.get(0), a.get(1), num(1)));
    });
    // hypotPartial(x, h) = x / h: d/dx = 1 / h, d/dh = -x / h^2 (0 at h = 0, like the helper)
    put(helpers, "hypotPartial", 2, Kind.HELPER, (i, g, a, v) -> i == 0
        ? mul(g, helper("hypotPartial", num(1), a.get(1)))
        : neg(mul(g, mul(v, helper("hypotPartial", num(1), a.get(1))))));
  }

  static {
    // 4. Array helpers of generated code: a copy's tangent is the copy of the tangent; zeros are constant
    String arrays = "dev.adjoint.rules.ArrayRules";
    put(arrays, "copy", 1, Kind.ARRAY, (i, g, a, v) -> new Call(new RefType("dev.adjoint.rules", List.of("ArrayRules")),
        "copy", List.of(g), a.get(0).type()));
    put(arrays, "zerosLike", 1, Kind.ZERO, null);
  }

  static {
    // 5. Functions of numeric libraries that Adjoint cannot look into (their source is not in the
    //    compilation): the error function of Commons Math and Hipparchus, and the distributions'
    //    density, cumulative and inverse cumulative probabilities, instance methods of an object
    //    that carries no derivative (its argument 0 is the receiver, which never varies)
    for (String erf : List.of("org.apache.commons.math3.special.Erf", "org.hipparchus.special.Erf")) {
      // erf' = 2/sqrt(pi) exp(-x^2), erfc' = -erf'; erfInv' = sqrt(pi)/2 exp(v^2), erfcInv' = -erfInv'
      put(erf, "erf", 1, Kind.LIBRARY, (i, g, a, v) -> mul(g, gaussian(a.get(0))));
      put(erf, "erfc", 1, Kind.LIBRARY, (i, g, a, v) -> neg(mul(g, gaussian(a.get(0)))));
      put(erf, "erf", 2, Kind.LIBRARY, (i, g, a, v) -> i == 0
          ? neg(mul(g, gaussian(a.get(0))))
          : mul(g, gaussian(a.get(1))));
      put(erf, "erfInv", 1, Kind.LIBRARY, (i, g, a, v) -> mul(g, div(halfSqrtPi(), gaussian1(v))));
      put(erf, "erfcInv", 1, Kind.LIBRARY, (i, g, a, v) -> neg(mul(g, div(halfSqrtPi(), gaussian1(v)))));
    }
    for (String pkg : List.of("org.apache.commons.math3.special", "org.hipparchus.special")) {
      // log Γ' = ψ, Γ' = Γ ψ, ψ' = ψ₁ (trigamma), log Γ(1 + x)' = ψ(1 + x), log B(a, b)' = ψ(a) - ψ(a + b)
      String gamma = pkg + ".Gamma";
      put(gamma, "logGamma", 1, Kind.LIBRARY, (i, g, a, v) -> mul(g, special(gamma, "digamma", a.get(0))));
      put(gamma, "gamma", 1, Kind.LIBRARY, (i, g, a, v) -> mul(g, mul(v, special(gamma, "digamma", a.get(0)))));
      put(gamma, "digamma", 1, Kind.LIBRARY, (i, g, a, v) -> mul(g, special(gamma, "trigamma", a.get(0))));
      put(gamma, "logGamma1p", 1, Kind.LIBRARY, (i, g, a, v) ->
          mul(g, special(gamma, "digamma", add(num(1), a.get(0)))));
      put(pkg + ".Beta", "logBeta", 2, Kind.LIBRARY, (i, g, a, v) -> mul(g,
          sub(special(gamma, "digamma", a.get(i)), special(gamma, "digamma", add(a.get(0), a.get(1))))));
    }
    for (String normal : List.of("org.apache.commons.math3.distribution.NormalDistribution",
        "org.hipparchus.distribution.continuous.NormalDistribution")) {
      // density' = -(x - mean) / sd^2 density
      putMethod(normal, "density", 1, (i, g, a, v) -> {
        Expr sd = onReceiver(normal, "getStandardDeviation", a.get(0));
        return neg(mul(g, mul(div(sub(a.get(1), onReceiver(normal, "getMean", a.get(0))), mul(sd, sd)), v)));
      });
      probabilities(normal);
      putMethod(normal, "getMean", 0, null);
      putMethod(normal, "getStandardDeviation", 0, null);
    }
    String logNormal = "org.apache.commons.math3.distribution.LogNormalDistribution";
    // density(x) = exp(-(ln x - scale)^2 / (2 shape^2)) / (x shape sqrt(2 pi)) for x > 0, else 0:
    // density' = -density (1 + (ln x - scale) / shape^2) / x where x > 0
    putMethod(logNormal, "density", 1, (i, g, a, v) -> {
      Expr x = a.get(1);
      Expr shape = onReceiver(logNormal, "getShape", a.get(0));
      Expr z = div(sub(math("log", x), onReceiver(logNormal, "getScale", a.get(0))), mul(shape, shape));
      return cond(compare(BinOp.GT, x, num(0)), neg(mul(g, div(mul(v, add(num(1), z)), x))), num(0));
    });
    // (its inverse cumulative probability is a numerical root search, whose derivative is not 1 / density)
    putMethod(logNormal, "cumulativeProbability", 1, (i, g, a, v) -> mul(g, onReceiver(logNormal, "density", a.get(0), a.get(1))));
    putMethod(logNormal, "getScale", 0, null);
    putMethod(logNormal, "getShape", 0, null);
    // other continuous distributions: cdf' = density (their density's own derivative has no rule yet)
    for (String pkg : List.of("org.apache.commons.math3.distribution.", "org.hipparchus.distribution.continuous.")) {
      for (String d : List.of("ExponentialDistribution", "GammaDistribution", "ChiSquaredDistribution", "TDistribution",
          "BetaDistribution", "CauchyDistribution", "LogisticDistribution", "WeibullDistribution",
          "UniformRealDistribution", "LogNormalDistribution")) {
        if (pkg.startsWith("org.apache") && d.equals("LogNormalDistribution")) {
          continue; // Commons Math 3's has the rules above
        }
        String owner = pkg + d;
        putMethod(owner, "cumulativeProbability", 1, (i, g, a, v) -> mul(g, onReceiver(owner, "density", a.get(0), a.get(1))));
      }
    }
  }

  /**
   * A factory of a library class whose objects stand for a number ({@code DD.ofSquare(x)}, a
   * double-double {@code hi + lo}; {@code Sum.create()}, a compensated sum): the object is replaced
   * by its parts, one {@code double} each, computed where it is created ({@code parts} of the
   * factory's arguments). The part that carries the derivative is written as plain arithmetic of
   * the arguments (for {@code DD}, {@code hi} is exactly the rounded {@code x * x}, the value the
   * library computes); the others are the library's own round-offs, with a zero derivative (the
   * rules of section 6).
   *
   * @param key the factory, a static method
   * @param parts the parts' expressions, of the factory's arguments
   */
  public record ValueFactory(Key key, java.util.function.Function<List<Expr>, List<Expr>> parts) {}

  /**
   * A method of such an object that answers a number ({@code hi()}, {@code getAsDouble()}): an
   * expression of the object's parts.
   */
  public record ValueAccessor(Key key, java.util.function.Function<List<Expr>, Expr> of) {}

  /**
   * A method that changes such an object and returns it ({@code sum.add(t)}): the parts' new
   * values, of their old values and the arguments (each argument read as a variable or a
   * constant). The parts are assigned from the last to the first, so a part's new value may read
   * the old values of the parts before it.
   */
  public record ValueMutator(Key key, java.util.function.BiFunction<List<Expr>, List<Expr>, List<Expr>> parts) {}

  private static final Map<String, List<String>> VALUE_PARTS = new LinkedHashMap<>();
  private static final Map<Key, ValueFactory> VALUE_FACTORIES = new LinkedHashMap<>();
  private static final Map<Key, ValueAccessor> VALUE_ACCESSORS = new LinkedHashMap<>();
  private static final Map<Key, ValueMutator> VALUE_MUTATORS = new LinkedHashMap<>();

  static {
    // 6. Value objects of numeric libraries, replaced by their parts (analysis.ValueObjects).
    //    Commons Numbers' DD (double-double) is the unevaluated sum hi + lo, where hi is the rounded
    //    result of an operation and lo its exact round-off. Its derivative is that of the number it
    //    stands for, d(hi + lo); we give all of it to hi and none to lo. That is exact to first order
    //    for every use of the pair as hi + lo (lo is the round-off, |lo| <= ulp(hi) / 2, so a formula
    //    f(hi, lo) = g(hi + lo) used with the round-off has a derivative g' (hi + lo) = f_hi to
    //    within that relative error), and it keeps hi's derivative that of the plain operation
    //    (d(x * x) = 2 x dx), the one its value is. Taking lo's own derivative (lo = x^2 - fl(x^2),
    //    with fl piecewise constant) would put everything on lo and nothing on hi instead, which a
    //    caller using hi alone would see as a zero derivative.
    String dd = "org.apache.commons.numbers.core.DD";
    RefType ddType = refType(dd);
    VALUE_PARTS.put(dd, List.of("Hi", "Lo"));
    valueFactory(dd, "of", 1, a -> List.of(a.get(0), num(0)));
    // (hi as the plain operation, unsimplified, so that it is bit for bit the library's hi)
    valueFactory(dd, "ofSum", 2, a -> List.of(exact(BinOp.ADD, a.get(0), a.get(1)), roundOff(ddType, "ofSum", a)));
    valueFactory(dd, "ofDifference", 2, a -> List.of(exact(BinOp.SUB, a.get(0), a.get(1)),
        roundOff(ddType, "ofDifference", a)));
    valueFactory(dd, "ofProduct", 2, a -> List.of(exact(BinOp.MUL, a.get(0), a.get(1)), roundOff(ddType, "ofProduct", a)));
    valueFactory(dd, "ofSquare", 1, a -> List.of(exact(BinOp.MUL, a.get(0), a.get(0)), roundOff(ddType, "ofSquare", a)));
    valueAccessor(dd, "hi", c -> c.get(0));
    valueAccessor(dd, "lo", c -> c.get(1));
    valueAccessor(dd, "doubleValue", c -> exact(BinOp.ADD, c.get(0), c.get(1)));
    // the round-off, DD.ofSquare(x).lo(), has a zero derivative (above); the factories called
    // for it have none of their own (their object is only read through lo())
    putMethod(dd, "lo", 0, null);
    for (Key k : List.copyOf(VALUE_FACTORIES.keySet())) {
      put(dd, k.name(), k.arity(), Kind.ZERO, null);
    }

    //    Commons Numbers' Sum is a compensated (Kahan-Babuska) sum: the running sum s and the
    //    accumulated round-offs c of its additions, reported as s + c (or s where that is not
    //    finite). Like a DD's, its derivative is that of the plain sum, given to s: each
    //    add(t) adds dt to ds, and c, a sum of round-offs, has none. Its operations are replayed on
    //    the parts with the library's own round-offs (DD.ofSum(s, t).lo() is exactly the
    //    DD.twoSumLow(s, t, s + t) that Sum.add adds to c), so the value is the library's, bit for
    //    bit, but for addProduct's product round-off: DD.ofProduct(a, b).lo() is the library's
    //    ExtendedPrecision.productLow(a, b, a * b) wherever the product and its factors are normal
    //    numbers (below 6.7e299 and above 4e-292 in magnitude), where productLow rescales.
    String sum = "org.apache.commons.numbers.core.Sum";
    VALUE_PARTS.put(sum, List.of("", "Comp"));
    valueFactory(sum, "create", 0, a -> List.of(num(0), num(0)));
    valueFactory(sum, "of", 1, a -> List.of(a.get(0), num(0)));
    valueMutator(sum, "add", 1, (c, a) -> List.of(exact(BinOp.ADD, c.get(0), a.get(0)),
        exact(BinOp.ADD, c.get(1), roundOff(ddType, "ofSum", List.of(c.get(0), a.get(0))))));
    valueMutator(sum, "addProduct", 2, (c, a) -> {
      Expr p = exact(BinOp.MUL, a.get(0), a.get(1));
      return List.of(exact(BinOp.ADD, c.get(0), p), exact(BinOp.ADD, c.get(1),
          exact(BinOp.ADD, roundOff(ddType, "ofSum", List.of(c.get(0), p)), roundOff(ddType, "ofProduct", a))));
    });
    valueAccessor(sum, "getAsDouble", c -> {
      Expr total = exact(BinOp.ADD, c.get(0), c.get(1));
      return cond(new Call(new RefType("java.lang", List.of("Double")), "isFinite", List.of(total),
          dev.adjoint.processor.ir.Prim.BOOLEAN), total, c.get(0));
    });
  }

  /** {@code a op b} in double, as written (no folding of zeros or ones). */
  private static Expr exact(BinOp op, Expr a, Expr b) {
    return new Expr.Binary(op, a, b, dev.adjoint.processor.ir.Prim.DOUBLE);
  }

  /** {@code Owner.factory(args).lo()}: the library's own round-off of the operation. */
  private static Expr roundOff(RefType owner, String factory, List<Expr> args) {
    return new Call(owner, "lo", List.of(new Call(owner, factory, args, owner)), dev.adjoint.processor.ir.Prim.DOUBLE, true);
  }

  private static void valueFactory(String owner, String name, int arity,
      java.util.function.Function<List<Expr>, List<Expr>> parts) {
    Key key = new Key(owner, name, arity);
    VALUE_FACTORIES.put(key, new ValueFactory(key, parts));
  }

  private static void valueAccessor(String owner, String name, java.util.function.Function<List<Expr>, Expr> of) {
    Key key = new Key(owner, name, 1, true);
    VALUE_ACCESSORS.put(key, new ValueAccessor(key, of));
  }

  private static void valueMutator(String owner, String name, int arity,
      java.util.function.BiFunction<List<Expr>, List<Expr>, List<Expr>> parts) {
    Key key = new Key(owner, name, arity + 1, true);
    VALUE_MUTATORS.put(key, new ValueMutator(key, parts));
  }

  /** The factory {@code owner.name} with {@code arity} arguments of a value object (section 6), if it is one. */
  public static Optional<ValueFactory> valueFactory(RefType owner, String name, int arity) {
    return Optional.ofNullable(VALUE_FACTORIES.get(new Key(owner.qualifiedName(), name, arity)));
  }

  /** The method {@code name()} (no argument) of a value object of class {@code owner}, if it has one. */
  public static Optional<ValueAccessor> valueAccessor(RefType owner, String name) {
    return Optional.ofNullable(VALUE_ACCESSORS.get(new Key(owner.qualifiedName(), name, 1, true)));
  }

  /** The method {@code name} with {@code arity} arguments that changes a value object of class {@code owner}, if it has one. */
  public static Optional<ValueMutator> valueMutator(RefType owner, String name, int arity) {
    return Optional.ofNullable(VALUE_MUTATORS.get(new Key(owner.qualifiedName(), name, arity + 1, true)));
  }

  /** Whether value objects of class {@code type} have methods that change them ({@code Sum.add}). */
  public static boolean hasValueMutators(RefType type) {
    return VALUE_MUTATORS.keySet().stream().anyMatch(k -> k.owner().equals(type.qualifiedName()));
  }

  /** The suffixes of the parts of a value object of class {@code type} ({@code Hi}, {@code Lo}). */
  public static List<String> valueParts(RefType type) {
    return VALUE_PARTS.get(type.qualifiedName());
  }

  /** The factories of value objects of class {@code type}, for messages ({@code DD.of(x), DD.ofSquare(x)}). */
  public static String valueFactories(RefType type) {
    return String.join(", ", VALUE_FACTORIES.keySet().stream().filter(k -> k.owner().equals(type.qualifiedName()))
        .map(k -> type.simpleNames().get(type.simpleNames().size() - 1) + "." + k.name()
            + (k.arity() == 0 ? "()" : k.arity() == 1 ? "(x)" : "(x, y)")).toList());
  }

  /** The methods of value objects of class {@code type} it supports, for messages ({@code hi(), lo()}). */
  public static String valueAccessors(RefType type) {
    List<String> out = new ArrayList<>();
    VALUE_ACCESSORS.keySet().stream().filter(k -> k.owner().equals(type.qualifiedName())).forEach(k -> out.add(k.name() + "()"));
    VALUE_MUTATORS.keySet().stream().filter(k -> k.owner().equals(type.qualifiedName()))
        .forEach(k -> out.add(k.name() + (k.arity() == 2 ? "(t)" : "(a, b)")));
    return String.join(", ", out);
  }

  /** Whether objects of {@code type} are value objects (section 6), replaced by their components. */
  public static boolean isValueType(dev.adjoint.processor.ir.Type type) {
    return type instanceof RefType r && VALUE_FACTORIES.keySet().stream().anyMatch(k -> k.owner().equals(r.qualifiedName()));
  }

  /**
   * cdf' = density, (cdf^-1)' = 1 / density(cdf^-1): for a distribution whose inverse cumulative
   * probability is computed in closed form (not by a root search).
   */
  private static void probabilities(String owner) {
    putMethod(owner, "cumulativeProbability", 1, (i, g, a, v) -> mul(g, onReceiver(owner, "density", a.get(0), a.get(1))));
    putMethod(owner, "inverseCumulativeProbability", 1, (i, g, a, v) ->
        div(g, onReceiver(owner, "density", a.get(0), v)));
  }

  /** {@code owner.name(x)}, a static function of a numeric library. */
  private static Expr special(String owner, String name, Expr x) {
    return new Call(refType(owner), name, List.of(x), dev.adjoint.processor.ir.Prim.DOUBLE);
  }

  /** 2/sqrt(pi) exp(-x^2). */
  private static Expr gaussian(Expr x) {
    return mul(div(num(2), math("sqrt", pi())), math("exp", neg(mul(x, x))));
  }

  /** sqrt(pi) / 2. */
  private static Expr halfSqrtPi() {
    return div(math("sqrt", pi()), num(2));
  }

  private static Expr pi() {
    return new Expr.FieldRead(null, Exprs.MATH, "PI", dev.adjoint.processor.ir.Prim.DOUBLE);
  }

  /** exp(-v^2), whose reciprocal is in the inverse error functions' derivatives. */
  private static Expr gaussian1(Expr v) {
    return math("exp", neg(mul(v, v)));
  }

  /** {@code receiver.name(args)}, a call of a method of an object that carries no derivative. */
  private static Expr onReceiver(String owner, String name, Expr receiver, Expr... args) {
    List<Expr> all = new ArrayList<>();
    all.add(receiver);
    all.addAll(List.of(args));
    return new Call(refType(owner), name, all, dev.adjoint.processor.ir.Prim.DOUBLE, true);
  }

  private static RefType refType(String qualified) {
    int dot = qualified.lastIndexOf('.');
    return new RefType(qualified.substring(0, dot), List.of(qualified.substring(dot + 1)));
  }

  private Registry() {}

  /** The rule of a binary arithmetic operator, or empty for a comparison or logical operator. */
  public static Optional<Entry> operator(BinOp op) {
    return Optional.ofNullable(ENTRIES.get(new Key(OPERATOR, op.symbol(), 2)));
  }

  /** The rule of unary minus. */
  public static Entry negation() {
    return ENTRIES.get(new Key(OPERATOR, "-", 1));
  }

  /** The rule of the static method {@code owner.name} with {@code arity} arguments, if it has one. */
  public static Optional<Entry> function(RefType owner, String name, int arity) {
    return Optional.ofNullable(ENTRIES.get(new Key(owner.qualifiedName(), name, arity)));
  }

  /** The rule of the function or method {@code c} calls, if it has one. */
  public static Optional<Entry> function(Call c) {
    return Optional.ofNullable(ENTRIES.get(new Key(c.owner().qualifiedName(), c.name(), c.args().size(), c.onReceiver())));
  }

  /** The rule of the instance method {@code owner.name} with {@code arity} arguments (the receiver not counted). */
  public static Optional<Entry> method(String owner, String name, int arity) {
    return Optional.ofNullable(ENTRIES.get(new Key(owner, name, arity + 1, true)));
  }

  /** Every entry, in registration order. */
  public static List<Entry> all() {
    return new ArrayList<>(ENTRIES.values());
  }

  private static void put(String owner, String name, int arity, Kind kind, Linear rule) {
    Key key = new Key(owner, name, arity);
    ENTRIES.put(key, new Entry(key, kind, rule));
  }

  private static void putMethod(String owner, String name, int arity, Linear rule) {
    Key key = new Key(owner, name, arity + 1, true);
    ENTRIES.put(key, new Entry(key, rule == null ? Kind.ZERO : Kind.LIBRARY, rule));
  }

  private static Expr strict(Expr partial) {
    return Rewrite.bottomUp(partial, e -> e instanceof Call k && k.owner().equals(Exprs.MATH)
        ? new Call(STRICT_MATH_TYPE, k.name(), k.args(), k.type())
        : e);
  }
}
