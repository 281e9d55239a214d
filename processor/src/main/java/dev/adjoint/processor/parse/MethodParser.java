package dev.adjoint.processor.parse;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Invoke;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.Length;
import dev.adjoint.processor.ir.Expr.NewArray;
import dev.adjoint.processor.ir.Expr.Not;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.FieldRead;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Neg;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Rewrite;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.Rules;
import dev.adjoint.processor.rules.ScalarRule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Turns the javac tree of one {@code @Differentiable} method body into IR, typing every expression
 * itself (bodies are not attributed yet while processors run). Every construct outside the
 * supported subset is reported at its own tree, and parsing goes on so that one compile shows all
 * of a method's problems; the result is empty if any error was reported.
 */
public final class MethodParser {
  private final Trees trees;
  private final Elements elements;
  private final Reporter reporter;
  private final ExecutableElement element;
  private final TypeElement owner;
  private final CompilationUnitTree unit;
  private final MethodTree tree;
  private final SourceText source;
  private final ClassResolver classes;
  private final CalleeResolver callees;
  private final String generatedClassName;

  private final Deque<Map<String, Var>> scopes = new ArrayDeque<>();
  private final List<Stmt> body = new ArrayList<>();
  /** The list the statement being parsed goes into: the method body or a nested block. */
  private List<Stmt> out = body;
  private int loopDepth;
  /** The receiver's Tensor fields read so far, each as a local of the field's name. */
  private final Map<String, Var> fieldVars = new LinkedHashMap<>();
  private final OpResolver ops;
  private Var self;
  private boolean returned;

  public MethodParser(
      Trees trees,
      Elements elements,
      Reporter reporter,
      ExecutableElement element,
      String generatedClassName) {
    this.trees = trees;
    this.elements = elements;
    this.reporter = reporter;
    this.element = element;
    this.owner = (TypeElement) element.getEnclosingElement();
    TreePath path = trees.getPath(element);
    this.unit = path.getCompilationUnit();
    this.tree = (MethodTree) path.getLeaf();
    this.source = new SourceText(trees, unit);
    this.classes = new ClassResolver(elements, unit, owner);
    this.callees = new CalleeResolver(trees, elements, reporter, owner);
    this.ops = new OpResolver(elements, reporter);
    this.generatedClassName = generatedClassName;
  }

  /** The position of the method's declaration, for method-level diagnostics. */
  public Pos methodPos() {
    return source.pos(tree);
  }

  public Optional<Method> parse(List<String> wrtNames) {
    int errorsBefore = reporter.errorCount();
    Pos methodPos = source.pos(tree);
    RefType ownerType = TypeMapper.refType(owner);

    checkAccessible(methodPos);
    if (!element.getTypeParameters().isEmpty()) {
      reporter.report(Diag.GENERIC_METHOD, methodPos, element.getSimpleName());
    }
    Type result = TypeMapper.of(element.getReturnType());
    Prim resultType = result == Prim.DOUBLE || result == Prim.FLOAT ? (Prim) result : null;
    if (resultType == null) {
      reporter.report(Diag.BAD_RESULT_TYPE, source.pos(tree.getReturnType()), element.getReturnType());
    }
    if (tree.getBody() == null) {
      reporter.report(Diag.NO_BODY, methodPos, element.getSimpleName());
      return Optional.empty();
    }

    if (!element.getModifiers().contains(Modifier.STATIC)) {
      self = new Var("self", ownerType, Var.Kind.SELF);
    }
    scopes.push(new LinkedHashMap<>());
    List<Var> params = new ArrayList<>();
    List<Var> wrt = new ArrayList<>();
    List<Pos> paramPositions = new ArrayList<>();
    readParameters(params, paramPositions, wrt, wrtNames, methodPos);

    scopes.push(new LinkedHashMap<>());
    block(tree.getBody());
    if (wrt.isEmpty() && fieldVars.isEmpty()) {
      reporter.report(Diag.NOTHING_TO_DIFFERENTIATE, methodPos, element.getSimpleName());
    }
    if (reporter.errorCount() > errorsBefore || !returned) {
      return Optional.empty(); // without a return, javac itself reports "missing return statement"
    }
    return Optional.of(new Method(ownerType, element.getSimpleName().toString(), self, params,
        paramPositions, wrt, resultType, body, identifiers(), owner.getTypeParameters().size(), methodPos,
        List.copyOf(fieldVars.values())));
  }

  // ---- signature -------------------------------------------------------------------------

  private void readParameters(List<Var> params, List<Pos> paramPositions, List<Var> wrt, List<String> wrtNames, Pos methodPos) {
    List<? extends VariableElement> elems = element.getParameters();
    List<String> names = elems.stream().map(p -> p.getSimpleName().toString()).toList();
    for (String name : wrtNames) {
      if (!names.contains(name)) {
        reporter.report(Diag.UNKNOWN_WRT, methodPos, name, element.getSimpleName(), String.join(", ", names));
      }
    }
    for (int i = 0; i < elems.size(); i++) {
      VariableElement p = elems.get(i);
      VariableTree pTree = tree.getParameters().get(i);
      Pos pos = source.pos(pTree);
      String name = names.get(i);
      Type type = TypeMapper.of(p.asType());
      boolean noDerivative = hasAnnotation(p, "dev.adjoint.NoDerivative");
      boolean listed = wrtNames.contains(name);
      boolean differentiableType = CalleeResolver.isDifferentiable(type);
      boolean candidateType = differentiableType || isArrayOfDouble(type) || isTensor(type);
      boolean differentiate;
      if (listed) {
        if (noDerivative) {
          reporter.report(Diag.WRT_NO_DERIVATIVE, pos, name);
        }
        if (!differentiableType) {
          reporter.report(Diag.WRT_NOT_DIFFERENTIABLE, pos, name, p.asType());
        }
        differentiate = true;
      } else {
        differentiate = wrtNames.isEmpty() && !noDerivative && candidateType;
        if (differentiate && !differentiableType) {
          reporter.report(Diag.UNSUPPORTED_PARAMETER_TYPE, pos, name, p.asType());
        }
      }
      if (type == null) {
        reporter.report(Diag.UNSUPPORTED_PARAMETER_TYPE, pos, name, p.asType());
        type = Prim.INT;
      }
      if (differentiate && name.equals("value")) {
        reporter.report(Diag.PARAMETER_NAMED_VALUE, pos, generatedClassName + "." + recordName());
      }
      Var var = new Var(name, type, Var.Kind.PARAMETER);
      scopes.peek().put(name, var);
      params.add(var);
      paramPositions.add(pos);
      if (differentiate) {
        wrt.add(var);
      }
    }

  }

  private String recordName() {
    String n = element.getSimpleName().toString();
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }

  private void checkAccessible(Pos pos) {
    for (Element e = owner; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      if (t.getModifiers().contains(Modifier.PRIVATE)) {
        reporter.report(Diag.INACCESSIBLE_CLASS, pos, t.getQualifiedName(), generatedClassName);
      }
    }
  }

  private static boolean hasAnnotation(Element e, String qualifiedName) {
    return e.getAnnotationMirrors().stream()
        .anyMatch(a -> ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
            .contentEquals(qualifiedName));
  }

  private static boolean isArrayOfDouble(Type type) {
    return CalleeResolver.isDifferentiable(type) && type instanceof ArrayType;
  }

  private static boolean isTensor(Type type) {
    return type instanceof RefType r && r.qualifiedName().equals("dev.adjoint.tensor.Tensor");
  }

  // ---- statements ------------------------------------------------------------------------

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
    List<Stmt> saved = out;
    List<Stmt> list = new ArrayList<>();
    out = list;
    scopes.push(new LinkedHashMap<>());
    try {
      parsing.run();
    } finally {
      scopes.pop();
      out = saved;
    }
    return list;
  }

  private void statement(StatementTree s) {
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
        Expr value = flat(expr(e), pos, source.text(s));
        out.add(new Stmt.Return(value, pos, source.text(s)));
      }
      case BLOCK -> out.addAll(collect(() -> block((BlockTree) s)));
      case EMPTY_STATEMENT -> { }
      case IF -> {
        IfTree t = (IfTree) s;
        Expr cond = condition(t.getCondition());
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
              .forEach(st -> scopes.peek().put(((Stmt.Declare) st).var().name(), ((Stmt.Declare) st).var()));
          Expr cond = f.getCondition() == null ? null : condition(f.getCondition());
          List<Stmt> update = collect(() -> f.getUpdate().forEach(this::statement));
          List<Stmt> body = loopBody(f.getStatement());
          out.add(new Stmt.Loop(init, cond, update, body, true, pos, source.header(s, f.getStatement())));
        }));
      }
      case ENHANCED_FOR_LOOP -> enhancedFor((EnhancedForLoopTree) s, pos);
      case WHILE_LOOP -> {
        WhileLoopTree w = (WhileLoopTree) s;
        Expr cond = condition(w.getCondition());
        List<Stmt> body = loopBody(w.getStatement());
        out.add(new Stmt.Loop(List.of(), cond, List.of(), body, true, pos, source.header(s, w.getStatement())));
      }
      case DO_WHILE_LOOP -> {
        DoWhileLoopTree d = (DoWhileLoopTree) s;
        List<Stmt> body = loopBody(d.getStatement());
        Expr cond = condition(d.getCondition());
        out.add(new Stmt.Loop(List.of(), cond, List.of(), body, false, pos,
            "do ... while (" + source.text(d.getCondition()) + ")"));
      }
      case BREAK -> {
        if (((BreakTree) s).getLabel() != null) {
          reporter.report(Diag.LABELED_JUMP, pos, "break " + ((BreakTree) s).getLabel());
        }
        out.add(new Stmt.Break(pos));
      }
      case CONTINUE -> {
        if (((ContinueTree) s).getLabel() != null) {
          reporter.report(Diag.LABELED_JUMP, pos, "continue " + ((ContinueTree) s).getLabel());
        }
        out.add(new Stmt.Continue(pos));
      }
      case LABELED_STATEMENT -> {
        reporter.report(Diag.LABELED_JUMP, pos, ((LabeledStatementTree) s).getLabel() + ":");
        statement(((LabeledStatementTree) s).getStatement());
      }
      case SWITCH -> switchStatement((SwitchTree) s, pos);
      case TRY -> reporter.report(Diag.TRY, pos);
      case SYNCHRONIZED -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "a synchronized block",
          "differentiated code must not depend on other threads; synchronize around the call to the gradient instead");
      case THROW -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "throw",
          "check the arguments before calling the gradient instead");
      case ASSERT -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "assert",
          "check the arguments before calling the gradient instead");
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

  /** A condition: a boolean expression. */
  private Expr condition(ExpressionTree e) {
    Expr cond = expr(e);
    if (cond.type() != Prim.BOOLEAN) {
      reporter.report(Diag.UNSUPPORTED_TYPE, source.pos(e), cond.type().display());
    }
    return cond;
  }

  /**
   * {@code for (double v : xs) body} becomes the counted loop
   * {@code for (int vIndex = 0; vIndex < xs.length; vIndex++) { double v = xs[vIndex]; body }}.
   */
  private void enhancedFor(EnhancedForLoopTree f, Pos pos) {
    Expr array = expr(f.getExpression());
    if (!(array.type() instanceof ArrayType at) || !(array instanceof Read || array instanceof ArrayRead)) {
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
      scopes.peek().put(elementName, element);
      out.add(new Stmt.Declare(element, convert(new ArrayRead(array, new Read(index), at.element()), at.element()),
          source.pos(f.getVariable()), source.text(f.getVariable()) + " = " + source.text(f.getExpression()) + "[...]"));
      statement(f.getStatement());
    });
    out.add(new Stmt.Loop(init, cond, update, body, true, pos, source.header(f, f.getStatement())));
  }
  /**
   * A {@code switch} on an int becomes an if/else chain when no case falls through into the next,
   * and otherwise {@code if (entry <= k) { case k }} for each case in order, where {@code entry}
   * is the index of the case the selector jumps to; either way inside a block that {@code break}
   * leaves.
   */
  private void switchStatement(SwitchTree sw, Pos pos) {
    Expr selector = expr(sw.getExpression());
    if (!(selector.type() instanceof Prim p) || !p.isNumeric() || p.isFloating() || p == Prim.LONG) {
      reporter.report(Diag.UNSUPPORTED_TYPE, source.pos(sw.getExpression()),
          selector.type().display() + " (switch on int, short, char or byte only)");
      return;
    }
    String header = "switch (" + source.text(sw.getExpression()) + ")";
    Var sel = new Var("selector", Prim.INT, Var.Kind.SYNTHETIC);
    out.add(new Stmt.Declare(sel, convert(selector, Prim.INT), pos, null));
    List<Expr> matches = new ArrayList<>();
    List<List<Stmt>> bodies = new ArrayList<>();
    int defaultIndex = -1;
    boolean fallsThrough = false;
    scopes.push(new LinkedHashMap<>());
    List<? extends CaseTree> cases = sw.getCases();
    for (int k = 0; k < cases.size(); k++) {
      CaseTree c = cases.get(k);
      Expr match = null;
      for (ExpressionTree label : c.getExpressions()) {
        Expr test = new Binary(BinOp.EQ, new Read(sel), expr(label), Prim.BOOLEAN);
        match = match == null ? test : new Binary(BinOp.OR, match, test, Prim.BOOLEAN);
      }
      if (c.getExpressions().isEmpty()) {
        defaultIndex = k;
      }
      matches.add(match);
      List<Stmt> body;
      if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
        Tree rule = c.getBody();
        body = collectInScope(() -> {
          if (rule instanceof StatementTree st) {
            statement(st);
          } else {
            expressionStatement((ExpressionTree) rule, source.pos(rule), rule);
          }
        });
        body.add(new Stmt.Break(Pos.NONE));
      } else {
        body = collectInScope(() -> c.getStatements().forEach(this::statement));
        boolean last = k == cases.size() - 1;
        if (!last && !endsAbruptly(body)) {
          fallsThrough = true;
        }
      }
      bodies.add(body);
    }
    scopes.pop();
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
    out.add(new Stmt.Breakable(block, pos, header));
  }

  /** Statements parsed into a list in the current scope (a switch block is one scope). */
  private List<Stmt> collectInScope(Runnable parsing) {
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

  private void declaration(VariableTree v, Pos pos) {
    String name = v.getName().toString();
    if (v.getInitializer() instanceof NewArrayTree n && n.getInitializers() != null) {
      arrayInitializer(v, n, pos);
      return;
    }
    Expr init = v.getInitializer() == null ? null : expr(v.getInitializer());
    Type type = declaredType(v.getType(), init);
    if (type instanceof ArrayType) {
      if (!(init instanceof NewArray) && init != null) {
        reporter.report(Diag.ARRAY_ALIAS, pos, name, "create it with new " + type.display().replace("[]", "[n]")
            + ", or index the original array directly");
      } else if (loopDepth > 0) {
        reporter.report(Diag.ARRAY_IN_LOOP, pos, name);
      } else if (!isArrayOfDouble(type)) {
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
    scopes.peek().put(name, var);
    out.add(new Stmt.Declare(var, init, pos, source.text(v)));
  }

  /** {@code double[] c = {a, b}} becomes {@code double[] c = new double[2]; c[0] = a; c[1] = b;}. */
  private void arrayInitializer(VariableTree v, NewArrayTree n, Pos pos) {
    Type type = declaredType(v.getType() != null ? v.getType() : n.getType(), null);
    if (type == null && n.getType() != null) {
      Type element = declaredType(n.getType(), null);
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
    scopes.peek().put(var.name(), var);
    for (int i = 0; i < size; i++) {
      ExpressionTree element = n.getInitializers().get(i);
      ArrayRead target = new ArrayRead(new Read(var), new Literal(i, String.valueOf(i), Prim.INT), Prim.DOUBLE);
      out.add(new Stmt.ArrayStore(target, convert(expr(element), Prim.DOUBLE), false, source.pos(element),
          var.name() + "[" + i + "] = " + source.text(element)));
    }
  }

  private Type declaredType(Tree typeTree, Expr init) {
    if (typeTree instanceof MemberSelectTree || typeTree instanceof IdentifierTree id && !id.getName().contentEquals("var")) {
      Optional<TypeElement> t = classes.resolve((ExpressionTree) typeTree);
      return t.isPresent() && Type.TENSOR.equals(TypeMapper.refType(t.get())) ? Type.TENSOR : null;
    }
    if (typeTree instanceof ArrayTypeTree a) {
      Type element = declaredType(a.getType(), null);
      return element == null ? null : new ArrayType(element);
    }
    if (typeTree == null || (typeTree instanceof IdentifierTree id && id.getName().contentEquals("var"))) {
      return init == null ? null : init.type();
    }
    if (typeTree instanceof PrimitiveTypeTree p) {
      return switch (p.getPrimitiveTypeKind()) {
        case DOUBLE -> Prim.DOUBLE;
        case FLOAT -> Prim.FLOAT;
        case LONG -> Prim.LONG;
        case INT -> Prim.INT;
        case SHORT -> Prim.SHORT;
        case BYTE -> Prim.BYTE;
        case CHAR -> Prim.CHAR;
        case BOOLEAN -> Prim.BOOLEAN;
        default -> null;
      };
    }
    return null;
  }

  private void expressionStatement(ExpressionTree e, Pos pos, Tree s) {
    String text = source.text(s);
    switch (e.getKind()) {
      case ASSIGNMENT -> {
        AssignmentTree a = (AssignmentTree) e;
        Expr target = lvalue(a.getVariable());
        Expr value = expr(a.getExpression());
        if (target != null) {
          store(target, convert(value, target.type()), false, pos, text);
        }
      }
      case PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT, REMAINDER_ASSIGNMENT -> {
        CompoundAssignmentTree a = (CompoundAssignmentTree) e;
        Expr target = lvalue(a.getVariable());
        Expr rhs = expr(a.getExpression());
        if (target != null) {
          BinOp op = switch (e.getKind()) {
            case PLUS_ASSIGNMENT -> BinOp.ADD;
            case MINUS_ASSIGNMENT -> BinOp.SUB;
            case MULTIPLY_ASSIGNMENT -> BinOp.MUL;
            case DIVIDE_ASSIGNMENT -> BinOp.DIV;
            default -> BinOp.REM;
          };
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
      case METHOD_INVOCATION -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "a call whose result is unused",
          "it cannot contribute to the result; remove it or use its value");
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

  /** Java's assignment conversion between primitives (implicit narrowing in compound assignment). */
  private static Expr convert(Expr value, Type target) {
    if (target instanceof Prim t && t.isFloating() && value instanceof Literal l && l.value() instanceof Integer) {
      return new Literal(l.value(), l.text(), t); // double s = 0 stays as written
    }
    if (target instanceof Prim t && value.type() instanceof Prim v && t != v && t.isNumeric() && v.isNumeric()) {
      return new Cast(t, value);
    }
    return value;
  }

  /** What an assignment may write: a local variable or an element of an array; null after an error. */
  private Expr lvalue(ExpressionTree target) {
    Pos pos = source.pos(target);
    if (target instanceof ParenthesizedTree p) {
      return lvalue(p.getExpression());
    }
    if (target instanceof IdentifierTree id) {
      Var local = lookupLocal(id.getName().toString());
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
      Expr element = expr(a);
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

  // ---- expressions -----------------------------------------------------------------------

  /** A typed IR expression; after an error, a placeholder of a plausible type so parsing goes on. */
  private Expr expr(ExpressionTree e) {
    Pos pos = source.pos(e);
    switch (e.getKind()) {
      case PARENTHESIZED:
        return expr(((ParenthesizedTree) e).getExpression());
      case INT_LITERAL:
      case LONG_LITERAL:
      case FLOAT_LITERAL:
      case DOUBLE_LITERAL:
      case BOOLEAN_LITERAL: {
        LiteralTree lit = (LiteralTree) e;
        Prim type = switch (e.getKind()) {
          case INT_LITERAL -> Prim.INT;
          case LONG_LITERAL -> Prim.LONG;
          case FLOAT_LITERAL -> Prim.FLOAT;
          case DOUBLE_LITERAL -> Prim.DOUBLE;
          default -> Prim.BOOLEAN;
        };
        return new Literal(lit.getValue(), source.text(e), type);
      }
      case IDENTIFIER:
        return identifier((IdentifierTree) e, pos);
      case MEMBER_SELECT:
        return memberSelect((MemberSelectTree) e, pos);
      case UNARY_MINUS: {
        Expr operand = expr(((UnaryTree) e).getExpression());
        return new Neg(operand, numeric(operand, pos).promoteUnary());
      }
      case UNARY_PLUS:
        return expr(((UnaryTree) e).getExpression());
      case PLUS:
      case MINUS:
      case MULTIPLY:
      case DIVIDE:
      case REMAINDER:
      case LESS_THAN:
      case GREATER_THAN:
      case LESS_THAN_EQUAL:
      case GREATER_THAN_EQUAL:
      case EQUAL_TO:
      case NOT_EQUAL_TO:
        return binary((BinaryTree) e, pos);
      case TYPE_CAST: {
        TypeCastTree cast = (TypeCastTree) e;
        Expr operand = expr(cast.getExpression());
        Type target = declaredType(cast.getType(), null);
        if (!(target instanceof Prim p) || !p.isNumeric()) {
          reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "a cast to " + cast.getType(),
              "only casts between numeric primitive types are supported");
          return operand;
        }
        numeric(operand, pos);
        return new Cast(p, operand);
      }
      case METHOD_INVOCATION:
        return call((MethodInvocationTree) e, pos);
      case CONDITIONAL_EXPRESSION: {
        ConditionalExpressionTree c = (ConditionalExpressionTree) e;
        Expr cond = condition(c.getCondition());
        Expr then = expr(c.getTrueExpression());
        Expr otherwise = expr(c.getFalseExpression());
        Type type;
        if (then.type() == Prim.BOOLEAN && otherwise.type() == Prim.BOOLEAN) {
          type = Prim.BOOLEAN;
        } else {
          type = Prim.promote(numeric(then, pos), numeric(otherwise, pos));
        }
        return new Conditional(cond, convert(then, type), convert(otherwise, type), type);
      }
      case CONDITIONAL_AND:
      case CONDITIONAL_OR: {
        BinaryTree b = (BinaryTree) e;
        Expr left = condition(b.getLeftOperand());
        Expr right = condition(b.getRightOperand());
        return new Binary(e.getKind() == Tree.Kind.CONDITIONAL_AND ? BinOp.AND : BinOp.OR, left, right, Prim.BOOLEAN);
      }
      case LOGICAL_COMPLEMENT:
        return new Not(condition(((UnaryTree) e).getExpression()));
      case LAMBDA_EXPRESSION:
        reporter.report(Diag.LAMBDA, pos, "a lambda expression");
        return placeholder();
      case MEMBER_REFERENCE:
        reporter.report(Diag.LAMBDA, pos, "a method reference");
        return placeholder();
      case ARRAY_ACCESS: {
        ArrayAccessTree a = (ArrayAccessTree) e;
        Expr array = expr(a.getExpression());
        Expr index = expr(a.getIndex());
        if (!(array.type() instanceof ArrayType at)) {
          reporter.report(Diag.UNSUPPORTED_TYPE, pos, array.type().display());
          return placeholder();
        }
        if (!(index.type() instanceof Prim ip) || !ip.isNumeric() || ip.isFloating() || ip == Prim.LONG) {
          reporter.report(Diag.UNSUPPORTED_TYPE, source.pos(a.getIndex()), index.type().display() + " index");
          return placeholder();
        }
        return new ArrayRead(array, convert(index, Prim.INT), at.element());
      }
      case NEW_ARRAY: {
        NewArrayTree n = (NewArrayTree) e;
        Type element = n.getType() == null ? null : declaredType(n.getType(), null);
        if (n.getInitializers() != null || element != Prim.DOUBLE || n.getDimensions().isEmpty()
            || n.getDimensions().size() > 2) {
          reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "this array creation",
              "create double[] or double[][] arrays with new double[n] or new double[n][m]; "
                  + "an initializer {a, b} only in a declaration");
          return placeholder();
        }
        List<Expr> dims = new ArrayList<>();
        Type type = Prim.DOUBLE;
        for (ExpressionTree d : n.getDimensions()) {
          dims.add(convert(expr(d), Prim.INT));
          type = new ArrayType(type);
        }
        return new NewArray(Prim.DOUBLE, dims, type);
      }
      case NEW_CLASS:
        reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "creating an object",
            "create it outside and pass it in as a @NoDerivative parameter");
        return placeholder();
      case ASSIGNMENT:
      case PLUS_ASSIGNMENT:
      case MINUS_ASSIGNMENT:
      case MULTIPLY_ASSIGNMENT:
      case DIVIDE_ASSIGNMENT:
      case PREFIX_INCREMENT:
      case POSTFIX_INCREMENT:
      case PREFIX_DECREMENT:
      case POSTFIX_DECREMENT:
        reporter.report(Diag.ASSIGN_IN_EXPRESSION, pos);
        return placeholder();
      case STRING_LITERAL:
        reporter.report(Diag.UNSUPPORTED_TYPE, pos, "String");
        return placeholder();
      case CHAR_LITERAL:
        reporter.report(Diag.UNSUPPORTED_TYPE, pos, "char");
        return placeholder();
      case NULL_LITERAL:
        reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "null", "use numeric values");
        return placeholder();
      default:
        reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos,
            "the operator or expression '" + source.text(e) + "'",
            "use arithmetic (+ - * / %), casts and java.lang.Math functions");
        return placeholder();
    }
  }

  private static Expr placeholder() {
    return Literal.ofDouble(0);
  }

  private Prim numeric(Expr e, Pos pos) {
    if (e.type() instanceof Prim p && p.isNumeric()) {
      return p;
    }
    reporter.report(Diag.UNSUPPORTED_TYPE, pos, e.type().display());
    return Prim.DOUBLE;
  }

  private Expr binary(BinaryTree b, Pos pos) {
    Expr left = expr(b.getLeftOperand());
    Expr right = expr(b.getRightOperand());
    BinOp op = switch (b.getKind()) {
      case PLUS -> BinOp.ADD;
      case MINUS -> BinOp.SUB;
      case MULTIPLY -> BinOp.MUL;
      case DIVIDE -> BinOp.DIV;
      case REMAINDER -> BinOp.REM;
      case LESS_THAN -> BinOp.LT;
      case GREATER_THAN -> BinOp.GT;
      case LESS_THAN_EQUAL -> BinOp.LE;
      case GREATER_THAN_EQUAL -> BinOp.GE;
      case EQUAL_TO -> BinOp.EQ;
      default -> BinOp.NE;
    };
    Prim l = numeric(left, pos);
    Prim r = numeric(right, pos);
    Type type = op.isArithmetic() ? Prim.promote(l, r) : Prim.BOOLEAN;
    return new Binary(op, left, right, type);
  }

  private Expr identifier(IdentifierTree id, Pos pos) {
    String name = id.getName().toString();
    Var local = lookupLocal(name);
    if (local != null) {
      return new Read(local);
    }
    Optional<VariableElement> field = field(owner, name, true);
    if (field.isPresent()) {
      return fieldRead(field.get(), null, pos);
    }
    Optional<TypeElement> imported = classes.staticImportOf(name);
    if (imported.isPresent()) {
      Optional<VariableElement> f = field(imported.get(), name, false);
      if (f.isPresent()) {
        return fieldRead(f.get(), null, pos);
      }
    }
    reporter.report(Diag.UNRESOLVED, pos, name);
    return placeholder();
  }

  private Expr memberSelect(MemberSelectTree s, Pos pos) {
    String name = s.getIdentifier().toString();
    ExpressionTree qualifier = s.getExpression();
    if (qualifier instanceof IdentifierTree q && q.getName().contentEquals("this")) {
      Optional<VariableElement> field = field(owner, name, false);
      if (field.isPresent()) {
        return fieldRead(field.get(), null, pos);
      }
      reporter.report(Diag.UNRESOLVED, pos, "this." + name);
      return placeholder();
    }
    if (name.equals("length") && (qualifier instanceof ArrayAccessTree
        || qualifier instanceof IdentifierTree id && lookupLocal(id.getName().toString()) != null
            && lookupLocal(id.getName().toString()).type() instanceof ArrayType)) {
      return new Length(expr(qualifier));
    }
    if (qualifier instanceof IdentifierTree q && lookupLocal(q.getName().toString()) != null) {
      Var receiver = lookupLocal(q.getName().toString());
      if (receiver.type() instanceof RefType r) {
        TypeElement type = elements.getTypeElement(r.qualifiedName());
        Optional<VariableElement> field = type == null ? Optional.empty() : field(type, name, false);
        if (field.isPresent() && !field.get().getModifiers().contains(Modifier.STATIC)) {
          return fieldRead(field.get(), new Read(receiver), pos);
        }
      }
      reporter.report(Diag.UNRESOLVED, pos, source.text(s));
      return placeholder();
    }
    Optional<TypeElement> type = classes.resolve(qualifier);
    if (type.isPresent()) {
      Optional<VariableElement> field = field(type.get(), name, false);
      if (field.isPresent() && field.get().getModifiers().contains(Modifier.STATIC)) {
        return fieldRead(field.get(), null, pos);
      }
    }
    reporter.report(Diag.UNRESOLVED, pos, source.text(s));
    return placeholder();
  }

  /** A field of {@code type} (inherited ones too), or of its enclosing classes if {@code outward}. */
  private Optional<VariableElement> field(TypeElement type, String name, boolean outward) {
    for (Element e = type; e instanceof TypeElement t; e = outward ? e.getEnclosingElement() : null) {
      for (VariableElement f : ElementFilter.fieldsIn(elements.getAllMembers(t))) {
        if (f.getSimpleName().contentEquals(name)) {
          return Optional.of(f);
        }
      }
    }
    return Optional.empty();
  }

  private Expr fieldRead(VariableElement field, Expr receiver, Pos pos) {
    TypeElement declaring = (TypeElement) field.getEnclosingElement();
    Type type = TypeMapper.of(field.asType());
    String label = declaring.getSimpleName() + "." + field.getSimpleName();
    if (field.getModifiers().contains(Modifier.PRIVATE)) {
      reporter.report(Diag.PRIVATE_MEMBER, pos, "field " + label, generatedClassName);
    } else if (!field.getModifiers().contains(Modifier.PUBLIC)
        && !elements.getPackageOf(declaring).equals(elements.getPackageOf(owner))) {
      reporter.report(Diag.PRIVATE_MEMBER, pos, "field " + label + " (not public, in another package)",
          generatedClassName);
    }
    boolean isStatic = field.getModifiers().contains(Modifier.STATIC);
    if (Type.TENSOR.equals(type) && !isStatic && self != null
        && (receiver == null || receiver instanceof Read r && r.var() == self)) {
      // a model parameter: read once into a local, and its gradient goes into the field's grad()
      return new Read(fieldVars.computeIfAbsent(field.getSimpleName().toString(),
          n -> new Var(n, Type.TENSOR, Var.Kind.FIELD)));
    }
    if (!(type instanceof Prim p) || !p.isNumeric() && p != Prim.BOOLEAN) {
      if (!Type.TENSOR.equals(type)) {
        reporter.report(Diag.UNSUPPORTED_TYPE, pos, field.asType());
        return placeholder();
      }
    }
    if (!isStatic && receiver == null) {
      if (self == null) {
        reporter.report(Diag.UNRESOLVED, pos, field.getSimpleName() + " (an instance field, in a static method)");
        return placeholder();
      }
      receiver = new Read(self);
    }
    return new FieldRead(isStatic ? null : receiver, TypeMapper.refType(declaring),
        field.getSimpleName().toString(), type);
  }

  private Expr call(MethodInvocationTree call, Pos pos) {
    ExpressionTree select = call.getMethodSelect();
    String name;
    Optional<TypeElement> target;
    boolean onThis = false;
    Expr receiver = null;
    if (select instanceof MemberSelectTree s) {
      name = s.getIdentifier().toString();
      ExpressionTree q = s.getExpression();
      onThis = q instanceof IdentifierTree id && id.getName().contentEquals("this");
      if (onThis) {
        target = Optional.of(owner);
      } else if (isValue(q)) {
        receiver = expr(q);
        target = receiver.type() instanceof RefType r
            ? Optional.ofNullable(elements.getTypeElement(r.qualifiedName())) : Optional.empty();
      } else {
        target = classes.resolve(q);
      }
    } else if (select instanceof IdentifierTree id) {
      name = id.getName().toString();
      boolean ownMethod = ElementFilter.methodsIn(elements.getAllMembers(owner)).stream()
          .anyMatch(m -> m.getSimpleName().contentEquals(name));
      onThis = ownMethod;
      target = ownMethod ? Optional.of(owner) : classes.staticImportOf(name);
    } else {
      name = source.text(select);
      target = Optional.empty();
    }
    List<Expr> args = new ArrayList<>();
    for (ExpressionTree a : call.getArguments()) {
      args.add(expr(a));
    }
    String shown = source.text(select) + "(...)";
    if (target.isEmpty()) {
      reporter.report(Diag.NOT_DIFFERENTIABLE_CALL, pos, shown);
      return placeholder();
    }
    if (receiver != null || isRuntimeOp(target.get(), name)) {
      return ops.resolve(target.get(), name, receiver, args, pos, shown).orElseGet(MethodParser::placeholder);
    }
    if (!Rules.isMathClass(target.get().getQualifiedName().toString())) {
      return invoke(target.get(), name, args, onThis, pos, shown);
    }
    Optional<ScalarRule> rule = Rules.lookup(name, args.size());
    if (rule.isEmpty()) {
      reporter.report(Diag.NO_RULE, pos, target.get().getSimpleName() + "." + name
          + " with " + args.size() + " argument" + (args.size() == 1 ? "" : "s"));
      return placeholder();
    }
    Prim promoted = Prim.INT;
    for (Expr a : args) {
      promoted = Prim.promote(promoted, numeric(a, pos));
    }
    Prim result = rule.get().result().of(promoted);
    return new Call(TypeMapper.refType(target.get()), name, args, result);
  }

  /**
   * Binds each Tensor op nested inside a statement's expression to a local of its own, declared
   * just before the statement ({@code Tensor matmul = x.matmul(w1);}), so that the op's value is
   * at hand for its reverse rule instead of being recomputed. The statement's own op stays.
   */
  private Expr flat(Expr e, Pos pos, String text) {
    java.util.function.UnaryOperator<Expr> bind = x -> {
      if (x instanceof Expr.Op o && Type.TENSOR.equals(o.type())) {
        Var temp = new Var(o.name(), Type.TENSOR, Var.Kind.SYNTHETIC);
        String opText = o.pos().anchor() instanceof Anchor a ? source.text(a.tree()) : text;
        out.add(new Stmt.Declare(temp, o, pos, opText));
        return new Read(temp);
      }
      return x;
    };
    if (e instanceof Expr.Op o) {
      return new Expr.Op(o.owner(), o.name(),
          o.receiver() == null ? null : Rewrite.bottomUp(o.receiver(), bind),
          o.args().stream().map(a -> Rewrite.bottomUp(a, bind)).toList(), o.type(), o.rules(), o.pos());
    }
    return Rewrite.bottomUp(e, bind);
  }

  /**
   * Whether a qualifier names a value (a local, a field, a call's result) rather than a class:
   * {@code h.relu()} versus {@code Layers.relu(h)}.
   */
  private boolean isValue(ExpressionTree q) {
    if (q instanceof IdentifierTree id) {
      String n = id.getName().toString();
      return lookupLocal(n) != null || field(owner, n, true).isPresent();
    }
    if (q instanceof MemberSelectTree m) {
      return m.getExpression() instanceof IdentifierTree id && id.getName().contentEquals("this")
          || classes.resolve(q).isEmpty();
    }
    return true;
  }

  /** A static op of the runtime (Tensor factories, Layers, Loss) or of a class with Vjp rules. */
  private static boolean isRuntimeOp(TypeElement target, String name) {
    String pkg = target.getQualifiedName().toString();
    return pkg.startsWith("dev.adjoint.tensor.") || pkg.startsWith("dev.adjoint.nn.")
        || !CalleeResolver.hasAnnotation(target, CalleeResolver.DIFFERENTIABLE) && OpResolver.hasRules(target, name)
            && ElementFilter.methodsIn(target.getEnclosedElements()).stream()
                .noneMatch(m -> m.getSimpleName().contentEquals(name)
                    && CalleeResolver.hasAnnotation(m, CalleeResolver.DIFFERENTIABLE));
  }

  /** A call of a user method with a derivative: arguments converted to its parameter types. */
  private Expr invoke(TypeElement target, String name, List<Expr> args, boolean onThis, Pos pos, String shown) {
    Optional<Callee> found = callees.resolve(target, name, args.stream().map(Expr::type).toList(), pos, shown);
    if (found.isEmpty()) {
      return placeholder();
    }
    Callee callee = found.get();
    Expr receiver = null;
    if (!callee.isStatic()) {
      if (!onThis || self == null) {
        reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "calling the instance method " + shown + " here",
            "call instance methods of this object from an instance method, or make it static");
        return placeholder();
      }
      receiver = new Read(self);
    }
    List<Expr> converted = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      Type want = callee.paramTypes().get(i);
      Expr arg = args.get(i);
      if (want instanceof ArrayType && !(arg instanceof Read || arg instanceof ArrayRead)) {
        reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "this array argument to " + shown,
            "pass an array variable or a row x[i]");
        return placeholder();
      }
      converted.add(convert(arg, want));
    }
    return new Invoke(callee, receiver, converted, pos);
  }

  private Var lookupLocal(String name) {
    for (Map<String, Var> scope : scopes) {
      Var v = scope.get(name);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /** Every identifier and variable name in the method, so generated names can avoid them. */
  private List<String> identifiers() {
    TreeSet<String> names = new TreeSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree node, Void unused) {
        names.add(node.getName().toString());
        return null;
      }

      @Override
      public Void visitVariable(VariableTree node, Void unused) {
        names.add(node.getName().toString());
        return super.visitVariable(node, unused);
      }
    }.scan(tree, null);
    for (Element member : owner.getEnclosedElements()) {
      if (member.getKind() == ElementKind.FIELD) {
        names.add(member.getSimpleName().toString());
      }
    }
    return List.copyOf(names);
  }
}
