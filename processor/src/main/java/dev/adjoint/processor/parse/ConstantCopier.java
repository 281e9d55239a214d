package dev.adjoint.processor.parse;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import dev.adjoint.processor.ir.ArrayType;
import dev.adjoint.processor.ir.CopiedConstant;
import dev.adjoint.processor.ir.Prim;
import dev.adjoint.processor.ir.Type;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Copies the private {@code static final} fields a method reads (constants computed at class
 * initialisation, constant tables) into the generated class, which cannot read them: the
 * initializer as written, with the names in it qualified, and the private constants it reads
 * copied first. A field whose initializer calls methods or builds objects is not copied.
 */
final class ConstantCopier {
  private final Trees trees;
  private final Elements elements;
  /** The copies, each after those its initializer reads. */
  private final Map<String, CopiedConstant> copies = new LinkedHashMap<>();
  private final Map<String, VariableElement> origins = new HashMap<>();

  ConstantCopier(Trees trees, Elements elements) {
    this.trees = trees;
    this.elements = elements;
  }

  /** The copies made so far, in the order they must be declared. */
  List<CopiedConstant> copies() {
    return List.copyOf(copies.values());
  }

  /**
   * Copies {@code field} (and the private constants its initializer reads); empty with the reason
   * when it cannot be copied.
   */
  Result copy(VariableElement field) {
    String name = field.getSimpleName().toString();
    VariableElement before = origins.get(name);
    if (before != null) {
      return before.equals(field) ? Result.ok(copies.get(name))
          : Result.refused("another private constant named '" + name + "' is copied into the generated class too");
    }
    Type type = TypeMapper.of(field.asType());
    if (!field.getModifiers().contains(Modifier.STATIC) || !field.getModifiers().contains(Modifier.FINAL)) {
      return Result.refused("it is not static final, so the generated class cannot copy it");
    }
    boolean object = type instanceof dev.adjoint.processor.ir.RefType && !Type.TENSOR.equals(type);
    if (!(type instanceof Prim) && !(type instanceof ArrayType a && a.element() instanceof Prim)
        && !(type instanceof ArrayType a2 && a2.element() instanceof ArrayType a3 && a3.element() instanceof Prim)
        && !object) {
      return Result.refused("its type " + field.asType() + " is not a number, a boolean, an array of them or an object");
    }
    Tree tree = trees.getTree(field);
    TreePath path = trees.getPath(field);
    if (!(tree instanceof VariableTree v) || v.getInitializer() == null || path == null) {
      return Result.refused("its initializer is not in this compilation");
    }
    TypeElement declaring = (TypeElement) field.getEnclosingElement();
    Map<Tree, String> replacements = new HashMap<>();
    String[] problem = {null};
    Tree scanned = v.getInitializer();
    if (object) {
      // new NormalDistribution(0, 1): the same object made again in the generated class, from constants
      if (!(v.getInitializer() instanceof NewClassTree n) || n.getClassBody() != null || n.getEnclosingExpression() != null
          || !(n.getIdentifier() instanceof IdentifierTree || n.getIdentifier() instanceof MemberSelectTree)) {
        return Result.refused("its initializer is not new T(...) of a class");
      }
      Optional<TypeElement> cls = classOf(n.getIdentifier(), path, declaring);
      if (cls.isEmpty() || !accessible(cls.get(), declaring)) {
        return Result.refused("the generated class cannot create a " + n.getIdentifier());
      }
      replacements.put(n.getIdentifier(), cls.get().getQualifiedName().toString());
      scanned = null;
      for (ExpressionTree arg : n.getArguments()) {
        problem[0] = problem[0] != null ? problem[0] : scanArgument(arg, declaring, path, replacements);
      }
    }
    origins.put(name, field); // a cycle reads itself: javac rejects it before we get here
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMemberSelect(MemberSelectTree node, Void unused) {
        ExpressionTree q = node.getExpression();
        Optional<TypeElement> cls = classOf(q, path, declaring);
        if (cls.isPresent()) {
          if (!elements.getPackageOf(cls.get()).getQualifiedName().contentEquals("java.lang")) {
            replacements.put(q, cls.get().getQualifiedName().toString()); // java.lang needs no import
          }
          return null;
        }
        return super.visitMemberSelect(node, unused);
      }

      @Override
      public Void visitIdentifier(IdentifierTree node, Void unused) {
        String n = node.getName().toString();
        Optional<VariableElement> f = staticField(declaring, n);
        if (f.isEmpty()) {
          problem[0] = problem[0] != null ? problem[0] : "its initializer reads '" + n + "'";
        } else if (f.get().getModifiers().contains(Modifier.PRIVATE)) {
          Result inner = copy(f.get());
          if (inner.copy() == null) {
            problem[0] = problem[0] != null ? problem[0] : "it reads " + n + ", and " + inner.reason();
          }
        } else {
          replacements.put(node, ((TypeElement) f.get().getEnclosingElement()).getQualifiedName() + "." + n);
        }
        return null;
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
        if (!(node.getMethodSelect() instanceof MemberSelectTree)) {
          problem[0] = problem[0] != null ? problem[0] : "its initializer calls " + node.getMethodSelect();
          return null;
        }
        return super.visitMethodInvocation(node, unused);
      }

      @Override
      public Void visitNewClass(NewClassTree node, Void unused) {
        problem[0] = problem[0] != null ? problem[0] : "its initializer creates an object";
        return null;
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree node, Void unused) {
        problem[0] = problem[0] != null ? problem[0] : "its initializer holds a lambda";
        return null;
      }

      @Override
      public Void visitMemberReference(MemberReferenceTree node, Void unused) {
        problem[0] = problem[0] != null ? problem[0] : "its initializer holds a method reference";
        return null;
      }
    }.scan(scanned, null);
    String text = problem[0] == null
        ? new SourceText(trees, path.getCompilationUnit()).rewritten(v.getInitializer(), replacements) : null;
    if (text == null) {
      origins.remove(name);
      return Result.refused(problem[0] != null ? problem[0] : "its source cannot be read");
    }
    CopiedConstant c = new CopiedConstant(name, type, field.asType().toString(), text);
    copies.put(name, c);
    return Result.ok(c);
  }

  /** Whether the generated class, in {@code declaring}'s package, can name and create {@code cls}. */
  private boolean accessible(TypeElement cls, TypeElement declaring) {
    boolean samePackage = elements.getPackageOf(cls).equals(elements.getPackageOf(declaring));
    for (Element e = cls; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      if (t.getModifiers().contains(Modifier.PRIVATE) || !samePackage && !t.getModifiers().contains(Modifier.PUBLIC)) {
        return false;
      }
    }
    return !cls.getModifiers().contains(Modifier.ABSTRACT);
  }

  /**
   * An argument of a copied object's constructor: a literal, or a constant (copied or qualified as
   * a number's initializer is); a problem, or null.
   */
  private String scanArgument(ExpressionTree arg, TypeElement declaring, TreePath path, Map<Tree, String> replacements) {
    if (arg instanceof com.sun.source.tree.LiteralTree) {
      return null;
    }
    if (arg instanceof com.sun.source.tree.UnaryTree u && u.getExpression() instanceof com.sun.source.tree.LiteralTree) {
      return null;
    }
    if (arg instanceof IdentifierTree id) {
      Optional<VariableElement> f = staticField(declaring, id.getName().toString());
      if (f.isEmpty() || !f.get().getModifiers().contains(Modifier.FINAL)
          || !(TypeMapper.of(f.get().asType()) instanceof Prim)) {
        return "its constructor is given '" + id.getName() + "', not a literal or a number constant";
      }
      if (f.get().getModifiers().contains(Modifier.PRIVATE)) {
        Result inner = copy(f.get());
        return inner.copy() == null ? "it reads " + id.getName() + ", and " + inner.reason() : null;
      }
      replacements.put(id, ((TypeElement) f.get().getEnclosingElement()).getQualifiedName() + "." + id.getName());
      return null;
    }
    return "its constructor is given '" + arg + "', not a literal or a number constant";
  }

  /** A static field {@code name} of {@code type} or of a class enclosing it. */
  private Optional<VariableElement> staticField(TypeElement type, String name) {
    for (Element e = type; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      for (VariableElement f : ElementFilter.fieldsIn(elements.getAllMembers(t))) {
        if (f.getSimpleName().contentEquals(name)) {
          return f.getModifiers().contains(Modifier.STATIC) ? Optional.of(f) : Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** The class a qualifier names ({@code Math}, {@code FastMath}, {@code p.Tables}), if it names one. */
  private Optional<TypeElement> classOf(ExpressionTree q, TreePath path, TypeElement declaring) {
    if (q instanceof IdentifierTree id && staticField(declaring, id.getName().toString()).isPresent()) {
      return Optional.empty();
    }
    return new ClassResolver(elements, path.getCompilationUnit(), declaring).resolve(q);
  }

  /** A copy, or why there is none. */
  record Result(CopiedConstant copy, String reason) {
    static Result ok(CopiedConstant c) {
      return new Result(c, null);
    }

    static Result refused(String reason) {
      return new Result(null, reason);
    }
  }
}
