package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Checkpointing;
import dev.adjoint.processor.ir.Method;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the reverse sweep will read, and so what the forward sweep saves, decided from analyses
 * before any code is built: {@link AdjointReads} finds what each statement's reverse code reads
 * under a set of decisions, {@link SaveAnalysis} decides again from those reads, until neither
 * changes. The builder then builds the sweeps once from the plan, and {@link #check} confirms that
 * what it built reads nothing the plan did not foresee (a value read but not saved would be a
 * wrong gradient, so a mismatch is an error, never a warning).
 *
 * @param inputs the variables the reverse sweep reads and names, for {@link SaveAnalysis}
 * @param reads per statement (any depth), what its reverse code reads
 * @param recorded the branches and loops that record a decision or a trip count (numbered in source order)
 */
record SavePlan(SaveAnalysis.Inputs inputs, Map<Stmt, Set<Var>> reads, Set<Stmt> recorded) {
  /** More rounds than any method has needed: past them the analysis is at fault. */
  private static final int ROUNDS = 12;

  /** Decides, for the method's structured {@code body} (with result variable {@code value}). */
  static SavePlan decide(Method method, List<Stmt> body, Var value, Activity activity, ReverseBuilder.Saves saves,
      Checkpointing.Plan checkpointed, Map<Stmt, IndependentIterations.Fused> fusable) {
    SaveAnalysis.Inputs inputs = null;
    Map<Stmt, Set<Var>> reads = Map.of();
    for (int round = 0; round < ROUNDS; round++) {
      VarFacts facts = facts(method, body);
      SaveAnalysis decisions = new SaveAnalysis(body, inputs, reads, facts, saves == ReverseBuilder.Saves.ALL);
      AdjointReads.Result found = AdjointReads.of(method, body, value, activity, facts, decisions, saves,
          checkpointed, fusable);
      if (inputs != null && inputs.read().containsAll(found.read()) && inputs.mentioned().containsAll(found.mentioned())
          && SaveAnalysis.sameReads(found.perStatement(), reads)) {
        return new SavePlan(inputs, reads, found.recorded());
      }
      // saving more reads more (the index of an element put back): grow the sets until they hold
      Set<Var> read = new HashSet<>(found.read());
      Set<Var> mentioned = new HashSet<>(found.mentioned());
      if (inputs != null) {
        read.addAll(inputs.read());
        mentioned.addAll(inputs.mentioned());
      }
      inputs = new SaveAnalysis.Inputs(read, mentioned);
      reads = found.perStatement();
    }
    throw new IllegalStateException("what to save did not settle after " + ROUNDS + " rounds of analysis in "
        + method.name());
  }

  /** The facts the builder starts from: the method's own variables, its parameters and fields among them. */
  static VarFacts facts(Method method, List<Stmt> body) {
    VarFacts facts = new VarFacts();
    facts.collect(body, 0);
    if (method.self() != null) {
      facts.primal.add(method.self());
    }
    facts.primal.addAll(method.params());
    facts.primal.addAll(method.fields());
    return facts;
  }

  /**
   * Confirms that the reverse code built for each statement reads only what the plan foresaw for
   * it ({@code built}: per statement, what the builder's code reads). Loops reversed by
   * checkpointing ({@code checkpointed}) are left out: their iterations run again from copies, not
   * from saved values, and their nested statements are checked one by one.
   */
  void check(String method, Map<Stmt, Set<Var>> built, Set<Stmt> checkpointedLoops) {
    for (Map.Entry<Stmt, Set<Var>> e : built.entrySet()) {
      if (checkpointedLoops.contains(e.getKey())) {
        continue;
      }
      Set<Var> foreseen = reads.get(e.getKey());
      if (foreseen == null || !foreseen.containsAll(e.getValue())) {
        Set<Var> missed = new HashSet<>(e.getValue());
        if (foreseen != null) {
          missed.removeAll(foreseen);
        }
        throw new IllegalStateException("the save plan of " + method + " did not foresee that the reverse code of "
            + e.getKey().getClass().getSimpleName() + " at line " + e.getKey().pos().line() + " reads " + missed);
      }
    }
  }
}
