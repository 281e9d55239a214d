package dev.adjoint.processor.parse;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.BinOp;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.ArrayRead;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Call;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Conditional;
import dev.adjoint.processor.ir.Expr.FieldRead;
import dev.adjoint.processor.ir.Expr.Invoke;
import dev.adjoint.processor.ir.Expr.MethodCall;
import dev.adjoint.processor.ir.Expr.Length;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Neg;
import dev.adjoint.processor.ir.Expr.NewArray;
import dev.adjoint.processor.ir.Expr.Not;
import dev.adjoint.processor.ir.Expr.Read;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.RefType;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.Registry;
import dev.adjoint.processor.rules.Rules;
import dev.adjoint.processor.rules.ScalarRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/** Types each expression of a method body and turns it into IR, calls of Math, ops and user methods included. */
final class ExpressionParser {
  private final ParseContext cx;
  private final Reporter reporter;
  private final SourceText source;
  private final CalleeResolver callees;
  private final OpResolver ops;
  private final PlainCalls plainCalls;
  private final Trees trees;
  /** Whether the call being parsed is a statement of its own, made for its effect. */
  private boolean forEffect;

  ExpressionParser(ParseContext cx, Trees trees) {
    this.cx = cx;
    this.reporter = cx.reporter;
    this.source = cx.source;
    this.callees = new CalleeResolver(trees, cx.elements, cx.reporter, cx.owner, cx.demand, cx.external);
    this.ops = new OpResolver(cx.elements, cx.reporter);
    this.plainCalls = new PlainCalls(cx, callees);
    this.trees = trees;
  }

  /**
   * A call made as a statement, for its effect: a {@link Call} of a static method, whatever its
   * result; a placeholder after an error was reported; null when the call is of another kind (an
   * op, an instance method's call).
   */
  Expr effect(MethodInvocationTree call) {
    forEffect = true;
    Expr e = expr(call);
    forEffect = false;
    return e instanceof Call || e == PLACEHOLDER ? e : null;
  }

  /** Whether {@code e} stands for an expression whose error was reported. */
  static boolean isPlaceholder(Expr e) {
    return e == PLACEHOLDER;
  }

  /** A typed IR expression; after an error, a placeholder of a plausible type so parsing goes on. */
  Expr expr(ExpressionTree e) {
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
      case LEFT_SHIFT:
      case RIGHT_SHIFT:
      case UNSIGNED_RIGHT_SHIFT:
      case AND:
      case OR:
      case XOR:
        return bitwise((BinaryTree) e, pos);
      case BITWISE_COMPLEMENT: {
        // ~v is v ^ -1 (JLS 15.15.5), which keeps the IR to binary operators
        Expr operand = expr(((UnaryTree) e).getExpression());
        Prim t = integral(operand, pos).promoteUnary();
        return new Binary(BinOp.XOR, operand, new Literal(t == Prim.LONG ? -1L : -1, t == Prim.LONG ? "-1L" : "-1", t), t);
      }
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
        } else if (!(then.type() instanceof Prim) && then.type().equals(otherwise.type())) {
          type = then.type(); // two tensors (or two arrays of one type)
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
        if (array == PLACEHOLDER) {
          return placeholder(); // the array's error is reported; nothing more to say
        }
        if (!(array.type() instanceof ArrayType at)) {
          reporter.report(Diag.UNSUPPORTED_TYPE, pos, array.type().display());
          return placeholder();
        }
        boolean modules = array instanceof FieldRead && at.element() instanceof RefType;
        if (!(array instanceof Read || array instanceof ArrayRead || modules || isConstantTable(array))) {
          // x.toArray()[0]: the array has no name to give its adjoint
          reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "indexing the result of '" + source.text(a.getExpression()) + "'",
              "index an array variable or parameter; for a tensor element use get(i, j)");
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
        boolean floats = element == Prim.FLOAT && n.getDimensions().size() == 1;
        if (n.getInitializers() != null || element != Prim.DOUBLE && !floats || n.getDimensions().isEmpty()
            || n.getDimensions().size() > 2) {
          reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "this array creation",
              "create double[], double[][] or float[] arrays with new double[n], new double[n][m] or new float[n]; "
                  + "an initializer {a, b} only in a declaration");
          return placeholder();
        }
        List<Expr> dims = new ArrayList<>();
        Type type = element;
        for (ExpressionTree d : n.getDimensions()) {
          dims.add(convert(expr(d), Prim.INT));
          type = new ArrayType(type);
        }
        return new NewArray((Prim) element, dims, type);
      }
      case NEW_CLASS:
        if (((com.sun.source.tree.NewClassTree) e).getClassBody() != null) {
          // a series or continued-fraction generator (new DoubleSupplier() { ... }): its state
          // carries values from one call to the next, out of the reverse sweep's sight
          reporter.report(Diag.LAMBDA, pos, "an anonymous class");
          return placeholder();
        }
        return newObject((com.sun.source.tree.NewClassTree) e, pos);
      case ASSIGNMENT: {
        com.sun.source.tree.AssignmentTree a = (com.sun.source.tree.AssignmentTree) e;
        Expr target = embeddedTarget(a.getVariable(), pos);
        Expr value = expr(a.getExpression());
        return target == null ? placeholder() : new Expr.Update(target, convert(value, target.type()), false,
            target.type());
      }
      case PLUS_ASSIGNMENT:
      case MINUS_ASSIGNMENT:
      case MULTIPLY_ASSIGNMENT:
      case DIVIDE_ASSIGNMENT:
      case REMAINDER_ASSIGNMENT: {
        com.sun.source.tree.CompoundAssignmentTree a = (com.sun.source.tree.CompoundAssignmentTree) e;
        Expr target = embeddedTarget(a.getVariable(), pos);
        Expr rhs = expr(a.getExpression());
        if (target == null) {
          return placeholder();
        }
        BinOp op = compoundOp(e.getKind());
        Prim t = numeric(target, pos);
        Expr value = new Binary(op, target, rhs, Prim.promote(t, numeric(rhs, pos)));
        return new Expr.Update(target, convert(value, t), false, t);
      }
      case PREFIX_INCREMENT:
      case POSTFIX_INCREMENT:
      case PREFIX_DECREMENT:
      case POSTFIX_DECREMENT: {
        Expr target = embeddedTarget(((UnaryTree) e).getExpression(), pos);
        if (target == null) {
          return placeholder();
        }
        boolean up = e.getKind() == Tree.Kind.PREFIX_INCREMENT || e.getKind() == Tree.Kind.POSTFIX_INCREMENT;
        boolean post = e.getKind() == Tree.Kind.POSTFIX_INCREMENT || e.getKind() == Tree.Kind.POSTFIX_DECREMENT;
        Prim t = numeric(target, pos);
        Expr value = new Binary(up ? BinOp.ADD : BinOp.SUB, target, new Literal(1, "1", Prim.INT), Prim.promote(t, Prim.INT));
        return new Expr.Update(target, convert(value, t), post, t);
      }
      case STRING_LITERAL:
        // a message for a call made for its effect; anywhere else its type is reported where it is used
        return new Literal(((LiteralTree) e).getValue(), source.text(e), STRING);
      case CHAR_LITERAL:
        return new Literal(((LiteralTree) e).getValue(), source.text(e), Prim.CHAR);
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

  /**
   * What an assignment inside an expression may write: a numeric local or an element of an array
   * (the statement-level rules of {@code StatementParser.lvalue}); null after reporting.
   */
  private Expr embeddedTarget(ExpressionTree target, Pos pos) {
    if (target instanceof ParenthesizedTree p) {
      return embeddedTarget(p.getExpression(), pos);
    }
    if (target instanceof IdentifierTree id && cx.lookupLocal(id.getName().toString()) != null) {
      Var local = cx.lookupLocal(id.getName().toString());
      if (local.type() instanceof Prim) {
        return new Read(local); // a number, or a boolean (isInt = isHalfInt = false)
      }
      if (local.type() instanceof ArrayType) {
        reporter.report(Diag.ARRAY_ALIAS, pos, local.name(), "write its elements instead, or use a new local array");
        return null;
      }
    } else if (target instanceof IdentifierTree || target instanceof MemberSelectTree) {
      reporter.report(Diag.FIELD_WRITE, pos, target instanceof IdentifierTree id ? id.getName()
          : ((MemberSelectTree) target).getIdentifier());
      return null;
    } else if (target instanceof ArrayAccessTree a) {
      Expr element = expr(a);
      if (isConstantTable(element)) {
        reporter.report(Diag.FIELD_WRITE, pos, source.text(a.getExpression()));
        return null;
      }
      if (element instanceof ArrayRead r && r.type() instanceof Prim p && p != Prim.BOOLEAN) {
        return r;
      }
      if (element == PLACEHOLDER) {
        return null;
      }
    }
    reporter.report(Diag.ASSIGN_IN_EXPRESSION, pos, "to '" + source.text(target) + "' inside an expression");
    return null;
  }

  /** Stands for an expression whose error was reported: later checks stay silent about it (no cascades). */
  private static final Expr PLACEHOLDER = Literal.ofDouble(0);

  private static Expr placeholder() {
    return PLACEHOLDER;
  }

  private Prim numeric(Expr e, Pos pos) {
    if (e.type() instanceof Prim p && p.isNumeric()) {
      return p;
    }
    reporter.report(Diag.UNSUPPORTED_TYPE, pos, e.type().display());
    return Prim.DOUBLE;
  }

  private Expr binary(BinaryTree b, Pos pos) {
    if ((b.getKind() == Tree.Kind.EQUAL_TO || b.getKind() == Tree.Kind.NOT_EQUAL_TO)
        && (b.getLeftOperand().getKind() == Tree.Kind.NULL_LITERAL) != (b.getRightOperand().getKind() == Tree.Kind.NULL_LITERAL)) {
      return nullCheck(b, pos);
    }
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

  /**
   * {@code new Policy(eps, n)}: an object of a class whose fields are all final, made with numbers,
   * booleans and objects that carry no derivative, is a constant like a static one (analysis
   * refuses it when an argument depends on the inputs, ADJ252). Anything else is ADJ208.
   */
  private Expr newObject(com.sun.source.tree.NewClassTree n, Pos pos) {
    Optional<TypeElement> type = n.getEnclosingExpression() == null && n.getTypeArguments().isEmpty()
        ? cx.classes.resolve(n.getIdentifier()) : Optional.empty();
    List<ExecutableElement> constructors = type.map(t -> ElementFilter.constructorsIn(t.getEnclosedElements()).stream()
        .filter(c -> c.getParameters().size() == n.getArguments().size() && !c.isVarArgs()).toList()).orElse(List.of());
    String why = null;
    if (type.isEmpty() || type.get().getKind() != javax.lang.model.element.ElementKind.CLASS
        || type.get().getModifiers().contains(Modifier.ABSTRACT) || !type.get().getTypeParameters().isEmpty()
        || Type.TENSOR.equals(TypeMapper.refType(type.get())) || STRING.equals(TypeMapper.refType(type.get()))) {
      why = "create it outside and pass it in as a @NoDerivative parameter";
    } else if (!allFieldsFinal(type.get())) {
      why = "only objects whose fields are all final can be created (" + type.get().getSimpleName()
          + " has a field that may change); create it outside and pass it in as a @NoDerivative parameter";
    } else if (constructors.size() != 1) {
      why = "give " + type.get().getSimpleName() + " one constructor with " + n.getArguments().size() + " parameters,"
          + " or create the object outside and pass it in as a @NoDerivative parameter";
    } else if (constructors.get(0).getModifiers().contains(Modifier.PRIVATE)
        || !constructors.get(0).getModifiers().contains(Modifier.PUBLIC)
            && !cx.elements.getPackageOf(type.get()).equals(cx.elements.getPackageOf(cx.owner))) {
      why = "its constructor is not visible to the generated class; create it outside and pass it in as a"
          + " @NoDerivative parameter";
    }
    if (why != null) {
      n.getArguments().forEach(this::expr); // their own errors still show
      reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "creating an object", why);
      return placeholder();
    }
    ExecutableElement constructor = constructors.get(0);
    List<Expr> args = new ArrayList<>();
    for (int i = 0; i < n.getArguments().size(); i++) {
      Expr a = expr(n.getArguments().get(i));
      if (a == PLACEHOLDER) {
        return placeholder();
      }
      Type want = TypeMapper.of(constructor.getParameters().get(i).asType());
      boolean ok = want instanceof Prim wp && a.type() instanceof Prim ap && (wp == ap || wp.isNumeric() && ap.isNumeric()
          && ap.widensTo(wp)) || want instanceof RefType && want.equals(a.type()) && isConstantObject(a);
      if (!ok) {
        reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "creating an object from " + a.type().display(),
            "only numbers, booleans and objects that carry no derivative can be passed to a constructor");
        return placeholder();
      }
      args.add(convert(a, want));
    }
    return new Expr.New(TypeMapper.refType(type.get()), args, pos);
  }

  /** Whether every instance field of {@code type} and of its superclasses is final. */
  private boolean allFieldsFinal(TypeElement type) {
    return ElementFilter.fieldsIn(cx.elements.getAllMembers(type)).stream()
        .filter(f -> !f.getModifiers().contains(Modifier.STATIC))
        .allMatch(f -> f.getModifiers().contains(Modifier.FINAL));
  }

  /** The type of the literal {@code null}: it converts to any array or object type. */
  static final RefType NULL_TYPE = new RefType("", List.of("null"));

  static Literal nullLiteral() {
    return new Literal(null, "null", NULL_TYPE);
  }

  static boolean isNull(Expr e) {
    return e instanceof Literal l && NULL_TYPE.equals(l.type());
  }

  /** {@code array != null}, {@code null == object}: a test of an array or an object, which carries no derivative. */
  private Expr nullCheck(BinaryTree b, Pos pos) {
    boolean nullLeft = b.getLeftOperand().getKind() == Tree.Kind.NULL_LITERAL;
    Expr other = expr(nullLeft ? b.getRightOperand() : b.getLeftOperand());
    if (other == PLACEHOLDER) {
      return placeholder();
    }
    if (!(other.type() instanceof ArrayType || isObjectType(other.type())) || Type.TENSOR.equals(other.type())) {
      reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "comparing " + other.type().display() + " with null",
          "compare arrays or objects that carry no derivative with null");
      return placeholder();
    }
    BinOp op = b.getKind() == Tree.Kind.EQUAL_TO ? BinOp.EQ : BinOp.NE;
    return nullLeft ? new Binary(op, nullLiteral(), other, Prim.BOOLEAN) : new Binary(op, other, nullLiteral(), Prim.BOOLEAN);
  }

  /** {@code << >> >>> & | ^}: on integers (or {@code & | ^} on booleans); they carry no derivative. */
  private Expr bitwise(BinaryTree b, Pos pos) {
    Expr left = expr(b.getLeftOperand());
    Expr right = expr(b.getRightOperand());
    BinOp op = switch (b.getKind()) {
      case LEFT_SHIFT -> BinOp.SHL;
      case RIGHT_SHIFT -> BinOp.SHR;
      case UNSIGNED_RIGHT_SHIFT -> BinOp.USHR;
      case AND -> BinOp.BIT_AND;
      case OR -> BinOp.BIT_OR;
      default -> BinOp.XOR;
    };
    if (left.type() == Prim.BOOLEAN && right.type() == Prim.BOOLEAN && op.precedence() < 10) {
      return new Binary(op, left, right, Prim.BOOLEAN); // a & b on booleans: both sides always evaluated
    }
    Prim l = integral(left, pos);
    Prim r = integral(right, pos);
    Type type = op.precedence() == 10 ? l.promoteUnary() : Prim.promote(l, r);
    return new Binary(op, left, right, type);
  }

  /** The type of an int, long, short, byte or char operand; reports any other. */
  private Prim integral(Expr e, Pos pos) {
    if (e.type() instanceof Prim p && p.isNumeric() && !p.isFloating()) {
      return p;
    }
    if (e != PLACEHOLDER) {
      reporter.report(Diag.UNSUPPORTED_TYPE, pos, e.type().display() + " operand of a bitwise operator");
    }
    return Prim.INT;
  }

  static final RefType STRING = new RefType("java.lang", List.of("String"));

  private Expr identifier(IdentifierTree id, Pos pos) {
    String name = id.getName().toString();
    Expr alias = cx.aliases.get(name);
    if (alias != null) {
      return alias; // the element of a loop over sub-modules: blocks.get(lIndex)
    }
    Var local = cx.lookupLocal(name);
    if (local != null) {
      return new Read(local);
    }
    Optional<VariableElement> field = field(cx.owner, name, true);
    if (field.isPresent()) {
      return fieldRead(field.get(), null, pos);
    }
    Optional<TypeElement> imported = cx.classes.staticImportOf(name);
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
      Optional<VariableElement> field = field(cx.owner, name, false);
      if (field.isPresent()) {
        return fieldRead(field.get(), null, pos);
      }
      reporter.report(Diag.UNRESOLVED, pos, "this." + name);
      return placeholder();
    }
    if (name.equals("length") && (qualifier instanceof ArrayAccessTree
        || qualifier instanceof IdentifierTree id && cx.lookupLocal(id.getName().toString()) != null
            && cx.lookupLocal(id.getName().toString()).type() instanceof ArrayType)) {
      return new Length(expr(qualifier));
    }
    if (name.equals("length") && qualifier instanceof IdentifierTree tid && cx.lookupLocal(tid.getName().toString()) == null
        && field(cx.owner, tid.getName().toString(), true).map(f -> Type.TENSOR_ARRAY.equals(TypeMapper.of(f.asType())))
            .orElse(false)) {
      return new Length(expr(qualifier)); // ws.length, an array of parameters
    }
    if (name.equals("length") && qualifier instanceof IdentifierTree id && cx.lookupLocal(id.getName().toString()) == null
        && field(cx.owner, id.getName().toString(), true).map(f -> moduleElement(f.asType()) != null
            && f.asType() instanceof javax.lang.model.type.ArrayType).orElse(false)) {
      return new Length(expr(qualifier)); // heads.length, an array of sub-modules
    }
    if (name.equals("length") && qualifier instanceof IdentifierTree rid
        && cx.aliases.get(rid.getName().toString()) instanceof ArrayRead) {
      return new Length(expr(qualifier)); // row.length, a row view
    }
    if (name.equals("length") && qualifier instanceof IdentifierTree pid && cx.aliases.get(pid.getName().toString()) != null
        && cx.aliases.get(pid.getName().toString()).type() instanceof ArrayType) {
      return new Length(expr(qualifier)); // array.length, the parameter of an inlined helper
    }
    if (name.equals("length") && isStaticArrayField(qualifier)) {
      return new Length(expr(qualifier)); // TABLE.length, Owner.TABLE.length: a constant table
    }
    if (qualifier instanceof IdentifierTree q && cx.lookupLocal(q.getName().toString()) != null) {
      Var receiver = cx.lookupLocal(q.getName().toString());
      if (receiver.type() instanceof RefType r) {
        TypeElement type = cx.elements.getTypeElement(r.qualifiedName());
        Optional<VariableElement> field = type == null ? Optional.empty() : field(type, name, false);
        if (field.isPresent() && !field.get().getModifiers().contains(Modifier.STATIC)) {
          return fieldRead(field.get(), new Read(receiver), pos);
        }
      }
      reporter.report(Diag.UNRESOLVED, pos, source.text(s));
      return placeholder();
    }
    Optional<TypeElement> type = cx.classes.resolve(qualifier);
    if (type.isPresent()) {
      Optional<VariableElement> field = field(type.get(), name, false);
      if (field.isPresent() && field.get().getModifiers().contains(Modifier.STATIC)) {
        return fieldRead(field.get(), null, pos);
      }
    }
    reporter.report(Diag.UNRESOLVED, pos, source.text(s));
    return placeholder();
  }

  /** Whether {@code q} names a static field holding an array of numbers ({@code COEFFS}, {@code Tables.COEFFS}). */
  private boolean isStaticArrayField(ExpressionTree q) {
    Optional<VariableElement> f = Optional.empty();
    if (q instanceof IdentifierTree id && cx.lookupLocal(id.getName().toString()) == null) {
      f = field(cx.owner, id.getName().toString(), true);
      if (f.isEmpty()) {
        f = cx.classes.staticImportOf(id.getName().toString())
            .flatMap(t -> field(t, id.getName().toString(), false));
      }
    } else if (q instanceof MemberSelectTree m) {
      f = cx.classes.resolve(m.getExpression()).flatMap(t -> field(t, m.getIdentifier().toString(), false));
    }
    return f.isPresent() && f.get().getModifiers().contains(Modifier.STATIC) && isNumberArray(TypeMapper.of(f.get().asType()));
  }

  /** {@code double[]}, {@code int[][]}, ...: an array (of arrays) of a numeric primitive type. */
  static boolean isNumberArray(Type type) {
    Type t = type;
    int depth = 0;
    while (t instanceof ArrayType a) {
      t = a.element();
      depth++;
    }
    return depth > 0 && t instanceof Prim p && p.isNumeric();
  }

  /**
   * Whether {@code e} is a static field holding an array of numbers, read as a constant: it has
   * no adjoint, and the method may not write into it.
   */
  static boolean isConstantTable(Expr e) {
    while (e instanceof ArrayRead r) {
      e = r.array();
    }
    return e instanceof FieldRead f && f.receiver() == null && isNumberArray(f.type());
  }

  /** A field of {@code type} (inherited ones too), or of its enclosing classes if {@code outward}. */
  private Optional<VariableElement> field(TypeElement type, String name, boolean outward) {
    for (Element e = type; e instanceof TypeElement t; e = outward ? e.getEnclosingElement() : null) {
      for (VariableElement f : ElementFilter.fieldsIn(cx.elements.getAllMembers(t))) {
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
    boolean isStatic0 = field.getModifiers().contains(Modifier.STATIC);
    if (field.getModifiers().contains(Modifier.PRIVATE) && isStatic0) {
      return privateConstant(field, type, label, pos);
    } else if (field.getModifiers().contains(Modifier.PRIVATE)) {
      reporter.report(Diag.PRIVATE_MEMBER, pos, "field " + label, cx.generatedClassName);
    } else if (!field.getModifiers().contains(Modifier.PUBLIC)
        && !cx.elements.getPackageOf(declaring).equals(cx.elements.getPackageOf(cx.owner))) {
      reporter.report(Diag.PRIVATE_MEMBER, pos, "field " + label + " (not public, in another package)",
          cx.generatedClassName);
    }
    boolean isStatic = field.getModifiers().contains(Modifier.STATIC);
    boolean own = !isStatic && cx.self != null && (receiver == null || receiver instanceof Read r0 && r0.var() == cx.self);
    if (own && (Type.TENSOR_ARRAY.equals(type) || isTensorList(field.asType()))) {
      // Tensor[] and List<Tensor> fields: parameters read as an array (ws[i], ws.get(i))
      if (isTensorList(field.asType())) {
        cx.listFields.add(field.getSimpleName().toString());
      }
      return new Read(cx.fieldVars.computeIfAbsent(field.getSimpleName().toString(),
          n -> new Var(n, Type.TENSOR_ARRAY, Var.Kind.FIELD)));
    }
    if (Type.TENSOR.equals(type) && !isStatic && cx.self != null
        && (receiver == null || receiver instanceof Read r && r.var() == cx.self)) {
      // a model parameter: read once into a local, and its gradient goes into the field's grad()
      return new Read(cx.fieldVars.computeIfAbsent(field.getSimpleName().toString(),
          n -> new Var(n, Type.TENSOR, Var.Kind.FIELD)));
    }
    boolean subModule = !isStatic && cx.self != null
        && (CalleeResolver.isModule(field.asType()) || moduleElement(field.asType()) != null)
        && (receiver == null || receiver instanceof Read r && r.var() == cx.self);
    if (!isStatic && !subModule && type instanceof RefType && !Type.TENSOR.equals(type)) {
      reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "reading the field '" + field.getSimpleName() + "' of type "
          + field.asType() + ", which is not a sub-module (no @Differentiable instance method)",
          "mark the method you call on it @Differentiable, or compute the value outside and pass it in"
              + " as a @NoDerivative parameter");
      return placeholder();
    }
    if (!(type instanceof Prim p) || !p.isNumeric() && p != Prim.BOOLEAN) {
      // a static object (a distribution, a configuration) is a constant: its uses are checked where it is used
      if (!Type.TENSOR.equals(type) && !subModule && !(isStatic && (isNumberArray(type) || isObjectType(type)))) {
        reporter.report(Diag.UNSUPPORTED_TYPE, pos, field.asType());
        return placeholder();
      }
    }
    if (!isStatic && receiver == null) {
      if (cx.self == null) {
        reporter.report(Diag.UNRESOLVED, pos, field.getSimpleName() + " (an instance field, in a static method)");
        return placeholder();
      }
      receiver = new Read(cx.self);
    }
    return new FieldRead(isStatic ? null : receiver, TypeMapper.refType(declaring),
        field.getSimpleName().toString(), type);
  }

  /**
   * A private static field, which the generated class cannot read: a {@code static final} number
   * or array of numbers is copied into the generated class under its own name, so the generated
   * code reads as the source does.
   */
  private Expr privateConstant(VariableElement field, Type type, String label, Pos pos) {
    ConstantCopier.Result copy = cx.constants.copy(field);
    if (copy.copy() == null) {
      reporter.report(Diag.PRIVATE_CONSTANT, pos, label, copy.reason());
      return placeholder();
    }
    RefType generated = new RefType(cx.elements.getPackageOf(cx.owner).getQualifiedName().toString(),
        List.of(cx.generatedClassName));
    return new FieldRead(null, generated, field.getSimpleName().toString(), type);
  }

  private Expr call(MethodInvocationTree call, Pos pos) {
    boolean effect = forEffect;
    forEffect = false; // the calls in its arguments are used for their values
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
        target = Optional.of(cx.owner);
      } else if (isValue(q)) {
        receiver = expr(q);
        if (receiver == PLACEHOLDER) {
          call.getArguments().forEach(this::expr); // their own errors still show
          return placeholder(); // the receiver's error is reported; nothing more to say
        }
        if (STRING.equals(receiver.type())) {
          reporter.report(Diag.UNSUPPORTED_TYPE, pos, "String");
          return placeholder();
        }
        target = receiver.type() instanceof RefType r
            ? Optional.ofNullable(cx.elements.getTypeElement(r.qualifiedName())) : Optional.empty();
      } else {
        target = cx.classes.resolve(q);
      }
    } else if (select instanceof IdentifierTree id) {
      name = id.getName().toString();
      boolean ownMethod = ElementFilter.methodsIn(cx.elements.getAllMembers(cx.owner)).stream()
          .anyMatch(m -> m.getSimpleName().contentEquals(name));
      onThis = ownMethod;
      target = ownMethod ? Optional.of(cx.owner) : cx.classes.staticImportOf(name);
    } else {
      name = source.text(select);
      target = Optional.empty();
    }
    List<Expr> args = new ArrayList<>();
    for (ExpressionTree a : call.getArguments()) {
      // null for an array or object parameter that carries no derivative (lgamma(z, null)); the callee checks the rest
      args.add(a.getKind() == Tree.Kind.NULL_LITERAL ? nullLiteral() : expr(a));
    }
    String shown = source.text(select) + "(...)";
    if (receiver instanceof Read lr && lr.var().kind() == Var.Kind.FIELD && Type.TENSOR_ARRAY.equals(lr.type())
        && cx.listFields.contains(lr.var().name())) {
      if (name.equals("get") && args.size() == 1 && args.get(0).type() instanceof Prim p && p.isNumeric()
          && !p.isFloating() && p != Prim.LONG) {
        return new ArrayRead(receiver, convert(args.get(0), Prim.INT), Type.TENSOR);
      }
      if (name.equals("size") && args.isEmpty()) {
        return new Length(receiver);
      }
      reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "calling " + shown + " on a list of parameters",
          "read it with get(i) and size(), or iterate over it with for (Tensor t : " + lr.var().name() + ")");
      return placeholder();
    }
    if (receiver != null && receiver.type() instanceof ArrayType && name.equals("clone") && args.isEmpty()) {
      // a copy is a declaration of its own (StatementParser.arrayClone), never a value inside an expression
      reporter.report(Diag.ARRAY_CLONE, pos, source.text(call));
      return placeholder();
    }
    if (target.isEmpty()) {
      reporter.report(Diag.NOT_DIFFERENTIABLE_CALL, pos, shown);
      return placeholder();
    }
    RefType targetType = TypeMapper.refType(target.get());
    if (receiver == null && Registry.valueFactory(targetType, name, args.size()).isPresent()
        && args.stream().allMatch(a -> a.type() instanceof Prim p && p.isNumeric() && p != Prim.LONG)) {
      // DD.ofSquare(x): an object that stands for a number, replaced by its parts (analysis.ValueObjects)
      return new Call(targetType, name, args.stream().map(a -> convert(a, Prim.DOUBLE)).toList(), targetType);
    }
    if (receiver != null && Registry.isValueType(receiver.type())) {
      RefType valueType = (RefType) receiver.type();
      if (args.isEmpty() && Registry.valueAccessor(valueType, name).isPresent()) {
        return new Call(valueType, name, List.of(receiver), Prim.DOUBLE, true); // x2.hi()
      }
      if (Registry.valueMutator(valueType, name, args.size()).isPresent()
          && args.stream().allMatch(a -> a.type() instanceof Prim p && p.isNumeric() && p != Prim.LONG)) {
        List<Expr> all = new ArrayList<>();
        all.add(receiver);
        args.forEach(a -> all.add(convert(a, Prim.DOUBLE)));
        return new Call(valueType, name, all, valueType, true); // sum.add(t), which returns the sum
      }
      reporter.report(Diag.VALUE_OBJECT, pos, "calling " + shown, valueType.simpleNames().get(valueType.simpleNames().size() - 1),
          Registry.valueFactories(valueType), Registry.valueAccessors(valueType),
          "compute with the numbers it gives instead");
      return placeholder();
    }
    if (receiver instanceof FieldRead fr && fr.type() instanceof RefType && !Type.TENSOR.equals(fr.type())) {
      Optional<VariableElement> field = field(cx.owner, fr.name(), true);
      TypeElement element = field.isPresent() ? moduleElement(field.get().asType()) : null;
      if (element != null) {
        return listAccess(fr, element, name, args, pos, shown);
      }
    }
    if (receiver != null && !Type.TENSOR.equals(receiver.type()) && CalleeResolver.isModule(target.get().asType())) {
      // a sub-module's method: fc1.forward(h)
      return invoke(target.get(), name, args, receiver, pos, shown);
    }
    if (receiver != null && isConstantObject(receiver)) {
      return objectCall(target.get(), name, receiver, args, pos, shown, effect);
    }
    if (receiver != null || isRuntimeOp(target.get(), name)) {
      return ops.resolve(target.get(), name, receiver, args, pos, shown).orElseGet(ExpressionParser::placeholder);
    }
    if (receiver == null) {
      Optional<ExecutableElement> plain = plainCalls.find(target.get(), name, args);
      boolean mathRule = Rules.isMathClass(target.get().getQualifiedName().toString())
          && Rules.lookup(name, args.size()).isPresent();
      boolean constantObject = plain.isPresent() && !effect && isObjectType(TypeMapper.of(plain.get().getReturnType()))
          && args.stream().noneMatch(a -> a.type() instanceof Prim p && p.isFloating() || a.type() instanceof ArrayType)
          && PureMethods.readsOnlyFinalState(plain.get(), callees);
      if (constantObject) {
        // Policy.getDefault(): an object that carries no derivative, the same at each call
        return plainCalls.call(plain.get(), args, pos, shown, false).orElseGet(ExpressionParser::placeholder);
      }
      if (plain.isPresent() && !mathRule && !effect && PlainCalls.carriesNoDerivative(plain.get())
          && plain.get().getModifiers().contains(Modifier.PRIVATE)) {
        Expr inlined = inlinePrivate(plain.get(), args);
        if (inlined != null) {
          return inlined;
        }
      }
      if (plain.isPresent() && !mathRule && (effect || PlainCalls.carriesNoDerivative(plain.get()))) {
        // Double.isNaN(x), Math.getExponent(x), validate(n); as a statement: no derivative flows through it
        return plainCalls.call(plain.get(), args, pos, shown, effect).orElseGet(ExpressionParser::placeholder);
      }
    }
    if (!Rules.isMathClass(target.get().getQualifiedName().toString())
        && Registry.function(TypeMapper.refType(target.get()), name, args.size()).isPresent()
        && Registry.valueFactory(TypeMapper.refType(target.get()), name, args.size()).isEmpty()
        && plainCalls.find(target.get(), name, args).map(m -> cx.external.of(m).isEmpty()).orElse(true)) {
      // Erf.erf(x) of Commons Math or Hipparchus: a library function with a rule (unless the user
      // wrote @Derivative partials for it, which take precedence)
      List<Expr> converted = new ArrayList<>();
      for (Expr a : args) {
        numeric(a, pos);
        converted.add(convert(a, Prim.DOUBLE));
      }
      return new Call(TypeMapper.refType(target.get()), name, converted, Prim.DOUBLE);
    }
    if (!Rules.isMathClass(target.get().getQualifiedName().toString())) {
      return invoke(target.get(), name, args, onThis && cx.self != null ? new Read(cx.self) : null, pos, shown);
    }
    Optional<ScalarRule> rule = Rules.lookup(name, args.size());
    if (rule.isEmpty() && name.equals("random") && args.isEmpty()) {
      // no argument to mark, and a gradient must see the numbers the value saw
      reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, target.get().getSimpleName() + ".random()",
          "draw the random numbers outside and pass them in as @NoDerivative parameters");
      return placeholder();
    }
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
   * A private helper of this class whose answer carries no derivative ({@code isOdd(fl)}), which the
   * generated class cannot call: its one {@code return} expression, of its parameters, constants
   * and arithmetic, parsed in place with the arguments for the parameters. Null when it is not
   * such a helper, or when an argument is more than a variable, a literal or a constant (it would
   * be evaluated once per use).
   */
  private Expr inlinePrivate(ExecutableElement m, List<Expr> args) {
    com.sun.source.tree.MethodTree tree = callees.sourceOf(m);
    com.sun.source.util.TreePath path = tree == null ? null : trees.getPath(m);
    if (path == null || !source.isUnit(path.getCompilationUnit()) || !m.getEnclosingElement().equals(cx.owner)
        || !PureMethods.readsOnlyFinalState(m, callees)
        || args.stream().anyMatch(a -> !(a instanceof Read || a instanceof Literal || a instanceof FieldRead))) {
      return null;
    }
    ExpressionTree body = ((com.sun.source.tree.ReturnTree) tree.getBody().getStatements().get(0)).getExpression();
    List<String> params = m.getParameters().stream().map(p -> p.getSimpleName().toString()).toList();
    boolean[] clash = {false};
    new com.sun.source.util.TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree id, Void unused) {
        String n = id.getName().toString();
        // a constant of the helper's class must not be hidden by a local of the caller's
        clash[0] |= !params.contains(n) && (cx.lookupLocal(n) != null || cx.aliases.containsKey(n));
        return null;
      }
    }.scan(body, null);
    if (clash[0]) {
      return null;
    }
    java.util.Map<String, Expr> saved = new java.util.HashMap<>();
    for (int i = 0; i < params.size(); i++) {
      Type want = TypeMapper.of(m.getParameters().get(i).asType());
      saved.put(params.get(i), cx.aliases.put(params.get(i), convert(args.get(i), want)));
    }
    try {
      Expr e = expr(body);
      return convert(e, TypeMapper.of(m.getReturnType()));
    } finally {
      saved.forEach((n, before) -> {
        if (before == null) {
          cx.aliases.remove(n);
        } else {
          cx.aliases.put(n, before);
        }
      });
    }
  }

  /**
   * Whether {@code init}, declared with type {@code declared} ({@code var} or its own class), is
   * an object that carries no derivative: a static field, an object variable, or what a static
   * method returns from final fields ({@code Policy.getDefault()}).
   */
  boolean isConstantObjectValue(Expr init, Tree declared) {
    if (!isObjectType(init.type())) {
      return false;
    }
    boolean sameType = declared == null || declared instanceof IdentifierTree id && id.getName().contentEquals("var")
        || (declared instanceof IdentifierTree || declared instanceof MemberSelectTree)
            && cx.classes.resolve((ExpressionTree) declared).map(t -> TypeMapper.refType(t).equals(init.type()))
                .orElse(false);
    return sameType && (isConstantObject(init) || init instanceof Call c && !c.onReceiver() && isObjectType(c.type())
        || init instanceof Expr.New);
  }

  /**
   * The class of a local declared with type {@code declared} ({@code var} or its class) when it is
   * a value object ({@code DD}, rules section 6 of {@link Registry}), else null.
   */
  RefType valueType(Tree declared, Expr init) {
    if (declared == null || declared instanceof IdentifierTree id && id.getName().contentEquals("var")) {
      return init != null && Registry.isValueType(init.type()) ? (RefType) init.type() : null;
    }
    if (declared instanceof IdentifierTree || declared instanceof MemberSelectTree) {
      return cx.classes.resolve((ExpressionTree) declared).map(TypeMapper::refType).filter(Registry::isValueType)
          .orElse(null);
    }
    return null;
  }

  /** Whether {@code init} makes a value object as analysis.ValueObjects can take it apart: a factory, a change of one, or another such local. */
  boolean isValueObjectInit(Expr init) {
    return Registry.isValueType(init.type()) && (init instanceof Read || init instanceof Call c && (c.onReceiver()
        || Registry.valueFactory(c.owner(), c.name(), c.args().size()).isPresent())); // a factory, or a change: Sum.of(x).add(y)
  }

  /** A class type other than Tensor and String: an object whose methods the processor does not look into. */
  private static boolean isObjectType(Type type) {
    return type instanceof RefType && !Type.TENSOR.equals(type) && !STRING.equals(type);
  }

  /**
   * Whether a receiver is an object that no varying value can flow into: a static field, or an
   * object parameter (the method cannot create or change objects).
   */
  boolean isConstantObject(Expr receiver) {
    return isObjectType(receiver.type()) && (receiver instanceof FieldRead f && f.receiver() == null
        || receiver instanceof Read r && (r.var().kind() == Var.Kind.PARAMETER || r.var().kind() == Var.Kind.LOCAL)
            && r.var() != cx.self);
  }

  /**
   * {@code receiver.name(args)} on an object that carries no derivative: a library method with a
   * rule ({@code normal.cumulativeProbability(x)}), or a method whose value cannot vary (a getter,
   * a boolean or integer answer, arguments that are integers), kept as written.
   */
  private Expr objectCall(TypeElement target, String name, Expr receiver, List<Expr> args, Pos pos, String shown,
      boolean effect) {
    List<Expr> all = new ArrayList<>();
    all.add(receiver);
    RefType owner = TypeMapper.refType(target);
    if (Registry.method(owner.qualifiedName(), name, args.size()).isPresent()) {
      for (Expr a : args) {
        numeric(a, pos);
        all.add(convert(a, Prim.DOUBLE));
      }
      return new Call(owner, name, all, Prim.DOUBLE, true);
    }
    ExecutableElement method = null;
    for (ExecutableElement m : ElementFilter.methodsIn(cx.elements.getAllMembers(target))) {
      if (m.getSimpleName().contentEquals(name) && !m.getModifiers().contains(Modifier.STATIC) && !m.isVarArgs()
          && m.getParameters().size() == args.size() && acceptsAll(m, args)) {
        method = m;
        break;
      }
    }
    if (method == null) {
      reporter.report(Diag.OBJECT_METHOD, pos, shown, "no method " + name + " of " + target.getSimpleName()
          + " takes these arguments (only numbers, booleans and objects that carry no derivative can be passed)");
      return placeholder();
    }
    TypeElement declaring = (TypeElement) method.getEnclosingElement();
    if (method.getModifiers().contains(Modifier.PRIVATE)
        || !method.getModifiers().contains(Modifier.PUBLIC)
            && !cx.elements.getPackageOf(declaring).equals(cx.elements.getPackageOf(cx.owner))) {
      reporter.report(Diag.PRIVATE_CALL, pos, "method " + shown, cx.generatedClassName);
      return placeholder();
    }
    Type result = TypeMapper.of(method.getReturnType());
    boolean floatingArgument = args.stream().anyMatch(a -> a.type() instanceof Prim p && p.isFloating());
    if (!effect && !(result instanceof Prim p && (p.isNumeric() || p == Prim.BOOLEAN))) {
      reporter.report(Diag.OBJECT_METHOD, pos, shown, "its result, of type " + method.getReturnType()
          + ", is not a number or a boolean");
      return placeholder();
    }
    if (!PureMethods.readsOnlyFinalState(method, callees)) {
      reporter.report(Diag.OBJECT_METHOD, pos, shown, "Adjoint cannot tell that it gives the same value each time"
          + " (it is not a getter of final fields whose source is in the compilation), and the reverse sweep"
          + " may call it again");
      return placeholder();
    }
    if (floatingArgument && (effect || ((Prim) result).isFloating())) {
      reporter.report(Diag.OBJECT_METHOD, pos, shown, "it is given a floating-point argument, which may depend"
          + " on the inputs, and Adjoint has no derivative rule for it");
      return placeholder();
    }
    for (int i = 0; i < args.size(); i++) {
      all.add(convert(args.get(i), TypeMapper.of(method.getParameters().get(i).asType())));
    }
    return new Call(owner, name, all, effect ? VOID : result, true);
  }

  /**
   * Whether {@code m}'s parameters take these arguments: numbers and booleans by widening, objects
   * of the parameter's class; never arrays, which the method might change.
   */
  private boolean acceptsAll(ExecutableElement m, List<Expr> args) {
    for (int i = 0; i < args.size(); i++) {
      Type p = TypeMapper.of(m.getParameters().get(i).asType());
      Type a = args.get(i).type();
      boolean ok = p instanceof Prim pp && a instanceof Prim ap
          && (pp == ap || pp.isNumeric() && ap.isNumeric() && ap.widensTo(pp))
          || p instanceof RefType && p.equals(a) && isConstantObject(args.get(i));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The type of a call's dropped result. */
  private static final RefType VOID = new RefType("java.lang", List.of("Void"));

  /**
   * The sub-module class {@code M} of a field type {@code M[]} or {@code List<M>} (any
   * {@code java.util.List}), or null.
   */
  TypeElement moduleElement(javax.lang.model.type.TypeMirror type) {
    javax.lang.model.type.TypeMirror element = null;
    if (type instanceof javax.lang.model.type.ArrayType a) {
      element = a.getComponentType();
    } else if (type instanceof javax.lang.model.type.DeclaredType d && d.getTypeArguments().size() == 1
        && d.asElement() instanceof TypeElement t && isList(t)) {
      element = d.getTypeArguments().get(0);
      if (element instanceof javax.lang.model.type.WildcardType w) {
        element = w.getExtendsBound();
      }
    }
    return element != null && CalleeResolver.isModule(element)
        ? (TypeElement) ((javax.lang.model.type.DeclaredType) element).asElement() : null;
  }

  private boolean isList(TypeElement t) {
    TypeElement list = cx.elements.getTypeElement("java.util.List");
    return list != null && (t.equals(list) || t.getInterfaces().stream()
        .anyMatch(i -> i instanceof javax.lang.model.type.DeclaredType d && d.asElement().equals(list)));
  }

  /** Whether a field's type is a {@code List<Tensor>} (any {@code java.util.List}). */
  private boolean isTensorList(javax.lang.model.type.TypeMirror type) {
    return type instanceof javax.lang.model.type.DeclaredType d && d.getTypeArguments().size() == 1
        && d.asElement() instanceof TypeElement t && isList(t)
        && Type.TENSOR.equals(TypeMapper.of(d.getTypeArguments().get(0)));
  }

  /** The sub-module class held by the list field {@code name} of this class. */
  TypeElement moduleElementOfField(String name) {
    return moduleElement(field(cx.owner, name, true).orElseThrow().asType());
  }

  /** {@code blocks.get(i)} (a sub-module) and {@code blocks.size()} on a {@code List} of sub-modules. */
  private Expr listAccess(FieldRead list, TypeElement element, String name, List<Expr> args, Pos pos, String shown) {
    if (name.equals("get") && args.size() == 1 && args.get(0).type() instanceof Prim p && p.isNumeric()
        && !p.isFloating() && p != Prim.LONG) {
      return new MethodCall(list, "get", List.of(convert(args.get(0), Prim.INT)), TypeMapper.refType(element));
    }
    if (name.equals("size") && args.isEmpty()) {
      return new MethodCall(list, "size", List.of(), Prim.INT);
    }
    reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "calling " + shown + " on a list of sub-modules",
        "read it with get(i) and size(), or iterate over it with for (" + element.getSimpleName() + " m : "
            + list.name() + ")");
    return placeholder();
  }

  /**
   * Whether a qualifier names a value (a local, a field, a call's result) rather than a class:
   * {@code h.relu()} versus {@code Layers.relu(h)}.
   */
  private boolean isValue(ExpressionTree q) {
    if (q instanceof IdentifierTree id) {
      String n = id.getName().toString();
      return cx.aliases.containsKey(n) || cx.lookupLocal(n) != null || field(cx.owner, n, true).isPresent();
    }
    if (q instanceof MemberSelectTree m) {
      return m.getExpression() instanceof IdentifierTree id && id.getName().contentEquals("this")
          || cx.classes.resolve(q).isEmpty();
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
  /**
   * A call of a user method with a derivative: arguments converted to its parameter types.
   * {@code receiver} is this object or a sub-module field for an instance method, else null.
   */
  private Expr invoke(TypeElement target, String name, List<Expr> args, Expr receiver, Pos pos, String shown) {
    Optional<Callee> found = callees.resolve(target, name, args.stream().map(Expr::type).toList(), pos, shown);
    if (found.isEmpty()) {
      return placeholder();
    }
    Callee callee = found.get();
    if (callee.isStatic()) {
      receiver = null;
    } else if (receiver == null) {
      reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "calling the instance method " + shown + " here",
          "call instance methods of this object or of its sub-module fields from an instance method, or make it static");
      return placeholder();
    }
    if (callee.readsModel()) {
      cx.callsModel = true;
    }
    List<Expr> converted = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      Type want = callee.paramTypes().get(i);
      Expr arg = args.get(i);
      if (isNull(arg) && (want instanceof Prim || Type.carriesGradient(want) || Type.TENSOR.equals(want))) {
        reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "null as an argument for the " + want.display()
            + " parameter of " + shown, "pass an array (null is only taken where no derivative flows)");
        return placeholder();
      }
      if (want instanceof ArrayType && !isNull(arg)
          && !(arg instanceof Read || arg instanceof ArrayRead || isConstantTable(arg))) {
        reporter.report(Diag.UNSUPPORTED_EXPRESSION, pos, "this array argument to " + shown,
            "pass an array variable or a row x[i]");
        return placeholder();
      }
      converted.add(convert(arg, want));
    }
    return new Invoke(callee, receiver, converted, pos);
  }

  /** A condition: a boolean expression. */
  Expr condition(ExpressionTree e) {
    Expr cond = expr(e);
    if (cond.type() != Prim.BOOLEAN && cond != PLACEHOLDER) { // a placeholder's error is reported already
      reporter.report(Diag.UNSUPPORTED_TYPE, source.pos(e), cond.type().display());
    }
    return cond;
  }

  Type declaredType(Tree typeTree, Expr init) {
    if (typeTree instanceof MemberSelectTree || typeTree instanceof IdentifierTree id && !id.getName().contentEquals("var")) {
      Optional<TypeElement> t = cx.classes.resolve((ExpressionTree) typeTree);
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

  /** The operator of a compound assignment ({@code +=} is ADD); only the arithmetic ones are parsed. */
  static BinOp compoundOp(Tree.Kind kind) {
    return switch (kind) {
      case PLUS_ASSIGNMENT -> BinOp.ADD;
      case MINUS_ASSIGNMENT -> BinOp.SUB;
      case MULTIPLY_ASSIGNMENT -> BinOp.MUL;
      case DIVIDE_ASSIGNMENT -> BinOp.DIV;
      default -> BinOp.REM;
    };
  }

  /** Java's assignment conversion between primitives (implicit narrowing in compound assignment). */
  static Expr convert(Expr value, Type target) {
    if (target instanceof Prim t && t.isFloating() && value instanceof Literal l && l.value() instanceof Integer) {
      return new Literal(l.value(), l.text(), t); // double s = 0 stays as written
    }
    if (target instanceof Prim t && value.type() instanceof Prim v && t != v && t.isNumeric() && v.isNumeric()) {
      return new Cast(t, value);
    }
    return value;
  }
}
