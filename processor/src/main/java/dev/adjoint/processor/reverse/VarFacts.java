package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Length;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the method does to each variable, gathered once before the sweeps are built: which locals
 * are declared once at top level and never assigned, which arrays are written, and (filled in
 * while building) the loop indexes and loop-body locals the reverse sweep recomputes.
 */
final class VarFacts {
  /** The method's own variables (parameters, receiver, fields, locals), as opposed to generated ones. */
  final Set<Var> primal = new HashSet<>();
  /** Indexes of counted loops: recomputed by the reverse sweep, never saved. */
  final Set<Var> loopIndexes = new HashSet<>();
  /**
   * Locals declared at the top of a loop body from values that do not change ({@code double v =
   * x[i]}): the reverse sweep recomputes them instead of saving them.
   */
  final Set<Var> recomputed = new HashSet<>();
  private final Set<Var> singleAssigned = new HashSet<>();
  private final Set<Var> assignedAnywhere = new HashSet<>();
  private final Set<Var> writtenArrays = new HashSet<>();

  /** Gathers the facts of a block at nesting {@code depth} (0: the method body). */
  void collect(List<Stmt> block, int depth) {
    for (Stmt s : block) {
      if (s instanceof Stmt.Declare d) {
        primal.add(d.var());
        if (depth == 0) {
          singleAssigned.add(d.var());
        }
      }
    }
    for (Stmt s : block) {
      if (s instanceof Stmt.Assign a) {
        singleAssigned.remove(a.var());
        assignedAnywhere.add(a.var());
      }
      if (s instanceof Stmt.ArrayStore a) {
        writtenArrays.add(Activity.arrayVar(a.target()));
      }
      for (List<Stmt> inner : Rewrite.children(s)) {
        collect(inner, depth + 1);
      }
    }
  }

  /** Declared at top level and never assigned again: its value is the same everywhere after. */
  boolean isSingleAssigned(Var v) {
    return singleAssigned.contains(v);
  }

  boolean isAssigned(Var v) {
    return assignedAnywhere.contains(v);
  }

  /**
   * Whether an int expression has the same value wherever the reverse sweep might evaluate it:
   * it reads only literals, array lengths, variables that are never assigned, and the indexes of
   * enclosing counted loops (which the reverse sweep recomputes).
   */
  boolean isInvariant(Expr e) {
    boolean[] ok = {true};
    Rewrite.bottomUp(e, x -> {
      if (x instanceof Read r && !(r.type() instanceof ArrayType) && !loopIndexes.contains(r.var())
          && !(neverAssigned(r.var()))) {
        ok[0] = false;
      } else if (!(x instanceof Read || x instanceof Literal || x instanceof Length || x instanceof Binary
          || x instanceof Expr.Neg || x instanceof Expr.FieldRead f && f.receiver() == null)) {
        ok[0] = false;
      }
      return x;
    });
    return ok[0];
  }

  /**
   * Whether an expression gives the same value when the reverse sweep evaluates it again in the
   * same iteration: it reads loop indexes, variables never assigned and arrays never written.
   */
  boolean isRecomputable(Expr e) {
    boolean[] ok = {true};
    Rewrite.bottomUp(e, x -> {
      if (x instanceof Read r) {
        boolean fixed = r.type() instanceof ArrayType
            ? !writtenArrays.contains(r.var())
            : loopIndexes.contains(r.var()) || recomputed.contains(r.var()) || neverAssigned(r.var());
        ok[0] &= fixed;
      } else if (!(x instanceof Literal || x instanceof ArrayRead || x instanceof Length || x instanceof Binary
          || x instanceof Expr.Neg || x instanceof Cast || x instanceof Expr.FieldRead f && f.receiver() == null)) {
        ok[0] = false;
      }
      return x;
    });
    return ok[0];
  }

  boolean neverAssigned(Var v) {
    return (v.kind() == Var.Kind.PARAMETER || singleAssigned.contains(v)) && !assignedAnywhere.contains(v);
  }

}
