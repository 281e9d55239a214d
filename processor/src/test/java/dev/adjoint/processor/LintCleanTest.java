package dev.adjoint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.Test;

/**
 * A user's build with {@code -Xlint:all} stays quiet: the generated code has no lint warning (a redundant cast the
 * user wrote is not copied), the processor claims Adjoint's annotations and the {@code @Generated} of its own
 * classes, and another processor still sees a {@code @Generated} class that Adjoint did not write.
 */
class LintCleanTest {
  private static final String[] SOURCE = {
      "package p;",
      "import dev.adjoint.Differentiable;",
      "import dev.adjoint.NoDerivative;",
      "class Casts {",
      "  @Differentiable",
      "  static double f(double x, @NoDerivative double c, double[] a) {",
      "    int whole = (int) (x * 3);",
      "    a[0] = a[0] * x;",
      "    return x * (double) whole + (double) (x * 2) + c * (float) x + a[0];",
      "  }",
      "}"};

  @Test
  void generatedCodeAndClaimsAreCleanUnderXlintAll() {
    Compilation c = javac().withOptions("-Xlint:all").withProcessors(new AdjointProcessor())
        .compile(Compile.source("p.Casts", SOURCE));
    assertThat(c).succeeded();
    // The one warning left is the user's own redundant cast, in the user's file (javac's, not ours).
    List<String> warnings = c.warnings().stream().map(d -> d.getSource() == null ? "(none) " + d.getMessage(null)
        : d.getSource().getName() + ": " + d.getMessage(null)).toList();
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("Casts.java") && warnings.get(0).contains("redundant cast"), warnings.get(0));
    String generated = Compile.generated(c, "p.CastsGrad");
    assertTrue(generated.contains("double value = x * (double) whole + x * 2 + c * (float) x"), generated);
  }

  /** Sees every {@code @Generated} class offered to it, like a processor that comes after Adjoint's. */
  @SupportedAnnotationTypes("javax.annotation.processing.Generated")
  static final class SeesGenerated extends AbstractProcessor {
    final java.util.List<String> seen = new java.util.ArrayList<>();
    private boolean written;

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      for (TypeElement a : annotations) {
        round.getElementsAnnotatedWith(a).forEach(e -> seen.add(e.getSimpleName().toString()));
      }
      return false;
    }
  }

  @Test
  void anotherProcessorStillSeesGeneratedClassesAdjointDidNotWrite() {
    SeesGenerated other = new SeesGenerated();
    Compilation c = javac().withProcessors(new AdjointProcessor(), other).compile(
        Compile.source("p.Casts", SOURCE),
        Compile.source("p.Theirs", "package p;", "@javax.annotation.processing.Generated(\"their.Tool\")",
            "class Theirs {}"));
    assertThat(c).succeeded();
    assertTrue(other.seen.contains("Theirs"), other.seen.toString());
  }
}
