package dev.adjoint.spark;

import dev.adjoint.tensor.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters as Spark ships them: names, shapes, {@code requiresGrad} flags and copies of the values. A worker
 * turns it back into fresh tensors with {@link #tensors()}.
 */
record Snapshot(String[] names, int[][] shapes, boolean[] requiresGrad, double[][] values) implements Serializable {
  static Snapshot of(List<Parameter> params) {
    int k = params.size();
    String[] names = new String[k];
    int[][] shapes = new int[k][];
    boolean[] flags = new boolean[k];
    double[][] values = new double[k][];
    for (int i = 0; i < k; i++) {
      Tensor t = params.get(i).tensor();
      names[i] = params.get(i).name();
      shapes[i] = t.shape();
      flags[i] = t.requiresGrad();
      values[i] = t.toArray();
    }
    return new Snapshot(names, shapes, flags, values);
  }

  /** New tensors holding copies of the values, with the original flags (the broadcast value stays untouched). */
  List<Tensor> tensors() {
    List<Tensor> out = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      out.add(Tensor.of(values[i].clone(), shapes[i]).requiresGrad(requiresGrad[i]));
    }
    return out;
  }

  /** The number of parameter elements. */
  long elements() {
    long n = 0;
    for (double[] v : values) {
      n += v.length;
    }
    return n;
  }
}
