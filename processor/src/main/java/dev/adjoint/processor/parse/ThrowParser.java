package dev.adjoint.processor.parse;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreeScanner;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * Turns {@code throw e;} into a {@link Stmt.Throw} that keeps {@code e} as written (string
 * concatenation and all): the locals it reads become holes the generated code fills with their
 * names there, and the classes, constants and methods it names are written out in full, since the
 * generated class has none of the method's imports.
 */
final class ThrowParser {
  private final ParseContext cx;

  ThrowParser(ParseContext cx) {
    this.cx = cx;
  }

  /** The statement, or null after reporting what it names that the generated class cannot. */
  Stmt.Throw parse(ThrowTree t, Pos pos) {
    ExpressionTree thrown = t.getExpression();
    long start = cx.source.start(thrown);
    String text = cx.source.raw(start, cx.source.end(thrown));
    if (text == null) {
      cx.reporter.report(Diag.UNSUPPORTED_STATEMENT, pos, "this throw statement (its source text is not available)",
          "check the arguments before calling the gradient instead");
      return null;
    }
    // offset in the text -> [end offset, replacement]; a replacement of null is a hole
    TreeMap<Long, Object[]> edits = new TreeMap<>();
    List<Expr> holes = new ArrayList<>();
    boolean[] ok = {true};
    new TreeScanner<Void, Void>() {
      private void replace(Tree tree, Object with) {
        edits.put(cx.source.start(tree) - start, new Object[] {cx.source.end(tree) - start, with});
      }

      @Override
      public Void visitIdentifier(IdentifierTree id, Void unused) {
        String name = id.getName().toString();
        Var local = cx.lookupLocal(name);
        if (local != null) {
          replace(id, new Expr.Read(local));
          return null;
        }
        Optional<TypeElement> type = cx.classes.resolve(id);
        if (type.isPresent()) {
          if (!type.get().getQualifiedName().contentEquals("java.lang." + name)) {
            replace(id, type.get().getQualifiedName().toString()); // java.lang's classes need no import
          }
          return null;
        }
        for (VariableElement f : ElementFilter.fieldsIn(cx.elements.getAllMembers(cx.owner))) {
          if (f.getSimpleName().contentEquals(name) && f.getModifiers().contains(Modifier.STATIC)
              && f.getModifiers().contains(Modifier.PRIVATE)) {
            // a private constant: read from its copy in the generated class, as the method's own reads are
            ConstantCopier.Result copy = cx.constants.copy(f);
            if (copy.copy() == null) {
              cx.reporter.report(Diag.PRIVATE_CONSTANT, cx.source.pos(id),
                  ((TypeElement) f.getEnclosingElement()).getSimpleName() + "." + name, copy.reason());
              ok[0] = false;
            } else {
              replace(id, cx.generatedClassName + "." + name); // the generated class is where the throw runs
            }
            return null;
          }
          if (f.getSimpleName().contentEquals(name) && f.getModifiers().contains(Modifier.STATIC)) {
            if (accessible(f.getModifiers(), Diag.PRIVATE_MEMBER, "field " + name, id)) {
              replace(id, cx.owner.getQualifiedName() + "." + name);
            }
            return null;
          }
        }
        cx.reporter.report(Diag.UNSUPPORTED_EXPRESSION, cx.source.pos(id),
            "reading '" + name + "' in the thrown exception",
            "build the message from parameters, locals, static constants and method calls");
        ok[0] = false;
        return null;
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree s, Void unused) {
        Optional<TypeElement> type = cx.classes.resolve(s);
        if (type.isPresent()) {
          replace(s, type.get().getQualifiedName().toString());
          return null;
        }
        return scan(s.getExpression(), null); // x.length, Type.CONSTANT, String.valueOf
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        if (call.getMethodSelect() instanceof IdentifierTree id) {
          // a method of this class, called by its simple name
          String name = id.getName().toString();
          Optional<ExecutableElement> method = ElementFilter.methodsIn(cx.elements.getAllMembers(cx.owner)).stream()
              .filter(m -> m.getSimpleName().contentEquals(name)).findFirst();
          if (method.isEmpty() || !method.get().getModifiers().contains(Modifier.STATIC)) {
            cx.reporter.report(Diag.UNSUPPORTED_EXPRESSION, cx.source.pos(id),
                "calling '" + name + "' in the thrown exception",
                "call static methods only: the generated class has no instance of this one");
            ok[0] = false;
          } else if (accessible(method.get().getModifiers(), Diag.PRIVATE_CALL, "method " + name + "(...)", id)) {
            replace(id, cx.owner.getQualifiedName() + "." + name);
          }
        } else {
          scan(call.getMethodSelect(), null);
        }
        return scan(call.getArguments(), null);
      }

      private boolean accessible(java.util.Set<Modifier> modifiers, Diag diag, String what, Tree at) {
        if (modifiers.contains(Modifier.PRIVATE)) {
          cx.reporter.report(diag, cx.source.pos(at), what, cx.generatedClassName);
          ok[0] = false;
          return false;
        }
        return true;
      }
    }.scan(thrown, null);
    if (!ok[0]) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    int at = 0;
    for (var edit : edits.entrySet()) {
      int from = edit.getKey().intValue();
      part.append(text, at, from);
      Object with = edit.getValue()[1];
      if (with instanceof Expr hole) {
        parts.add(oneLine(part.toString()));
        part.setLength(0);
        holes.add(hole);
      } else {
        part.append(with);
      }
      at = ((Long) edit.getValue()[0]).intValue();
    }
    part.append(text.substring(at));
    parts.add(oneLine(part.toString()));
    return new Stmt.Throw(parts, holes, pos, cx.source.text(t));
  }

  /** Line breaks between tokens become spaces, so the generated statement is one line. */
  private static String oneLine(String s) {
    return s.replaceAll("\\s*\\R\\s*", " ");
  }
}
