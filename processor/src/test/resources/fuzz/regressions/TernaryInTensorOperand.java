// Open processor bug, found by the tensor fuzzer (seed 20250611, programs t4, t5, t9, t24, t34, t41,
// t45, t49, t53, t70, t74, t93 of the first campaigns; shrunk by hand from t34 and t74):
//   GENERATED_CODE_ERROR compiler.err.cant.resolve.location: cannot find symbol: variable held
// A ?: anywhere inside an operand of a tensor op (the receiver, a tensor argument, or a double
// argument, even nested in arithmetic: x.mul(1.0 + (a > 0 ? a : 0.5))) is printed with both branches
// replaced by the name `held`, in the forward sweep and in the op's reverse rule:
//   Tensor mul = (a > 0 ? held : held).mul(2.0);
//   xBar = Tensor.accumulate(xBar, Tensor.mulVjpSelf(mulBar, mul, x, a > 0 ? held : held));
// (with an overloaded op, javac reports "reference to add is ambiguous" instead). The same ?: as the
// whole initialiser of a local (Tensor t = a > 0 ? x : y;) works. The generator leaves these forms
// out unless -Dadjoint.fuzz.openBugs=true. Run: -Dtest=FuzzRegressionTest -Dadjoint.fuzz.regressions=fuzz/open
// tensor-check: receiver seed=1
// tensor-check: tensorArgument seed=2
// tensor-check: doubleArgument seed=3
// tensor-check: nestedInArithmetic seed=4
package fuzz;

import dev.adjoint.Differentiable;
import dev.adjoint.tensor.Tensor;
import java.util.Random;

final class TernaryInTensorOperand {
  static Object[] fuzzArgs(Random r) {
    return new Object[] {Tensor.rand(r, -1, 1, 2, 3), Tensor.rand(r, -1, 1, 2, 3), -2 + 4 * r.nextDouble()};
  }

  @Differentiable
  static double receiver(Tensor x, Tensor y, double a) {
    return (a > 0 ? x : y).mul(2.0).sum().item();
  }

  @Differentiable
  static double tensorArgument(Tensor x, Tensor y, double a) {
    return x.mul(a > 0 ? x : y).sum().item();
  }

  @Differentiable
  static Tensor doubleArgument(Tensor x, Tensor y, double a) {
    return x.sub(y).rsub(a < -0.5 ? a : 2 * a);
  }

  @Differentiable
  static double nestedInArithmetic(Tensor x, Tensor y, double a) {
    return x.mul(1.0 + (a > 0 ? a : 0.5)).add(y).sum().item();
  }
}
