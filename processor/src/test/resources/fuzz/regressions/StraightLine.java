// Hand-written regression: straight-line code with re-assignment (also of parameters), compound
// assignment, ++/--, int parameters used as constants, double %, and a value used many times.
// Points: "// check: <method> <param>=<value> ..." (see FuzzRegressionTest); methods without one are
// checked at 3 random points.
// check: chain a=0.3 n=3 b=-1.2
// check: chain a=1.7 n=0 b=0.4
// check: chain a=-0.85 n=5 b=1.9
// check: fanOut x=0.75
// check: fanOut x=-1.3
package fuzz;

import dev.adjoint.Differentiable;

class StraightLine {
  @Differentiable
  static double chain(double a, int n, double b) {
    double t = a * b + n;
    t = Math.sin(t) * a;
    t += b / (1 + a * a);
    t *= 0.5 + Math.cos(b);
    double u = t;
    u++;
    u -= a % 1.5;
    u /= 2 + Math.sin(a * n);
    a = a * a;
    b -= a * 0.5;
    u--;
    return u * a + t / (2 + Math.sin(b)) - n * b;
  }

  @Differentiable
  static double fanOut(double x) {
    double y = x * x;
    double z = y * x + y + x;
    z = z * z - y * x;
    return z + y * z - x / (1 + z * z);
  }

  @Differentiable
  static double mixed(double p, double q, double r) {
    double s = p - q * r;
    double t = -s + 2.5 * p;
    s = t * s;
    t = s - t;
    return -(s * t) + p * q * r;
  }
}
