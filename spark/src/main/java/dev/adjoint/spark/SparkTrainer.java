package dev.adjoint.spark;

import dev.adjoint.optim.Optimizer;
import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel training through a generated gradient. Every step: the driver broadcasts the
 * parameters, each partition sums the gradient of the batch rows it holds (one call of the generated gradient per
 * partition, {@link PartitionStep}), a tree aggregation adds the partitions' sums, and the driver divides by the
 * batch size and runs the runtime's optimizer. Batches are the seeded per-epoch shuffle of {@link BatchOrder}, so
 * the steps are exactly those of one process training on the same batches: only the order of the floating-point
 * additions differs.
 */
public final class SparkTrainer {
  /** Epochs, batch size, shuffle seed, and the depth of the tree aggregation (2 is Spark's default). */
  public record Options(int epochs, int batchSize, long seed, int treeDepth) {
    /** Validates the options. */
    public Options {
      if (epochs < 1 || batchSize < 1 || treeDepth < 1) {
        throw new IllegalArgumentException("SparkTrainer.Options: epochs, batch size and tree depth must be >= 1, got "
            + epochs + ", " + batchSize + " and " + treeDepth);
      }
    }

    /** Options with a tree depth of 2. */
    public Options(int epochs, int batchSize, long seed) {
      this(epochs, batchSize, seed, 2);
    }
  }

  /** Told after each epoch: its number (from 1), the mean training loss over its batches, and its wall time. */
  @FunctionalInterface
  public interface EpochListener {
    void epochDone(int epoch, double meanLoss, double seconds);
  }

  /** Each epoch's mean training loss, and the number of steps taken. */
  public record Result(double[] epochLosses, long steps) {}

  private final JavaSparkContext sc;
  private final Options options;

  /** A trainer running its jobs on {@code sc}. */
  public SparkTrainer(JavaSparkContext sc, Options options) {
    this.sc = sc;
    this.options = options;
  }

  /**
   * Trains {@code model} in place on {@code data}. The optimizer is made by {@code optimizer} over the model's
   * parameter tensors (e.g. {@code ps -> new Adam(ps, 1e-3)}), so it is sure to update the tensors the trainer fills.
   */
  public <M> Result fit(M model, ModelSpec<M> spec, Function<List<Tensor>, Optimizer> optimizer, Examples data,
      EpochListener listener) {
    List<Parameter> params = Shipping.check(model, spec);
    List<Tensor> tensors = new ArrayList<>();
    params.forEach(p -> tensors.add(p.tensor()));
    Optimizer opt = optimizer.apply(List.copyOf(tensors));
    BatchOrder order = new BatchOrder(options.seed(), data.size());
    long batches = order.batches(options.batchSize());
    double[] losses = new double[options.epochs()];
    long step = 0;
    for (int epoch = 1; epoch <= options.epochs(); epoch++) {
      long start = System.nanoTime();
      double lossSum = 0;
      for (long b = 0; b < batches; b++) {
        long[] rows = order.batch(epoch, b, options.batchSize());
        lossSum += step(params, spec, opt, data, rows, ++step) * rows.length;
      }
      losses[epoch - 1] = lossSum / data.size();
      if (listener != null) {
        listener.epochDone(epoch, losses[epoch - 1], (System.nanoTime() - start) / 1e9);
      }
    }
    return new Result(losses, step);
  }

  /** One synchronous step on the batch {@code rows}; returns the batch's mean loss. */
  private <M> double step(List<Parameter> params, ModelSpec<M> spec, Optimizer opt, Examples data, long[] rows,
      long step) {
    Broadcast<Snapshot> bc = sc.broadcast(Snapshot.of(params));
    GradientSum sum;
    try {
      sum = SparkJobs.run(() -> aggregate(data, bc, spec, rows, step, params.size(), options.treeDepth()));
    } finally {
      bc.destroy();
    }
    if (sum.rows != rows.length) {
      throw new IllegalStateException("SparkTrainer: step " + step + " covered " + sum.rows + " of its "
          + rows.length + " batch rows: the data's partitions changed since they were packed");
    }
    for (int i = 0; i < params.size(); i++) {
      Tensor p = params.get(i).tensor();
      p.clearGrad();
      double[] g = sum.sums[i];
      if (g != null) {
        for (int j = 0; j < g.length; j++) {
          g[j] /= rows.length;
        }
        p.accumulateGrad(Tensor.wrap(g, p.shape()));
      }
    }
    opt.step();
    return sum.loss / rows.length;
  }

  /** Static, so that the closures Spark serializes capture only what they name (never the trainer). */
  private static <M> GradientSum aggregate(Examples data, Broadcast<Snapshot> bc, ModelSpec<M> spec, long[] rows,
      long step, int parameters, int depth) {
    return data.blocks().treeAggregate(new GradientSum(parameters),
        (acc, block) -> PartitionStep.add(acc, block, bc.value(), spec, rows, step),
        GradientSum::merge, depth);
  }
}
