package dev.adjoint.processor.parse;

import com.sun.source.util.Trees;
import dev.adjoint.processor.diag.Diag;
import dev.adjoint.processor.diag.Pos;
import dev.adjoint.processor.diag.Reporter;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;

/**
 * Reports diagnostics at the exact tree they concern, through javac's public {@link Trees} API, so
 * that the IDE and the build log point at the offending line and column.
 */
public final class TreeReporter implements Reporter {
  private final Trees trees;
  private final Messager messager;
  private final Element fallback;
  private int errors;

  public TreeReporter(Trees trees, Messager messager, Element fallback) {
    this.trees = trees;
    this.messager = messager;
    this.fallback = fallback;
  }

  @Override
  public void report(Diag diag, Pos pos, Object... args) {
    String message = diag.format(args);
    if (pos != null && pos.anchor() instanceof Anchor anchor) {
      trees.printMessage(diag.kind(), message, anchor.tree(), anchor.unit());
    } else {
      messager.printMessage(diag.kind(), message, fallback);
    }
    if (diag.kind() == javax.tools.Diagnostic.Kind.ERROR) {
      errors++;
    }
  }

  @Override
  public int errorCount() {
    return errors;
  }
}
