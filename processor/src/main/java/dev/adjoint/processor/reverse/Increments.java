package dev.adjoint.processor.reverse;

import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Exprs;

/**
 * Recognises {@code p = p + rest} in the forms people write it: {@code p + e}, {@code e + p},
 * {@code p - e}, and chains with p leftmost, {@code p + 100 * a * a + b * b} (Java reads it
 * {@code (p + 100 * a * a) + b * b}). The old p then receives p's adjoint unchanged, so only the
 * rest needs adjoint code, and nothing of p needs saving.
 */
final class Increments {
  private Increments() {}

  /** The rest of {@code p + rest} or {@code p - rest} ({@code negated}), as written. */
  record Increment(Expr rest, boolean negated) {}

  /** The increment {@code value} makes to {@code place}, or null; whether rest reads place is the caller's test. */
  static Increment of(Expr value, Expr place) {
    Expr e = value instanceof Cast c && c.target().isFloating() ? c.operand() : value;
    if (!(e instanceof Binary b) || !(b.op() == BinOp.ADD || b.op() == BinOp.SUB)) {
      return null;
    }
    if (b.left().equals(place)) {
      return new Increment(b.right(), b.op() == BinOp.SUB);
    }
    if (b.op() == BinOp.ADD && b.right().equals(place)) {
      return new Increment(b.left(), false);
    }
    // (p + e1) - e2: the rest is e1 - e2, p being the leftmost term of the chain
    Increment inner = of(b.left(), place);
    if (inner == null) {
      return null;
    }
    Expr first = inner.negated() ? Exprs.neg(inner.rest()) : inner.rest();
    return new Increment(new Binary(b.op(), first, b.right(), b.type()), false);
  }
}
