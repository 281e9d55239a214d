package dev.adjoint.processor.ir;

import java.util.List;

/**
 * An expression of the method, kept as a tree: the generated forward sweep prints it back as the
 * user wrote it (less redundant parentheses), and the reverse sweep walks it operator by operator.
 */
public sealed interface Expr {
  Type type();

  /** A literal, printed with its source spelling so {@code 1e-3} stays {@code 1e-3}. */
  record Literal(Object value, String text, Type type) implements Expr {
    public static Literal ofDouble(double v) {
      return new Literal(v, doubleText(v), Prim.DOUBLE);
    }

    private static String doubleText(double v) {
      if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        return (long) v + ".0";
      }
      return Double.toString(v);
    }

    public boolean isNumber(double v) {
      return value instanceof Number n && n.doubleValue() == v;
    }
  }

  /**
   * A read of a variable. {@code version} counts the assignments to {@code var} before this read
   * (0: the parameter's entry value or the declaration); -1 until the analysis numbers it.
   */
  record Read(Var var, int version) implements Expr {
    public Read(Var var) {
      this(var, -1);
    }

    @Override
    public Type type() {
      return var.type();
    }
  }

  /** A field read; {@code receiver} is null for a static field of {@code owner}. */
  record FieldRead(Expr receiver, RefType owner, String name, Type type) implements Expr {}

  /** Unary minus. */
  record Neg(Expr operand, Type type) implements Expr {}

  /** {@code !operand}. */
  record Not(Expr operand) implements Expr {
    @Override
    public Type type() {
      return Prim.BOOLEAN;
    }
  }

  /** A binary operator. */
  record Binary(BinOp op, Expr left, Expr right, Type type) implements Expr {}

  /**
   * A call of a static method, {@code owner.name(args)}: a Math function or a runtime helper; or,
   * when {@code onReceiver}, of an instance method on an object that carries no derivative,
   * {@code args[0].name(args[1..])} (a distribution's {@code density(x)}), whose receiver is then
   * rewritten and renamed like any argument.
   */
  record Call(RefType owner, String name, List<Expr> args, Type type, boolean onReceiver) implements Expr {
    public Call {
      args = List.copyOf(args);
    }

    public Call(RefType owner, String name, List<Expr> args, Type type) {
      this(owner, name, args, type, false);
    }

    /** The same call with other arguments (the receiver first, for an instance method). */
    public Call withArgs(List<Expr> newArgs) {
      return new Call(owner, name, newArgs, type, onReceiver);
    }
  }

  /** A primitive cast. */
  record Cast(Prim target, Expr operand) implements Expr {
    @Override
    public Type type() {
      return target;
    }
  }

  /** {@code cond ? then : otherwise}. */
  record Conditional(Expr cond, Expr then, Expr otherwise, Type type) implements Expr {}

  /** {@code array[index]}; a two-dimensional read is a read of a read. */
  record ArrayRead(Expr array, Expr index, Type type) implements Expr {}

  /** {@code array.length}. */
  record Length(Expr array) implements Expr {
    @Override
    public Type type() {
      return Prim.INT;
    }
  }

  /** {@code new double[d0][d1]...}: zero-filled, one dimension per entry of {@code dims}. */
  record NewArray(Prim element, List<Expr> dims, Type type) implements Expr {
    public NewArray {
      dims = List.copyOf(dims);
    }
  }

  /**
   * A call of a user method that has a derivative: another {@code @Differentiable} method or one
   * with {@code @Derivative} partials. {@code receiver} is null for a static method.
   */
  record Invoke(Callee callee, Expr receiver, List<Expr> args, dev.adjoint.processor.diag.Pos pos)
      implements Expr {
    public Invoke {
      args = List.copyOf(args);
    }

    @Override
    public Type type() {
      return callee.result();
    }
  }

  /**
   * A runtime op with reverse rules by the runtime's convention: {@code receiver.name(args)} (an
   * instance method, e.g. {@code x.matmul(w)}) or {@code owner.name(args)} (static, e.g.
   * {@code Layers.linear(x, w, b)}). {@code rules} has one entry per input (the receiver first,
   * then each argument): the name of the static {@code <name>Vjp<Input>} method of {@code owner}
   * for that input, or null when it has none. {@code tangents} is the same for forward mode: the
   * name of the method of {@code owner} declared {@code @Jvp(of = name, wrt = input)} for that
   * input, or null when it has none.
   */
  record Op(RefType owner, String name, Expr receiver, List<Expr> args, Type type, List<String> rules,
      List<String> tangents, dev.adjoint.processor.diag.Pos pos) implements Expr {
    public Op {
      args = List.copyOf(args);
      rules = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(rules));
      tangents = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(tangents));
    }

    /** The inputs in rule order: the receiver (if any), then the arguments. */
    public List<Expr> inputs() {
      List<Expr> in = new java.util.ArrayList<>();
      if (receiver != null) {
        in.add(receiver);
      }
      in.addAll(args);
      return in;
    }
  }

  /**
   * An assignment inside an expression, as parsed ({@code j++}, {@code k += 2}, {@code b = c}):
   * writes {@code value} into {@code target} (a {@link Read} or an {@link ArrayRead}); its own value
   * is the old one when {@code post} ({@code j++}), else the new one. Analysis lowers it into
   * statements ({@code EmbeddedAssignments}) before anything else reads the method.
   */
  record Update(Expr target, Expr value, boolean post, Type type) implements Expr {}

  /**
   * {@code new Type(args)}: an object whose fields are all final, made from values that carry no
   * derivative (analysis refuses a varying argument, ADJ252); it is a constant like a static one.
   */
  record New(RefType type, List<Expr> args, dev.adjoint.processor.diag.Pos pos) implements Expr {
    public New {
      args = List.copyOf(args);
    }
  }

  /** An instance method call in generated code ({@code doubleTape.push(x)}). */
  record MethodCall(Expr receiver, String name, List<Expr> args, Type type) implements Expr {
    public MethodCall {
      args = List.copyOf(args);
    }
  }
}
