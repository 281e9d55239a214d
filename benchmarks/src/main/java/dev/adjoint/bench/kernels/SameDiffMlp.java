package dev.adjoint.bench.kernels;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * {@link Mlp#loss} as an ND4J SameDiff graph in float64, built once per shape (placeholders x and target,
 * variables w1, b1, w2, b2, the loss marked as the graph's loss) and differentiated by SameDiff.
 *
 * <p>Each {@link #loss} call does what a training step does, as the DJL kernels do: copy the inputs into fresh
 * {@link INDArray}s, run the graph forward and backward ({@code calculateGradientsAndOutputs}), and copy the
 * loss and the four gradients back into {@code double[]}s.
 */
public final class SameDiffMlp {
  /** The loss and its gradient with respect to w1, b1, w2, b2, flat in row-major order. */
  public record Result(double value, double[] w1, double[] b1, double[] w2, double[] b2) {}

  private static final List<String> LOSS = List.of("loss");
  private static final List<String> PARAMS = List.of("w1", "b1", "w2", "b2");

  private final SameDiff sd;
  private final int in;
  private final int hidden;

  /** Builds the graph for inputs of {@code in} features and a hidden layer of {@code hidden} units. */
  public SameDiffMlp(int in, int hidden) {
    oneThread();
    this.in = in;
    this.hidden = hidden;
    sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, in);
    SDVariable target = sd.placeHolder("target", DataType.DOUBLE, -1);
    SDVariable w1 = sd.var("w1", DataType.DOUBLE, in, hidden);
    SDVariable b1 = sd.var("b1", DataType.DOUBLE, hidden);
    SDVariable w2 = sd.var("w2", DataType.DOUBLE, hidden, 1);
    SDVariable b2 = sd.var("b2", DataType.DOUBLE, 1);
    SDVariable l2 = sd.nn().relu(x.mmul(w1).add(b1), 0.0);
    SDVariable out = sd.squeeze(l2.mmul(w2).add(b2), 1);
    SDVariable loss = out.squaredDifference(target).mean("loss");
    sd.setLossVariables(loss);
  }

  /** Value and gradient at the given inputs (x [n, in], target [n]). */
  public Result loss(double[] x, double[] w1, double[] b1, double[] w2, double[] b2, double[] target, int n) {
    sd.getVariable("w1").setArray(Nd4j.create(w1, new long[] {in, hidden}, DataType.DOUBLE));
    sd.getVariable("b1").setArray(Nd4j.create(b1, new long[] {hidden}, DataType.DOUBLE));
    sd.getVariable("w2").setArray(Nd4j.create(w2, new long[] {hidden, 1}, DataType.DOUBLE));
    sd.getVariable("b2").setArray(Nd4j.create(b2, new long[] {1}, DataType.DOUBLE));
    Map<String, INDArray> placeholders = new HashMap<>();
    placeholders.put("x", Nd4j.create(x, new long[] {n, in}, DataType.DOUBLE));
    placeholders.put("target", Nd4j.create(target, new long[] {n}, DataType.DOUBLE));
    OutAndGrad r = sd.calculateGradientsAndOutputs(placeholders, LOSS, PARAMS);
    Map<String, INDArray> g = r.getGradients();
    return new Result(r.getOutputs().get("loss").getDouble(0), flat(g.get("w1")), flat(g.get("b1")),
        flat(g.get("w2")), flat(g.get("b2")));
  }

  private static double[] flat(INDArray a) {
    return a.reshape(a.length()).toDoubleVector();
  }

  private static boolean pinned;

  /**
   * Puts every ND4J computation on the calling thread, so that ND4J runs on one core like every other engine.
   * ND4J reads {@code OMP_NUM_THREADS} only from the environment, which a JMH fork cannot be given, so the
   * settings it controls are made here: libnd4j's OpenMP threads, the master threads of its own thread pool
   * (which otherwise split element-wise ops over all cores), and OpenBLAS's threads (default: all cores).
   */
  public static synchronized void oneThread() {
    if (pinned) {
      return;
    }
    // Nd4j first: it loads the backend whose configuration NativeOpsHolder reads.
    Nd4j.getEnvironment().setMaxMasterThreads(1);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
    Nd4j.factory().blas().setMaxThreads(1);
    pinned = true;
  }

  /** "ND4J …: OpenMP threads 1, master threads 1, OpenBLAS threads 1" (after {@link #oneThread}). */
  public static String threading() {
    return "ND4J " + Nd4j.getBackend().getClass().getSimpleName() + ", BLAS " + Nd4j.factory().blas().getBlasVendor()
        + ": OpenMP threads " + NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()
        + ", libnd4j max threads " + Nd4j.getEnvironment().maxThreads()
        + ", master threads " + Nd4j.getEnvironment().maxMasterThreads()
        + ", OpenBLAS threads " + Nd4j.factory().blas().getMaxThreads();
  }
}
