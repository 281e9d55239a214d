package dev.adjoint.processor.parse;

import dev.adjoint.processor.diag.Reporter;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/** What the parsers of one method share: its class and source, the reporter, the variables in scope. */
final class ParseContext {
  final Elements elements;
  final Reporter reporter;
  final SourceText source;
  final ClassResolver classes;
  /** The class declaring the method. */
  final TypeElement owner;
  final String generatedClassName;
  /** The receiver of an instance method; null in a static one. */
  final Var self;
  /** Callees this method needs differentiated on demand, and those known to fail. */
  final OnDemand demand;
  /** The private constants the method reads, copied into the generated class. */
  final ConstantCopier constants;
  /** Rules for methods of other classes, written in the user's classes. */
  final ExternalDerivatives external;
  /** The receiver's Tensor fields read so far, each as a local of the field's name. */
  final Map<String, Var> fieldVars = new LinkedHashMap<>();
  /** The fields among {@link #fieldVars} that are {@code List<Tensor>}s (read as arrays). */
  final java.util.Set<String> listFields = new java.util.LinkedHashSet<>();
  /** Names that stand for an expression: the element of a loop over sub-modules ({@code blocks.get(lIndex)}). */
  final Map<String, dev.adjoint.processor.ir.Expr> aliases = new java.util.HashMap<>();
  /** Whether the method calls a method of this model or of a sub-module (whose parameters it then reads). */
  boolean callsModel;
  private final Deque<Map<String, Var>> scopes = new ArrayDeque<>();

  ParseContext(Elements elements, Reporter reporter, SourceText source, ClassResolver classes, TypeElement owner,
      String generatedClassName, Var self, OnDemand demand, ConstantCopier constants,
      ExternalDerivatives external) {
    this.elements = elements;
    this.reporter = reporter;
    this.source = source;
    this.classes = classes;
    this.owner = owner;
    this.generatedClassName = generatedClassName;
    this.self = self;
    this.demand = demand;
    this.constants = constants;
    this.external = external;
  }

  /** The names {@link #aliases} got in each scope, to forget when it ends. */
  private final Deque<java.util.List<String>> aliasScopes = new ArrayDeque<>();

  void pushScope() {
    scopes.push(new LinkedHashMap<>());
    aliasScopes.push(new java.util.ArrayList<>());
  }

  void popScope() {
    scopes.pop();
    aliasScopes.pop().forEach(aliases::remove);
  }

  /** Makes {@code name} stand for {@code e} until the end of the innermost scope (a row view). */
  void declareAlias(String name, dev.adjoint.processor.ir.Expr e) {
    aliases.put(name, e);
    aliasScopes.peek().add(name);
  }

  /** Makes {@code var} visible by its name in the innermost scope. */
  void declare(Var var) {
    scopes.peek().put(var.name(), var);
  }

  Var lookupLocal(String name) {
    for (Map<String, Var> scope : scopes) {
      Var v = scope.get(name);
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
