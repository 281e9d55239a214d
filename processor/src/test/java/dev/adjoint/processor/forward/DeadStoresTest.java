package dev.adjoint.processor.forward;

import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.num;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link DeadStores}: what it removes, and what it must keep. */
class DeadStoresTest {
  private static final ArrayType DOUBLES = new ArrayType(Prim.DOUBLE);

  private static Var local(String name) {
    return new Var(name, Prim.DOUBLE, Var.Kind.SYNTHETIC);
  }

  private static Stmt declare(Var v, Expr init) {
    return new Stmt.Declare(v, init, Pos.NONE, null);
  }

  private static Stmt addInto(Var v, Expr e) {
    return new Stmt.Assign(v, e, true, Pos.NONE, null);
  }

  private static List<Stmt> prune(List<Stmt> block, Var result) {
    return DeadStores.prune(List.of(block), List.of(new Read(result))).get(0);
  }

  @Test
  void aVariableReadOnlyByItsOwnUpdatesGoesWithEverythingOnlyItReads() {
    Var a = local("a");
    Var b = local("b");
    Var unused = local("unused");
    Var feeds = local("feeds");
    List<Stmt> block = List.of(
        declare(a, num(1)),
        declare(feeds, mul(new Read(a), num(2))),
        declare(unused, num(0)),
        addInto(unused, new Read(feeds)),
        new Stmt.Assign(unused, add(new Read(unused), num(1)), false, Pos.NONE, null),
        declare(b, mul(new Read(a), new Read(a))));
    assertEquals(List.of(block.get(0), block.get(5)), prune(block, b));
  }

  @Test
  void aTapePopStaysThoughItsValueIsNotRead() {
    Var tape = new Var("doubleTape", new RefType("dev.adjoint.tape", List.of("DoubleStack")), Var.Kind.SYNTHETIC);
    Var popped = local("s");
    Var r = local("r");
    List<Stmt> block = List.of(
        declare(popped, new Expr.MethodCall(new Read(tape), "pop", List.of(), Prim.DOUBLE)),
        declare(r, num(3)));
    assertEquals(block, prune(block, r));
  }

  @Test
  void storesIntoARowViewStayButThoseIntoAFreshUnreadArrayGo() {
    Var m = new Var("m", new ArrayType(DOUBLES), Var.Kind.PARAMETER);
    Var row = new Var("row", DOUBLES, Var.Kind.LOCAL);
    Var bar = new Var("xBar", DOUBLES, Var.Kind.SYNTHETIC);
    Var r = local("r");
    Stmt view = declare(row, new Expr.ArrayRead(new Read(m), num(0), DOUBLES));
    Stmt writeRow = new Stmt.ArrayStore(new Expr.ArrayRead(new Read(row), num(0), Prim.DOUBLE), num(2), false,
        Pos.NONE, null);
    Stmt fresh = declare(bar, new Expr.NewArray(Prim.DOUBLE, List.of(num(3)), DOUBLES));
    Stmt writeBar = new Stmt.ArrayStore(new Expr.ArrayRead(new Read(bar), num(1), Prim.DOUBLE), num(2), true,
        Pos.NONE, null);
    Stmt result = declare(r, new Expr.ArrayRead(new Expr.ArrayRead(new Read(m), num(0), DOUBLES), num(0),
        Prim.DOUBLE));
    assertEquals(List.of(view, writeRow, result), prune(List.of(view, writeRow, fresh, writeBar, result), r));
  }

  @Test
  void aLoopConditionKeepsItsCounterAndABranchConditionItsOperands() {
    Var i = new Var("i", Prim.INT, Var.Kind.LOCAL);
    Var c = local("c");
    Var s = local("s");
    Stmt loop = new Stmt.Loop(List.of(new Stmt.Declare(i, Expr.Literal.ofDouble(0), Pos.NONE, null)),
        new Expr.Binary(dev.adjoint.processor.ir.BinOp.LT, new Read(i), num(3), Prim.BOOLEAN),
        List.of(new Stmt.Assign(i, add(new Read(i), num(1)), false, Pos.NONE, null)),
        List.of(addInto(s, new Read(c))), true, Pos.NONE, null);
    List<Stmt> block = List.of(declare(c, num(1)), declare(s, num(0)), loop);
    assertEquals(block, prune(block, s));
  }
}
