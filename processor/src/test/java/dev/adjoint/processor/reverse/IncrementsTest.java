package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.num;
import static dev.adjoint.processor.ir.Exprs.sub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Var;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link Increments}: which forms of {@code p = p + rest} it recognises, and their rest. */
class IncrementsTest {
  private static final Var P = new Var("p", Prim.DOUBLE, Var.Kind.LOCAL);
  private static final Var A = new Var("a", Prim.DOUBLE, Var.Kind.LOCAL);
  private static final Var B = new Var("b", Prim.DOUBLE, Var.Kind.LOCAL);

  private static Expr p() {
    return new Read(P);
  }

  private static Expr a() {
    return new Read(A);
  }

  private static Expr b() {
    return new Read(B);
  }

  @Test
  void theSimpleFormsKeepTheirRestAsWritten() {
    assertEquals(new Increments.Increment(a(), false), Increments.of(add(p(), a()), p()));
    assertEquals(new Increments.Increment(a(), false), Increments.of(add(a(), p()), p()));
    assertEquals(new Increments.Increment(a(), true), Increments.of(sub(p(), a()), p()));
  }

  @Test
  void aChainWithTheVariableLeftmostIsAnIncrementByTheRestOfTheChain() {
    // (p + 100 * a * a) + b * b  ->  100 * a * a + b * b
    Expr aa = mul(mul(num(100), a()), a());
    Expr bb = mul(b(), b());
    assertEquals(new Increments.Increment(add(aa, bb), false), Increments.of(add(add(p(), aa), bb), p()));
    // (p - a) + b  ->  -a + b
    assertEquals(new Increments.Increment(add(Exprs.neg(a()), b()), false),
        Increments.of(add(sub(p(), a()), b()), p()));
  }

  @Test
  void otherFormsAreNoIncrement() {
    assertNull(Increments.of(sub(a(), p()), p())); // a - p: p's adjoint changes sign
    assertNull(Increments.of(mul(p(), a()), p()));
    assertNull(Increments.of(add(a(), add(b(), p())), p())); // p not leftmost in the chain
    assertNull(Increments.of(add(a(), b()), p()));
  }
}
