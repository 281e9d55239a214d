package dev.adjoint.processor.forward;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.reverse.Names;
import java.util.List;

/**
 * A forward-mode method ready to print: {@code mJvp(params, tangents)}, its one sweep (each
 * statement beside its tangent's), and what it returns, {@code new MJvp(value, tangent)}.
 *
 * @param tangents one parameter per differentiated parameter of the primal, in order ({@code aDot})
 */
public record JvpMethod(Method primal, List<Var> tangents, List<Stmt> body, Expr value, Expr tangent, Names names) {
  public JvpMethod {
    tangents = List.copyOf(tangents);
    body = List.copyOf(body);
  }

  /** The record's name: the method's, first letter upper-cased, then {@code Jvp}. */
  public String recordName() {
    String n = primal.name();
    return Character.toUpperCase(n.charAt(0)) + n.substring(1) + "Jvp";
  }
}
