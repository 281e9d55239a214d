package dev.adjoint.processor.parse;

import static dev.adjoint.processor.parse.ExpressionParser.convert;

import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.FieldRead;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;

/** Desugars a {@code switch} statement into if statements inside a block that break leaves. */
final class SwitchParser {
  private final ParseContext cx;
  private final Reporter reporter;
  private final SourceText source;
  private final ExpressionParser exprs;
  private final StatementParser statements;

  SwitchParser(ParseContext cx, ExpressionParser exprs, StatementParser statements) {
    this.cx = cx;
    this.reporter = cx.reporter;
    this.source = cx.source;
    this.exprs = exprs;
    this.statements = statements;
  }

  /**
   * A {@code switch} on an int becomes an if/else chain when no case falls through into the next,
   * and otherwise {@code if (entry <= k) { case k }} for each case in order, where {@code entry}
   * is the index of the case the selector jumps to; either way inside a block that {@code break}
   * leaves. The result is the selector's declaration and that block, or nothing after an error.
   */
  List<Stmt> desugar(SwitchTree sw, Pos pos) {
    Expr selector = exprs.expr(sw.getExpression());
    RefType enumType = enumOf(selector);
    if (enumType == null
        && (!(selector.type() instanceof Prim p) || !p.isNumeric() || p.isFloating() || p == Prim.LONG)) {
      reporter.report(Diag.UNSUPPORTED_TYPE, source.pos(sw.getExpression()),
          selector.type().display() + " (switch on int, short, char, byte or an enum only)");
      return List.of();
    }
    String header = "switch (" + source.text(sw.getExpression()) + ")";
    Var sel = new Var("selector", enumType != null ? enumType : Prim.INT, Var.Kind.SYNTHETIC);
    Stmt declareSelector = new Stmt.Declare(sel, enumType != null ? selector : convert(selector, Prim.INT), pos, null);
    List<Expr> matches = new ArrayList<>();
    List<List<Stmt>> bodies = new ArrayList<>();
    int defaultIndex = -1;
    boolean fallsThrough = false;
    cx.pushScope();
    List<? extends CaseTree> cases = sw.getCases();
    for (int k = 0; k < cases.size(); k++) {
      CaseTree c = cases.get(k);
      Expr match = null;
      for (ExpressionTree label : c.getExpressions()) {
        // an enum's case names its constant: selector == Type.CONSTANT
        Expr value = enumType != null && label instanceof IdentifierTree id
            ? new FieldRead(null, enumType, id.getName().toString(), enumType)
            : exprs.expr(label);
        Expr test = new Binary(BinOp.EQ, new Read(sel), value, Prim.BOOLEAN);
        match = match == null ? test : new Binary(BinOp.OR, match, test, Prim.BOOLEAN);
      }
      if (c.getExpressions().isEmpty()) {
        defaultIndex = k;
      }
      matches.add(match);
      List<Stmt> body;
      if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
        Tree rule = c.getBody();
        body = statements.collectInScope(() -> {
          if (rule instanceof StatementTree st) {
            statements.statement(st);
          } else {
            statements.expressionStatement((ExpressionTree) rule, source.pos(rule), rule);
          }
        });
        body.add(new Stmt.Break(Pos.NONE));
      } else {
        body = statements.collectInScope(() -> c.getStatements().forEach(statements::statement));
        boolean last = k == cases.size() - 1;
        if (!last && !endsAbruptly(body)) {
          fallsThrough = true;
        }
      }
      bodies.add(body);
    }
    cx.popScope();
    for (int k = 0; k < bodies.size(); k++) {
      for (Stmt declared : bodies.get(k)) {
        if (!(declared instanceof Stmt.Declare d)) {
          continue;
        }
        for (int j = k + 1; j < bodies.size(); j++) {
          boolean[] used = {false};
          for (Stmt later : bodies.get(j)) {
            Rewrite.exprs(later, e -> {
              used[0] |= e instanceof Read r && r.var() == d.var()
                  || later instanceof Stmt.Assign a && a.var() == d.var();
              return e;
            });
          }
          if (used[0]) {
            reporter.report(Diag.UNSUPPORTED_STATEMENT, source.pos(cases.get(j)),
                "using '" + d.var().name() + "', declared in an earlier case, in this case",
                "declare it before the switch");
          }
        }
      }
    }
    List<Stmt> block = new ArrayList<>();
    if (!fallsThrough) {
      List<Stmt> chain = List.of();
      if (defaultIndex >= 0) {
        chain = withoutTrailingBreak(bodies.get(defaultIndex));
      }
      for (int k = cases.size() - 1; k >= 0; k--) {
        if (k != defaultIndex) {
          chain = List.of(new Stmt.If(matches.get(k), withoutTrailingBreak(bodies.get(k)), chain,
              source.pos(cases.get(k)), source.header(cases.get(k), cases.get(k))
                  + source.text(cases.get(k)).replaceAll("(->|:).*", "$1")));
        }
      }
      block.addAll(chain);
    } else {
      Var entry = new Var("switchCase", Prim.INT, Var.Kind.SYNTHETIC);
      Expr index = new Literal(defaultIndex >= 0 ? defaultIndex : cases.size(),
          String.valueOf(defaultIndex >= 0 ? defaultIndex : cases.size()), Prim.INT);
      for (int k = cases.size() - 1; k >= 0; k--) {
        if (matches.get(k) != null) {
          index = new Conditional(matches.get(k), new Literal(k, String.valueOf(k), Prim.INT), index, Prim.INT);
        }
      }
      block.add(new Stmt.Declare(entry, index, Pos.NONE, null));
      for (int k = 0; k < cases.size(); k++) {
        Expr reached = new Binary(BinOp.LE, new Read(entry), new Literal(k, String.valueOf(k), Prim.INT), Prim.BOOLEAN);
        block.add(new Stmt.If(reached, bodies.get(k), List.of(), source.pos(cases.get(k)),
            source.text(cases.get(k)).replaceAll("(->|:).*", "$1") + " (entered here or fallen through)"));
      }
    }
    return List.of(declareSelector, new Stmt.Breakable(block, pos, header));
  }

  /**
   * The enum type of a selector that is an object carrying no derivative (an enum parameter,
   * constant or local), or null.
   */
  private RefType enumOf(Expr selector) {
    if (!(selector.type() instanceof RefType r) || !exprs.isConstantObject(selector)) {
      return null;
    }
    javax.lang.model.element.TypeElement t = cx.elements.getTypeElement(r.qualifiedName());
    return t != null && t.getKind() == javax.lang.model.element.ElementKind.ENUM ? r : null;
  }

  private static boolean endsAbruptly(List<Stmt> body) {
    if (body.isEmpty()) {
      return false;
    }
    Stmt last = body.get(body.size() - 1);
    return last instanceof Stmt.Break || last instanceof Stmt.Continue || last instanceof Stmt.Return;
  }

  private static List<Stmt> withoutTrailingBreak(List<Stmt> body) {
    if (!body.isEmpty() && body.get(body.size() - 1) instanceof Stmt.Break) {
      return body.subList(0, body.size() - 1);
    }
    return body;
  }
}
