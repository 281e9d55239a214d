package dev.adjoint.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.processor.fuzz.TensorAst.Program;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks the tensor generator, not the processor: its programs compile without the processor and
 * their primals give finite, bounded values at their seeds, and together they use every construct
 * the TENSOR feature promises. {@code adjoint.fuzz.validateCount} sets the number of programs (100).
 */
class GeneratedTensorProgramsAreValidTest {
  /** Constructs (as printed) that some program of the sample must contain. */
  private static final Map<String, String> CONSTRUCTS = new LinkedHashMap<>();

  static {
    CONSTRUCTS.put("matmul", ".matmul(");
    CONSTRUCTS.put("forward mode (a static program)", "@Differentiable(modes = {Mode.REVERSE, Mode.FORWARD})\n  static");
    CONSTRUCTS.put("forward mode with a tensor result", "Mode.FORWARD})\n  static Tensor");
    CONSTRUCTS.put("forward mode on a model", "Mode.FORWARD})\n  double t");
    CONSTRUCTS.put("linear layer", "Layers.linear(");
    CONSTRUCTS.put("mse", "Loss.mse(");
    CONSTRUCTS.put("reduction over a dimension", ".sum(0)");
    CONSTRUCTS.put("keepdim reduction", ", true)");
    CONSTRUCTS.put("max", ".max(");
    CONSTRUCTS.put("transpose", ".transpose()");
    CONSTRUCTS.put("reshape", ".reshape(");
    CONSTRUCTS.put("broadcastTo", ".broadcastTo(");
    CONSTRUCTS.put("log of a positive form", ".add(0.5).log()");
    CONSTRUCTS.put("pow", ".pow(");
    CONSTRUCTS.put("relu", ".relu()");
    CONSTRUCTS.put("tensor-double op", ".rdiv(");
    CONSTRUCTS.put("ternary", " ? ");
    CONSTRUCTS.put("if", "if (");
    CONSTRUCTS.put("loop", "for (int ");
    CONSTRUCTS.put("for-each over sub-modules", " : blocks)");
    CONSTRUCTS.put("sub-module field", "head.forward(");
    CONSTRUCTS.put("list element", "blocks.get(");
    CONSTRUCTS.put("helper call", "_h0(");
    CONSTRUCTS.put("helper with two tensors", "(Tensor u, Tensor v");
    CONSTRUCTS.put("instance helper call", "this.t");
    CONSTRUCTS.put("tensor result", "static Tensor t");
    CONSTRUCTS.put("model with a tensor result", "\n  Tensor t");
    CONSTRUCTS.put("constant tensor parameter", "@NoDerivative Tensor");
    CONSTRUCTS.put("model", "final List<");
    CONSTRUCTS.put("double parameter", "double p");
    CONSTRUCTS.put("mask", ".gt(");
    CONSTRUCTS.put("copy", ".copy()");
    CONSTRUCTS.put("zero-derivative factory of a variable", "Tensor.onesLike(");
    CONSTRUCTS.put("&& or ||", " && ");
    CONSTRUCTS.put("array of sub-modules", "heads[");
    CONSTRUCTS.put("indexed loop over sub-modules", "< blocks.size()");
    CONSTRUCTS.put("compound assignment", " += ");
    CONSTRUCTS.put("unsqueeze", ".unsqueeze(");
    CONSTRUCTS.put("element read", ".get(0");
    CONSTRUCTS.put("early return", "      return ");
    CONSTRUCTS.put("loop counter as a value", "0.25 * i");
  }

  @Test
  void programsCompileWithoutTheProcessorRunAndCoverTheConstructs() {
    int count = Integer.getInteger("adjoint.fuzz.validateCount", 100);
    long seed = Long.getLong("adjoint.fuzz.seed", FuzzRun.Config.DEFAULT_SEED) + 7;
    List<Program> programs = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < count; i++) {
      Program p = TensorFuzzRun.program(seed, i);
      programs.add(p);
      all.append(TensorAst.print(p, p.cls()));
    }
    Map<String, Failure> invalid;
    try (TensorHarness h = new TensorHarness(10_000)) {
      invalid = h.validate(programs, p -> List.of(1L, 2L, 3L));
    }
    if (!invalid.isEmpty()) {
      List<String> problems = new ArrayList<>();
      for (Program p : programs) {
        if (invalid.containsKey(p.name()) && problems.size() < 5) {
          problems.add(invalid.get(p.name()) + "\n" + TensorAst.print(p, p.cls()));
        }
      }
      fail(invalid.size() + " invalid tensor programs (seed " + seed + "):\n" + String.join("\n", problems));
    }
    List<String> missing = new ArrayList<>();
    CONSTRUCTS.forEach((what, text) -> {
      if (!all.toString().contains(text)) {
        missing.add(what + " (" + text.strip() + ")");
      }
    });
    assertTrue(missing.isEmpty(), () -> "no program of " + count + " uses " + missing);
    System.out.println("fuzz validity [TENSOR]: " + count + " programs valid at 3 seeds each");
  }
}
