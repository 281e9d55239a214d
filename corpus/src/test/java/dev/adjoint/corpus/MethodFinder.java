package dev.adjoint.corpus;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Parses a library's sources (syntax only, no attribution) and lists the corpus candidates, and
 * the line range of every method and constructor body in each file (where a diagnostic may point).
 */
final class MethodFinder {
  private static final Set<String> DIFFERENTIABLE = Set.of("double", "float", "double[]", "double[][]");

  /** A range of lines {@code [first, last]} of one file. */
  record LineRange(int first, int last) {
    boolean contains(long line) {
      return line >= first && line <= last;
    }
  }

  /**
   * The candidates, method line ranges by file, and the near misses left out (a double or float
   * result, but not a candidate) counted by reason.
   */
  record Found(List<CorpusMethod> candidates, Map<String, List<LineRange>> methodLines, Map<String, Integer> excluded,
      Set<String> methodNames) {}

  private MethodFinder() {}

  static Found find(Library lib) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<InMemorySource> files = new ArrayList<>();
    lib.sources().forEach((path, text) -> files.add(new InMemorySource(path, text)));
    JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, files);
    List<CorpusMethod> candidates = new ArrayList<>();
    Map<String, List<LineRange>> lines = new HashMap<>();
    Map<String, Integer> excluded = new TreeMap<>();
    Set<String> names = new HashSet<>();
    try {
      SourcePositions positions = Trees.instance(task).getSourcePositions();
      for (CompilationUnitTree unit : task.parse()) {
        String file = InMemorySource.pathOf(unit.getSourceFile());
        String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
        new Scanner(unit, file, pkg, positions, candidates, lines.computeIfAbsent(file, f -> new ArrayList<>()),
            excluded, names)
            .scan(unit, null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    candidates.sort((a, b) -> a.id().compareTo(b.id()));
    return new Found(candidates, lines, excluded, names);
  }

  /** Walks one file, keeping the chain of enclosing class names. */
  private static final class Scanner extends TreeScanner<Void, Void> {
    private final CompilationUnitTree unit;
    private final String file;
    private final String pkg;
    private final SourcePositions positions;
    private final List<CorpusMethod> out;
    private final List<LineRange> lines;
    private final Map<String, Integer> excluded;
    private final Set<String> names;
    private final Deque<String> classes = new ArrayDeque<>();

    Scanner(CompilationUnitTree unit, String file, String pkg, SourcePositions positions, List<CorpusMethod> out,
        List<LineRange> lines, Map<String, Integer> excluded, Set<String> names) {
      this.excluded = excluded;
      this.names = names;
      this.unit = unit;
      this.file = file;
      this.pkg = pkg;
      this.positions = positions;
      this.out = out;
      this.lines = lines;
    }

    @Override
    public Void visitClass(ClassTree node, Void unused) {
      String simple = node.getSimpleName().toString();
      if (simple.isEmpty()) {
        simple = "<anonymous>";
      }
      classes.addLast(simple);
      try {
        return super.visitClass(node, unused);
      } finally {
        classes.removeLast();
      }
    }

    @Override
    public Void visitMethod(MethodTree node, Void unused) {
      LineMap map = unit.getLineMap();
      long start = positions.getStartPosition(unit, node);
      long end = positions.getEndPosition(unit, node);
      int first = (int) map.getLineNumber(start);
      int last = (int) map.getLineNumber(end);
      lines.add(new LineRange(first, last));
      names.add(node.getName().toString());
      String exclusion = exclusion(node);
      if (exclusion != null) {
        if (!exclusion.isEmpty()) {
          excluded.merge(exclusion, 1, Integer::sum);
        }
      } else {
        List<String> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (VariableTree p : node.getParameters()) {
          types.add(plain(p.getType()));
          names.add(p.getName().toString());
        }
        String prefix = pkg.isEmpty() ? "" : pkg + ".";
        String owner = prefix + String.join("$", classes);
        String grad = prefix + String.join("_", classes) + "Grad";
        out.add(new CorpusMethod(file, owner, grad, node.getName().toString(), types, names,
            node.getReturnType().toString(), (int) start, first, last));
      }
      return super.visitMethod(node, unused);
    }

    /**
     * Null for a candidate; otherwise why not: "" for a method whose result is not double or float
     * (not counted), a reason for a near miss.
     */
    private String exclusion(MethodTree m) {
      if (!(m.getReturnType() instanceof PrimitiveTypeTree r)
          || !(r.toString().equals("double") || r.toString().equals("float"))) {
        return "";
      }
      boolean differentiableParameter = false;
      for (VariableTree p : m.getParameters()) {
        differentiableParameter |= DIFFERENTIABLE.contains(plain(p.getType()));
      }
      if (!differentiableParameter) {
        return "double/float result, but no double, float, double[] or double[][] parameter";
      }
      if (!m.getModifiers().getFlags().contains(Modifier.STATIC)) {
        return "instance method (the corpus takes static methods only)";
      }
      if (classes.contains("<anonymous>")) {
        return "static method of an anonymous class";
      }
      return null;
    }

    /** A type as written, without package qualification or type arguments; varargs as arrays. */
    private static String plain(Tree type) {
      String s = type.toString().replaceAll("<.*>", "").replace("...", "[]");
      int dot = s.lastIndexOf('.', s.indexOf('[') < 0 ? s.length() : s.indexOf('['));
      return dot < 0 ? s : s.substring(dot + 1);
    }
  }
}
