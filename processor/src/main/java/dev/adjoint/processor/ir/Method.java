package dev.adjoint.processor.ir;

import dev.adjoint.processor.diag.Pos;
import java.util.List;

/**
 * A {@code @Differentiable} method as the later stages see it.
 *
 * @param owner the class that declares the method
 * @param self the receiver for an instance method, null for a static one
 * @param params the parameters, in order
 * @param paramPositions where each parameter is declared, for diagnostics
 * @param wrt the parameters to differentiate with respect to, in parameter order
 * @param identifiers every identifier spelled in the method, so generated names avoid them
 * @param resultType {@code double}, {@code float} or {@code Tensor}
 * @param fields the receiver's {@code Tensor} fields the method reads (model parameters), and its
 *     {@code Tensor[]} and {@code List<Tensor>} fields (as {@code Tensor[]} locals)
 * @param listFields which of {@code fields} are {@code List<Tensor>}s
 * @param ownerTypeParameters how many type parameters the owner class has (the receiver of an
 *     instance method of {@code Box<T>} is taken as {@code Box<?>})
 * @param onDemand whether the method is not {@code @Differentiable} but differentiated because
 *     differentiable code calls it
 * @param constants private constants of the user's class the method reads, which the generated
 *     class holds copies of
 */
public record Method(
    RefType owner,
    String name,
    Var self,
    List<Var> params,
    List<Pos> paramPositions,
    List<Var> wrt,
    Type resultType,
    List<Stmt> body,
    List<String> identifiers,
    int ownerTypeParameters,
    Pos pos,
    List<Var> fields,
    List<String> listFields,
    boolean onDemand,
    List<CopiedConstant> constants) {
  public Method {
    params = List.copyOf(params);
    paramPositions = List.copyOf(paramPositions);
    wrt = List.copyOf(wrt);
    body = List.copyOf(body);
    identifiers = List.copyOf(identifiers);
    fields = List.copyOf(fields);
    listFields = List.copyOf(listFields);
    constants = List.copyOf(constants);
  }

  /** The same method with another body (after a lowering pass). */
  public Method withBody(List<Stmt> newBody) {
    return new Method(owner, name, self, params, paramPositions, wrt, resultType, newBody, identifiers,
        ownerTypeParameters, pos, fields, listFields, onDemand, constants);
  }

  /** What is differentiated: the wrt parameters, then the receiver's Tensor fields read. */
  public List<Var> differentiated() {
    List<Var> all = new java.util.ArrayList<>(wrt);
    all.addAll(fields);
    return all;
  }

  public boolean isStatic() {
    return self == null;
  }

  /**
   * The record component that holds the gradient of parameter {@code param}: its name, but
   * {@code valueBar} (its adjoint's name) for a parameter named {@code value}, the result's component.
   */
  public static String component(String param) {
    return param.equals("value") ? "valueBar" : param;
  }
}
