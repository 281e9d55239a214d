package dev.adjoint.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.bench.kernels.Scalar;
import dev.adjoint.bench.kernels.ScalarGrad;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The claim, run: the 100 000-step reaction–diffusion gradient (n = 1000) in a forked JVM whose
 * heap ({@value #HEAP_MB} MB) is a small fraction of the whole tape (800 MB): there the taped gradient
 * runs out of memory and the checkpointed one (binomial schedule, default copies) completes; its
 * gradient equals Richardson differences of the primal, along a random direction and per component (its
 * bit-for-bit agreement with the whole tape, at fewer steps, is {@code CheckpointKernelTest}'s).
 */
class CheckpointFixedHeapTest {
  static final int HEAP_MB = 32;
  static final int N = 1000;
  static final int STEPS = 100_000;
  /**
   * Slow dynamics (100 000 steps make one time unit): with the benchmark's r and dt the state settles and the
   * gradient underflows to 0 long before 100 000 steps, which would check nothing.
   */
  static final double R = 0.001;
  static final double DT = 1e-5;

  /** The forked JVM: the taped gradient (expected to fail), then the checkpointed one, into a file. */
  public static void main(String[] args) throws IOException {
    double[] u0 = Cases.scalarInput(N, 11);
    double[] target = target();
    String taped;
    try {
      ScalarGrad.reactionDiffusion(u0, target, STEPS, R, DT);
      taped = "fits";
    } catch (OutOfMemoryError e) {
      taped = "OutOfMemoryError";
    }
    long begin = System.nanoTime();
    ScalarGrad.ReactionDiffusionCheckpointed g =
        ScalarGrad.reactionDiffusionCheckpointed(u0, target, STEPS, R, DT);
    long millis = (System.nanoTime() - begin) / 1_000_000;
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(args[0])))) {
      out.writeUTF(taped);
      out.writeLong(millis);
      out.writeLong(Runtime.getRuntime().maxMemory());
      out.writeDouble(g.value());
      for (double d : g.u0()) {
        out.writeDouble(d);
      }
    }
  }

  private static double[] target() {
    double[] target = new double[N];
    for (int i = 0; i < N; i++) {
      target[i] = 0.25 * Math.sin(2 * Math.PI * i / N);
    }
    return target;
  }

  private static double primal(double[] u0) {
    return Scalar.reactionDiffusion(u0, target(), STEPS, R, DT);
  }

  /** Richardson's extrapolation of central differences along {@code v}: error O(h⁴). */
  private static double richardson(double[] u0, double[] v, double h) {
    return (4 * central(u0, v, h / 2) - central(u0, v, h)) / 3;
  }

  private static double central(double[] u0, double[] v, double h) {
    double[] plus = u0.clone();
    double[] minus = u0.clone();
    for (int i = 0; i < N; i++) {
      plus[i] += h * v[i];
      minus[i] -= h * v[i];
    }
    return (primal(plus) - primal(minus)) / (2 * h);
  }

  @Test
  void aHundredThousandStepsInASmallHeap() throws Exception {
    long wholeTape = 8L * STEPS * N; // the taped kernel pushes one double per cell and step
    assertTrue(HEAP_MB * 1024L * 1024L * 20 < wholeTape, "the heap is under 5% of the whole tape");
    Path result = Files.createTempFile("checkpoint-heap", ".bin");
    try {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      List<String> command = new ArrayList<>(List.of(java, "-Xmx" + HEAP_MB + "m", "-XX:+UseSerialGC", "-cp",
          classPath, CheckpointFixedHeapTest.class.getName(), result.toString()));
      Process child = new ProcessBuilder(command).inheritIO().start();
      assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the forked JVM took over 5 minutes");
      assertEquals(0, child.exitValue(), "the forked JVM failed");
      double value;
      double[] gradient = new double[N];
      try (DataInputStream in = new DataInputStream(Files.newInputStream(result))) {
        assertEquals("OutOfMemoryError", in.readUTF(), "the taped gradient should not fit the heap");
        long millis = in.readLong();
        long heap = in.readLong();
        value = in.readDouble();
        for (int i = 0; i < N; i++) {
          gradient[i] = in.readDouble();
        }
        System.out.printf("checkpointed reaction-diffusion n=%d, %d steps in a %d MB heap (whole tape %d MB):"
            + " %d ms%n", N, STEPS, heap >> 20, wholeTape >> 20, millis);
        assertTrue(heap <= (HEAP_MB + 1) * 1024L * 1024L, "heap " + heap);
      }
      double[] u0 = Cases.scalarInput(N, 11);
      assertEquals(primal(u0), value, 0.0, "the value");
      Random random = new Random(99);
      double[] v = new double[N];
      double along = 0;
      for (int i = 0; i < N; i++) {
        v[i] = random.nextGaussian();
        along += gradient[i] * v[i];
      }
      double fd = richardson(u0, v, 1e-3);
      System.out.printf("along a random direction: gradient %.12g, Richardson differences %.12g%n", along, fd);
      assertTrue(Math.abs(fd) > 1e-3, "a gradient worth checking");
      assertEquals(fd, along, 1e-7 * Math.abs(fd), "along a random direction");
      for (int i : new int[] {0, 499, 999}) {
        double[] e = new double[N];
        e[i] = 1;
        double component = richardson(u0, e, 1e-3);
        System.out.printf("d/du0[%d]: gradient %.12g, Richardson differences %.12g%n", i, gradient[i], component);
        assertTrue(Math.abs(component) > 1e-6, "a component worth checking");
        assertEquals(component, gradient[i], 1e-6 * Math.abs(component), "d/du0[" + i + "]");
      }
    } finally {
      Files.deleteIfExists(result);
    }
  }
}
