package dev.adjoint.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.FieldRead;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Neg;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.reverse.Names;

/**
 * Prints IR expressions as Java, with only the parentheses that precedence and floating-point
 * evaluation order require: {@code a - (b - c)} keeps its parentheses, {@code (a * b) + c} loses
 * them.
 */
final class ExprWriter {
  private static final int PRIMARY = 16;
  private static final int UNARY = 14;
  private static final int CONDITIONAL = 2;

  private final Names names;

  ExprWriter(Names names) {
    this.names = names;
  }

  CodeBlock write(Expr e) {
    CodeBlock.Builder b = CodeBlock.builder();
    write(e, 0, b);
    return b.build();
  }

  private void write(Expr e, int context, CodeBlock.Builder out) {
    if (e instanceof Cast c && c.operand().type() == c.target()) {
      // A cast to the type the operand already has (the user's own "(double) (x * 2)") changes nothing, and
      // javac's -Xlint:cast would flag it in generated code.
      write(c.operand(), context, out);
      return;
    }
    boolean parens = precedence(e) < context;
    if (parens) {
      out.add("(");
    }
    if (e instanceof Literal l) {
      out.add("$L", l.text());
    } else if (e instanceof Read r) {
      out.add("$N", names.of(r.var()));
    } else if (e instanceof FieldRead f) {
      if (f.receiver() == null) {
        out.add("$T.$N", JavaTypes.className(f.owner()), f.name());
      } else {
        write(f.receiver(), PRIMARY, out);
        out.add(".$N", f.name());
      }
    } else if (e instanceof Neg n) {
      out.add("-");
      // "- -x" and "--x" would not mean -(-x)
      boolean startsWithMinus = n.operand() instanceof Neg
          || n.operand() instanceof Literal l && l.text().startsWith("-");
      write(n.operand(), startsWithMinus ? PRIMARY : UNARY, out);
    } else if (e instanceof Cast c) {
      out.add("($T) ", JavaTypes.of(c.target()));
      write(c.operand(), UNARY, out);
    } else if (e instanceof Binary b) {
      int p = b.op().precedence();
      write(b.left(), p, out);
      out.add(" $L ", b.op().symbol());
      write(b.right(), p + 1, out); // a - (b - c), a / (b * c): right operand binds tighter
    } else if (e instanceof Call c && c.onReceiver()) {
      write(c.args().get(0), PRIMARY, out);
      out.add(".$N", c.name());
      arguments(c.args().subList(1, c.args().size()), out);
    } else if (e instanceof Call c) {
      out.add("$T.$N(", JavaTypes.className(c.owner()), c.name());
      for (int i = 0; i < c.args().size(); i++) {
        if (i > 0) {
          out.add(", ");
        }
        write(c.args().get(i), 0, out);
      }
      out.add(")");
    } else if (e instanceof Expr.Not n) {
      out.add("!");
      write(n.operand(), UNARY, out);
    } else if (e instanceof Expr.ArrayRead a) {
      write(a.array(), PRIMARY, out);
      out.add("[");
      write(a.index(), 0, out);
      out.add("]");
    } else if (e instanceof Expr.Length l) {
      write(l.array(), PRIMARY, out);
      out.add(".length");
    } else if (e instanceof Expr.NewArray n) {
      out.add("new $T", JavaTypes.of(n.element()));
      for (Expr d : n.dims()) {
        out.add("[");
        write(d, 0, out);
        out.add("]");
      }
    } else if (e instanceof Expr.New n) {
      out.add("new $T", JavaTypes.className(n.type()));
      arguments(n.args(), out);
    } else if (e instanceof Expr.Invoke i && i.callee().hidden()) {
      // a private method, which generated code cannot call: its value from its generated gradient
      // (or from the first half of its pullback, which needs no seed)
      out.add("$T.$N", JavaTypes.className(i.callee().gradClass()), i.callee().name() + (i.callee().splits() ? "Forward" : ""));
      java.util.List<Expr> args = new java.util.ArrayList<>();
      if (i.receiver() != null) {
        args.add(i.receiver());
      }
      args.addAll(i.args());
      arguments(args, out);
      out.add(".value()");
    } else if (e instanceof Expr.Invoke i) {
      if (i.receiver() == null) {
        out.add("$T.$N", JavaTypes.className(i.callee().owner()), i.callee().method());
      } else {
        write(i.receiver(), PRIMARY, out);
        out.add(".$N", i.callee().method());
      }
      arguments(i.args(), out);
    } else if (e instanceof Expr.Op o) {
      if (o.receiver() == null) {
        out.add("$T.$N", JavaTypes.className(o.owner()), o.name());
      } else {
        write(o.receiver(), PRIMARY, out);
        out.add(".$N", o.name());
      }
      arguments(o.args(), out);
    } else if (e instanceof Expr.MethodCall m) {
      write(m.receiver(), PRIMARY, out);
      out.add(".$N", m.name());
      arguments(m.args(), out);
    } else if (e instanceof Conditional c) {
      write(c.cond(), CONDITIONAL + 1, out);
      out.add(" ? ");
      write(c.then(), CONDITIONAL + 1, out);
      out.add(" : ");
      write(c.otherwise(), CONDITIONAL, out);
    } else {
      throw new IllegalArgumentException("cannot print " + e);
    }
    if (parens) {
      out.add(")");
    }
  }

  private void arguments(java.util.List<Expr> args, CodeBlock.Builder out) {
    out.add("(");
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        out.add(", ");
      }
      write(args.get(i), 0, out);
    }
    out.add(")");
  }

  private static int precedence(Expr e) {
    if (e instanceof Binary b) {
      return b.op().precedence();
    }
    if (e instanceof Neg || e instanceof Cast || e instanceof Expr.Not) {
      return UNARY;
    }
    if (e instanceof Literal l && l.text().startsWith("-")) {
      return UNARY;
    }
    if (e instanceof Conditional) {
      return CONDITIONAL;
    }
    return PRIMARY;
  }
}
