package dev.adjoint.corpus;

import dev.adjoint.Differentiable;
import dev.adjoint.Mode;
import dev.adjoint.NoDerivative;

/**
 * The scalar gradient-check corpus: straight-line {@code @Differentiable} methods over doubles
 * (and a few floats, ints and longs) that together use every operator and every
 * {@code java.lang.Math} / {@code StrictMath} function the processor has a rule for. Each one has a
 * forward-mode twin in {@link ScalarCorpusTest} and is checked there against it and against
 * finite differences.
 */
public class ScalarCorpus {
  /** A static constant read by the corpus. */
  static final double K = 2.5;
  /** A static, non-final field: still read as a constant. */
  static double scale = 0.75;

  /** Instance fields read as constants by the instance methods. */
  double w;
  double bias;
  final double gain = 1.25;

  ScalarCorpus(double w, double bias) {
    this.w = w;
    this.bias = bias;
  }

  // ---------------------------------------------------------------------------------------------
  // 1. Optimisation test functions

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double rosenbrock(double x, double y) {
    double a = 1 - x;
    double b = y - x * x;
    return a * a + 100 * b * b;
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double beale(double x, double y) {
    double t1 = 1.5 - x + x * y;
    double t2 = 2.25 - x + x * y * y;
    double t3 = 2.625 - x + x * y * y * y;
    return t1 * t1 + t2 * t2 + t3 * t3;
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double himmelblau(double x, double y) {
    double a = x * x + y - 11;
    double b = x + y * y - 7;
    return a * a + b * b;
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double booth(double x, double y) {
    return (x + 2 * y - 7) * (x + 2 * y - 7) + (2 * x + y - 5) * (2 * x + y - 5);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double matyas(double x, double y) {
    return 0.26 * (x * x + y * y) - 0.48 * x * y;
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double threeHumpCamel(double x, double y) {
    return 2 * x * x - 1.05 * Math.pow(x, 4) + Math.pow(x, 6) / 6 + x * y + y * y;
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double goldsteinPrice(double x, double y) {
    double s = x + y + 1;
    double a = 19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y;
    double left = 1 + s * s * a;
    double d = 2 * x - 3 * y;
    double b = 18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y;
    double right = 30 + d * d * b;
    return left * right;
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double styblinskiTang(double x, double y) {
    double fx = Math.pow(x, 4) - 16 * x * x + 5 * x;
    double fy = Math.pow(y, 4) - 16 * y * y + 5 * y;
    return 0.5 * (fx + fy);
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Machine learning and statistics

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double softplus(double z) {
    return Math.log1p(Math.exp(z));
  }

  /** Binary cross-entropy of a one-feature logistic regression; x and the label are data. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double logisticLoss(double w, double b, @NoDerivative double x, @NoDerivative double label) {
    double z = w * x + b;
    double p = 1 / (1 + Math.exp(-z));
    return -(label * Math.log(p) + (1 - label) * Math.log(1 - p));
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double gaussianLogDensity(double x, double mu, double sigma) {
    double u = (x - mu) / sigma;
    return -0.5 * Math.log(2 * Math.PI) - Math.log(sigma) - 0.5 * u * u;
  }

  /** Black–Scholes call price, with the normal CDF replaced by the logistic 1/(1+e^{-1.702 x}). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double blackScholesCall(double s, double k, double t, double r, double sigma) {
    double sqrtT = Math.sqrt(t);
    double volSqrtT = sigma * sqrtT;
    double d1 = (Math.log(s / k) + (r + 0.5 * sigma * sigma) * t) / volSqrtT;
    double d2 = d1 - volSqrtT;
    double n1 = 1.0 / (1.0 + Math.exp(-1.702 * d1));
    double n2 = 1.0 / (1.0 + Math.exp(-1.702 * d2));
    double discount = Math.exp(-r * t);
    return s * n1 - k * discount * n2;
  }

  // ---------------------------------------------------------------------------------------------
  // 3. One Math function each

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double sinFn(double x) {
    return Math.sin(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double cosFn(double x) {
    return Math.cos(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double tanFn(double x) {
    return Math.tan(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double asinFn(double x) {
    return Math.asin(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double acosFn(double x) {
    return Math.acos(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double atanFn(double x) {
    return Math.atan(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double atan2Fn(double y, double x) {
    return Math.atan2(y, x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double toRadiansFn(double x) {
    return Math.toRadians(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double toDegreesFn(double x) {
    return Math.toDegrees(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double sinhFn(double x) {
    return Math.sinh(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double coshFn(double x) {
    return Math.cosh(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double tanhFn(double x) {
    return Math.tanh(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double expFn(double x) {
    return Math.exp(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double expm1Fn(double x) {
    return Math.expm1(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double logFn(double x) {
    return Math.log(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double log10Fn(double x) {
    return Math.log10(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double log1pFn(double x) {
    return Math.log1p(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double sqrtFn(double x) {
    return Math.sqrt(x);
  }

  /** cbrt on both signs of x. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double cbrtFn(double x) {
    return Math.cbrt(x);
  }

  /** An odd integer power, checked at negative x too (no log(base) in the rule). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double powCubeFn(double x) {
    return Math.pow(x, 3);
  }

  /** A negative integer exponent (a unary minus, not a literal), also at negative x. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double powNegExpFn(double x) {
    return Math.pow(x, -2);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double powFracFn(double x) {
    return Math.pow(x, 2.5);
  }

  /** A variable exponent: both partials. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double powVarFn(double x, double y) {
    return Math.pow(x, y);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double hypotFn(double x, double y) {
    return Math.hypot(x, y);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double absFn(double x) {
    return Math.abs(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double maxFn(double x, double y) {
    return Math.max(x, y);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double minFn(double x, double y) {
    return Math.min(x, y);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double fmaFn(double x, double y, double z) {
    return Math.fma(x, y, z);
  }

  /** x * floor(x): the derivative is floor(x) (the floor's own derivative is 0). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double floorFn(double x) {
    return x * Math.floor(x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double ceilFn(double x) {
    return x * Math.ceil(2 * x);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double rintFn(double x) {
    return x * x + Math.rint(x);
  }

  /** Math.round returns a long here. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double roundFn(double x) {
    return x * Math.round(2 * x);
  }

  /** signum(x) * x is |x|: its derivative is signum(x). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double signumFn(double x) {
    return Math.signum(x) * x;
  }

  /** Java's truncating remainder, with both operands active. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double remFn(double x, double y) {
    return x % y;
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Language features

  /** 23 statements, every local read later, most read more than once. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double longChain(double x, double y) {
    double a = x * y;
    double b = a + Math.sin(x);
    double c = b * b - y;
    double d = Math.exp(-c * c * 0.01);
    double e = d * x + a;
    double f = Math.log(1 + e * e);
    double g = f / (1 + y * y);
    double h = g - Math.cos(a);
    double i = h * h;
    double j = Math.sqrt(1 + i);
    double k = j * b;
    double l = Math.tanh(k);
    double m = l + d * e;
    double n = m * m * m;
    double o = Math.atan(n);
    double p = o + Math.hypot(a, b);
    double q = p * c;
    double r = q / (3 + Math.sin(q));
    double s = r + Math.cbrt(r * r + 1);
    double t = s - x;
    double u = t * y + s;
    double v = Math.expm1(u * 0.01);
    return v + l - 0.5 * j;
  }

  /** One variable re-assigned again and again, reading its own previous value. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double reassignChain(double x) {
    double t = x;
    t = t * t;
    t = t + x;
    t = Math.sin(t) * t;
    t = t * x - t / 3;
    t = Math.exp(0.1 * t) + t;
    t = t * t - x;
    return t / (1 + x * x);
  }

  /** A parameter re-assigned in place. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double reassignParam(double x, double y) {
    x = x * y;
    x = x + Math.sin(x);
    y = y * x;
    x = x * x + y;
    return x - y / 2;
  }

  /** Every compound assignment operator. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double compound(double x, double y) {
    double s = x;
    s += y * y;
    s -= 0.5 * x;
    s *= y;
    s /= 1 + x * x;
    s %= 0.75;
    s += x;
    double t = 2.0;
    t *= s;
    t -= y;
    t /= 3;
    return s * t;
  }

  /** A plain helper (no derivative at all) called with constants only: allowed, it is a constant. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double plainConstantHelper(double x) {
    return x * halfOf(3) + Math.sin(x) * halfOf(5);
  }

  /** Not differentiable, and needs not be: only ever called with an int. */
  static double halfOf(int p) {
    return 0.5 * p;
  }

  /** ++ and -- on a double local and on an int constant. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double incDec(double x) {
    double t = x * x;
    t++;
    ++t;
    t--;
    int n = 2;
    n++;
    double u = t * n;
    n--;
    --n;
    return u * x + n * x;
  }

  /** One value read seven times. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double deepFanOut(double x, double y) {
    double t = Math.sin(x) * y;
    return t * t + Math.exp(t) - t / (1 + t * t) + Math.cos(t) * t + 3 * t;
  }

  /** A fan-out tree: a feeds b and c, both feed d, all four feed the result. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double diamond(double x) {
    double a = x * x + 1;
    double b = Math.log(a);
    double c = Math.sqrt(a);
    double d = b * c + a;
    return a * b * c * d;
  }

  /** Casts: (int)/(long) truncations have derivative 0, widening casts pass the adjoint through. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double casts(double x) {
    int whole = (int) (x * 3);
    long big = (long) (x * 5);
    double back = (double) whole;
    return x * x * back + big * x + (double) (x * 2);
  }

  /** float parameters and locals, with a double result. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double floatParams(float a, float b) {
    float p = a * b;
    float q = p + 1.5f * a;
    double r = q;
    float s = (float) Math.sin(q);
    float m = Math.max(a, b);
    return r * s + Math.abs(b) * m + (double) p * 2;
  }

  /** An int parameter used as an exponent and as a factor. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double intPower(double x, int n) {
    return Math.pow(x, n) + n * x;
  }

  /** A long parameter and a long local. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double longScale(double x, long k) {
    long k2 = k * 2;
    return x * k2 + Math.sin(x * k);
  }

  /** Only a and c: the record has no component b. */
  @Differentiable(wrt = {"a", "c"}, modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double wrtAC(double a, double b, double c) {
    return a * b + Math.sin(c) * b + a * c;
  }

  /** scale is data. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double scaledLoss(double w, @NoDerivative double scale, double b) {
    double z = w * scale + b;
    return z * z * scale;
  }

  /** y is read, but nothing it feeds reaches the result: its partial must be exactly 0. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double ignoresY(double x, double y) {
    double unused = Math.exp(y) * x;
    double alsoUnused = unused * unused;
    return x * x + 1;
  }

  /** y is never read. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double neverReadsY(double x, double y) {
    return Math.sin(x);
  }

  /** y only through piecewise-constant functions: its partial is exactly 0. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double onlyFloorOfY(double x, double y) {
    return x * Math.floor(y) + Math.signum(y) + Math.round(y);
  }

  /** Math.PI, Math.E and static fields as constants. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double constants(double x) {
    return Math.PI * x * x + Math.E * x + K * Math.sin(x) + ScalarCorpus.scale * x + ScalarCorpus.K;
  }

  /** Unary minus and parentheses in every position. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double unaryMinus(double x, double y) {
    double a = -x;
    double b = -(x - y) * -(-y);
    return -(a * b) - (-a) / (2 + -(-y * y));
  }

  /** Long division chains and a mix of the four operators. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double divisions(double x, double y) {
    double q = x / y / (1 + x * x) / 2;
    return (x - y) / (x + y + 10) - q * y / x + 1 / (x * y);
  }

  /** StrictMath throughout. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double strictMix(double x, double y) {
    double a = StrictMath.sin(x) * StrictMath.exp(-y * y);
    double b = StrictMath.atan2(y, x) + StrictMath.hypot(x, y);
    double c = StrictMath.pow(StrictMath.abs(x) + 1, y) + StrictMath.cbrt(x * y + 10) + StrictMath.log1p(x * x);
    double d = StrictMath.tanh(x - y) + StrictMath.sqrt(1 + y * y) + StrictMath.log(2 + StrictMath.cos(y));
    return a + b * c + d + StrictMath.floor(3 * x) + StrictMath.max(x, y);
  }

  /** Every supported Math function in one expression graph. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double mixedAll(double x, double y) {
    double u = Math.sin(x) + Math.cos(y) + Math.tan(0.3 * x);
    double v = Math.asin(0.2 * y) + Math.acos(0.1 * x) + Math.atan(x * y);
    double w = Math.atan2(y, x + 3) + Math.toRadians(x) + Math.toDegrees(0.01 * y);
    double hyp = Math.sinh(0.5 * x) + Math.cosh(0.3 * y) + Math.tanh(x - y);
    double ex = Math.exp(-x * x) + Math.expm1(0.2 * y) + Math.log(2 + x * x) + Math.log10(3 + y * y)
        + Math.log1p(x * x * y * y);
    double roots = Math.sqrt(1 + x * x) + Math.cbrt(x + 7) + Math.pow(1 + y * y, x) + Math.pow(x, 3)
        + Math.hypot(x, y);
    double sel = Math.abs(x - 0.5) + Math.max(x, y) + Math.min(x * y, 0.25) + Math.fma(x, y, u);
    double flat = Math.floor(x) + Math.ceil(y) + Math.rint(2 * x) + Math.round(3 * y) + Math.signum(x - y);
    return u * v + w * hyp - ex / roots + sel * (1 + flat * 0.1) + (x * 10) % 3;
  }

  /** max(x, x): a tie; the rule gives the first argument the adjoint, so the total is 1. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double maxSelfTie(double x) {
    return Math.max(x, x) + Math.min(2 * x, 2 * x);
  }

  /** Locals named like the generated code's own variables. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double shadowNames(double x, double xBar) {
    double value = x * xBar;
    double valueBar = value + x;
    return value * valueBar;
  }

  /** var locals of both kinds. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double varLocals(double x, int n) {
    var a = x * 2;
    var m = n + 1;
    var b = a * m;
    var f = (float) 0.5;
    return b * b + a * f;
  }

  // ---------------------------------------------------------------------------------------------
  // 6. Corner cases of typing and naming

  /** Integer arithmetic inside a double expression: 1 / 2 is 0, 7 / 2 is 3. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double intDivision(double x) {
    int n = 7;
    return 1 / 2 * x + x * (n / 2) + x / 2 + (double) 1 / 4 * x;
  }

  /** Locals named like the temporaries the generator introduces (exp, tanh, hypot, prodBar...). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double generatorNames(double x) {
    double exp = Math.exp(0.5 * x);
    double tanh = Math.tanh(exp);
    double prodBar = x * 2;
    double sumBar = prodBar + Math.hypot(x, 1);
    double hypot = Math.hypot(exp, x) * Math.tanh(x);
    return tanh * sumBar + Math.exp(-x) * Math.tanh(x) + hypot * Math.exp(x);
  }

  /** A local named like the version the generator gives a re-assigned variable (s2, t0). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double versionNames(double x) {
    double s = x;
    double s2 = 3 * x;
    s *= s2;
    s *= x;
    double t0 = s + 1;
    double t = 2 * x;
    t *= t0;
    t *= s;
    return s + s2 + t + t0;
  }

  /** Compound assignment and ++ on parameters. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double compoundParam(double x, double y) {
    x *= x;
    y /= x + 1;
    x++;
    y -= Math.sin(x);
    x %= 5.0;
    return x * y;
  }

  /** float locals with compound assignment inside a double method; float fma, abs, max. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double floatLocals(float a, double y) {
    float f = a;
    f *= 2;
    f += a * a;
    float g = Math.fma(f, a, 1.0f);
    float h = Math.abs(g) + Math.max(a, 0.5f);
    return h * y + f;
  }

  /** Constant operands of the binary functions, and pow with a constant base. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double constantOperands(double x) {
    return Math.pow(2, x) + Math.hypot(x, 3) + Math.atan2(1, x) + Math.max(x, 0) + Math.min(1, x)
        + Math.pow(x, 2L) + Math.pow(x, 1) + Math.pow(x, 0) + Math.pow(x, 0.5);
  }

  /** A variable that reads itself on both sides: s *= s, t = t * t * t, s -= s / (s + x). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double selfReference(double x, double y) {
    double s = x + y;
    s *= s;
    double t = s - y;
    t = t * t * t;
    s -= s / (s + x * x + 1);
    s += s;
    t = -t;
    x = -x;
    return s * t + x % (y * 2);
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Instance methods: fields are constants

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  double neuron(double x) {
    return Math.tanh(w * x + bias);
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  double weighted(double x, double y) {
    return this.w * x * x + w * y + this.bias * gain;
  }

  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  double fieldMix(double x) {
    return K * x + scale * this.w * Math.exp(x / K) + Math.pow(x, 2) * bias;
  }

  // ---------------------------------------------------------------------------------------------
  // Value objects of numeric libraries: Commons Numbers' DD (double-double), taken apart into the
  // double it rounds to and its round-off

  /** Commons Numbers' {@code BoostErf.expmxx}: exp(-x*x), corrected by the round-off of x*x. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double expMinusSquare(double x) {
    final org.apache.commons.numbers.core.DD x2 = org.apache.commons.numbers.core.DD.ofSquare(x);
    x2.hi(); // read for nothing: no statement
    final double a = -x2.hi();
    final double b = -x2.lo();
    final double ea = Math.exp(a);
    return ea * b + ea;
  }

  /**
   * Double-doubles read in place, reassigned in a branch, copied, and made in a loop from an
   * expression (evaluated once).
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double doubleDoubles(double x, double y) {
    double s = org.apache.commons.numbers.core.DD.ofProduct(x, y).hi()
        + org.apache.commons.numbers.core.DD.ofSum(x, y).doubleValue();
    org.apache.commons.numbers.core.DD d = org.apache.commons.numbers.core.DD.of(x);
    if (x > y) {
      d = org.apache.commons.numbers.core.DD.ofDifference(x, y);
    }
    var e = d;
    for (int i = 0; i < 3; i++) {
      org.apache.commons.numbers.core.DD p = org.apache.commons.numbers.core.DD.ofProduct(s, 0.5 + x * x);
      s = p.hi() + p.lo() * y;
    }
    return s + e.doubleValue() * y;
  }

  /**
   * Commons Numbers' {@code BoostGamma.lgammaSmall} and {@code lgamma}: a compensated sum added to
   * in a loop and by chained products, and one made, added to and read in one expression.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double compensatedSums(double x, double y) {
    final org.apache.commons.numbers.core.Sum result = org.apache.commons.numbers.core.Sum.create();
    for (int i = 1; i <= 3; i++) {
      result.add(Math.log(x + i));
    }
    result.addProduct(x, y).addProduct(y, y);
    double v = 0;
    if (x > 1) {
      v = org.apache.commons.numbers.core.Sum.of(x * y).add(-Math.sin(x)).add(0.5).getAsDouble();
    }
    return result.getAsDouble() + v * y;
  }

  /** Commons Numbers' {@code nonZeroLength}: a private test of an array that may be null, inlined. */
  private static boolean nonZeroLength(int[] array) {
    return array != null && array.length != 0;
  }

  /** Commons Numbers' {@code lgamma(z, sign)}: a result, and its sign written where asked for. */
  static double logAbs(double x, int[] sign) {
    if (nonZeroLength(sign)) {
      sign[0] = x < 0 ? -1 : 1;
    }
    return Math.log(Math.abs(x));
  }

  /**
   * Commons Numbers' {@code lgamma(z)}: the helper above called with null, where no sign is wanted
   * (Mode.HVP, which inlines callees, takes array arguments that are variables only: ADJ244).
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})
  static double logAbsWithoutSign(double x, double y) {
    return logAbs(x * y, null) * y;
  }

  /** Settings as Commons Numbers' Policy holds them: final fields, read by getters. */
  static final class Tolerance {
    private final double eps;
    private final int steps;

    Tolerance(double eps, int steps) {
      this.eps = eps;
      this.steps = steps;
    }

    double getEps() {
      return eps;
    }

    int getSteps() {
      return steps;
    }
  }

  /** A helper given the settings object. */
  static double scaled(double x, Tolerance t) {
    return x * x * t.getEps();
  }

  /**
   * Objects with final fields made in the method from values that carry no derivative (a
   * {@code @NoDerivative} parameter, constants), as Commons Numbers' {@code new Policy(epsilon,
   * maxIterations)}: constants, read through their getters and passed to a helper.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double objectsMadeHere(double x, @NoDerivative double scale) {
    Tolerance t = new Tolerance(scale, 3);
    double s = 0;
    for (int i = 0; i < t.getSteps(); i++) {
      s += Math.sin(x * t.getEps() + i);
    }
    return s + scaled(x, new Tolerance(0.5, 1));
  }

  // ---------------------------------------------------------------------------------------------
  // float[] parameters (their gradient is a float[]) and integer data as constants

  /**
   * A logistic loss in float: float[] weights, float[] features that are constants, a float bias,
   * and an L2 penalty on the first two weights.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static float floatLogistic(float[] w, @NoDerivative float[] x, float b) {
    float z = b;
    for (int i = 0; i < w.length; i++) {
      z += w[i] * x[i];
    }
    return (float) Math.log1p(Math.exp(-z)) + 0.01f * (w[0] * w[0] + w[1] * w[1]);
  }

  /** Smoothing written into its float[] parameter, then the sum of squares over it (for-each). */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double floatSmoothing(float[] x, double alpha) {
    for (int i = 1; i < x.length; i++) {
      x[i] = (float) (alpha * x[i] + (1 - alpha) * x[i - 1]);
    }
    double s = 0;
    for (float v : x) {
      s += v * v;
    }
    return s;
  }

  /**
   * Gathers a float[] through an int[] index table, with long and char arithmetic on the way: the
   * integers are constants and carry no derivative.
   */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double gather(float[] a, int[] idx, long scale, char unit, double w) {
    long step = scale * 3L + (unit - 'a');
    char next = (char) (unit + 1);
    double s = 0;
    for (int i = 0; i < idx.length; i++) {
      int j = idx[i] % a.length;
      s += a[j] * w * (step % 7) + Math.sin(a[idx[(i + 1) % idx.length]] * w) * (next - 'a');
    }
    return s;
  }

  /** Local float[] arrays: a copy of the parameter (x.clone()) and a new float[n], rewritten in nested loops. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double floatCopies(float[] x, double alpha) {
    float[] c = x.clone();
    float[] u = new float[x.length];
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < x.length; i++) {
        u[i] = (float) (u[i] * alpha + c[i] * x[i]);
        c[i] *= 0.5f;
      }
    }
    double s = 0;
    for (float v : u) {
      s += v * v;
    }
    return s + c[0];
  }

  /** A helper without annotations over a float[], differentiated on demand. */
  static double floatNorm(float[] v, double p) {
    double s = 0;
    for (float e : v) {
      s += Math.pow(e * e + 0.5, p / 2);
    }
    return s;
  }

  /** Passes its float[] on to a helper twice, and reads it besides. */
  @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
  static double floatCalls(float[] v, double p) {
    return floatNorm(v, p) * v[0] + floatNorm(v, 2) / p;
  }

  /** A nested class: its gradients go to {@code ScalarCorpus_InnerGrad}. */
  static final class Inner {
    double amplitude;

    Inner(double amplitude) {
      this.amplitude = amplitude;
    }

    @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
    double wave(double x, double phase) {
      return amplitude * Math.sin(x + phase) + K * x;
    }

    @Differentiable(modes = {Mode.REVERSE, Mode.FORWARD, Mode.HVP})
    static double damped(double x, double t) {
      return Math.exp(-0.5 * t) * Math.cos(x * t);
    }
  }
}
