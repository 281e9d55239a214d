package dev.adjoint.processor.forward;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.reverse.GradMethod;
import java.util.List;

/**
 * A Hessian-vector product ready to print: {@code mHvp(params, tangents)}, the tangent transform of
 * the gradient's forward and reverse sweeps (seed 1), returning the gradient's record {@code M}
 * with the value and, per differentiated parameter, the tangent of its gradient: the Hessian
 * applied to the tangents.
 */
public record HvpMethod(GradMethod grad, List<Var> tangents, List<Stmt> forward, List<Stmt> reverse,
    List<Expr> products) {
  public HvpMethod {
    tangents = List.copyOf(tangents);
    forward = List.copyOf(forward);
    reverse = List.copyOf(reverse);
    products = List.copyOf(products);
  }
}
