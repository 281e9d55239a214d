package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.math;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Checkpointing;
import dev.adjoint.processor.analysis.Structurize;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Length;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of {@link SavePlan} and {@link AdjointReads}: what each statement's reverse code reads,
 * decided before anything is built, and the check of a build against it.
 */
class SavePlanTest {
  private static final Var X = new Var("x", Prim.DOUBLE, Var.Kind.PARAMETER);
  private static final Var A = new Var("a", new ArrayType(Prim.DOUBLE), Var.Kind.PARAMETER);
  private static final Var Y = new Var("y", Prim.DOUBLE, Var.Kind.LOCAL);
  private static final Var I = new Var("i", Prim.INT, Var.Kind.LOCAL);

  private static Read r(Var v) {
    return new Read(v);
  }

  private static Method method(List<Var> params, List<Stmt> body) {
    return new Method(new RefType("t", List.of("T")), "f", null, params, params.stream().map(p -> Pos.NONE).toList(),
        params, Prim.DOUBLE, body, List.of("x", "a", "y", "i"), 0, Pos.NONE, List.of(), List.of(), false, List.of());
  }

  private static SavePlan decide(Method m) {
    Structurize.Result s = Structurize.run(m);
    Activity activity = Activity.run(m.differentiated(), s.body(), s.value());
    return SavePlan.decide(m, s.body(), s.value(), activity, ReverseBuilder.Saves.NEEDED, Checkpointing.Plan.NONE,
        new IdentityHashMap<>());
  }

  private static Stmt assign(Var v, Expr value) {
    return new Stmt.Assign(v, value, false, Pos.NONE, null);
  }

  @Test
  void aNonLinearRuleReadsItsOperandsAndTheOverwrittenValueIsThenSaved() {
    // double y = x * x; y = sin(y); return 3 * y;
    Stmt square = new Stmt.Declare(Y, mul(r(X), r(X)), Pos.NONE, null);
    Stmt sine = assign(Y, math("sin", r(Y)));
    Method m = method(List.of(X), List.of(square, sine, new Stmt.Return(mul(num(3), r(Y)), Pos.NONE, null)));
    SavePlan plan = decide(m);
    assertEquals(Set.of(X), plan.reads().get(square));
    assertEquals(Set.of(Y), plan.reads().get(sine)); // sin's rule reads the y it overwrote
    assertTrue(plan.inputs().read().contains(Y));
  }

  @Test
  void linearStatementsReadNothingSoNothingIsSaved() {
    // double y = x + 2 * x; y = y + x; return y;
    Stmt first = new Stmt.Declare(Y, add(r(X), mul(num(2), r(X))), Pos.NONE, null);
    Stmt second = assign(Y, add(r(Y), r(X)));
    Method m = method(List.of(X), List.of(first, second, new Stmt.Return(r(Y), Pos.NONE, null)));
    SavePlan plan = decide(m);
    assertEquals(Set.of(), plan.reads().get(first));
    assertEquals(Set.of(), plan.reads().get(second));
    assertFalse(plan.inputs().read().contains(Y));
  }

  @Test
  void anArrayElementPutBackReadsItsIndexWhereItIsSaved() {
    // for (int i = 0; i < a.length; i++) a[i] = a[i] * x;  return a[0];
    ArrayRead element = new ArrayRead(r(A), r(I), Prim.DOUBLE);
    Stmt store = new Stmt.ArrayStore(element, mul(element, r(X)), false, Pos.NONE, null);
    Stmt loop = new Stmt.Loop(List.of(new Stmt.Declare(I, new Expr.Literal(0, "0", Prim.INT), Pos.NONE, null)),
        new Binary(BinOp.LT, r(I), new Length(r(A)), Prim.BOOLEAN),
        List.of(assign(I, new Binary(BinOp.ADD, r(I), new Expr.Literal(1, "1", Prim.INT), Prim.INT))),
        List.of(store), true, Pos.NONE, null);
    Method m = method(List.of(A, X), List.of(loop,
        new Stmt.Return(new ArrayRead(r(A), new Expr.Literal(0, "0", Prim.INT), Prim.DOUBLE), Pos.NONE, null)));
    SavePlan plan = decide(m);
    assertTrue(plan.reads().get(store).containsAll(Set.of(A, X, I)), plan.reads().get(store).toString());
    assertTrue(plan.inputs().read().contains(A));
  }

  @Test
  void aBuildThatReadsWhatThePlanDidNotForeseeIsAnError() {
    Stmt square = new Stmt.Declare(Y, mul(r(X), r(X)), Pos.NONE, null);
    Method m = method(List.of(X), List.of(square, new Stmt.Return(r(Y), Pos.NONE, null)));
    SavePlan plan = decide(m);
    Map<Stmt, Set<Var>> built = new IdentityHashMap<>();
    built.put(square, Set.of(X, Y));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> plan.check("f", built, Set.of()));
    assertTrue(e.getMessage().contains("[y]"), e.getMessage());
    built.put(square, Set.of(X));
    plan.check("f", built, Set.of());
  }
}
