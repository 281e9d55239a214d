package dev.adjoint.processor.parse;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diag.Pos;
import java.io.IOException;

/** Positions and source text of trees in one compilation unit. */
final class SourceText {
  private final CompilationUnitTree unit;
  private final SourcePositions positions;
  private final CharSequence content;

  /** Whether {@code other} is this compilation unit. */
  boolean isUnit(CompilationUnitTree other) {
    return unit == other;
  }

  SourceText(Trees trees, CompilationUnitTree unit) {
    this.unit = unit;
    this.positions = trees.getSourcePositions();
    CharSequence text;
    try {
      text = unit.getSourceFile().getCharContent(true);
    } catch (IOException e) {
      text = null;
    }
    this.content = text;
  }

  Pos pos(Tree tree) {
    long start = positions.getStartPosition(unit, tree);
    long line = start < 0 ? 0 : unit.getLineMap().getLineNumber(start);
    return new Pos(line, new Anchor(tree, unit));
  }

  /** Where the tree starts in the file (a character offset), or -1. */
  long start(Tree tree) {
    return positions.getStartPosition(unit, tree);
  }

  /** Where the tree ends in the file (a character offset), or -1. */
  long end(Tree tree) {
    return positions.getEndPosition(unit, tree);
  }

  /** The file's text between two offsets, as written; null when the source is not at hand. */
  String raw(long start, long end) {
    if (content == null || start < 0 || end < start || end > content.length()) {
      return null;
    }
    return content.subSequence((int) start, (int) end).toString();
  }

  /** The tree's source on one line, runs of white space collapsed (for comments). */
  String text(Tree tree) {
    return between(tree, positions.getEndPosition(unit, tree));
  }

  /** The source of {@code tree} up to where {@code part} (its body) starts: a loop's header. */
  String header(Tree tree, Tree part) {
    String text = between(tree, positions.getStartPosition(unit, part));
    return text.endsWith("{") ? text.substring(0, text.length() - 1).trim() : text;
  }

  /**
   * The source of {@code tree} with some of its sub-trees replaced by other text, runs of white
   * space collapsed; null when the source cannot be read.
   */
  String rewritten(Tree tree, java.util.Map<Tree, String> replacements) {
    long start = positions.getStartPosition(unit, tree);
    long end = positions.getEndPosition(unit, tree);
    if (content == null || start < 0 || end <= start || end > content.length()) {
      return null;
    }
    java.util.List<Tree> parts = new java.util.ArrayList<>(replacements.keySet());
    parts.sort(java.util.Comparator.comparingLong(t -> positions.getStartPosition(unit, t)));
    StringBuilder out = new StringBuilder();
    long at = start;
    for (Tree part : parts) {
      long from = positions.getStartPosition(unit, part);
      out.append(content, (int) at, (int) from).append(replacements.get(part));
      at = positions.getEndPosition(unit, part);
    }
    out.append(content, (int) at, (int) end);
    return out.toString().replaceAll("/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ").replaceAll("\\s+", " ").trim();
  }

  private String between(Tree tree, long end) {
    long start = positions.getStartPosition(unit, tree);
    if (content == null || start < 0 || end <= start || end > content.length()) {
      return tree.toString().replaceAll("\\s+", " ").trim();
    }
    String raw = content.subSequence((int) start, (int) end).toString();
    // comments inside a statement would end the generated line comment early
    raw = raw.replaceAll("/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    return raw.replaceAll("\\s+", " ").trim();
  }
}
