// Hand-written regression: locals spelled like the names generated code uses (adjoints xBar,
// saved versions x0, the result "value", helper locals like hypot and prodBar). The README
// promises generated names never take a name spelled in the method.
// check: clash x=0.8 y=-0.45
// check: clash x=-1.6 y=1.2
package fuzz;

import dev.adjoint.Differentiable;

class NameClashes {
  @Differentiable
  static double clash(double x, double y) {
    double xBar = x * y;
    double x0 = x;
    double value = xBar + x0 * 2;
    double hypot = Math.hypot(x, y);
    double prodBar = value / (1 + hypot * hypot);
    double yBar = prodBar * xBar;
    x = x * 3 + yBar;
    double maxBar = Math.max(x, y) * Math.hypot(value, y);
    return maxBar + x * value - prodBar * x0 + Math.sin(yBar);
  }
}
