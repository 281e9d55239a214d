package dev.adjoint.corpus;

import java.util.List;

/**
 * What happened to one corpus method, with what the report needs to explain it: {@code reason} is
 * the first message (its "what" part), {@code group} the catalogue template it belongs to
 * ({@link ReasonTemplates}; for a refusal only, otherwise the reason).
 */
record Outcome(CorpusMethod method, Verdict verdict, List<String> tags, String reason, String group, String detail) {

  Outcome(CorpusMethod method, Verdict verdict, List<String> tags, String reason, String detail) {
    this(method, verdict, tags, reason, reason, detail);
  }


  /** The verdicts; the last three are failures the test does not accept. */
  enum Verdict {
    /** Compiled, and the gradient agreed with finite differences at every trusted point (at least one). */
    DIFFERENTIATED,
    /** Refused with Adjoint diagnostics, each at a line inside a method. */
    REFUSED,
    /** Compiled, but no sample point could be trusted (primal throws, not finite, or not smooth there). */
    UNCHECKED,
    /** Compiled, but the harness cannot make up arguments of these parameter types. */
    UNCALLABLE,
    /** ADJ000, a javac error that is not an Adjoint diagnostic, an exception, or no gradient generated. */
    CRASH,
    /** A gradient (or value) that disagrees with finite differences, or a gradient that throws alone. */
    WRONG,
    /** An Adjoint diagnostic without a line, or at a line outside every method of the compilation. */
    BAD_DIAGNOSTIC;

    boolean failure() {
      return this == CRASH || this == WRONG || this == BAD_DIAGNOSTIC;
    }
  }
}
