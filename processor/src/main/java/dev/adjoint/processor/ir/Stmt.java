package dev.adjoint.processor.ir;

import dev.adjoint.processor.diag.Pos;
import java.util.List;

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

  /**
   * {@code target = value;} into an array element. For a compound assignment {@code value} is the
   * whole {@code target op rhs}, as for {@link Assign}.
   */
  record ArrayStore(Expr.ArrayRead target, Expr value, boolean compound, Pos pos, String source)
      implements Stmt {}

  /** {@code if (cond) then else otherwise} ({@code otherwise} empty when there is no else). */
  record If(Expr cond, List<Stmt> then, List<Stmt> otherwise, Pos pos, String source) implements Stmt {
    public If {
      then = List.copyOf(then);
      otherwise = List.copyOf(otherwise);
    }
  }

  /**
   * A loop: {@code for (init; cond; update) body}, {@code while (cond) body} (init and update
   * empty), or {@code do body while (cond)} ({@code testFirst} false). {@code cond} null is
   * {@code true}.
   */
  record Loop(List<Stmt> init, Expr cond, List<Stmt> update, List<Stmt> body, boolean testFirst,
      Pos pos, String source) implements Stmt {
    public Loop {
      init = List.copyOf(init);
      update = List.copyOf(update);
      body = List.copyOf(body);
    }
  }

  /**
   * A block that {@code break} leaves: what a {@code switch} becomes ({@code label} null), or a
   * labelled statement {@code label: body} (a labelled loop is a breakable holding just the loop,
   * which {@code continue label} continues).
   */
  record Breakable(List<Stmt> body, String label, Pos pos, String source) implements Stmt {
    public Breakable {
      body = List.copyOf(body);
    }

    public Breakable(List<Stmt> body, Pos pos, String source) {
      this(body, null, pos, source);
    }
  }

  /** {@code break;} out of the innermost loop or switch, or {@code break label;} ({@code label} not null). */
  record Break(String label, Pos pos) implements Stmt {
    public Break(Pos pos) {
      this(null, pos);
    }
  }

  /** {@code continue;} with the innermost loop's next iteration, or that of the loop labelled {@code label}. */
  record Continue(String label, Pos pos) implements Stmt {
    public Continue(Pos pos) {
      this(null, pos);
    }
  }

  /**
   * {@code throw exception;}: kept in the forward sweep as written (the gradient throws where the
   * method throws, so no reverse sweep runs after it). The exception's source text is
   * {@code parts} with {@code holes} between them: the variables it reads, printed under their
   * names in the generated code (so {@code parts.size() == holes.size() + 1}).
   */
  record Throw(List<String> parts, List<Expr> holes, Pos pos, String source) implements Stmt {
    public Throw {
      parts = List.copyOf(parts);
      holes = List.copyOf(holes);
    }
  }

  /**
   * An expression evaluated for its effect: a call the user made for it (kept in the forward
   * sweep, with its line), or in generated code ({@code intTape.push(loop1);}, position none).
   */
  record Effect(Expr expr, Pos pos, String source) implements Stmt {}

  /** An expression evaluated for its effect, in generated code ({@code intTape.push(loop1);}). */
  record Eval(Expr expr) implements Stmt {
    @Override
    public Pos pos() {
      return Pos.NONE;
    }
  }

  /** A line comment in generated code. */
  record Comment(String text) implements Stmt {
    @Override
    public Pos pos() {
      return Pos.NONE;
    }
  }
}
