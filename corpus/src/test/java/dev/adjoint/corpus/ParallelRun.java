package dev.adjoint.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a library's methods on a few threads, each with its own compiler (a javac file manager is
 * not thread-safe), and returns the outcomes in the methods' order, so the report is deterministic.
 */
final class ParallelRun {
  private ParallelRun() {}

  static List<Outcome> run(Library lib, List<CorpusMethod> methods, MethodFinder.Found found, int threads) {
    Outcome[] out = new Outcome[methods.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < Math.max(1, threads); t++) {
      boolean first = t == 0;
      Thread w = new Thread(() -> {
        try (CorpusCompiler compiler = new CorpusCompiler()) {
          CorpusRunner runner = new CorpusRunner(compiler);
          try {
            if (first) {
              runner.baseline(lib);
            }
            for (int i = next.getAndIncrement(); i < out.length && failure.get() == null; i = next.getAndIncrement()) {
              out[i] = runner.run(lib, methods.get(i), found);
            }
          } finally {
            runner.shutdown();
          }
        } catch (IOException e) {
          failure.compareAndSet(null, new UncheckedIOException(e));
        } catch (RuntimeException | Error e) {
          failure.compareAndSet(null, e);
        }
      }, "corpus-" + lib.name() + "-" + t);
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      try {
        w.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the corpus run of " + lib.name() + " failed", failure.get());
    }
    return Arrays.asList(out);
  }
}
