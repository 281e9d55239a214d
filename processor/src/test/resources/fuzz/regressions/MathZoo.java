// Hand-written regression: java.lang.Math functions on safe domains, including the ones with kinks
// (abs, max, min, hypot, atan2, floor) and pow with an active exponent, at points away from kinks.
// check: smooth a=0.4 b=-1.1
// check: smooth a=-1.7 b=0.9
// check: kinks a=0.6 b=-0.3 c=1.4
// check: kinks a=-1.2 b=0.8 c=-0.5
// check: powers a=0.7 b=1.3
// check: powers a=-1.4 b=-0.6
package fuzz;

import dev.adjoint.Differentiable;

class MathZoo {
  @Differentiable
  static double smooth(double a, double b) {
    double s = Math.sin(a) * Math.cos(b) + Math.tan(0.7 * Math.sin(a * b));
    double e = Math.exp(Math.sin(a)) + Math.expm1(Math.tanh(b)) + Math.log(1 + a * a) + Math.log1p(b * b);
    double h = Math.sinh(Math.tanh(a)) + Math.cosh(Math.tanh(b)) + Math.tanh(a - b);
    double i = Math.asin(0.9 * Math.sin(b)) + Math.acos(0.5 * Math.tanh(a)) + Math.atan(a * b);
    double r = Math.sqrt(1 + a * a) + Math.cbrt(2 + Math.sin(b)) + Math.log10(1 + b * b);
    return s * e - h / (2 + Math.cos(i)) + r * i;
  }

  @Differentiable
  static double kinks(double a, double b, double c) {
    double m = Math.max(a, b) * Math.min(b, c) + Math.abs(a - c);
    double h = Math.hypot(a, b) + Math.atan2(b, c) + Math.atan2(a, Math.hypot(b, c));
    double f = 0.1 * Math.floor(3 * a) + Math.fma(a, b, c);
    return m * h - f;
  }

  @Differentiable
  static double powers(double a, double b) {
    double p = Math.pow(a, 2) + Math.pow(b, 3) + Math.pow(1.5 + Math.sin(a), b);
    double q = Math.pow(1 + a * a, 0.5) + Math.pow(1 + b * b, -0.5) + Math.pow(2 + Math.cos(b), Math.tanh(a));
    return p * q;
  }
}
