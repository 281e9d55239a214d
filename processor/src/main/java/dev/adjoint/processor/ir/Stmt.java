package dev.adjoint.processor.ir;

import dev.adjoint.processor.diag.Pos;

/**
 * A statement of the method, or of the generated code. Statements made from source carry their
 * position and source text, which the generated code quotes in its comments.
 */
public sealed interface Stmt {
  Pos pos();

  /** {@code T var = init;} ({@code init} may be null for a bare declaration). */
  record Declare(Var var, Expr init, Pos pos, String source) implements Stmt {}

  /**
   * {@code var = value;}. For a compound assignment {@code var op= rhs}, {@code value} is the whole
   * {@code var op rhs} (wrapped in a cast when Java narrows implicitly) and {@code compound} is
   * true, so that printers can show it as written.
   */
  record Assign(Var var, Expr value, boolean compound, Pos pos, String source) implements Stmt {}

  /** {@code return value;}. */
  record Return(Expr value, Pos pos, String source) implements Stmt {}

  /** A line comment in generated code. */
  record Comment(String text) implements Stmt {
    @Override
    public Pos pos() {
      return Pos.NONE;
    }
  }
}
