package dev.adjoint.spark;

import dev.adjoint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * One partition's share of a step, run on a worker: gather the batch rows the block holds, rebuild the model around
 * fresh copies of the broadcast parameters, call the generated gradient once, and add the row-weighted loss and
 * gradients into the running sum, refusing NaN or infinite values.
 */
final class PartitionStep {
  private PartitionStep() {}

  static <M> GradientSum add(GradientSum acc, Block block, Snapshot params, ModelSpec<M> spec, long[] batchRows,
      long step) {
    Batch batch = block.gather(batchRows);
    if (batch == null) {
      return acc;
    }
    List<Tensor> tensors = params.tensors();
    M model = spec.build(tensors);
    double loss = spec.lossAndGradient(model, batch);
    int n = batch.size();
    if (!Double.isFinite(loss)) {
      throw nonFinite(step, block, batch, "the loss", loss, -1);
    }
    for (int i = 0; i < tensors.size(); i++) {
      Tensor g = tensors.get(i).grad();
      if (g == null) {
        continue; // no gradient reached this parameter: the optimizer skips it, as it would on one machine
      }
      double[] d = g.data();
      for (int j = 0; j < d.length; j++) {
        if (!Double.isFinite(d[j])) {
          throw nonFinite(step, block, batch, "the gradient of parameter '" + params.names()[i] + "'", d[j], j);
        }
      }
      acc.add(i, d, n);
    }
    acc.loss += n * loss;
    acc.rows += n;
    return acc;
  }

  private static NonFiniteGradientException nonFinite(long step, Block block, Batch batch, String what, double v,
      int element) {
    long[] rows = batch.rows();
    String shown = Arrays.toString(Arrays.copyOf(rows, Math.min(rows.length, 8))) + (rows.length > 8 ? "..." : "");
    return new NonFiniteGradientException("SparkTrainer: step " + step + ", partition " + block.partition + ": "
        + what + " is " + v + (element >= 0 ? " at element " + element : "") + " on this partition's " + rows.length
        + " batch rows (global rows " + shown + "); the inputs were checked finite when packed, so the model "
        + "overflowed: lower the learning rate or check the loss");
  }
}
