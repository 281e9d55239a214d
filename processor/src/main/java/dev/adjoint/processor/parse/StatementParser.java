package dev.adjoint.processor.parse;

import static dev.adjoint.processor.parse.ExpressionParser.convert;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Length;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.NewArray;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.Registry;
import java.util.ArrayList;
import java.util.List;

/** Turns the statements of a method body into IR statements, in the order they are to run. */
final class StatementParser {
  private final ParseContext cx;
  private final Reporter reporter;
  private final SourceText source;
  private final ExpressionParser exprs;
  private final SwitchParser switches;
  private final ThrowParser throwParser;

  private final List<Stmt> body = new ArrayList<>();
  /** The list the statement being parsed goes into: the method body or a nested block. */
  private List<Stmt> out = body;
  private int loopDepth;
  /** The labels of the statements being parsed, innermost first. */
  private final java.util.Deque<String> labels = new java.util.ArrayDeque<>();
  private boolean returned;

  StatementParser(ParseContext cx, ExpressionParser exprs) {
    this.cx = cx;
    this.reporter = cx.reporter;
    this.source = cx.source;
    this.exprs = exprs;
    this.switches = new SwitchParser(cx, exprs, this);
    this.throwParser = new ThrowParser(cx);
  }

  /** The statements of the method's body, parsed in the current scope. */
  List<Stmt> methodBody(BlockTree block) {
    block(block);
    return body;
  }

  /** Whether a return statement was parsed. */
  boolean returned() {
    return returned;
  }

  private void block(BlockTree block) {
    for (StatementTree s : block.getStatements()) {
      statement(s);
    }
  }

  /** The statements {@code s} parses to, in a scope of their own. */
  private List<Stmt> nested(StatementTree s) {
    return collect(() -> statement(s));
  }

  /** What {@code parsing} appends, in a new scope, instead of appending it to the current block. */
  private List<Stmt> collect(Runnable parsing) {
    cx.pushScope();
    try {
      return collectInScope(parsing);
    } finally {
      cx.popScope();
    }
  }

  void statement(StatementTree s) {
    Pos pos = source.pos(s);
    switch (s.getKind()) {
      case VARIABLE -> declaration((VariableTree) s, pos);
      case EXPRESSION_STATEMENT -> expressionStatement(((ExpressionStatementTree) s).getExpression(), pos, s);
      case RETURN -> {
        ExpressionTree e = ((ReturnTree) s).getExpression();
        returned = true;
        if (e == null) {
          reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "return without a value",
              "return the double result");
          return;
        }
        Expr value = flat(exprs.expr(e), pos, source.text(s));
        out.add(new Stmt.Return(value, pos, source.text(s)));
      }
      case BLOCK -> out.addAll(collect(() -> block((BlockTree) s)));
      case EMPTY_STATEMENT -> { }
      case IF -> {
        IfTree t = (IfTree) s;
        Expr cond = exprs.condition(t.getCondition());
        List<Stmt> then = nested(t.getThenStatement());
        List<Stmt> otherwise = t.getElseStatement() == null ? List.of() : nested(t.getElseStatement());
        out.add(new Stmt.If(cond, then, otherwise, pos, source.header(s, t.getThenStatement())));
      }
      case FOR_LOOP -> {
        ForLoopTree f = (ForLoopTree) s;
        out.addAll(collect(() -> {
          List<Stmt> init = collect(() -> f.getInitializer().forEach(this::statement));
          // the loop variables stay visible in the condition, update and body
          init.stream().filter(st -> st instanceof Stmt.Declare)
              .forEach(st -> cx.declare(((Stmt.Declare) st).var()));
          Expr cond = f.getCondition() == null ? null : exprs.condition(f.getCondition());
          List<Stmt> update = collect(() -> f.getUpdate().forEach(this::statement));
          List<Stmt> body = loopBody(f.getStatement());
          out.add(new Stmt.Loop(init, cond, update, body, true, pos, source.header(s, f.getStatement())));
        }));
      }
      case ENHANCED_FOR_LOOP -> enhancedFor((EnhancedForLoopTree) s, pos);
      case WHILE_LOOP -> {
        WhileLoopTree w = (WhileLoopTree) s;
        Expr cond = exprs.condition(w.getCondition());
        List<Stmt> body = loopBody(w.getStatement());
        out.add(new Stmt.Loop(List.of(), cond, List.of(), body, true, pos, source.header(s, w.getStatement())));
      }
      case DO_WHILE_LOOP -> {
        DoWhileLoopTree d = (DoWhileLoopTree) s;
        List<Stmt> body = loopBody(d.getStatement());
        Expr cond = exprs.condition(d.getCondition());
        out.add(new Stmt.Loop(List.of(), cond, List.of(), body, false, pos,
            "do ... while (" + source.text(d.getCondition()) + ")"));
      }
      case BREAK -> {
        javax.lang.model.element.Name label = ((BreakTree) s).getLabel();
        if (label == null || labels.contains(label.toString())) {
          out.add(new Stmt.Break(label == null ? null : label.toString(), pos));
        } // else javac reports the undefined label
      }
      case CONTINUE -> {
        javax.lang.model.element.Name label = ((ContinueTree) s).getLabel();
        if (label == null || labels.contains(label.toString())) {
          out.add(new Stmt.Continue(label == null ? null : label.toString(), pos));
        }
      }
      case LABELED_STATEMENT -> {
        // label: statement is a breakable block; break label leaves it, continue label continues its loop
        LabeledStatementTree l = (LabeledStatementTree) s;
        String label = l.getLabel().toString();
        labels.push(label);
        try {
          List<Stmt> inner = collectInScope(() -> statement(l.getStatement()));
          out.add(new Stmt.Breakable(inner, label, pos, label + ":"));
        } finally {
          labels.pop();
        }
      }
      case SWITCH -> out.addAll(switches.desugar((SwitchTree) s, pos));
      case TRY -> reporter.report(Diag.TRY, pos);
      case SYNCHRONIZED -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "a synchronized block",
          "differentiated code must not depend on other threads; synchronize around the call to the gradient instead");
      case THROW -> {
        Stmt.Throw t = throwParser.parse((com.sun.source.tree.ThrowTree) s, pos);
        if (t != null) {
          out.add(t);
        }
      }
      case ASSERT -> {
        // dropped: the gradient does not check assertions (they check the primal, which runs without
        // them unless -ea); its condition and message have no effect on any value
      }
      case CLASS -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "a local class declaration",
          "declare the class outside the method");
      default -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos,
          "a " + s.getKind().name().toLowerCase().replace('_', ' ') + " statement",
          "rewrite it with declarations, assignments, if, loops and return");
    }
  }

  private List<Stmt> loopBody(StatementTree body) {
    return loopBody(() -> statement(body));
  }

  private List<Stmt> loopBody(Runnable parsing) {
    loopDepth++;
    try {
      return collect(parsing);
    } finally {
      loopDepth--;
    }
  }


  /**
   * {@code for (double v : xs) body} becomes the counted loop
   * {@code for (int vIndex = 0; vIndex < xs.length; vIndex++) { double v = xs[vIndex]; body }}.
   */
  private void enhancedFor(EnhancedForLoopTree f, Pos pos) {
    Expr array = exprs.expr(f.getExpression());
    if (array instanceof Expr.FieldRead fr && !(fr.type() instanceof Prim) && !Type.TENSOR.equals(fr.type())
        && !TypeMapper.isArrayOfDouble(fr.type()) && !ExpressionParser.isConstantTable(fr)) {
      modulesFor(f, fr, pos);
      return;
    }
    if (!(array.type() instanceof ArrayType at)
        || !(array instanceof Read || array instanceof ArrayRead || ExpressionParser.isConstantTable(array))) {
      reporter.report(Diag.UNSUPPORTED_EXPRESSION, source.pos(f.getExpression()),
          "iterating over '" + source.text(f.getExpression()) + "'",
          "iterate over an array variable (or a row x[i] of a double[][])");
      return;
    }
    if (at.element() instanceof ArrayType) {
      reporter.report(Diag.ARRAY_ALIAS, source.pos(f.getVariable()), f.getVariable().getName(),
          "index the rows instead: for (int i = 0; i < " + source.text(f.getExpression()) + ".length; i++)");
      return;
    }
    String elementName = f.getVariable().getName().toString();
    Var index = new Var(elementName + "Index", Prim.INT, Var.Kind.SYNTHETIC);
    Literal zero = new Literal(0, "0", Prim.INT);
    List<Stmt> init = List.of(new Stmt.Declare(index, zero, Pos.NONE, null));
    Expr cond = new Binary(BinOp.LT, new Read(index), new Length(array), Prim.BOOLEAN);
    List<Stmt> update = List.of(new Stmt.Assign(index,
        new Binary(BinOp.ADD, new Read(index), new Literal(1, "1", Prim.INT), Prim.INT), true, Pos.NONE, null));
    List<Stmt> body = loopBody(() -> {
      Var element = new Var(elementName, at.element(), Var.Kind.LOCAL);
      cx.declare(element);
      out.add(new Stmt.Declare(element, convert(new ArrayRead(array, new Read(index), at.element()), at.element()),
          source.pos(f.getVariable()), source.text(f.getVariable()) + " = " + source.text(f.getExpression()) + "[...]"));
      statement(f.getStatement());
    });
    out.add(new Stmt.Loop(init, cond, update, body, true, pos, source.header(f, f.getStatement())));
  }

  /**
   * {@code for (Linear l : blocks) body} over a field holding sub-modules becomes the counted loop
   * {@code for (int lIndex = 0; lIndex < blocks.size(); lIndex++) body}, where {@code l} stands
   * for {@code blocks.get(lIndex)} (or {@code blocks[lIndex]}): the element is a constant object,
   * read again where the reverse sweep calls its pullback.
   */
  private void modulesFor(EnhancedForLoopTree f, Expr.FieldRead modules, Pos pos) {
    String elementName = f.getVariable().getName().toString();
    Var index = new Var(elementName + "Index", Prim.INT, Var.Kind.SYNTHETIC);
    Expr size;
    Expr element;
    if (modules.type() instanceof ArrayType at) {
      size = new Length(modules);
      element = new ArrayRead(modules, new Read(index), at.element());
    } else {
      javax.lang.model.element.TypeElement type = exprs.moduleElementOfField(modules.name());
      size = new Expr.MethodCall(modules, "size", List.of(), Prim.INT);
      element = new Expr.MethodCall(modules, "get", List.of(new Read(index)), TypeMapper.refType(type));
    }
    Literal zero = new Literal(0, "0", Prim.INT);
    List<Stmt> init = List.of(new Stmt.Declare(index, zero, Pos.NONE, null));
    Expr cond = new Binary(BinOp.LT, new Read(index), size, Prim.BOOLEAN);
    List<Stmt> update = List.of(new Stmt.Assign(index,
        new Binary(BinOp.ADD, new Read(index), new Literal(1, "1", Prim.INT), Prim.INT), true, Pos.NONE, null));
    List<Stmt> body = loopBody(() -> {
      cx.aliases.put(elementName, element);
      try {
        statement(f.getStatement());
      } finally {
        cx.aliases.remove(elementName);
      }
    });
    out.add(new Stmt.Loop(init, cond, update, body, true, pos, source.header(f, f.getStatement())));
  }

  /** Statements parsed into a list in the current scope (a switch block is one scope). */
  List<Stmt> collectInScope(Runnable parsing) {
    List<Stmt> saved = out;
    List<Stmt> list = new ArrayList<>();
    out = list;
    try {
      parsing.run();
    } finally {
      out = saved;
    }
    return list;
  }

  private void declaration(VariableTree v, Pos pos) {
    String name = v.getName().toString();
    if (v.getInitializer() instanceof NewArrayTree n && n.getInitializers() != null) {
      arrayInitializer(v, n, pos);
      return;
    }
    ExpressionTree cloned = clonedArray(v.getInitializer());
    if (cloned != null && arrayClone(v, cloned, pos)) {
      return;
    }
    int errorsBefore = reporter.errorCount();
    Expr init = v.getInitializer() == null ? null : exprs.expr(v.getInitializer());
    // an initializer already refused is the one error here: no second one about what it would be
    boolean initRefused = reporter.errorCount() > errorsBefore;
    Type type = exprs.declaredType(v.getType(), init);
    RefType value = exprs.valueType(v.getType(), init);
    if (value != null) {
      // DD x2 = DD.ofSquare(x): an object that stands for a number, replaced by its parts in analysis
      boolean made = init == null || exprs.isValueObjectInit(init);
      if (!made && !initRefused) {
        List<String> names = value.simpleNames();
        reporter.report(Diag.VALUE_OBJECT, pos, "creating the " + names.get(names.size() - 1) + " '" + name
            + "' this way", names.get(names.size() - 1), Registry.valueFactories(value), Registry.valueAccessors(value),
            "declare one variable per case, or compute with the numbers it gives instead");
      }
      Var var = new Var(name, value, Var.Kind.LOCAL);
      cx.declare(var);
      out.add(new Stmt.Declare(var, made ? init : null, pos, source.text(v)));
      return;
    }
    if (type == null && init != null && exprs.isConstantObjectValue(init, v.getType())) {
      // Policy pol = Policy.getDefault(): an object that carries no derivative, named
      Var var = new Var(name, init.type(), Var.Kind.LOCAL);
      cx.declare(var);
      out.add(new Stmt.Declare(var, init, pos, source.text(v)));
      return;
    }
    if (type instanceof ArrayType && init instanceof ArrayRead row && row.type().equals(type)
        && !(row.array() instanceof ArrayRead)) {
      rowView(name, row, pos, source.text(v));
      return;
    }
    if (type instanceof ArrayType && !initRefused) {
      if (!(init instanceof NewArray) && init != null) {
        reporter.report(Diag.ARRAY_ALIAS, pos, name, "create it with new " + type.display().replace("[]", "[n]")
            + ", or index the original array directly");
      } else if (loopDepth > 0) {
        reporter.report(Diag.ARRAY_IN_LOOP, pos, name);
      } else if (!TypeMapper.isArrayOfDouble(type)) {
        reporter.report(Diag.UNSUPPORTED_TYPE, pos, type.display());
      }
    }
    if (type == null) {
      reporter.report(Diag.UNSUPPORTED_TYPE, pos, v.getType() == null ? "var" : v.getType().toString());
      type = Prim.DOUBLE;
    } else if (init != null && type instanceof Prim target && init.type() instanceof Prim from
        && target != from && target.isNumeric() && from.isNumeric()) {
      init = convert(init, target); // the implicit conversion, made visible (a literal needs none)
    }
    Var var = new Var(name, type, Var.Kind.LOCAL);
    init = init == null ? null : flat(init, pos, source.text(v));
    cx.declare(var);
    out.add(new Stmt.Declare(var, init, pos, source.text(v)));
  }

  /**
   * {@code double[] row = m[i]}: a view of a row, not a copy, so {@code row} stands for
   * {@code m[rowAt]} wherever it is used (reads, element writes, {@code length}, for-each, call
   * arguments), with the row's index kept in {@code int rowAt = i} (so that a later change of
   * {@code i} does not move the view). The gradient then flows into {@code m}'s adjoint directly.
   */
  private void rowView(String name, ArrayRead row, Pos pos, String text) {
    Expr index = row.index();
    if (!(index instanceof Literal)) {
      Var at = new Var(name + "At", Prim.INT, Var.Kind.SYNTHETIC);
      out.add(new Stmt.Declare(at, flat(index, pos, text), pos, text));
      index = new Read(at);
    }
    cx.declareAlias(name, new ArrayRead(row.array(), index, row.type()));
  }

  /** The array {@code a} of an initializer {@code a.clone()}, or null for any other initializer. */
  private static ExpressionTree clonedArray(ExpressionTree init) {
    while (init instanceof ParenthesizedTree p) {
      init = p.getExpression();
    }
    if (init instanceof com.sun.source.tree.MethodInvocationTree call && call.getArguments().isEmpty()
        && call.getMethodSelect() instanceof MemberSelectTree s && s.getIdentifier().contentEquals("clone")) {
      return s.getExpression();
    }
    return null;
  }

  /**
   * {@code double[] u = a.clone()} (of a parameter, a local array, a row {@code m[i]} or a constant
   * table; or of a float[]) becomes {@code double[] u = new double[a.length];} and the counted loop
   * {@code for (int uIndex = 0; uIndex < u.length; uIndex++) u[uIndex] = a[uIndex];}: a fresh copy
   * made of element writes, which every mode already differentiates (the copy's adjoint flows
   * back into {@code a}'s element by element, and in forward mode the tangent is copied too).
   * Returns false for the {@code clone()} of something else than an array, which is then parsed
   * as any call.
   */
  private boolean arrayClone(VariableTree v, ExpressionTree of, Pos pos) {
    String name = v.getName().toString();
    String text = source.text(v);
    Expr array = exprs.expr(of);
    if (ExpressionParser.isPlaceholder(array)) {
      return true; // its error is reported
    }
    if (!(array.type() instanceof ArrayType at)) {
      return false;
    }
    // after a refusal the name is still declared, so that its uses raise no second error
    Var var = new Var(name, at, Var.Kind.LOCAL);
    cx.declare(var);
    if (at.element() instanceof ArrayType) {
      reporter.report(Diag.ARRAY_ALIAS, pos, name, source.text(of) + ".clone() copies only the outer array,"
          + " so its rows would be shared; create new double[n][m] and copy the elements (or clone each row:"
          + " double[] r = " + source.text(of) + "[i].clone())");
      return true;
    }
    if (!(array instanceof Read || array instanceof ArrayRead || ExpressionParser.isConstantTable(array))) {
      reporter.report(Diag.UNSUPPORTED_EXPRESSION, source.pos(of), "cloning '" + source.text(of) + "'",
          "clone an array variable, a row m[i] of a double[][] or a constant table");
      return true;
    }
    if (loopDepth > 0) {
      reporter.report(Diag.ARRAY_IN_LOOP, pos, name);
      return true;
    }
    if (at.element() != Prim.DOUBLE && at.element() != Prim.FLOAT) {
      reporter.report(Diag.UNSUPPORTED_TYPE, pos, at.display());
      return true;
    }
    Prim element = (Prim) at.element();
    if (array instanceof ArrayRead row && !(row.index() instanceof Literal || row.index() instanceof Read)) {
      // the row's index is evaluated once, as the call evaluates it once
      Var at0 = new Var(name + "Row", Prim.INT, Var.Kind.SYNTHETIC);
      out.add(new Stmt.Declare(at0, flat(row.index(), pos, text), pos, text));
      array = new ArrayRead(row.array(), new Read(at0), row.type());
    }
    out.add(new Stmt.Declare(var, new NewArray(element, List.of(new Length(array)), at), pos, text));
    Var index = new Var(name + "Index", Prim.INT, Var.Kind.SYNTHETIC);
    List<Stmt> init = List.of(new Stmt.Declare(index, new Literal(0, "0", Prim.INT), Pos.NONE, null));
    Expr cond = new Binary(BinOp.LT, new Read(index), new Length(new Read(var)), Prim.BOOLEAN);
    List<Stmt> update = List.of(new Stmt.Assign(index,
        new Binary(BinOp.ADD, new Read(index), new Literal(1, "1", Prim.INT), Prim.INT), true, Pos.NONE, null));
    Stmt copy = new Stmt.ArrayStore(new ArrayRead(new Read(var), new Read(index), element),
        new ArrayRead(array, new Read(index), element), false, pos,
        name + "[" + index.name() + "] = " + source.text(of) + "[" + index.name() + "]");
    out.add(new Stmt.Loop(init, cond, update, List.of(copy), true, pos, text));
    return true;
  }

  /** {@code double[] c = {a, b}} becomes {@code double[] c = new double[2]; c[0] = a; c[1] = b;}. */
  private void arrayInitializer(VariableTree v, NewArrayTree n, Pos pos) {
    Type type = exprs.declaredType(v.getType() != null ? v.getType() : n.getType(), null);
    if (type == null && n.getType() != null) {
      Type element = exprs.declaredType(n.getType(), null);
      type = element == null ? null : new ArrayType(element);
    }
    if (!(type instanceof ArrayType at) || at.element() != Prim.DOUBLE || loopDepth > 0) {
      reporter.report(loopDepth > 0 ? Diag.ARRAY_IN_LOOP : Diag.UNSUPPORTED_TYPE, pos,
          loopDepth > 0 ? v.getName() : (type == null ? "this array initializer" : type.display()));
      return;
    }
    Var var = new Var(v.getName().toString(), type, Var.Kind.LOCAL);
    int size = n.getInitializers().size();
    out.add(new Stmt.Declare(var, new NewArray(Prim.DOUBLE,
        List.of(new Literal(size, String.valueOf(size), Prim.INT)), type), pos, source.text(v)));
    cx.declare(var);
    for (int i = 0; i < size; i++) {
      ExpressionTree element = n.getInitializers().get(i);
      ArrayRead target = new ArrayRead(new Read(var), new Literal(i, String.valueOf(i), Prim.INT), Prim.DOUBLE);
      out.add(new Stmt.ArrayStore(target, convert(exprs.expr(element), Prim.DOUBLE), false, source.pos(element),
          var.name() + "[" + i + "] = " + source.text(element)));
    }
  }

  void expressionStatement(ExpressionTree e, Pos pos, Tree s) {
    String text = source.text(s);
    switch (e.getKind()) {
      case ASSIGNMENT -> {
        AssignmentTree a = (AssignmentTree) e;
        Expr target = lvalue(a.getVariable());
        Expr value = exprs.expr(a.getExpression());
        if (target != null) {
          store(target, convert(value, target.type()), false, pos, text);
        }
      }
      case PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT, REMAINDER_ASSIGNMENT -> {
        CompoundAssignmentTree a = (CompoundAssignmentTree) e;
        Expr target = lvalue(a.getVariable());
        Expr rhs = exprs.expr(a.getExpression());
        if (target != null) {
          BinOp op = ExpressionParser.compoundOp(e.getKind());
          compound(target, op, rhs, pos, text, a);
        }
      }
      case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> {
        UnaryTree u = (UnaryTree) e;
        Expr target = lvalue(u.getExpression());
        if (target != null) {
          boolean up = e.getKind() == Tree.Kind.PREFIX_INCREMENT || e.getKind() == Tree.Kind.POSTFIX_INCREMENT;
          Literal one = new Literal(1, "1", Prim.INT);
          compound(target, up ? BinOp.ADD : BinOp.SUB, one, pos, text, u);
        }
      }
      case METHOD_INVOCATION -> {
        // a call made for its effect (an argument check): kept in the forward sweep
        Expr call = exprs.effect((com.sun.source.tree.MethodInvocationTree) e);
        if (call != null && !ExpressionParser.isPlaceholder(call)) {
          out.add(new Stmt.Effect(flat(call, pos, text), pos, text));
        } else if (call == null) {
          reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "a call whose result is unused",
              "it cannot contribute to the result; remove it or use its value");
        }
      }
      default -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "this expression statement",
          "write an assignment to a local variable");
    }
  }

  private void compound(Expr target, BinOp op, Expr rhs, Pos pos, String text, Tree tree) {
    if (!(target.type() instanceof Prim t) || !t.isNumeric() || !(rhs.type() instanceof Prim r) || !r.isNumeric()) {
      reporter.report(Diag.UNSUPPORTED_EXPRESSION, source.pos(tree), "this compound assignment", "use numeric operands");
      return;
    }
    Expr value = new Binary(op, target, rhs, Prim.promote(t, r));
    store(target, convert(value, t), true, pos, text);
  }

  /** An assignment to a local (a Read of it) or to an array element. */
  private void store(Expr target, Expr value, boolean compound, Pos pos, String text) {
    value = flat(value, pos, text);
    if (target instanceof Read r) {
      out.add(new Stmt.Assign(r.var(), value, compound, pos, text));
    } else {
      out.add(new Stmt.ArrayStore((ArrayRead) target, value, compound, pos, text));
    }
  }

  /** What an assignment may write: a local variable or an element of an array; null after an error. */
  private Expr lvalue(ExpressionTree target) {
    Pos pos = source.pos(target);
    if (target instanceof ParenthesizedTree p) {
      return lvalue(p.getExpression());
    }
    if (target instanceof IdentifierTree id && cx.aliases.get(id.getName().toString()) instanceof ArrayRead) {
      reporter.report(Diag.ARRAY_ALIAS, pos, id.getName(), "'" + id.getName() + "' is a view of a row;"
          + " declare another view for another row");
      return null;
    }
    if (target instanceof IdentifierTree id) {
      Var local = cx.lookupLocal(id.getName().toString());
      if (local == null) {
        reporter.report(Diag.FIELD_WRITE, pos, id.getName());
        return null;
      }
      if (local.type() instanceof ArrayType) {
        reporter.report(Diag.ARRAY_ALIAS, pos, local.name(),
            "write its elements instead, or use a new local array");
        return null;
      }
      return new Read(local);
    }
    if (target instanceof MemberSelectTree s) {
      reporter.report(Diag.FIELD_WRITE, pos, s.getIdentifier());
      return null;
    }
    if (target instanceof ArrayAccessTree a) {
      Expr element = exprs.expr(a);
      if (ExpressionParser.isConstantTable(element)) {
        reporter.report(Diag.FIELD_WRITE, pos, source.text(a.getExpression()));
        return null;
      }
      if (element instanceof ArrayRead r && r.type() instanceof Prim) {
        return r;
      }
      if (element instanceof ArrayRead) {
        reporter.report(Diag.ARRAY_ALIAS, pos, source.text(a), "write its elements instead");
      }
      return null;
    }
    reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "assigning to this", "assign to a local variable");
    return null;
  }

  /**
   * Binds each Tensor op nested inside a statement's expression to a local of its own, declared
   * just before the statement ({@code Tensor matmul = x.matmul(w1);}), so that the op's value is
   * at hand for its reverse rule instead of being recomputed. The statement's own op stays.
   */
  private Expr flat(Expr e, Pos pos, String text) {
    // the parts that may not run (held while the rest is bound) go back into what is bound
    java.util.Map<Expr, Expr> held = new java.util.IdentityHashMap<>();
    java.util.function.UnaryOperator<Expr> bind = x -> {
      if (held.containsKey(x)) {
        return x; // a part that may not run stays where it is
      }
      x = restore(x, held);
      if (x instanceof Expr.Op o && Type.TENSOR.equals(o.type())) {
        Var temp = new Var(o.name(), Type.TENSOR, Var.Kind.SYNTHETIC);
        String opText = o.pos().anchor() instanceof Anchor a ? source.text(a.tree()) : text;
        out.add(new Stmt.Declare(temp, o, pos, opText));
        return new Read(temp);
      }
      if (x instanceof Expr.Invoke i && Type.TENSOR.equals(i.type())) {
        // a tensor-valued call: its value is kept for the rules that read it, never recomputed
        Var temp = new Var(i.callee().name(), Type.TENSOR, Var.Kind.SYNTHETIC);
        String callText = i.pos().anchor() instanceof Anchor a ? source.text(a.tree()) : text;
        out.add(new Stmt.Declare(temp, i, pos, callText));
        return new Read(temp);
      }
      return x;
    };
    if (e instanceof Expr.Op o) {
      return new Expr.Op(o.owner(), o.name(),
          o.receiver() == null ? null : alwaysEvaluated(o.receiver(), bind, held),
          o.args().stream().map(a -> alwaysEvaluated(a, bind, held)).toList(), o.type(), o.rules(), o.tangents(),
          o.pos());
    }
    if (e instanceof Expr.Invoke i) {
      return new Expr.Invoke(i.callee(), i.receiver() == null ? null : alwaysEvaluated(i.receiver(), bind, held),
          i.args().stream().map(a -> alwaysEvaluated(a, bind, held)).toList(), i.pos());
    }
    return alwaysEvaluated(e, bind, held);
  }

  /**
   * {@code bind} applied bottom-up to the parts of {@code e} that always run with it: the operands
   * of {@code ?:} and the right side of {@code &&} and {@code ||} are left as they are, since a
   * branch not taken must not run (it may throw, or be undefined there).
   */
  private static Expr alwaysEvaluated(Expr e, java.util.function.UnaryOperator<Expr> bind,
      java.util.Map<Expr, Expr> held) {
    Expr masked = Rewrite.bottomUp(e, x -> {
      if (x instanceof Expr.Conditional c) {
        return new Expr.Conditional(c.cond(), hold(c.then(), held), hold(c.otherwise(), held), c.type());
      }
      if (x instanceof Expr.Binary b && (b.op() == dev.adjoint.processor.ir.BinOp.AND
          || b.op() == dev.adjoint.processor.ir.BinOp.OR)) {
        return new Expr.Binary(b.op(), b.left(), hold(b.right(), held), b.type());
      }
      return x;
    });
    return restore(Rewrite.bottomUp(masked, bind), held);
  }

  /** {@code e} with every placeholder replaced by what it holds (which may hold placeholders too). */
  private static Expr restore(Expr e, java.util.Map<Expr, Expr> held) {
    return Rewrite.bottomUp(e, x -> held.containsKey(x) ? restore(held.get(x), held) : x);
  }

  /** A placeholder that stands for {@code e} while the rest of its expression is rewritten. */
  private static Expr hold(Expr e, java.util.Map<Expr, Expr> held) {
    Expr placeholder = new Expr.Literal(new Object(), "held", e.type());
    held.put(placeholder, e);
    return placeholder;
  }
}
