package dev.adjoint.processor.parse;

import com.sun.source.tree.AssignmentTree;
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
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.FieldRead;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Neg;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
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
  private final String generatedClassName;

  private final Deque<Map<String, Var>> scopes = new ArrayDeque<>();
  private final List<Stmt> body = new ArrayList<>();
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
    if (reporter.errorCount() > errorsBefore || !returned) {
      return Optional.empty(); // without a return, javac itself reports "missing return statement"
    }
    return Optional.of(new Method(ownerType, element.getSimpleName().toString(), self, params,
        paramPositions, wrt, resultType, body, identifiers(), owner.getTypeParameters().size(), methodPos));
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
      boolean differentiableType = type != null && type.isFloating();
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
    if (wrt.isEmpty()) {
      reporter.report(Diag.NOTHING_TO_DIFFERENTIATE, methodPos, element.getSimpleName());
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
    return type instanceof ArrayType a && (a.element() == Prim.DOUBLE || a.element() instanceof ArrayType);
  }

  private static boolean isTensor(Type type) {
    return type instanceof RefType r && r.qualifiedName().equals("dev.adjoint.tensor.Tensor");
  }

  // ---- statements ------------------------------------------------------------------------

  private void block(BlockTree block) {
    for (StatementTree s : block.getStatements()) {
      if (returned) {
        return; // javac reports the unreachable statement itself
      }
      statement(s);
    }
  }

  private void statement(StatementTree s) {
    Pos pos = source.pos(s);
    switch (s.getKind()) {
      case VARIABLE -> declaration((VariableTree) s, pos);
      case EXPRESSION_STATEMENT -> expressionStatement(((ExpressionStatementTree) s).getExpression(), pos, s);
      case RETURN -> {
        ExpressionTree e = ((ReturnTree) s).getExpression();
        if (e == null) {
          reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "return without a value",
              "return the double result");
          returned = true;
          return;
        }
        Expr value = expr(e);
        body.add(new Stmt.Return(value, pos, source.text(s)));
        returned = true;
      }
      case BLOCK -> {
        scopes.push(new LinkedHashMap<>());
        block((BlockTree) s);
        scopes.pop();
      }
      case EMPTY_STATEMENT -> { }
      case FOR_LOOP -> reporter.report(Diag.LOOP, pos, "for");
      case ENHANCED_FOR_LOOP -> reporter.report(Diag.LOOP, pos, "enhanced for");
      case WHILE_LOOP -> reporter.report(Diag.LOOP, pos, "while");
      case DO_WHILE_LOOP -> reporter.report(Diag.LOOP, pos, "do/while");
      case IF -> reporter.report(Diag.BRANCH, pos, "an if statement");
      case SWITCH -> reporter.report(Diag.BRANCH, pos, "a switch statement");
      case TRY -> reporter.report(Diag.TRY, pos);
      case SYNCHRONIZED -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "a synchronized block",
          "differentiated code must not depend on other threads; synchronize around the call to the gradient instead");
      case THROW -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "throw",
          "check the arguments before calling the gradient instead");
      case ASSERT -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "assert",
          "check the arguments before calling the gradient instead");
      case LABELED_STATEMENT, BREAK, CONTINUE -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos,
          "a " + s.getKind().name().toLowerCase().replace('_', ' '), "restructure the code without it");
      case CLASS -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "a local class declaration",
          "declare the class outside the method");
      default -> reporter.report(Diag.UNSUPPORTED_STATEMENT, pos,
          "a " + s.getKind().name().toLowerCase().replace('_', ' ') + " statement",
          "rewrite it with declarations, assignments and return");
    }
  }

  private void declaration(VariableTree v, Pos pos) {
    String name = v.getName().toString();
    Expr init = v.getInitializer() == null ? null : expr(v.getInitializer());
    Type type = declaredType(v.getType(), init);
    if (type == null) {
      reporter.report(Diag.UNSUPPORTED_TYPE, pos, v.getType() == null ? "var" : v.getType().toString());
      type = Prim.DOUBLE;
    } else if (init != null && type instanceof Prim target && init.type() instanceof Prim from
        && target != from && target.isNumeric() && from.isNumeric()) {
      init = new Cast(target, init); // the implicit conversion of a constant, made visible
    }
    Var var = new Var(name, type, Var.Kind.LOCAL);
    scopes.peek().put(name, var);
    body.add(new Stmt.Declare(var, init, pos, source.text(v)));
  }

  private Type declaredType(Tree typeTree, Expr init) {
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

  private void expressionStatement(ExpressionTree e, Pos pos, StatementTree s) {
    String text = source.text(s);
    switch (e.getKind()) {
      case ASSIGNMENT -> {
        AssignmentTree a = (AssignmentTree) e;
        Var target = assignable(a.getVariable());
        Expr value = expr(a.getExpression());
        if (target != null) {
          body.add(new Stmt.Assign(target, convert(value, target.type()), false, pos, text));
        }
      }
      case PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT, REMAINDER_ASSIGNMENT -> {
        CompoundAssignmentTree a = (CompoundAssignmentTree) e;
        Var target = assignable(a.getVariable());
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
        Var target = assignable(u.getExpression());
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

  private void compound(Var target, BinOp op, Expr rhs, Pos pos, String text, Tree tree) {
    if (!(target.type() instanceof Prim t) || !t.isNumeric() || !(rhs.type() instanceof Prim r) || !r.isNumeric()) {
      reporter.report(Diag.UNSUPPORTED_EXPRESSION, source.pos(tree), "this compound assignment", "use numeric operands");
      return;
    }
    Expr value = new Binary(op, new Read(target), rhs, Prim.promote(t, r));
    body.add(new Stmt.Assign(target, convert(value, t), true, pos, text));
  }

  /** Java's assignment conversion between primitives (implicit narrowing in compound assignment). */
  private static Expr convert(Expr value, Type target) {
    if (target instanceof Prim t && value.type() instanceof Prim v && t != v && t.isNumeric() && v.isNumeric()) {
      return new Cast(t, value);
    }
    return value;
  }

  private Var assignable(ExpressionTree target) {
    Pos pos = source.pos(target);
    if (target instanceof IdentifierTree id) {
      Var local = lookupLocal(id.getName().toString());
      if (local != null) {
        return local;
      }
      reporter.report(Diag.FIELD_WRITE, pos, id.getName());
      return null;
    }
    if (target instanceof MemberSelectTree s) {
      reporter.report(Diag.FIELD_WRITE, pos, s.getIdentifier());
      return null;
    }
    if (target.getKind() == Tree.Kind.ARRAY_ACCESS) {
      reporter.report(Diag.ARRAY, pos, "an array element write");
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
      case CONDITIONAL_EXPRESSION:
        reporter.report(Diag.BRANCH, pos, "the conditional operator ?:");
        return placeholder();
      case LAMBDA_EXPRESSION:
        reporter.report(Diag.LAMBDA, pos, "a lambda expression");
        return placeholder();
      case MEMBER_REFERENCE:
        reporter.report(Diag.LAMBDA, pos, "a method reference");
        return placeholder();
      case ARRAY_ACCESS:
        reporter.report(Diag.ARRAY, pos, "an array read");
        return placeholder();
      case NEW_ARRAY:
        reporter.report(Diag.ARRAY, pos, "an array creation");
        return placeholder();
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
    if (qualifier instanceof IdentifierTree q && lookupLocal(q.getName().toString()) != null) {
      Var receiver = lookupLocal(q.getName().toString());
      if (receiver.type() instanceof ArrayType && name.equals("length")) {
        reporter.report(Diag.ARRAY, pos, "an array length");
        return placeholder();
      }
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
    if (!(type instanceof Prim p) || !p.isNumeric() && p != Prim.BOOLEAN) {
      reporter.report(Diag.UNSUPPORTED_TYPE, pos, field.asType());
      return placeholder();
    }
    boolean isStatic = field.getModifiers().contains(Modifier.STATIC);
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
    if (select instanceof MemberSelectTree s) {
      name = s.getIdentifier().toString();
      target = classes.resolve(s.getExpression());
    } else if (select instanceof IdentifierTree id) {
      name = id.getName().toString();
      boolean ownMethod = ElementFilter.methodsIn(elements.getAllMembers(owner)).stream()
          .anyMatch(m -> m.getSimpleName().contentEquals(name));
      target = ownMethod ? Optional.empty() : classes.staticImportOf(name);
    } else {
      name = source.text(select);
      target = Optional.empty();
    }
    List<Expr> args = new ArrayList<>();
    for (ExpressionTree a : call.getArguments()) {
      args.add(expr(a));
    }
    String shown = source.text(select) + "(...)";
    if (target.isEmpty() || !Rules.isMathClass(target.get().getQualifiedName().toString())) {
      reporter.report(Diag.NOT_DIFFERENTIABLE_CALL, pos, "calling " + shown);
      return placeholder();
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
