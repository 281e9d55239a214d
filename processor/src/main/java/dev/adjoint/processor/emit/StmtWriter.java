package dev.adjoint.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.reverse.Names;

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
    } else if (s instanceof Stmt.Assign a) {
      Expr v = a.value() instanceof Cast c && a.compound() ? c.operand() : a.value();
      if (a.compound() && v instanceof Binary b && b.left() instanceof Read r && r.var() == a.var()) {
        out.add("$N $L= $L;$L\n", names.of(a.var()), b.op().symbol(), exprs.write(b.right()), lineNote);
      } else {
        out.add("$N = $L;$L\n", names.of(a.var()), exprs.write(a.value()), lineNote);
      }
    } else if (s instanceof Stmt.Return r) {
      out.add("return $L;$L\n", exprs.write(r.value()), lineNote);
    }
  }

  CodeBlock expr(Expr e) {
    return exprs.write(e);
  }
}
