package dev.adjoint.check;

import java.util.Arrays;
import java.util.Locale;

/**
 * The outcome of a {@link GradCheck}: the largest absolute and relative errors, and the worst element (the one
 * furthest beyond its tolerance) with its input number, index and both values.
 */
public final class Report {
  private final boolean passed;
  private final double maxAbsError;
  private final double maxRelError;
  private final int worstInput;
  private final int worstIndex;
  private final int[] worstShape;
  private final double worstAnalytic;
  private final double worstNumeric;
  private final int failures;
  private final int checked;
  private final GradCheck.Options options;
  private final String subject;
  private final String[] inputNames;

  private Report(Builder b) {
    this.passed = b.failures == 0;
    this.maxAbsError = b.maxAbs;
    this.maxRelError = b.maxRel;
    this.worstInput = b.worstInput;
    this.worstIndex = b.worstIndex;
    this.worstShape = b.worstShape;
    this.worstAnalytic = b.worstAnalytic;
    this.worstNumeric = b.worstNumeric;
    this.failures = b.failures;
    this.checked = b.checked;
    this.options = b.opt;
    this.subject = b.subject;
    this.inputNames = b.inputNames;
  }

  /** True if every element is within tolerance. */
  public boolean passed() {
    return passed;
  }

  /** Largest {@code |analytic - numeric|}. */
  public double maxAbsError() {
    return maxAbsError;
  }

  /** Largest {@code |analytic - numeric| / max(|analytic|, |numeric|)} (0 where both are 0). */
  public double maxRelError() {
    return maxRelError;
  }

  /** Which input (0-based) holds the worst element, or -1 if nothing was checked. */
  public int worstInput() {
    return worstInput;
  }

  /** Flat (row-major) index of the worst element within its input. */
  public int worstIndex() {
    return worstIndex;
  }

  /** The name of the input holding the worst element (a parameter, or {@code this.field}), else "input N". */
  public String worstInputName() {
    return inputNames != null && worstInput >= 0 ? inputNames[worstInput] : "input " + worstInput;
  }

  /** The analytic value at the worst element. */
  public double worstAnalytic() {
    return worstAnalytic;
  }

  /** The numerical value at the worst element. */
  public double worstNumeric() {
    return worstNumeric;
  }

  /** Number of elements compared. */
  public int checked() {
    return checked;
  }

  /** Number of elements outside tolerance. */
  public int failures() {
    return failures;
  }

  /** Returns this if passed, else throws AssertionError with {@link #toString()}. */
  public Report assertPassed() {
    if (!passed) {
      throw new AssertionError(toString());
    }
    return this;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("GradCheck ").append(subject == null ? "" : "of " + subject + " ");
    sb.append(passed ? "PASSED" : "FAILED").append(String.format(Locale.ROOT,
        ": %d of %d elements outside tolerance (rtol=%.1e, atol=%.1e, step=%.1e); max abs error %.3e, max rel error %.3e",
        failures, checked, options.rtol(), options.atol(), options.step(), maxAbsError, maxRelError));
    if (worstInput >= 0) {
      sb.append("; worst: ").append(worstInputName()).append(" element ").append(worstIndex);
      if (worstShape != null && worstShape.length > 1) {
        sb.append(' ').append(Arrays.toString(dev.adjoint.tensor.Shapes.unflatten(worstIndex, worstShape)));
      }
      sb.append(String.format(Locale.ROOT, " analytic %.10g vs numeric %.10g", worstAnalytic, worstNumeric));
    }
    return sb.toString();
  }

  /** Accumulates element comparisons. */
  static final class Builder {
    private final GradCheck.Options opt;
    private final String subject;
    private final String[] inputNames;
    private double maxAbs;
    private double maxRel;
    private double worstScore = -1;
    private int worstInput = -1;
    private int worstIndex = -1;
    private int[] worstShape;
    private double worstAnalytic = Double.NaN;
    private double worstNumeric = Double.NaN;
    private int failures;
    private int checked;

    Builder(GradCheck.Options opt) {
      this(opt, null, null);
    }

    /** For a check of {@code subject} (a method) whose inputs have names. */
    Builder(GradCheck.Options opt, String subject, String[] inputNames) {
      this.opt = opt;
      this.subject = subject;
      this.inputNames = inputNames;
    }

    void add(int input, int index, int[] shape, double analytic, double numeric) {
      checked++;
      double err = analytic == numeric ? 0 : Math.abs(analytic - numeric); // equal infinities are close
      double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
      double rel = err == 0 ? 0 : err / scale;
      double allowed = opt.atol() + opt.rtol() * scale;
      // NaN anywhere is a failure and the worst possible score: a NaN gradient is never "close".
      double score = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / allowed;
      boolean ok = err <= allowed || analytic == numeric;
      if (!ok) {
        failures++;
      }
      if (Double.isNaN(err)) {
        maxAbs = Double.NaN;
        maxRel = Double.NaN;
      } else if (!Double.isNaN(maxAbs)) {
        maxAbs = Math.max(maxAbs, err);
        maxRel = Math.max(maxRel, rel);
      }
      if (score > worstScore) {
        worstScore = score;
        worstInput = input;
        worstIndex = index;
        worstShape = shape;
        worstAnalytic = analytic;
        worstNumeric = numeric;
      }
    }

    Report build() {
      return new Report(this);
    }
  }
}
