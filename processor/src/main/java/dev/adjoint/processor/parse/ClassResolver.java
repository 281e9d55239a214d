package dev.adjoint.processor.parse;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Resolves class names written in a method body ({@code Math}, {@code Foo.BAR}'s {@code Foo}) the
 * way javac would: member classes of the enclosing classes, single-type imports, the package,
 * {@code java.lang}, then on-demand imports. The processor runs before javac attributes bodies,
 * so it cannot ask javac for the types of expressions and does this small part itself.
 */
final class ClassResolver {
  private final Elements elements;
  private final CompilationUnitTree unit;
  private final TypeElement owner;

  ClassResolver(Elements elements, CompilationUnitTree unit, TypeElement owner) {
    this.elements = elements;
    this.unit = unit;
    this.owner = owner;
  }

  Optional<TypeElement> resolve(ExpressionTree tree) {
    if (tree instanceof IdentifierTree id) {
      return resolveSimple(id.getName().toString());
    }
    if (tree instanceof MemberSelectTree select) {
      String qualified = qualifiedName(select);
      if (qualified != null) {
        TypeElement direct = elements.getTypeElement(qualified);
        if (direct != null) {
          return Optional.of(direct);
        }
      }
      return resolve(select.getExpression())
          .flatMap(outer -> memberType(outer, select.getIdentifier().toString()));
    }
    return Optional.empty();
  }

  Optional<TypeElement> resolveSimple(String name) {
    for (Element e = owner; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      if (t.getSimpleName().contentEquals(name)) {
        return Optional.of(t);
      }
      Optional<TypeElement> member = memberType(t, name);
      if (member.isPresent()) {
        return member;
      }
    }
    for (ImportTree imp : unit.getImports()) {
      if (!imp.isStatic() && imp.getQualifiedIdentifier() instanceof MemberSelectTree s
          && s.getIdentifier().contentEquals(name)) {
        TypeElement t = elements.getTypeElement(s.toString());
        if (t != null) {
          return Optional.of(t);
        }
      }
    }
    String pkg = packageName();
    TypeElement inPackage = elements.getTypeElement(pkg.isEmpty() ? name : pkg + "." + name);
    if (inPackage != null) {
      return Optional.of(inPackage);
    }
    TypeElement lang = elements.getTypeElement("java.lang." + name);
    if (lang != null) {
      return Optional.of(lang);
    }
    for (ImportTree imp : unit.getImports()) {
      if (!imp.isStatic() && imp.getQualifiedIdentifier() instanceof MemberSelectTree s
          && s.getIdentifier().contentEquals("*")) {
        TypeElement t = elements.getTypeElement(s.getExpression().toString() + "." + name);
        if (t != null) {
          return Optional.of(t);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The class that a static import brings {@code member} in from, if one does:
   * {@code import static java.lang.Math.sin;} or {@code import static java.lang.Math.*;}.
   */
  Optional<TypeElement> staticImportOf(String member) {
    for (ImportTree imp : unit.getImports()) {
      if (imp.isStatic() && imp.getQualifiedIdentifier() instanceof MemberSelectTree s) {
        String id = s.getIdentifier().toString();
        if (id.equals(member) || id.equals("*")) {
          TypeElement t = elements.getTypeElement(s.getExpression().toString());
          if (t != null) {
            return Optional.of(t);
          }
        }
      }
    }
    return Optional.empty();
  }

  private String packageName() {
    PackageElement pkg = elements.getPackageOf(owner);
    return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
  }

  private static Optional<TypeElement> memberType(TypeElement outer, String name) {
    for (Element member : outer.getEnclosedElements()) {
      if ((member.getKind().isClass() || member.getKind().isInterface()
              || member.getKind() == ElementKind.ENUM || member.getKind() == ElementKind.RECORD)
          && member.getSimpleName().contentEquals(name)) {
        return Optional.of((TypeElement) member);
      }
    }
    return Optional.empty();
  }

  private static String qualifiedName(Tree tree) {
    if (tree instanceof IdentifierTree id) {
      return id.getName().toString();
    }
    if (tree instanceof MemberSelectTree s) {
      String outer = qualifiedName(s.getExpression());
      return outer == null ? null : outer + "." + s.getIdentifier();
    }
    return null;
  }
}
