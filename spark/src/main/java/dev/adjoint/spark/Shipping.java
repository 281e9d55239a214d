package dev.adjoint.spark;

import dev.adjoint.tensor.Tensor;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The driver's check that a model can be shipped, run before any Spark job so that a mistake is one clear
 * exception instead of a task failure on every worker: the spec serializes, the parameters are named uniquely, and
 * {@link ModelSpec#build} wraps the tensors it is given (were it to copy them, the workers' gradients would land in
 * tensors the trainer never reads: a silently zero gradient).
 */
final class Shipping {
  private Shipping() {}

  static <M> List<Parameter> check(M model, ModelSpec<M> spec) {
    if (model == null || spec == null) {
      throw new IllegalArgumentException("SparkTrainer: model and spec must not be null");
    }
    List<Parameter> params = List.copyOf(spec.parameters(model));
    if (params.isEmpty()) {
      throw new IllegalArgumentException("SparkTrainer: " + spec.getClass().getName() + " lists no parameters");
    }
    Set<String> names = new HashSet<>();
    for (Parameter p : params) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("SparkTrainer: two parameters are named '" + p.name() + "'");
      }
    }
    try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
      out.writeObject(spec);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException("SparkTrainer: model spec " + spec.getClass().getName() + " cannot be shipped "
          + "to Spark's workers: it holds a " + e.getMessage() + ", which is not Serializable. A ModelSpec must hold no "
          + "tensors, models or other unserializable state (the trainer ships the parameters itself)", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("SparkTrainer: model spec " + spec.getClass().getName() + " cannot be "
          + "serialized: " + e, e);
    }
    List<Tensor> fresh = Snapshot.of(params).tensors();
    List<Parameter> rebuilt = spec.parameters(spec.build(fresh));
    if (rebuilt.size() != params.size()) {
      throw new IllegalArgumentException("SparkTrainer: " + spec.getClass().getName() + ".build gave a model with "
          + rebuilt.size() + " parameters, expected " + params.size());
    }
    for (int i = 0; i < params.size(); i++) {
      if (!rebuilt.get(i).name().equals(params.get(i).name()) || rebuilt.get(i).tensor() != fresh.get(i)) {
        throw new IllegalArgumentException("SparkTrainer: " + spec.getClass().getName() + ".build must wrap the "
            + "tensors it is given, in parameters() order; parameter " + i + " ('" + params.get(i).name()
            + "') came back as '" + rebuilt.get(i).name() + "', another tensor");
      }
    }
    return params;
  }
}
