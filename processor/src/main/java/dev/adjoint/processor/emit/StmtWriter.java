package dev.adjoint.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.reverse.Names;
import java.util.List;

/** Prints IR statements as Java statements, compound assignments as compound assignments. */
final class StmtWriter {
  private final Names names;
  private final ExprWriter exprs;

  StmtWriter(Names names) {
    this.names = names;
    this.exprs = new ExprWriter(names);
  }

  /** The statement, with {@code // line N} after it when it comes from the user's source. */
  void write(Stmt s, CodeBlock.Builder out) {
    String lineNote = s.pos().line() > 0 ? " // line " + s.pos().line() : "";
    if (s instanceof Stmt.Comment c) {
      out.add("// $L\n", c.text());
    } else if (s instanceof Stmt.Declare d) {
      if (d.init() == null) {
        out.add("$T $N;$L\n", JavaTypes.of(d.var().type()), names.of(d.var()), lineNote);
      } else {
        out.add("$T $N = $L;$L\n", JavaTypes.of(d.var().type()), names.of(d.var()), exprs.write(d.init()), lineNote);
      }
    } else if (s instanceof Stmt.Assign || s instanceof Stmt.ArrayStore) {
      out.add("$L;$L\n", simple(s), lineNote);
    } else if (s instanceof Stmt.Eval e) {
      out.add("$L;\n", exprs.write(e.expr()));
    } else if (s instanceof Stmt.Effect e) {
      out.add("$L;$L\n", exprs.write(e.expr()), lineNote);
    } else if (s instanceof Stmt.Throw t) {
      CodeBlock.Builder thrown = CodeBlock.builder().add("$L", t.parts().get(0));
      for (int i = 0; i < t.holes().size(); i++) {
        thrown.add("$L$L", exprs.write(t.holes().get(i)), t.parts().get(i + 1));
      }
      out.add("throw $L;$L\n", thrown.build(), lineNote);
    } else if (s instanceof Stmt.Return r) {
      out.add("return $L;$L\n", exprs.write(r.value()), lineNote);
    } else if (s instanceof Stmt.If i) {
      open(out, CodeBlock.of("if ($L)", exprs.write(i.cond())), lineNote);
      i.then().forEach(t -> write(t, out));
      List<Stmt> otherwise = i.otherwise();
      // else if chains stay flat
      while (otherwise.size() == 1 && otherwise.get(0) instanceof Stmt.If inner) {
        String innerNote = inner.pos().line() > 0 ? " // line " + inner.pos().line() : "";
        out.unindent();
        open(out, CodeBlock.of("} else if ($L)", exprs.write(inner.cond())), innerNote);
        inner.then().forEach(t -> write(t, out));
        otherwise = inner.otherwise();
      }
      if (!otherwise.isEmpty()) {
        out.unindent();
        open(out, CodeBlock.of("} else"), "");
        otherwise.forEach(t -> write(t, out));
      }
      close(out);
    } else if (s instanceof Stmt.Loop l) {
      loop(l, lineNote, out);
    } else {
      throw new IllegalArgumentException("cannot print " + s);
    }
  }

  private void loop(Stmt.Loop l, String lineNote, CodeBlock.Builder out) {
    CodeBlock cond = l.cond() == null ? CodeBlock.of("true") : exprs.write(l.cond());
    if (!l.testFirst()) {
      open(out, CodeBlock.of("do"), lineNote);
      l.body().forEach(t -> write(t, out));
      out.unindent();
      out.add("} while ($L);\n", cond);
      return;
    }
    if (l.init().isEmpty() && l.update().isEmpty()) {
      open(out, CodeBlock.of("while ($L)", cond), lineNote);
    } else {
      CodeBlock.Builder init = CodeBlock.builder();
      for (int k = 0; k < l.init().size(); k++) {
        Stmt s = l.init().get(k);
        if (k > 0) {
          init.add(", ");
        }
        if (s instanceof Stmt.Declare d) {
          // loops made by the processor declare at most one variable
          init.add("$T $N = $L", JavaTypes.of(d.var().type()), names.of(d.var()), exprs.write(d.init()));
        } else {
          init.add("$L", simple(s));
        }
      }
      CodeBlock.Builder update = CodeBlock.builder();
      for (int k = 0; k < l.update().size(); k++) {
        update.add(k == 0 ? "$L" : ", $L", simple(l.update().get(k)));
      }
      open(out, CodeBlock.of("for ($L; $L; $L)", init.build(), cond, update.build()), lineNote);
    }
    l.body().forEach(t -> write(t, out));
    close(out);
  }

  /** {@code header {} with the line note after the brace, then indents. */
  private static void open(CodeBlock.Builder out, CodeBlock header, String lineNote) {
    out.add("$L {$L\n", header, lineNote);
    out.indent();
  }

  private static void close(CodeBlock.Builder out) {
    out.unindent();
    out.add("}\n");
  }

  /** An assignment as an expression, without its semicolon: {@code x += 1} prints as {@code x++}. */
  private CodeBlock simple(Stmt s) {
    Expr target;
    Expr value;
    boolean compound;
    if (s instanceof Stmt.Assign a) {
      target = new Read(a.var());
      value = a.value();
      compound = a.compound();
    } else if (s instanceof Stmt.ArrayStore a) {
      target = a.target();
      value = a.value();
      compound = a.compound();
    } else {
      throw new IllegalArgumentException("not an assignment: " + s);
    }
    Expr v = value instanceof Cast c && compound ? c.operand() : value;
    if (compound && v instanceof Binary b && b.left().equals(target)) {
      if (b.right() instanceof Expr.Literal one && one.text().equals("1") && target.type() instanceof dev.adjoint.processor.ir.Prim p
          && !p.isFloating() && (b.op() == dev.adjoint.processor.ir.BinOp.ADD || b.op() == dev.adjoint.processor.ir.BinOp.SUB)) {
        return CodeBlock.of("$L$L", exprs.write(target), b.op() == dev.adjoint.processor.ir.BinOp.ADD ? "++" : "--");
      }
      return CodeBlock.of("$L $L= $L", exprs.write(target), b.op().symbol(), exprs.write(b.right()));
    }
    return CodeBlock.of("$L = $L", exprs.write(target), exprs.write(value));
  }

  CodeBlock expr(Expr e) {
    return exprs.write(e);
  }
}
