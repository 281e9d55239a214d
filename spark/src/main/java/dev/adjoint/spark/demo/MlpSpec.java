package dev.adjoint.spark.demo;

import dev.adjoint.samples.train.Mlp;
import dev.adjoint.samples.train.MlpGrad;
import dev.adjoint.spark.Batch;
import dev.adjoint.spark.ModelSpec;
import dev.adjoint.spark.Parameter;
import dev.adjoint.tensor.Tensor;
import java.util.List;

/** How Spark ships the samples' {@link Mlp} and differentiates a batch with its generated {@link MlpGrad}. */
public final class MlpSpec implements ModelSpec<Mlp> {
  private static final long serialVersionUID = 1L;

  @Override
  public List<Parameter> parameters(Mlp m) {
    return List.of(new Parameter("w1", m.w1), new Parameter("b1", m.b1), new Parameter("w2", m.w2),
        new Parameter("b2", m.b2));
  }

  @Override
  public Mlp build(List<Tensor> p) {
    return new Mlp(p.get(0), p.get(1), p.get(2), p.get(3));
  }

  @Override
  public double lossAndGradient(Mlp model, Batch batch) {
    return MlpGrad.loss(model, batch.x(), batch.classes()).value();
  }
}
