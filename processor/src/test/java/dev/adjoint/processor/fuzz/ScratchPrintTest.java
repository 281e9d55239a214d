package dev.adjoint.processor.fuzz;

import org.junit.jupiter.api.Test;

class ScratchPrintTest {
  @Test
  void print() {
    FuzzRun.Config c = new FuzzRun.Config(Long.getLong("s", 1L), 0,
        ProgramGenerator.Feature.parse(System.getProperty("f", "MATH,BRANCH,LOOP,ARRAY,CALL")), 100, 1, 3, 10000, -1, 0, 0);
    int from = Integer.getInteger("from", 0);
    for (int i = from; i < from + Integer.getInteger("n", 3); i++) {
      System.out.println(FuzzHarness.render("X", java.util.List.of(FuzzRun.program(c, i))).text());
    }
  }
}
