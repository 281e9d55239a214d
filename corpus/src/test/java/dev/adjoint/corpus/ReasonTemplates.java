package dev.adjoint.corpus;

import dev.adjoint.processor.diag.Diag;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups diagnostics by the catalogue template they were made from (the processor's {@link Diag}),
 * so that "X has no derivative" for a hundred different X counts as one reason. Two refinements
 * keep the groups useful: for ADJ207/ADJ208 the construct is kept ("throw", "creating an object"),
 * and an ADJ214 callee is told apart by whether its source is in the compilation (on-demand
 * differentiation of helpers would cover it) or not.
 */
final class ReasonTemplates {
  private static final Set<String> KEEP_FIRST_ARGUMENT = Set.of("ADJ207", "ADJ208");
  private static final Pattern CALLEE_NAME = Pattern.compile("([A-Za-z_$][\\w$]*)\\(\\.\\.\\.\\)");

  private ReasonTemplates() {}

  /** The group of {@code message}; {@code ownMethods} are the method names declared in the compiled sources. */
  static String group(String message, Set<String> ownMethods) {
    for (Diag d : Diag.values()) {
      String tag = "[" + d.tag() + "] ";
      if (!message.startsWith(tag)) {
        continue;
      }
      String template = template(d);
      if (template == null) {
        return CorpusRunner.reason(message);
      }
      String what = template.contains(";") ? template.substring(0, template.indexOf(';')) : template;
      Matcher m = regex(template).matcher(message.substring(tag.length()));
      if (!m.matches()) {
        return CorpusRunner.reason(message);
      }
      if (KEEP_FIRST_ARGUMENT.contains(d.tag()) && m.groupCount() > 0) {
        what = what.replaceFirst("%s", Matcher.quoteReplacement(m.group(1)));
      } else if (d == Diag.NOT_DIFFERENTIABLE_CALL && m.groupCount() > 0) {
        Matcher callee = CALLEE_NAME.matcher(m.group(1));
        boolean own = callee.find() && ownMethods.contains(callee.group(1));
        what = what + (own ? " (a method whose source is in the compilation)" : " (a method outside the compilation)");
      }
      return tag + what.replace("%s", "…");
    }
    return CorpusRunner.reason(message);
  }

  /** The template of {@code d}, or null if it has placeholders other than %s. */
  private static String template(Diag d) {
    // Diag.format fills the template; with "%s" as every argument it gives the template back.
    try {
      String formatted = d.format((Object[]) new String[] {"%s", "%s", "%s", "%s", "%s", "%s", "%s", "%s"});
      return formatted.substring(formatted.indexOf(']') + 2);
    } catch (java.util.IllegalFormatException e) {
      return null;
    }
  }

  private static Pattern regex(String template) {
    String[] parts = template.split("%s", -1);
    StringBuilder r = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      r.append(Pattern.quote(parts[i]));
      if (i + 1 < parts.length) {
        r.append("(.*?)");
      }
    }
    return Pattern.compile(r.toString(), Pattern.DOTALL);
  }
}
