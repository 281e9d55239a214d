package dev.adjoint.bench.kernels;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;

/**
 * The kernels in DJL over PyTorch's CPU autograd, written as a PyTorch user writes them: whole-array
 * (vectorised) operations in float64, a loop only where the algorithm is sequential (the LSTM's time steps,
 * the reaction–diffusion steps), ADBench's PyTorch objectives as the model; the MLP as {@code nn.Linear} does it.
 *
 * <p>Each call does what a user's training step does: copy the inputs into fresh tensors (a sub-manager,
 * closed at the end), record the forward pass, run {@code backward}, and copy the gradients back into
 * {@code double[]}s.
 *
 * <p>Run with {@code -Dai.djl.offline=true} (the native library comes from the {@code pytorch-native-cpu}
 * jar on the class path) and, for one thread, {@code -Dai.djl.pytorch.num_threads=1
 * -Dai.djl.pytorch.num_interop_threads=1}.
 */
public final class Djl {
  private Djl() {}

  /** Value and gradients, one {@code double[]} per differentiated input, in the order of the inputs. */
  public record Result(double value, double[][] grads) {}

  /** A base manager on the CPU; loads PyTorch on first use. */
  public static NDManager newManager() {
    return Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
  }

  /** "PyTorch 2.7.1" or similar. */
  public static String version() {
    Engine e = Engine.getEngine("PyTorch");
    return e.getEngineName() + " " + e.getVersion();
  }

  private static NDArray param(NDManager m, double[] v, long... shape) {
    NDArray a = m.create(v, new Shape(shape));
    a.setRequiresGradient(true);
    return a;
  }

  private static Result finish(GradientCollector gc, NDArray loss, NDArray... params) {
    gc.backward(loss);
    double[][] grads = new double[params.length][];
    for (int i = 0; i < params.length; i++) {
      grads[i] = params[i].getGradient().toDoubleArray();
    }
    return new Result(loss.getDouble(), grads);
  }

  /** log Σ exp along {@code axis}, max-shifted (ADBench's PyTorch {@code logsumexp}). */
  private static NDArray logsumexp(NDArray v, int axis) {
    NDArray mx = v.max(new int[] {axis}, true);
    return v.sub(mx).exp().sum(new int[] {axis}, true).log().add(mx).squeeze(axis);
  }

  /**
   * {@link Gmm#gmm}: ADBench's PyTorch {@code gmm_objective}, batched over points and components. The lower
   * triangles L_k are gathered from icf in one indexed gather; Q_k·(x_i − μ_k) for all i, k is one batched
   * matmul.
   */
  public static Result gmm(NDManager base, double[] alphasV, double[] meansV, double[] icfV, double[] xV, int d,
      int k, int n, double wishartGamma, int wishartM) {
    int icfSz = d * (d + 1) / 2;
    // Index into [0 | icf_k[d:]]: position (j, i) of L, j > i, holds column 1 + its rank in icf's lower part.
    long[] index = new long[k * d * d];
    int p = 1;
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        for (int ik = 0; ik < k; ik++) {
          index[ik * d * d + j * d + i] = p;
        }
        p++;
      }
    }
    try (NDManager m = base.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray alphas = param(m, alphasV, k);
      NDArray means = param(m, meansV, k, d);
      NDArray icf = param(m, icfV, k, icfSz);
      NDArray x = m.create(xV, new Shape(n, d));

      NDArray logDiag = icf.get(":, 0:" + d);
      NDArray qdiags = logDiag.exp(); // [k, d]
      NDArray sumQs = logDiag.sum(new int[] {1}); // [k]
      NDArray padded = NDArrays.concat(new NDList(m.zeros(new Shape(k, 1), icf.getDataType()),
          icf.get(":, " + d + ":")), 1); // [k, 1 + d(d-1)/2]
      NDArray ls = padded.gather(m.create(index, new Shape(k, d * d)), 1).reshape(k, d, d); // [k, d, d]

      NDArray xcentered = x.reshape(1, n, d).sub(means.reshape(k, 1, d)); // [k, n, d]
      NDArray qx = xcentered.mul(qdiags.reshape(k, 1, d))
          .add(xcentered.matMul(ls.transpose(0, 2, 1))); // [k, n, d]: row i is Q_k (x_i - μ_k)
      NDArray sqsum = qx.square().sum(new int[] {2}); // [k, n]
      NDArray inner = sqsum.mul(-0.5).add(alphas.add(sumQs).reshape(k, 1)); // [k, n]
      NDArray slse = logsumexp(inner, 0).sum();

      double constant = -n * d * 0.5 * Math.log(2 * Math.PI);
      NDArray err = slse.add(constant).sub(logsumexp(alphas, 0).mul(n));

      int wn = d + wishartM + 1;
      double c = wn * d * (Math.log(wishartGamma) - 0.5 * Math.log(2)) - Gmm.logGammaDistrib(0.5 * wn, d);
      NDArray frobenius = qdiags.square().sum(new int[] {1}).add(icf.get(":, " + d + ":").square().sum(new int[] {1}));
      NDArray out = frobenius.mul(0.5 * wishartGamma * wishartGamma).sub(sumQs.mul(wishartM)).sum();
      NDArray loss = err.add(out).sub(k * c);
      return finish(gc, loss, alphas, means, icf);
    }
  }

  /**
   * {@link Lstm#lstm}: ADBench's PyTorch {@code lstm_objective}: per time step and layer, the four gates of
   * all b units in a few whole-vector operations.
   */
  public static Result lstm(NDManager base, double[] mainV, double[] extraV, double[] stateV, double[] seqV, int l,
      int c, int b) {
    try (NDManager m = base.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray main = param(m, mainV, 2L * l, 4L * b);
      NDArray extra = param(m, extraV, 3, b);
      NDArray seq = m.create(seqV, new Shape(c, b));
      NDArray[] weight = new NDArray[l];
      NDArray[] bias = new NDArray[l];
      NDArray[] hidden = new NDArray[l];
      NDArray[] cell = new NDArray[l];
      for (int layer = 0; layer < l; layer++) {
        weight[layer] = main.get(2 * layer);
        bias[layer] = main.get(2 * layer + 1);
        double[] h = new double[b];
        double[] cs = new double[b];
        System.arraycopy(stateV, 2 * b * layer, h, 0, b);
        System.arraycopy(stateV, 2 * b * layer + b, cs, 0, b);
        hidden[layer] = m.create(h);
        cell[layer] = m.create(cs);
      }
      NDArray inWeight = extra.get(0);
      NDArray outWeight = extra.get(1);
      NDArray outBias = extra.get(2);
      NDArray total = m.create(0.0);
      for (int t = 0; t < c - 1; t++) {
        NDArray input = seq.get(t).mul(inWeight);
        for (int layer = 0; layer < l; layer++) {
          NDArray gates = NDArrays.concat(new NDList(input, hidden[layer], input, hidden[layer]))
              .mul(weight[layer]).add(bias[layer]);
          NDArray sig = Activation.sigmoid(gates.get("0:" + 3 * b));
          NDArray forget = sig.get("0:" + b);
          NDArray ingate = sig.get(b + ":" + 2 * b);
          NDArray outgate = sig.get(2 * b + ":");
          NDArray change = gates.get(3 * b + ":").tanh();
          cell[layer] = cell[layer].mul(forget).add(ingate.mul(change));
          hidden[layer] = outgate.mul(cell[layer].tanh());
          input = hidden[layer];
        }
        NDArray ypred = input.mul(outWeight).add(outBias);
        NDArray ynorm = ypred.sub(ypred.exp().sum().add(2).log());
        total = total.add(seq.get(t + 1).mul(ynorm).sum());
      }
      NDArray loss = total.neg().div((double) ((c - 1) * b));
      return finish(gc, loss, main, extra);
    }
  }

  /**
   * {@link Mlp#loss}: x·w1 + b1 → ReLU → ·w2 + b2 → squeeze → mean squared error, PyTorch's {@code nn.Linear}
   * arithmetic in float64 (x [n, in], w1 [in, hidden], b1 [hidden], w2 [hidden, 1], b2 [1], target [n]).
   * Gradients in the order w1, b1, w2, b2.
   */
  public static Result mlp(NDManager base, double[] xV, double[] w1V, double[] b1V, double[] w2V, double[] b2V,
      double[] targetV, int n, int in, int hidden) {
    try (NDManager m = base.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray x = m.create(xV, new Shape(n, in));
      NDArray w1 = param(m, w1V, in, hidden);
      NDArray b1 = param(m, b1V, hidden);
      NDArray w2 = param(m, w2V, hidden, 1);
      NDArray b2 = param(m, b2V, 1);
      NDArray target = m.create(targetV, new Shape(n));
      NDArray l2 = Activation.relu(x.matMul(w1).add(b1));
      NDArray out = l2.matMul(w2).add(b2).squeeze(1);
      NDArray loss = out.sub(target).square().mean();
      return finish(gc, loss, w1, b1, w2, b2);
    }
  }

  /** {@link Scalar#rosenbrock}: three slices and a sum. */
  public static Result rosenbrock(NDManager base, double[] xV) {
    int n = xV.length;
    try (NDManager m = base.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray x = param(m, xV, n);
      NDArray head = x.get("0:" + (n - 1));
      NDArray a = x.get("1:").sub(head.square());
      NDArray b = head.neg().add(1);
      NDArray loss = a.square().mul(100).add(b.square()).sum();
      return finish(gc, loss, x);
    }
  }

  /** {@link Scalar#reactionDiffusion}: each step is whole-vector shifts and arithmetic. */
  public static Result reactionDiffusion(NDManager base, double[] u0V, double[] targetV, int steps, double r,
      double dt) {
    int n = u0V.length;
    try (NDManager m = base.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray u0 = param(m, u0V, n);
      NDArray target = m.create(targetV);
      NDArray zero = m.zeros(new Shape(1), u0.getDataType());
      NDArray u = u0;
      for (int t = 0; t < steps; t++) {
        NDArray left = NDArrays.concat(new NDList(zero, u.get("0:" + (n - 1))));
        NDArray right = NDArrays.concat(new NDList(u.get("1:"), zero));
        NDArray laplacian = left.add(right).sub(u.mul(2));
        u = u.add(laplacian.mul(r)).add(u.sub(u.pow(3)).mul(dt));
      }
      NDArray loss = u.sub(target).square().sum();
      return finish(gc, loss, u0);
    }
  }
}
