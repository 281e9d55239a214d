package dev.adjoint.processor.diag;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds diagnostics back until the driver knows whether they should be shown: a method that is
 * differentiated only because another calls it (on demand) reports its problems through that
 * call, not on its own.
 */
public final class BufferedReporter implements Reporter {
  /** One held diagnostic. */
  public record Entry(Diag diag, Pos pos, Object[] args) {
    /** The message as the user would read it, tag first. */
    public String message() {
      return diag.format(args);
    }
  }

  private final List<Entry> entries = new ArrayList<>();
  private int errors;

  @Override
  public void report(Diag diag, Pos pos, Object... args) {
    entries.add(new Entry(diag, pos, args.clone()));
    if (diag.kind() == javax.tools.Diagnostic.Kind.ERROR) {
      errors++;
    }
  }

  @Override
  public int errorCount() {
    return errors;
  }

  /** The first error held, or null. */
  public Entry firstError() {
    return entries.stream().filter(e -> e.diag().kind() == javax.tools.Diagnostic.Kind.ERROR).findFirst()
        .orElse(null);
  }

  /** Reports everything held to {@code target}, in order. */
  public void replay(Reporter target) {
    for (Entry e : entries) {
      target.report(e.diag(), e.pos(), e.args());
    }
  }
}
