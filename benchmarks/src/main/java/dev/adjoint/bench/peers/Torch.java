package dev.adjoint.bench.peers;

import ai.djl.ndarray.NDManager;
import dev.adjoint.bench.kernels.Djl;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** PyTorch through DJL, loaded only in the forks of the {@code djl} benchmarks. */
@State(Scope.Benchmark)
public class Torch {
  NDManager manager;

  /** Loads the engine (offline: from the pytorch-native-cpu jar). */
  @Setup
  public void load() {
    manager = Djl.newManager();
    System.err.println("[bench] " + Djl.version() + ", intra-op threads "
        + System.getProperty("ai.djl.pytorch.num_threads", "default"));
  }

  /** Frees the engine's base manager. */
  @TearDown
  public void close() {
    manager.close();
  }
}
