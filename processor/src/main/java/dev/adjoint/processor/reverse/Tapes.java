package dev.adjoint.processor.reverse;

import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.MethodCall;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * The tapes of a generated method (runtime {@code DoubleStack}, {@code IntStack},
 * {@code TensorStack}): values that loops and branches overwrite go on {@code doubleTape} (or
 * {@code tensorTape}), ints, longs, branch decisions and trip counts on {@code intTape}. Each is
 * declared only if the method uses it, taken from the thread's pool and given back at the end.
 */
final class Tapes {
  private static final RefType DOUBLE_STACK = new RefType("dev.adjoint.tape", List.of("DoubleStack"));
  private static final RefType INT_STACK = new RefType("dev.adjoint.tape", List.of("IntStack"));
  private static final RefType TENSOR_STACK = new RefType("dev.adjoint.tape", List.of("TensorStack"));
  private static final RefType OBJECT_STACK = new RefType("dev.adjoint.tape", List.of("ObjectStack"));

  private final Names names;
  private Var doubles;
  private Var ints;
  private Var tensors;
  private Var objects;

  Tapes(Names names) {
    this.names = names;
  }

  /** {@code tape.push(value);} for a value of type {@code type}. */
  Stmt push(dev.adjoint.processor.ir.Type type, Expr value) {
    if (type instanceof RefType r && !dev.adjoint.processor.ir.Type.TENSOR.equals(r)) {
      return pushObject(value); // an object that carries no derivative (a configuration, a distribution)
    }
    if (!(type instanceof Prim p)) {
      return new Stmt.Eval(new MethodCall(new Read(tensorTape()), "push", List.of(value), type));
    }
    return push(p, value);
  }

  /** {@code tape.pop()} for a value of type {@code type}. */
  Expr pop(dev.adjoint.processor.ir.Type type) {
    if (type instanceof RefType r && !dev.adjoint.processor.ir.Type.TENSOR.equals(r)) {
      return popObject(type);
    }
    if (!(type instanceof Prim p)) {
      return new MethodCall(new Read(tensorTape()), "pop", List.of(), type);
    }
    return pop(p);
  }

  /** {@code residualTape.push(record);}: a callee's residuals, kept for its backward pass. */
  Stmt pushObject(Expr value) {
    return new Stmt.Eval(new MethodCall(new Read(objectTape()), "push", List.of(value), value.type()));
  }

  /** {@code residualTape.pop()}, typed by the local it is assigned to. */
  Expr popObject(dev.adjoint.processor.ir.Type type) {
    return new MethodCall(new Read(objectTape()), "pop", List.of(), type);
  }

  private Var objectTape() {
    if (objects == null) {
      objects = new Var("residualTape", OBJECT_STACK, Var.Kind.SYNTHETIC);
      names.generated(objects);
    }
    return objects;
  }

  private Var tensorTape() {
    if (tensors == null) {
      tensors = new Var("tensorTape", TENSOR_STACK, Var.Kind.SYNTHETIC);
      names.generated(tensors);
    }
    return tensors;
  }

  Stmt push(Prim type, Expr value) {
    Expr pushed = switch (type) {
      case BOOLEAN -> value instanceof Literal l
          ? new Literal(Boolean.TRUE.equals(l.value()) ? 1 : 0, Boolean.TRUE.equals(l.value()) ? "1" : "0", Prim.INT)
          : new Conditional(value, one(), new Literal(0, "0", Prim.INT), Prim.INT);
      default -> value;
    };
    String push = type == Prim.LONG ? "pushLong" : "push";
    return new Stmt.Eval(new MethodCall(new Read(tapeFor(type)), push, List.of(pushed), type));
  }

  /** {@code doubleTape.pushAll(array)}: every element of a {@code double[]}, first to last. */
  Stmt pushAll(Expr array) {
    return new Stmt.Eval(new MethodCall(new Read(tapeFor(Prim.DOUBLE)), "pushAll", List.of(array), array.type()));
  }

  /** {@code doubleTape.popInto(a)}: a {@code double[]} that {@link #pushAll} saved whole, put back into it. */
  Stmt popInto(Expr array) {
    return new Stmt.Eval(new MethodCall(new Read(tapeFor(Prim.DOUBLE)), "popInto", List.of(array),
        StatementAdjoint.VOID));
  }

  /** {@code doubleTape.popArray(length)}: the array {@link #pushAll} pushed last. */
  Expr popArray(Expr length, dev.adjoint.processor.ir.Type type) {
    return new MethodCall(new Read(tapeFor(Prim.DOUBLE)), "popArray", List.of(length), type);
  }

  /** {@code tape.pop()}, converted back to {@code type}. */
  Expr pop(Prim type) {
    if (type == Prim.LONG) {
      return new MethodCall(new Read(tapeFor(type)), "popLong", List.of(), Prim.LONG);
    }
    Expr popped = new MethodCall(new Read(tapeFor(type)), "pop", List.of(),
        usesDoubles(type) ? Prim.DOUBLE : Prim.INT);
    return switch (type) {
      case BOOLEAN -> new Binary(BinOp.NE, popped, new Literal(0, "0", Prim.INT), Prim.BOOLEAN);
      case DOUBLE, INT -> popped;
      default -> new Cast(type, popped);
    };
  }

  /** The declarations of the tapes used so far: {@code DoubleStack doubleTape = DoubleStack.acquire();}. */
  List<Stmt> declarations() {
    List<Stmt> out = new ArrayList<>();
    for (Var tape : used()) {
      RefType type = (RefType) tape.type();
      out.add(new Stmt.Declare(tape, new Expr.Call(type, "acquire", List.of(), type), Pos.NONE, null));
    }
    return out;
  }

  /**
   * The end of the method for its tapes: each goes back to the thread's pool, so the next call
   * reuses its storage instead of allocating and growing it again.
   */
  List<Stmt> releases() {
    List<Stmt> out = new ArrayList<>();
    for (Var tape : used()) {
      if (out.isEmpty()) {
        out.add(new Stmt.Comment("the tapes are empty now: they go back for this thread's next call"));
      }
      out.add(new Stmt.Eval(new MethodCall(new Read(tape), "release", List.of(), StatementAdjoint.VOID)));
    }
    return out;
  }

  private List<Var> used() {
    List<Var> out = new ArrayList<>();
    for (Var tape : new Var[] {doubles, ints, tensors, objects}) {
      if (tape != null) {
        out.add(tape);
      }
    }
    return out;
  }

  /**
   * Floating values go on the double tape; int-like values and decisions on the int tape, a long as
   * two ints ({@code pushLong}), so that every bit comes back.
   */
  private static boolean usesDoubles(Prim type) {
    return type.isFloating();
  }

  private Var tapeFor(Prim type) {
    if (usesDoubles(type)) {
      if (doubles == null) {
        doubles = new Var("doubleTape", DOUBLE_STACK, Var.Kind.SYNTHETIC);
        names.generated(doubles);
      }
      return doubles;
    }
    if (ints == null) {
      ints = new Var("intTape", INT_STACK, Var.Kind.SYNTHETIC);
      names.generated(ints);
    }
    return ints;
  }

  private static Literal one() {
    return new Literal(1, "1", Prim.INT);
  }
}
