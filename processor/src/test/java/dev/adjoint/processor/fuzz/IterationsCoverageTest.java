package dev.adjoint.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.fuzz.Ast.Program;
import dev.adjoint.processor.fuzz.ProgramGenerator.Feature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Checks the fuzzer, not the processor: its programs have loops that the processor reverses
 * iteration by iteration (a sum loop as {@code sumLoop} writes it), and loops of the same shape that
 * it must reverse whole (a statement in the body makes the iterations meet elsewhere), so the
 * differential runs meet both sides of the dependence test; and in some, the iteration's last
 * statement adds a call whose value and pullback run as one ({@code valueLseValueVjpInto}).
 */
class IterationsCoverageTest {
  private static final String AT_ONCE = "each is reversed as soon as it has run";

  @Test
  void someLoopsAreReversedIterationByIteration() throws IOException {
    FuzzRun.Config c = new FuzzRun.Config(FuzzRun.Config.DEFAULT_SEED, 120,
        Feature.parse("MATH,BRANCH,LOOP,ARRAY,CALL,LANG"), 100, 1, 3, 10_000, -1, 0, 0);
    List<Program> programs = new ArrayList<>();
    for (int i = 0; i < c.count(); i++) {
      programs.add(FuzzRun.program(c, i));
    }
    FuzzHarness.BatchSource src = FuzzHarness.render("Coverage", programs);
    int sumLoops = src.text().split("double acc", -1).length - 1;
    Compilation compiled = com.google.testing.compile.Compiler.javac()
        .withProcessors(new dev.adjoint.processor.AdjointProcessor()).withOptions("-parameters")
        .compile(com.google.testing.compile.JavaFileObjects.forSourceString(FuzzHarness.PKG + ".Coverage",
            src.text()));
    com.google.testing.compile.CompilationSubject.assertThat(compiled).succeeded();
    int atOnce = 0;
    int intoGradient = 0;
    int merged = 0;
    int savedWhole = 0;
    for (JavaFileObject f : compiled.generatedSourceFiles()) {
      String code = f.getCharContent(true).toString();
      atOnce += code.split(AT_ONCE, -1).length - 1;
      intoGradient += code.split(AT_ONCE + ", with \\w+ = seed", -1).length - 1;
      savedWhole += code.split("doubleTape.popInto\\(", -1).length - 1;
      merged += (int) java.util.regex.Pattern.compile("valueLseValueVjpInto\\(w\\d*,").matcher(code).results().count();
    }
    System.out.println("fuzz iterations: " + sumLoops + " sum loops in " + c.count() + " programs; "
        + atOnce + " loops in their pullbacks reversed iteration by iteration, " + intoGradient
        + " of them adding into the gradient directly (the sum returned as it is); " + merged
        + " calls giving value and pullback at once; " + savedWhole + " arrays a loop overwrites saved whole");
    assertTrue(sumLoops > 0, "no program has a sum loop");
    assertTrue(atOnce > 0, "no loop of the fuzzer's programs is reversed iteration by iteration");
    assertTrue(intoGradient > 0, "no loop of the fuzzer's programs has the seed as its sum's adjoint");
    assertTrue(merged > 0, "no iteration reversed at once runs a call's value and pullback together");
    assertTrue(savedWhole > 0, "no loop of the fuzzer's programs overwrites an array whole (saved in one piece)");
  }
}
