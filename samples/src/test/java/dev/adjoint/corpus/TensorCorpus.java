package dev.adjoint.corpus;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.nn.Activations;
import dev.adjoint.nn.Layers;
import dev.adjoint.nn.Loss;
import dev.adjoint.tensor.Tensor;

/**
 * The tensor gradient-check corpus: {@code @Differentiable} methods over {@link Tensor} that exercise
 * the processor's tensor path — every differentiable {@code Tensor} op, the {@link Layers} and
 * {@link Loss} functions, control flow mixed with tensors, {@code double} scalars mixed with tensors,
 * and instance methods of small models whose {@code Tensor} fields are parameters ({@link Model} and
 * {@link TinyNet}). {@link TensorCorpusTest} checks each against central finite differences.
 *
 * <p>Shapes and domains each method expects are given in its comment; the test draws its inputs from
 * a fixed seed, away from kinks (relu and abs at 0, ties of max).
 */
final class TensorCorpus {
  private TensorCorpus() {}

  /** A constant tensor read from a static field (not a parameter of anything). */
  static final Tensor WEIGHTS = Tensor.vector(0.5, -1.25, 2.0);

  // ---------------------------------------------------------------------------------------------
  // 1. Binary ops: Tensor with Tensor, Tensor with double, reverse ops

  /** a, b [2,3]: add and sub with both operands active, a fan-out of a and b. */
  @Differentiable
  static double addSubTensors(Tensor a, Tensor b) {
    Tensor c = a.add(b);
    Tensor d = c.sub(a.mul(b));
    Tensor e = d.sub(b);
    return e.mul(c).sum().item();
  }

  /** a, b [2,3], b &gt; 0: mul and div with both operands active. */
  @Differentiable
  static double mulDivTensors(Tensor a, Tensor b) {
    Tensor q = a.div(b);
    Tensor r = b.div(a.square().add(1.0));
    return q.mul(r).add(q).sum().item();
  }

  /** x [2,3], d away from 0: add/sub/mul/div by a differentiated double. */
  @Differentiable
  static double scalarOperands(Tensor x, double a, double b, double c, double d) {
    Tensor y = x.add(a).mul(b).sub(c).div(d);
    return y.square().sum().item();
  }

  /** x [4]: the brief's {@code x.mul(a)} with a differentiated double a. */
  @Differentiable
  static double mulByParam(Tensor x, double a) {
    return x.mul(a).tanh().sum().item();
  }

  /** x [2,2]: a double operand that is an expression of an active double; constant double operands. */
  @Differentiable
  static double scalarExpressionOperand(Tensor x, double a) {
    Tensor y = x.mul(a * a + Math.sin(a)).add(2.0).div(3.0).sub(0.5);
    return y.mul(y).mean().item();
  }

  /** x [5], x &gt; 0: rsub and rdiv, both with a differentiated double. */
  @Differentiable
  static double reverseOps(Tensor x, double a, double b) {
    Tensor y = x.rsub(a);
    Tensor z = x.rdiv(b);
    return y.mul(z).sum().item();
  }

  /** x [5], x &gt; 0: rsub and rdiv with constant operands. */
  @Differentiable
  static double reverseOpsConstant(Tensor x) {
    return x.rsub(1.0).mul(x.rdiv(2.0)).sum().item();
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Unary ops

  /** x [2,3], x &gt; 0: exp, log, sqrt, neg. */
  @Differentiable
  static double expLogSqrtNeg(Tensor x) {
    Tensor y = x.exp().add(x.log()).add(x.sqrt().neg());
    return y.sum().item();
  }

  /** x [6] away from 0: abs, then pow with a differentiated exponent. */
  @Differentiable
  static double absPow(Tensor x, double p) {
    return x.abs().pow(p).sum().item();
  }

  /** x [5], x &gt; 0: pow with constant exponents (2 takes the fast path). */
  @Differentiable
  static double powConstant(Tensor x) {
    return x.pow(2.0).add(x.pow(0.5)).add(x.pow(-1.5)).sum().item();
  }

  /** x [2,3]: square, tanh, sigmoid. */
  @Differentiable
  static double squareTanhSigmoid(Tensor x) {
    return x.square().tanh().add(x.sigmoid()).sum().item();
  }

  /** x, w [2,4], x away from 0: relu. */
  @Differentiable
  static double reluOp(Tensor x, Tensor w) {
    return x.relu().mul(w).sum().item();
  }

  // ---------------------------------------------------------------------------------------------
  // 3. matmul and shapes

  /** a [3,4], b [4,2]. */
  @Differentiable
  static double matmul2d(Tensor a, Tensor b) {
    return a.matmul(b).square().sum().item();
  }

  /** a [2,3,4], b [2,4,5], c [5,2]: batched, then batched against a broadcast matrix. */
  @Differentiable
  static double matmulBatched(Tensor a, Tensor b, Tensor c) {
    Tensor ab = a.matmul(b);
    Tensor abc = ab.matmul(c);
    return abc.tanh().sum().item();
  }

  /** m [3,4], v [4]: matrix·vector and vector·vector (a 0-d result). */
  @Differentiable
  static double matmulVector(Tensor m, Tensor v) {
    return m.matmul(v).sigmoid().sum().item() + v.matmul(v).item();
  }

  /** v [3], m [3,2]: a 1-D left operand of matmul. */
  @Differentiable
  static double vectorMatmul(Tensor v, Tensor m) {
    return v.matmul(m).square().sum().item();
  }

  /** x [3,4]: transpose(), transpose(d0, d1), reshape (varargs, with -1), get. */
  @Differentiable
  static double transposeReshape(Tensor x) {
    Tensor t = x.transpose();
    Tensor r = t.reshape(2, 6);
    Tensor f = x.reshape(-1);
    Tensor u = r.reshape(2, 3, 2).transpose(0, 2);
    return r.exp().sum().item() + f.mul(f).sum().item() * u.get(1, 2, 0);
  }

  /** v [3], m [3,4]: unsqueeze, squeeze, and a [4,1]·[4] broadcast. */
  @Differentiable
  static double unsqueezeSqueeze(Tensor v, Tensor m) {
    Tensor row = v.unsqueeze(0);
    Tensor out = row.matmul(m);
    Tensor flat = out.squeeze(0);
    Tensor col = flat.unsqueeze(1);
    return col.mul(flat).sum().item();
  }

  /** b [3]: broadcastTo and sumTo. */
  @Differentiable
  static double broadcastToSumTo(Tensor b) {
    Tensor big = b.broadcastTo(4, 3);
    Tensor back = big.mul(big).sumTo(1, 3);
    return back.exp().sum().item();
  }

  /** x [4,3], b [3]: a bias broadcast over rows, on either side of the op. */
  @Differentiable
  static double broadcastBias(Tensor x, Tensor b) {
    Tensor y = x.add(b).mul(b).sub(b.square());
    Tensor z = b.sub(x).div(b.add(3.0));
    return y.sum().item() + z.square().sum().item();
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Reductions and scalars

  /** x [3,4]: sum(), sum(dim), sum(dim, keepdim) both ways. */
  @Differentiable
  static double sums(Tensor x) {
    double all = x.sum().item();
    Tensor rows = x.sum(1);
    Tensor cols = x.sum(0, true);
    Tensor kept = x.sum(1, false);
    return all * all + rows.square().sum().item() + cols.exp().sum().item() + kept.mul(rows).mean().item();
  }

  /** x [3,4]: mean(), mean(dim), mean(dim, keepdim). */
  @Differentiable
  static double means(Tensor x) {
    Tensor m = x.mean();
    Tensor r = x.mean(1);
    Tensor c = x.mean(0, true);
    return m.item() * r.square().sum().item() + x.sub(c).square().mean().item();
  }

  /** x [3,4], distinct elements: max(), max(dim), max(dim, keepdim). */
  @Differentiable
  static double maxes(Tensor x) {
    Tensor m = x.max();
    Tensor r = x.max(1);
    Tensor c = x.max(0, true);
    return m.item() + r.exp().sum().item() + x.sub(c).square().sum().item();
  }

  /** x [2,3]: item and get as doubles. */
  @Differentiable
  static double itemAndGet(Tensor x) {
    double s = x.sum().item();
    double e = x.get(1, 2);
    return s * e + x.get(0, 0) * x.get(0, 0);
  }

  /** x [5]: a double computed from x feeds back into tensor ops on x. */
  @Differentiable
  static double itemFeedsBack(Tensor x) {
    double s = x.mean().item();
    Tensor c = x.sub(s);
    return c.mul(s).square().sum().item();
  }

  /** t [2,3]: the brief's mix of double scalars, {@code s * s + Math.sin(a)}. */
  @Differentiable
  static double mixDoubles(Tensor t, double a) {
    double s = t.sum().item();
    return s * s + Math.sin(a);
  }

  /** x [3]: Tensor.scalar of an active double. */
  @Differentiable
  static double scalarFactory(Tensor x, double a) {
    Tensor s = Tensor.scalar(a);
    return x.mul(s).exp().sum().item();
  }

  /** x [3]: a constant tensor read from a static field. */
  @Differentiable
  static double staticFieldConstant(Tensor x) {
    return x.mul(WEIGHTS).square().sum().item();
  }

  /** x [2,2]: copy. */
  @Differentiable
  static double copyOp(Tensor x) {
    Tensor y = x.copy();
    return y.mul(x).sum().item();
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Layers

  /** x [3,4], w [4,2], b [2]. */
  @Differentiable
  static double linearWithBias(Tensor x, Tensor w, Tensor b) {
    return Layers.linear(x, w, b).tanh().sum().item();
  }

  /** x [3,4], w [4,2]. */
  @Differentiable
  static double linearNoBias(Tensor x, Tensor w) {
    return Layers.linear(x, w).square().mean().item();
  }

  /** x [2,2,5,5], w [3,2,3,3], b [3]: stride 2, padding 1. */
  @Differentiable
  static double conv2dWithBias(Tensor x, Tensor w, Tensor b) {
    Tensor y = Layers.conv2d(x, w, b, 2, 1);
    return y.tanh().sum().item();
  }

  /** x [1,1,5,5], w [2,1,2,2]: stride 1, no padding, then 2×2 average pooling. */
  @Differentiable
  static double conv2dNoBiasAvgPool(Tensor x, Tensor w) {
    Tensor y = Layers.conv2d(x, w, 1, 0);
    Tensor p = Layers.avgPool2d(y, 2, 2);
    return p.square().sum().item();
  }

  /** x [1,2,4,4]: overlapping average pooling (kernel 3, stride 1). */
  @Differentiable
  static double avgPoolOverlapping(Tensor x) {
    return Layers.avgPool2d(x, 3, 1).exp().sum().item();
  }

  /** x [1,2,4,4], distinct elements: max pooling. */
  @Differentiable
  static double maxPool(Tensor x) {
    Tensor p = Layers.maxPool2d(x, 2, 2);
    return p.mul(p).sum().item();
  }

  /** x [3,4], mask [3,4] a constant dropout mask (no component in the record). */
  @Differentiable
  static double dropoutMasked(Tensor x, @NoDerivative Tensor mask) {
    return Layers.dropout(x, mask).sigmoid().sum().item();
  }

  /** x, mask [3,4]: dropout with a differentiated mask (its rule gy * x). */
  @Differentiable
  static double dropoutActiveMask(Tensor x, Tensor mask) {
    return Layers.dropout(x, mask).square().sum().item();
  }

  /** x, w [3,4]: softmax over both dims, logSoftmax over dim -1. */
  @Differentiable
  static double softmaxes(Tensor x, Tensor w) {
    Tensor p = Layers.softmax(x, 1);
    Tensor lp = Layers.logSoftmax(x, -1);
    Tensor q = Layers.softmax(x, 0);
    return p.mul(w).sum().item() + lp.mul(w).sum().item() + q.mul(w).square().sum().item();
  }

  /** x [2,3] away from 0: Layers.relu, sigmoid, tanh. */
  @Differentiable
  static double layerActivations(Tensor x) {
    return Layers.relu(x).add(Layers.sigmoid(x)).mul(Layers.tanh(x)).sum().item();
  }

  // ---------------------------------------------------------------------------------------------
  // 6. Losses

  /** pred, target [3,2]: both differentiated. */
  @Differentiable
  static double mse(Tensor pred, Tensor target) {
    return Loss.mse(pred.tanh(), target).item();
  }

  /** logits [4,3], labels in [0, 3): an int[] is a constant without any annotation. */
  @Differentiable
  static double crossEntropyLabels(Tensor logits, int[] labels) {
    return Loss.crossEntropy(logits, labels).item();
  }

  /** logits, probs [3,4]: soft labels, both differentiated. */
  @Differentiable
  static double crossEntropyProbs(Tensor logits, Tensor probs) {
    return Loss.crossEntropy(logits, probs).item();
  }

  /** z, targets [2,3], targets in (0, 1): BCE of sigmoid(z). */
  @Differentiable
  static double binaryCrossEntropy(Tensor z, Tensor targets) {
    return Loss.binaryCrossEntropy(z.sigmoid(), targets).item();
  }

  /** logits, targets [2,3]. */
  @Differentiable
  static double binaryCrossEntropyWithLogits(Tensor logits, Tensor targets) {
    return Loss.binaryCrossEntropyWithLogits(logits, targets).item();
  }

  // ---------------------------------------------------------------------------------------------
  // 6b. The ops of issue 15: trigonometry, selection, slicing, indexing, cat/stack, activations, norms

  /** x [2,3]: sin and cos, x used twice. */
  @Differentiable
  static double sinCos(Tensor x) {
    return x.sin().mul(x.cos().add(2.0)).sum().item();
  }

  /** x [3,4] away from the bounds, a [4], b [3,1]: clamp, then minimum and maximum with broadcasting. */
  @Differentiable
  static double clampMinMax(Tensor x, Tensor a, Tensor b) {
    Tensor c = x.clamp(-0.5, 0.6);
    return c.minimum(a).add(c.maximum(b)).square().sum().item();
  }

  /** x [3,4] away from 0, y [4]: where with a comparison mask (no derivative) and a broadcast operand. */
  @Differentiable
  static double whereMask(Tensor x, Tensor y) {
    Tensor m = x.gt(0.0);
    return Tensor.where(m, x.mul(y), y.square()).sum().item();
  }

  /** x [3,5]: logsumexp over rows, keepdim, then broadcast back (a log-softmax by hand). */
  @Differentiable
  static double logsumexpRows(Tensor x) {
    Tensor lse = x.logsumexp(1, true);
    return x.sub(lse).mul(x).sum().item() + x.logsumexp(0).sum().item();
  }

  /** x [4,6]: narrow, select and indexSelect (with a repeated row) of one tensor. */
  @Differentiable
  static double slices(Tensor x, int[] rows) {
    Tensor a = x.narrow(1, 2, 3);
    Tensor b = x.select(0, 1);
    Tensor c = x.indexSelect(0, rows);
    return a.square().sum().item() + b.mul(b.sin()).sum().item() + c.tanh().sum().item();
  }

  /** a [2,3], b [2,2]: cat along dim 1 and stack of two [2,5] tensors (the two-tensor forms). */
  @Differentiable
  static double catStack(Tensor a, Tensor b) {
    Tensor c = Tensor.cat(a, b, 1);
    Tensor s = Tensor.stack(c, c.sin(), 0);
    return s.square().sum().item() + c.sum().item();
  }

  /** x [3,4] away from 0: softplus, GELU (erf and tanh forms) and leaky ReLU with a differentiated slope. */
  @Differentiable
  static double activations(Tensor x, double slope) {
    Tensor a = Activations.softplus(x).add(Activations.gelu(x));
    Tensor b = Activations.geluTanh(x).mul(Activations.leakyRelu(x, slope));
    return a.mul(b).sum().item();
  }

  /** x [3,5], w, b [5], table [6,5], ids: layer norm of an embedding lookup plus x. */
  @Differentiable
  static double layerNormEmbedding(Tensor x, Tensor w, Tensor b, Tensor table, int[] ids) {
    Tensor e = Layers.embedding(table, ids).add(x);
    Tensor h = Layers.layerNorm(e, w, b);
    return h.mul(h.sin()).sum().item() + Layers.layerNorm(x, w, b, 0.1).square().sum().item();
  }

  // ---------------------------------------------------------------------------------------------
  // 7. Control flow mixed with tensors

  /** x [2,3], w [3,3]: a layer applied k times, h re-assigned in a loop. */
  @Differentiable
  static double repeatedLayer(Tensor x, Tensor w, int k) {
    Tensor h = x;
    for (int i = 0; i < k; i++) {
      h = h.matmul(w).tanh();
    }
    return h.sum().item();
  }

  /** t, u [4]: a branch on a tensor's value; r is declared without an initializer. */
  @Differentiable
  static double branchOnValue(Tensor t, Tensor u) {
    Tensor r;
    if (t.sum().item() > 0) {
      r = t.mul(u);
    } else {
      r = t.exp().sub(u);
    }
    return r.square().sum().item();
  }

  /** x, w [3]: an early return from inside a loop once the norm passes {@code limit}. */
  @Differentiable
  static double earlyReturn(Tensor x, Tensor w, double limit) {
    Tensor h = x;
    for (int i = 0; i < 10; i++) {
      h = h.mul(w).add(x);
      double n = h.square().sum().item();
      if (n > limit) {
        return n + limit;
      }
    }
    return h.sum().item();
  }

  /** x [3]: a while loop whose trip count depends on the tensor's values. */
  @Differentiable
  static double whileUntil(Tensor x) {
    Tensor h = x;
    int steps = 0;
    while (h.abs().max().item() < 4.0 && steps < 20) {
      h = h.mul(1.5).add(0.1);
      steps++;
    }
    return h.sum().item() * steps;
  }

  /** x, w [3]: a tensor accumulated in a loop from a factory's zeros. */
  @Differentiable
  static double accumulateInLoop(Tensor x, Tensor w) {
    Tensor acc = Tensor.zeros(3);
    for (int i = 0; i < 3; i++) {
      acc = acc.add(x.mul(i + 1.0).mul(w));
    }
    return acc.square().sum().item();
  }

  /**
   * x [3]: a boolean flag choosing between two tensors. (Written as if/else: the ternary
   * {@code Tensor y = flag ? x.exp() : x.neg();} is rejected with ADJ210, reported twice.)
   */
  @Differentiable
  static double flagChoosesTensor(Tensor x, boolean flag) {
    Tensor y;
    if (flag) {
      y = x.exp();
    } else {
      y = x.neg();
    }
    return y.sum().item();
  }

  /** x [3]: a Tensor parameter re-assigned at the top level. */
  @Differentiable
  static double reassignParameter(Tensor x) {
    x = x.mul(2.0);
    x = x.tanh();
    return x.sum().item();
  }

  /** x, y [3]: y only reaches the result on one branch (zeros in the record otherwise). */
  @Differentiable
  static double branchOnlyParameter(Tensor x, Tensor y) {
    if (x.sum().item() > 0) {
      return x.square().sum().item();
    }
    return x.mul(y).sum().item();
  }

  /** a, b [3]: the helper the next method calls. */
  @Differentiable
  static double helper(Tensor a, Tensor b) {
    return a.mul(b).sum().item();
  }

  /**
   * x, y [3]: calls a @Differentiable helper over tensors (same class), with expression arguments
   * and the same tensor for both parameters. Every call's adjoint is exactly 1: a call whose result
   * is scaled ({@code double p = helper(x, y); return p * p;}) generates {@code pBar * helper2.a()},
   * a double times a Tensor, and the generated class does not compile.
   */
  @Differentiable
  static double callsHelper(Tensor x, Tensor y) {
    return helper(x, y) + helper(x.exp(), y.mul(2.0)) + helper(y, y);
  }

  /** t [3]: doubles from the tensor flow back into tensor ops and into Math. */
  @Differentiable
  static double mixDoublesBack(Tensor t, double a) {
    double s = t.sum().item() * a;
    Tensor u = t.mul(Math.exp(s * 0.1)).add(a);
    return u.sum().item() + Math.cos(s);
  }

  /** x, y [3]: only x is differentiated ({@code wrt}); y has no component in the record. */
  @Differentiable(wrt = {"x"})
  static double wrtOnly(Tensor x, Tensor y) {
    return x.mul(y).exp().sum().item();
  }

  /** x [3]: a Tensor parameter re-assigned inside a loop. */
  @Differentiable
  static double reassignParameterInLoop(Tensor x, int k) {
    for (int i = 0; i < k; i++) {
      x = x.tanh().mul(1.5);
    }
    return x.sum().item();
  }

  /** x [3]: a tensor local declared inside the loop body, the previous value used twice. */
  @Differentiable
  static double previousInLoop(Tensor x, int k) {
    Tensor h = x;
    for (int i = 0; i < k; i++) {
      Tensor prev = h;
      h = h.mul(prev).add(x);
    }
    return h.sum().item();
  }

  /** x [3]: a branch on the tensor's value inside a loop. */
  @Differentiable
  static double branchInLoop(Tensor x, int k) {
    Tensor h = x;
    for (int i = 0; i < k; i++) {
      if (h.sum().item() > 1) {
        h = h.mul(0.5);
      } else {
        h = h.exp();
      }
    }
    return h.sum().item();
  }

  /** x [3]: break out of a loop on a tensor's value. */
  @Differentiable
  static double breakOnValue(Tensor x) {
    Tensor h = x;
    for (int i = 0; i < 10; i++) {
      h = h.mul(1.7);
      if (h.sum().item() > 5) {
        break;
      }
    }
    return h.square().sum().item();
  }

  /** x [3]: do/while on a tensor's value. */
  @Differentiable
  static double doWhileOnValue(Tensor x) {
    Tensor h = x;
    do {
      h = h.mul(2.0);
    } while (h.sum().item() < 10);
    return h.sum().item();
  }

  /** x [3]: continue inside a loop over tensors. */
  @Differentiable
  static double continueInLoop(Tensor x) {
    Tensor h = x;
    for (int i = 0; i < 4; i++) {
      if (i == 1) {
        continue;
      }
      h = h.add(x.mul(i));
    }
    return h.square().sum().item();
  }

  /** x, w [3]: nested loops re-assigning one tensor. */
  @Differentiable
  static double nestedLoops(Tensor x, Tensor w) {
    Tensor h = x;
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        h = h.mul(w).tanh();
      }
      h = h.add(x);
    }
    return h.sum().item();
  }

  /** x [3]: an arrow switch on an int choosing the op. */
  @Differentiable
  static double switchOnInt(Tensor x, int k) {
    Tensor y = x;
    switch (k) {
      case 0 -> y = x.exp();
      case 1 -> y = x.tanh();
      default -> y = x.square();
    }
    return y.sum().item();
  }

  /** x, w [3]: doubles read from tensors accumulated in a loop (s += ..., products of items). */
  @Differentiable
  static double itemsAccumulatedInLoop(Tensor x, Tensor w) {
    double s = 0;
    Tensor h = x;
    for (int i = 0; i < 3; i++) {
      h = h.mul(w);
      s += h.sum().item() * h.max().item();
    }
    return s;
  }

  /** x [3]: get(i) in a loop, compound assignments of doubles from tensors. */
  @Differentiable
  static double getInLoop(Tensor x, double a) {
    double s = 0;
    for (int i = 0; i < 3; i++) {
      s += x.get(i) * x.get(i);
    }
    s *= a;
    s -= x.max().item();
    return s;
  }

  /** x [3] away from 0: a comparison mask (derivative zero) as a relu. */
  @Differentiable
  static double maskAsRelu(Tensor x) {
    return x.mul(x.gt(0.0)).square().sum().item();
  }

  /** x [3]: a tensor declared inside a branch. */
  @Differentiable
  static double declaredInBranch(Tensor x) {
    double s = 0;
    if (x.sum().item() > 0) {
      Tensor y = x.exp();
      s = y.sum().item();
    }
    return s + x.square().sum().item();
  }

  /** x, unused [3]: a parameter the result never reads gets zeros (and warning ADJ301). */
  @Differentiable
  static double unusedParameter(Tensor x, Tensor unused) {
    return x.sum().item();
  }

  // ---------------------------------------------------------------------------------------------
  // 8. A model class: Tensor fields are its parameters

  /** A small model: w [3,4], b [4] trainable, frozen [4] with requiresGrad(false). */
  static final class Model {
    final Tensor w;
    final Tensor b;
    final Tensor frozen;

    Model(Tensor w, Tensor b, Tensor frozen) {
      this.w = w.requiresGrad(true);
      this.b = b.requiresGrad(true);
      this.frozen = frozen.requiresGrad(false);
    }

    /** x [n,3] constant, labels in [0, 4): a classifier with a differentiated temperature. */
    @Differentiable
    double loss(@NoDerivative Tensor x, @NoDerivative int[] labels, double scale) {
      Tensor h = Layers.linear(x, w, b).tanh();
      Tensor logits = h.mul(frozen).mul(scale);
      return Loss.crossEntropy(logits, labels).item();
    }

    /** x [n,3] differentiated: the record holds x's gradient, the fields' go into grad(). */
    @Differentiable
    double features(Tensor x) {
      return Layers.linear(x, this.w, this.b).sigmoid().sum().item();
    }

    /** The features as a static method: the tensors it reads are arguments, so a caller can scale them. */
    @Differentiable
    static double featuresOf(Tensor x, Tensor w, Tensor b) {
      return Layers.linear(x, w, b).sigmoid().sum().item();
    }

    /**
     * x [n,3]: a scaled call of a static helper that receives the model's fields as arguments
     * (calling an instance method of a model from another is ADJ225: its field gradients could not
     * be scaled by the call's adjoint).
     */
    @Differentiable
    double viaHelper(Tensor x) {
      double f = featuresOf(x, this.w, this.b);
      return f * f + this.b.square().sum().item();
    }

    /** x [n,3] constant: the fields read inside a loop. */
    @Differentiable
    double loopOverFields(@NoDerivative Tensor x, int k) {
      Tensor h = x;
      for (int i = 0; i < k; i++) {
        h = h.matmul(w).add(b).tanh().matmul(w.transpose());
      }
      return h.square().sum().item();
    }
  }
}

/** A top-level model class in the same file: one trainable matrix and one frozen bias. */
final class TinyNet {
  final Tensor w;
  final Tensor bias;

  TinyNet(Tensor w, Tensor bias, boolean trainBias) {
    this.w = w.requiresGrad(true);
    this.bias = bias.requiresGrad(trainBias);
  }

  /** x [n,2], target [n,2], both constant. */
  @Differentiable
  double loss(@NoDerivative Tensor x, @NoDerivative Tensor target) {
    Tensor y = x.matmul(w).add(bias).sigmoid();
    return Loss.mse(y, target).item();
  }
}
