package dev.adjoint.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.fuzz.Ast.Method;
import dev.adjoint.processor.fuzz.Ast.Program;
import dev.adjoint.processor.fuzz.ProgramGenerator.Feature;
import org.junit.jupiter.api.Test;

/**
 * Checks the fuzzer, not the processor: with every program given modes, Hessian-vector products
 * reach methods that call helpers (annotated, plain and private ones, inlined by the HVP), and are
 * never asked of a program the inliner refuses (recursion, a call that may sit under ?:, && or ||);
 * and that some programs have a loop labelled {@code checkpoint:}, some {@code checkpoint1:} to
 * {@code checkpoint3:} (few copies: schedules of several levels).
 */
class ModesCoverageTest {
  /** 300 programs with every scalar feature. */
  private static final FuzzRun.Config CONFIG = new FuzzRun.Config(FuzzRun.Config.DEFAULT_SEED, 300,
      Feature.parse("MATH,BRANCH,LOOP,ARRAY,CALL,LANG"), 100, 1, 3, 10_000, -1, 0, 0);

  /** The program's methods, printed. */
  private static Ast.Printer methods(Program p) {
    Ast.Printer all = new Ast.Printer();
    for (Method m : p.methods()) {
      all.method(m, "", "");
    }
    return all;
  }

  @Test
  void hvpGoesThroughHelpersWhereTheInlinerCan() {
    FuzzRun.Config c = CONFIG;
    int hvpThroughCalls = 0;
    int withModes = 0;
    int checkpointed = 0;
    int fewCopies = 0;
    for (int i = 0; i < c.count(); i++) {
      Program p = FuzzRun.program(c, i);
      if (!Ast.Printer.checkpointed(p).isEmpty()) {
        checkpointed++;
        Ast.Printer printed = new Ast.Printer();
        printed.program(p, "");
        if (printed.toString().matches("(?s).*checkpoint[1-3]:.*")) {
          fewCopies++;
        }
      }
      String modes = Ast.Printer.modesOf(p);
      if (modes.isEmpty()) {
        continue;
      }
      withModes++;
      Ast.Printer all = methods(p);
      String text = all.toString();
      boolean hvp = modes.contains("HVP");
      boolean refused = text.contains(p.name() + "_r") || text.contains("?") || text.contains("&&")
          || text.contains("||") || text.contains("valueSettings(");
      if (refused) {
        assertFalse(hvp, () -> "HVP asked of a program the inliner refuses:\n" + text);
      }
      if (hvp && !p.helpers().isEmpty()) {
        hvpThroughCalls++;
      }
    }
    assertTrue(withModes > 0, "no program got modes");
    assertTrue(checkpointed > 0, "no program has a loop labelled checkpoint:");
    assertTrue(fewCopies > 0 && fewCopies < checkpointed, "checkpoint labels with 1 to 3 copies: " + fewCopies
        + " of " + checkpointed);
    assertTrue(hvpThroughCalls > 0, "no program with helpers got Mode.HVP (" + withModes + " with modes)");
    System.out.println("fuzz modes: " + withModes + " of " + c.count() + " programs with modes, "
        + hvpThroughCalls + " of them HVP through helpers; " + checkpointed + " with a checkpointed loop, " + fewCopies + " of them with 1 to 3 copies");
  }

  @Test
  void copiesAndFloatArraysAreGeneratedAlsoUnderForwardMode() {
    FuzzRun.Config c = CONFIG;
    int copies = 0;
    int copiesWithModes = 0;
    int floats = 0;
    int floatsWithModes = 0;
    for (int i = 0; i < c.count(); i++) {
      Program p = FuzzRun.program(c, i);
      Ast.Printer all = methods(p);
      if (all.toString().contains("float[] f")) {
        floats++;
        if (!Ast.Printer.modesOf(p).isEmpty()) {
          floatsWithModes++;
        }
      }
      if (all.toString().contains(".clone()")) {
        copies++;
        if (!Ast.Printer.modesOf(p).isEmpty()) {
          copiesWithModes++;
        }
      }
    }
    assertTrue(copiesWithModes > 0, "no program with a.clone() got Mode.FORWARD (" + copies + " with a.clone())");
    assertTrue(floatsWithModes > 0, "no program with a float[] parameter got Mode.FORWARD (" + floats + " with one)");
    System.out.println("fuzz copies: " + copies + " of " + c.count() + " programs clone an array, "
        + copiesWithModes + " of them with forward mode too; " + floats + " take a float[], " + floatsWithModes
        + " of them with forward mode too");
  }
}
