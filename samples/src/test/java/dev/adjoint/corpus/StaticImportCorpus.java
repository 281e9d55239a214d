package dev.adjoint.corpus;

import static java.lang.Math.*;

import dev.adjoint.Differentiable;

/** Unqualified Math calls and constants through {@code import static java.lang.Math.*}. */
final class StaticImportCorpus {
  private StaticImportCorpus() {}

  @Differentiable
  static double wave(double x, double y) {
    return sin(x) * cos(y) + exp(-x * x) * sqrt(1 + y * y) + PI * x + E * y;
  }

  @Differentiable
  static double radial(double x, double y) {
    double r = hypot(x, y);
    return atan2(y, x) * r + log(1 + r) + pow(r, 1.5) + tanh(r - 1) + max(x, y) + abs(x - y) + floor(x);
  }

  @Differentiable
  static double unaries(double x) {
    double a = sinh(0.5 * x) + cosh(0.25 * x) + atan(x) + asin(0.3 * x) + acos(0.2 * x);
    double b = log10(2 + x * x) + log1p(x * x) + expm1(0.1 * x) + cbrt(x + 5) + tan(0.2 * x);
    return a * b + toDegrees(0.01 * x) + toRadians(x) + fma(x, a, b) + min(x, 0.5) + signum(x) * x
        + ceil(x) + rint(x) + round(x);
  }
}
