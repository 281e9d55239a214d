package dev.adjoint.spark;

import dev.adjoint.tensor.Tensor;
import java.io.Serializable;
import java.util.List;

/**
 * How {@link SparkTrainer} ships a model of type {@code M} to Spark's workers and differentiates one batch there.
 *
 * <p>The model itself never travels: tensors are not {@code Serializable}. The trainer broadcasts the parameter values
 * ({@code double[]} and shape) each step, and every worker rebuilds a model around them with {@link #build}. So a
 * spec is a small {@code Serializable} object (usually stateless) that knows the model's parameters, how to wrap
 * tensors into a model, and which generated gradient to call:
 *
 * <pre>{@code
 * final class MlpSpec implements ModelSpec<Mlp> {
 *   public List<Parameter> parameters(Mlp m) {
 *     return List.of(new Parameter("w1", m.w1), new Parameter("b1", m.b1), new Parameter("w2", m.w2),
 *         new Parameter("b2", m.b2));
 *   }
 *   public Mlp build(List<Tensor> p) { return new Mlp(p.get(0), p.get(1), p.get(2), p.get(3)); }
 *   public double lossAndGradient(Mlp m, Batch b) { return MlpGrad.loss(m, b.x(), b.classes()).value(); }
 * }
 * }</pre>
 */
public interface ModelSpec<M> extends Serializable {
  /** The model's trainable tensors, each named, in a fixed order (the order {@link #build} receives them in). */
  List<Parameter> parameters(M model);

  /**
   * A model holding exactly the given tensors (not copies), in {@link #parameters}' order: called on the workers
   * with the broadcast values, so that the generated gradient adds into these tensors' {@code grad()}.
   */
  M build(List<Tensor> parameters);

  /**
   * The mean loss over the batch's rows, adding its gradient into each parameter's {@code grad()}: one call of the
   * generated gradient, e.g. {@code MlpGrad.loss(model, batch.x(), batch.classes()).value()}.
   */
  double lossAndGradient(M model, Batch batch);
}
