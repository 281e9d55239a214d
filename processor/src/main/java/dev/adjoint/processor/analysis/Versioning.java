package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers the values each variable takes in straight-line code: version 0 on entry or
 * declaration, one more at each assignment. Every read is rewritten to name the version it sees,
 * which is what the reverse sweep must use even after later assignments overwrite the variable.
 */
public final class Versioning {
  private final Map<Var, Integer> current = new HashMap<>();

  /**
   * The method body with every read versioned; for each statement, the version of its target that
   * it defines (0 for statements that define nothing); and each variable's last version.
   */
  public record Result(List<Stmt> body, List<Integer> definedVersions, Map<Var, Integer> finalVersions) {
    public int finalVersion(Var v) {
      return finalVersions.getOrDefault(v, 0);
    }
  }

  private Versioning() {}

  public static Result run(Method method) {
    Versioning v = new Versioning();
    List<Stmt> out = new ArrayList<>();
    List<Integer> defined = new ArrayList<>();
    for (Stmt s : method.body()) {
      out.add(v.stmt(s));
      defined.add(s instanceof Stmt.Assign a ? v.current.get(a.var()) : 0);
    }
    return new Result(out, defined, Map.copyOf(v.current));
  }

  private Stmt stmt(Stmt s) {
    Stmt versioned = Rewrite.reads(s, r -> new Read(r.var(), current.getOrDefault(r.var(), 0)));
    if (s instanceof Stmt.Declare d) {
      current.put(d.var(), 0);
    } else if (s instanceof Stmt.Assign a) {
      current.merge(a.var(), 1, Integer::sum);
    }
    return versioned;
  }
}
