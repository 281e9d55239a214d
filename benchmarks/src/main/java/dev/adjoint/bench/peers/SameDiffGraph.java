package dev.adjoint.bench.peers;

import dev.adjoint.bench.kernels.Mlp;
import dev.adjoint.bench.kernels.SameDiffMlp;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** ND4J and seed 003's SameDiff graph, loaded only in the fork of the {@code nd4j} benchmark. */
@State(Scope.Benchmark)
public class SameDiffGraph {
  SameDiffMlp graph;

  /** Loads ND4J (its native libraries from the nd4j-native and openblas jars), pins it to one thread, builds the graph. */
  @Setup
  public void load() {
    graph = new SameDiffMlp(Mlp.SEED003_IN, Mlp.SEED003_HIDDEN);
    System.err.println("[bench] " + SameDiffMlp.threading());
  }
}
