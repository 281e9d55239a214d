package dev.adjoint.tensor;

import dev.adjoint.Jvp;
import java.util.Arrays;
import java.util.Random;

/**
 * An n-dimensional, row-major, contiguous array of {@code double} with its reverse (vector–Jacobian) rules.
 *
 * <h2>Values</h2>
 * A tensor is a {@code double[] data} plus an {@code int[] shape}; a 0-d tensor (shape {@code []}) holds one
 * element. Every operation returns a <em>new</em> tensor with its own array (there are no views), so a result
 * never aliases an input. {@link #of} copies its array; {@link #wrap} shares it. {@link #data()} is the live
 * backing array, for optimizers and hand-written fast code. Element-wise operations follow NumPy broadcasting.
 * {@code equals}/{@code hashCode} are identity-based (a tensor is a mutable object); compare values with
 * {@link #allClose}.
 *
 * <h2>Gradients</h2>
 * {@link #requiresGrad(boolean)} marks a parameter; {@link #grad()} is null until {@link #accumulateGrad}
 * adds into it (copying on first use, so the gradient never aliases the tensor passed in); {@link #zeroGrad()}
 * fills an existing gradient with zeros and leaves a null one null (PyTorch prints 0 after {@code zero_grad}).
 *
 * <h2>The reverse-rule convention (generated code calls these)</h2>
 * For every differentiable op {@code y = op(in0, in1, ...)} there is, <em>in the class of the op</em>, one
 * {@code public static} method per differentiable input, named {@code <op>Vjp<Input>} where {@code <Input>} is
 * {@code Self} for the receiver of an instance method and otherwise the parameter's name with its first letter
 * upper-cased. Its parameters are {@code (gy, y, <the op's own inputs in order, receiver first>)}, where
 * {@code gy} (the adjoint of {@code y}) has {@code y}'s type — {@code Tensor}, or {@code double} for ops
 * returning {@code double} such as {@link #item()}, or {@code double[]} for {@link #toArray()}. It returns the
 * vector–Jacobian product for that input, with the input's own type and shape: a {@code Tensor} of the input's
 * shape, or, for a {@code double} input, a {@code double} (the sum over every element it touched). Examples:
 * {@code mulVjpSelf(Tensor gy, Tensor y, Tensor self, Tensor other)},
 * {@code double mulVjpOther(Tensor gy, Tensor y, Tensor self, double other)},
 * {@code sumVjpSelf(Tensor gy, Tensor y, Tensor self, int dim, boolean keepdim)},
 * {@code itemVjpSelf(double gy, double y, Tensor self)}.
 * <ul>
 *   <li>Broadcasting: the adjoint of a broadcast input is summed over the broadcast axes ({@link #sumTo}).</li>
 *   <li>No Jacobian is ever materialised: matmul's rules are {@code gy·Bᵀ} and {@code Aᵀ·gy}.</li>
 *   <li>Rules never mutate their arguments. A rule <b>may return {@code gy} itself</b> when the product is
 *       exactly {@code gy} (e.g. {@code addVjpSelf} with equal shapes); it never returns any other argument.
 *       Treat adjoints as immutable values: combine them with {@link #accumulate(Tensor, Tensor)} (which never
 *       mutates) and hand them to parameters with {@link #accumulateGrad} (which copies on first use).</li>
 *   <li>Ops without a rule have zero or no derivative: comparison masks ({@link #gt} ...), factories
 *       such as {@link #zeros} and {@link #zerosLike}, and the mutator {@link #set}.</li>
 *   <li>Rules check that {@code gy} has {@code y}'s shape and throw IllegalArgumentException otherwise.</li>
 * </ul>
 *
 * <h2>Forward rules</h2>
 * Beside each reverse rule is the forward rule (Jacobian–vector product) for the same input, declared with
 * {@link dev.adjoint.Jvp @Jvp(of = "op", wrt = "input")}: {@code (dInput, y, <the op's inputs>)} → the tangent of
 * {@code y} along {@code dInput}, e.g. {@code mulJvpOther(Tensor dOther, Tensor y, Tensor self, Tensor other)}.
 * Linear ops apply themselves to the tangent; products follow the product rule; an element-wise op's Jacobian is
 * diagonal, so its forward rule is its reverse rule applied to the tangent (one formula per derivative).
 */
public final class Tensor {
  private final double[] data;
  private final int[] shape;
  private boolean requiresGrad;
  private Tensor grad;
  private Tensor tangent;

  private Tensor(double[] data, int[] shape) {
    this.data = data;
    this.shape = shape;
  }

  // ------------------------------------------------------------------------------------------------ factories

  /** A 0-d tensor (shape {@code []}) holding {@code value}. */
  public static Tensor scalar(double value) {
    return new Tensor(new double[] {value}, new int[0]);
  }

  /** A tensor of {@code shape} holding a <b>copy</b> of {@code data}; the product of the shape must equal its length. */
  public static Tensor of(double[] data, int... shape) {
    checkLength("of", data, shape);
    return new Tensor(data.clone(), shape.clone());
  }

  /** Like {@link #of} but <b>shares</b> {@code data}: later writes to the array are seen by the tensor. */
  public static Tensor wrap(double[] data, int... shape) {
    checkLength("wrap", data, shape);
    return new Tensor(data, shape.clone());
  }

  /** A 1-d tensor of the given values (a copy). */
  public static Tensor vector(double... values) {
    return new Tensor(values.clone(), new int[] {values.length});
  }

  /** A 2-d tensor from rows of equal length (a copy). */
  public static Tensor matrix(double[][] rows) {
    int m = rows.length;
    int n = m == 0 ? 0 : rows[0].length;
    double[] d = new double[m * n];
    for (int i = 0; i < m; i++) {
      if (rows[i].length != n) {
        throw new IllegalArgumentException("matrix: row " + i + " has length " + rows[i].length + ", expected " + n);
      }
      System.arraycopy(rows[i], 0, d, i * n, n);
    }
    return new Tensor(d, new int[] {m, n});
  }

  /** Zeros of the given shape. */
  public static Tensor zeros(int... shape) {
    return new Tensor(new double[Shapes.product(shape)], shape.clone());
  }

  /** Ones of the given shape. */
  public static Tensor ones(int... shape) {
    return full(1.0, shape);
  }

  /** A tensor of the given shape filled with {@code value}. */
  public static Tensor full(double value, int... shape) {
    double[] d = new double[Shapes.product(shape)];
    Arrays.fill(d, value);
    return new Tensor(d, shape.clone());
  }

  /** Standard normal samples drawn from {@code rng} in row-major order (deterministic for a seeded rng). */
  public static Tensor randn(Random rng, int... shape) {
    double[] d = new double[Shapes.product(shape)];
    for (int i = 0; i < d.length; i++) {
      d[i] = rng.nextGaussian();
    }
    return new Tensor(d, shape.clone());
  }

  /** Uniform samples in {@code [lo, hi)} drawn from {@code rng}. */
  public static Tensor rand(Random rng, double lo, double hi, int... shape) {
    double[] d = new double[Shapes.product(shape)];
    for (int i = 0; i < d.length; i++) {
      d[i] = lo + (hi - lo) * rng.nextDouble();
    }
    return new Tensor(d, shape.clone());
  }

  /** Zeros with the shape of {@code t}. */
  public static Tensor zerosLike(Tensor t) {
    return zeros(t.shape);
  }

  /** Ones with the shape of {@code t}. */
  public static Tensor onesLike(Tensor t) {
    return ones(t.shape);
  }

  /** A copy of the values (no gradient, not requiring grad). */
  public Tensor copy() {
    return new Tensor(data.clone(), shape.clone());
  }

  private static void checkLength(String op, double[] data, int[] shape) {
    if (Shapes.product(shape) != data.length) {
      throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " has "
          + Shapes.product(shape) + " elements but the data array has length " + data.length);
    }
  }

  // ------------------------------------------------------------------------------------------------ accessors

  /** The shape (a copy). */
  public int[] shape() {
    return shape.clone();
  }

  /** The number of dimensions (0 for a scalar tensor). */
  public int dim() {
    return shape.length;
  }

  /** The number of elements. */
  public int size() {
    return data.length;
  }

  /** The extent of dimension {@code dim} (negative counts from the end). */
  public int size(int dim) {
    return shape[Shapes.dim("size", dim, shape.length)];
  }

  /** True if this tensor's shape equals {@code other}. */
  public boolean sameShape(int... other) {
    return Arrays.equals(shape, other);
  }

  /** The single element of a one-element tensor (of any rank). */
  public double item() {
    if (data.length != 1) {
      throw new IllegalArgumentException("item: only one-element tensors can be converted to a double, got shape "
          + Arrays.toString(shape));
    }
    return data[0];
  }

  /** The element at a full index (negative indices are not allowed). */
  public double get(int... index) {
    return data[offset("get", index)];
  }

  /** Writes {@code value} at a full index (a mutation: not differentiable). Returns this. */
  public Tensor set(double value, int... index) {
    data[offset("set", index)] = value;
    return this;
  }

  private int offset(String op, int[] index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(op + ": index " + Arrays.toString(index) + " has " + index.length
          + " components but the tensor has shape " + Arrays.toString(shape));
    }
    int off = 0;
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new IllegalArgumentException(op + ": index " + Arrays.toString(index) + " out of bounds for shape "
            + Arrays.toString(shape));
      }
      off = off * shape[i] + index[i];
    }
    return off;
  }

  /** A copy of the elements in row-major order. */
  public double[] toArray() {
    return data.clone();
  }

  /** The live backing array (row-major). Writes change this tensor; meant for optimizers and fast code. */
  public double[] data() {
    return data;
  }

  // ------------------------------------------------------------------------------------------------ gradients

  /** Marks (or unmarks) this tensor as a parameter whose gradient is accumulated. Returns this. */
  public Tensor requiresGrad(boolean flag) {
    this.requiresGrad = flag;
    return this;
  }

  /** Whether gradients are accumulated into this tensor. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** The accumulated gradient, or null if none has arrived (or after {@link #clearGrad()}). */
  public Tensor grad() {
    return grad;
  }

  /** Fills an existing gradient with zeros; a null gradient stays null. */
  public void zeroGrad() {
    if (grad != null) {
      Arrays.fill(grad.data, 0.0);
    }
  }

  /** Drops the gradient (sets it to null), like PyTorch's {@code zero_grad(set_to_none=True)}. */
  public void clearGrad() {
    grad = null;
  }

  /** Adds {@code g} into the gradient, allocating (as a copy of g) on first use; shapes must match exactly. */
  public void accumulateGrad(Tensor g) {
    if (!Arrays.equals(g.shape, shape)) {
      throw new IllegalArgumentException("accumulateGrad: gradient of shape " + Arrays.toString(g.shape)
          + " does not match tensor of shape " + Arrays.toString(shape));
    }
    if (grad == null) {
      grad = new Tensor(g.data.clone(), shape.clone());
    } else {
      double[] a = grad.data;
      double[] b = g.data;
      Parallel.range(a.length, (lo, hi) -> {
        for (int i = lo; i < hi; i++) {
          a[i] += b[i];
        }
      });
    }
  }

  /**
   * The direction of this tensor in forward mode, when it is a model's parameter: a model's {@code mJvp} reads
   * each parameter's tangent from here (null, the default, is a zero direction), as its pullback adds each
   * parameter's gradient into {@link #grad()}. Like PyTorch's dual tensors ({@code fwAD.make_dual}).
   */
  public Tensor tangent() {
    return tangent;
  }

  /** Sets (null: clears) this parameter's forward-mode direction; its shape must be this tensor's. Returns this. */
  public Tensor setTangent(Tensor t) {
    if (t != null && !Arrays.equals(t.shape, shape)) {
      throw new IllegalArgumentException("setTangent: tangent of shape " + Arrays.toString(t.shape)
          + " does not match tensor of shape " + Arrays.toString(shape));
    }
    this.tangent = t;
    return this;
  }

  /** {@code acc == null ? g : acc.add(g)}: sums adjoints without mutating either (for generated code). */
  public static Tensor accumulate(Tensor acc, Tensor g) {
    return acc == null ? g : acc.add(g);
  }

  // ------------------------------------------------------------------------------------------------ binary ops

  private Tensor binary(String name, int op, Tensor other) {
    int[][] os = new int[1][];
    double[] out = Broadcast.apply(name, op, data, shape, other.data, other.shape, os);
    return new Tensor(out, os[0] == shape ? shape.clone() : os[0]);
  }

  private Tensor binary(int op, double other) {
    double[] out = new double[data.length];
    double[] b = {other};
    Parallel.range(out.length, (lo, hi) -> Broadcast.row(op, data, lo, 1, b, 0, 0, out, lo, hi - lo));
    return new Tensor(out, shape.clone());
  }

  /** {@code this + other} with broadcasting. */
  public Tensor add(Tensor other) {
    return binary("add", Broadcast.ADD, other);
  }

  /** {@code this + other}. */
  public Tensor add(double other) {
    return binary(Broadcast.ADD, other);
  }

  /** {@code this - other} with broadcasting. */
  public Tensor sub(Tensor other) {
    return binary("sub", Broadcast.SUB, other);
  }

  /** {@code this - other}. */
  public Tensor sub(double other) {
    return binary(Broadcast.SUB, other);
  }

  /** {@code other - this} (reverse subtraction). */
  public Tensor rsub(double other) {
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = other - data[i];
      }
    });
    return new Tensor(out, shape.clone());
  }

  /** {@code this * other} (element-wise) with broadcasting. */
  public Tensor mul(Tensor other) {
    return binary("mul", Broadcast.MUL, other);
  }

  /** {@code this * other}. */
  public Tensor mul(double other) {
    return binary(Broadcast.MUL, other);
  }

  /** {@code this / other} (element-wise) with broadcasting. */
  public Tensor div(Tensor other) {
    return binary("div", Broadcast.DIV, other);
  }

  /** {@code this / other}. */
  public Tensor div(double other) {
    return binary(Broadcast.DIV, other);
  }

  /** {@code other / this} (reverse division). */
  public Tensor rdiv(double other) {
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = other / data[i];
      }
    });
    return new Tensor(out, shape.clone());
  }

  /** Mask {@code this > other} as 0/1 (no derivative). */
  public Tensor gt(Tensor other) {
    return binary("gt", Broadcast.GT, other);
  }

  /** Mask {@code this > other} as 0/1 (no derivative). */
  public Tensor gt(double other) {
    return binary(Broadcast.GT, other);
  }

  /** Mask {@code this < other} as 0/1 (no derivative). */
  public Tensor lt(Tensor other) {
    return binary("lt", Broadcast.LT, other);
  }

  /** Mask {@code this < other} as 0/1 (no derivative). */
  public Tensor lt(double other) {
    return binary(Broadcast.LT, other);
  }

  /** Mask {@code this >= other} as 0/1 (no derivative). */
  public Tensor ge(Tensor other) {
    return binary("ge", Broadcast.GE, other);
  }

  /** Mask {@code this >= other} as 0/1 (no derivative). */
  public Tensor ge(double other) {
    return binary(Broadcast.GE, other);
  }

  /** Mask {@code this <= other} as 0/1 (no derivative). */
  public Tensor le(Tensor other) {
    return binary("le", Broadcast.LE, other);
  }

  /** Mask {@code this <= other} as 0/1 (no derivative). */
  public Tensor le(double other) {
    return binary(Broadcast.LE, other);
  }

  /** Mask {@code this == other} as 0/1 (no derivative). */
  public Tensor eq(Tensor other) {
    return binary("eq", Broadcast.EQ, other);
  }

  /** Mask {@code this == other} as 0/1 (no derivative). */
  public Tensor eq(double other) {
    return binary(Broadcast.EQ, other);
  }

  // ---- rules of the binary ops

  /** Checks that an adjoint has the shape of the value it is the adjoint of. */
  static void expectShape(String rule, Tensor gy, int[] expected) {
    if (!Arrays.equals(gy.shape, expected)) {
      throw new IllegalArgumentException(rule + ": gy has shape " + Arrays.toString(gy.shape)
          + " but y has shape " + Arrays.toString(expected));
    }
  }

  /** {@code g} summed down to {@code target}; returns {@code g} itself when the shapes already match. */
  private static Tensor reduceTo(Tensor g, int[] target) {
    return Arrays.equals(g.shape, target) ? g : g.sumTo(target);
  }

  private static int[] broadcastShape(String op, Tensor a, Tensor b) {
    return Arrays.equals(a.shape, b.shape) ? a.shape : Shapes.broadcast(op, a.shape, b.shape);
  }

  /** Rule of {@link #add(Tensor)} for the receiver: {@code sumTo(gy, self.shape)}; may return gy. */
  public static Tensor addVjpSelf(Tensor gy, Tensor y, Tensor self, Tensor other) {
    expectShape("addVjpSelf", gy, broadcastShape("add", self, other));
    return reduceTo(gy, self.shape);
  }

  /** Rule of {@link #add(Tensor)} for {@code other}: {@code sumTo(gy, other.shape)}; may return gy. */
  public static Tensor addVjpOther(Tensor gy, Tensor y, Tensor self, Tensor other) {
    expectShape("addVjpOther", gy, broadcastShape("add", self, other));
    return reduceTo(gy, other.shape);
  }

  /** Rule of {@link #add(double)} for the receiver: gy (returned itself). */
  public static Tensor addVjpSelf(Tensor gy, Tensor y, Tensor self, double other) {
    expectShape("addVjpSelf", gy, self.shape);
    return gy;
  }

  /** Rule of {@link #add(double)} for {@code other}: the sum of gy. */
  public static double addVjpOther(Tensor gy, Tensor y, Tensor self, double other) {
    expectShape("addVjpOther", gy, self.shape);
    return sumOf(gy.data);
  }

  /** Rule of {@link #sub(Tensor)} for the receiver: {@code sumTo(gy, self.shape)}; may return gy. */
  public static Tensor subVjpSelf(Tensor gy, Tensor y, Tensor self, Tensor other) {
    expectShape("subVjpSelf", gy, broadcastShape("sub", self, other));
    return reduceTo(gy, self.shape);
  }

  /** Rule of {@link #sub(Tensor)} for {@code other}: {@code -sumTo(gy, other.shape)}. */
  public static Tensor subVjpOther(Tensor gy, Tensor y, Tensor self, Tensor other) {
    expectShape("subVjpOther", gy, broadcastShape("sub", self, other));
    return reduceTo(gy, other.shape).neg();
  }

  /** Rule of {@link #sub(double)} for the receiver: gy (returned itself). */
  public static Tensor subVjpSelf(Tensor gy, Tensor y, Tensor self, double other) {
    expectShape("subVjpSelf", gy, self.shape);
    return gy;
  }

  /** Rule of {@link #sub(double)} for {@code other}: minus the sum of gy. */
  public static double subVjpOther(Tensor gy, Tensor y, Tensor self, double other) {
    expectShape("subVjpOther", gy, self.shape);
    return -sumOf(gy.data);
  }

  /** Rule of {@link #rsub(double)} for the receiver: {@code -gy}. */
  public static Tensor rsubVjpSelf(Tensor gy, Tensor y, Tensor self, double other) {
    expectShape("rsubVjpSelf", gy, self.shape);
    return gy.neg();
  }

  /** Rule of {@link #rsub(double)} for {@code other}: the sum of gy. */
  public static double rsubVjpOther(Tensor gy, Tensor y, Tensor self, double other) {
    expectShape("rsubVjpOther", gy, self.shape);
    return sumOf(gy.data);
  }

  /** Rule of {@link #mul(Tensor)} for the receiver: {@code sumTo(gy * other, self.shape)}. */
  public static Tensor mulVjpSelf(Tensor gy, Tensor y, Tensor self, Tensor other) {
    expectShape("mulVjpSelf", gy, broadcastShape("mul", self, other));
    return reduceTo(gy.mul(other), self.shape);
  }

  /** Rule of {@link #mul(Tensor)} for {@code other}: {@code sumTo(gy * self, other.shape)}. */
  public static Tensor mulVjpOther(Tensor gy, Tensor y, Tensor self, Tensor other) {
    expectShape("mulVjpOther", gy, broadcastShape("mul", self, other));
    return reduceTo(gy.mul(self), other.shape);
  }

  /** Rule of {@link #mul(double)} for the receiver: {@code gy * other}. */
  public static Tensor mulVjpSelf(Tensor gy, Tensor y, Tensor self, double other) {
    expectShape("mulVjpSelf", gy, self.shape);
    return gy.mul(other);
  }

  /** Rule of {@link #mul(double)} for {@code other}: {@code sum(gy * self)}. */
  public static double mulVjpOther(Tensor gy, Tensor y, Tensor self, double other) {
    expectShape("mulVjpOther", gy, self.shape);
    return dot(gy.data, self.data);
  }

  /** Rule of {@link #div(Tensor)} for the receiver: {@code sumTo(gy / other, self.shape)}. */
  public static Tensor divVjpSelf(Tensor gy, Tensor y, Tensor self, Tensor other) {
    expectShape("divVjpSelf", gy, broadcastShape("div", self, other));
    return reduceTo(gy.div(other), self.shape);
  }

  /** Rule of {@link #div(Tensor)} for {@code other}: {@code -sumTo(gy * self / other², other.shape)}. */
  public static Tensor divVjpOther(Tensor gy, Tensor y, Tensor self, Tensor other) {
    expectShape("divVjpOther", gy, broadcastShape("div", self, other));
    // self/other² rather than y/other: the same value, but without relying on the caller's y.
    return reduceTo(gy.mul(self).div(other.square()), other.shape).neg();
  }

  /** Rule of {@link #div(double)} for the receiver: {@code gy / other}. */
  public static Tensor divVjpSelf(Tensor gy, Tensor y, Tensor self, double other) {
    expectShape("divVjpSelf", gy, self.shape);
    return gy.div(other);
  }

  /** Rule of {@link #div(double)} for {@code other}: {@code -sum(gy * self) / other²}. */
  public static double divVjpOther(Tensor gy, Tensor y, Tensor self, double other) {
    expectShape("divVjpOther", gy, self.shape);
    return -dot(gy.data, self.data) / (other * other);
  }

  /** Rule of {@link #rdiv(double)} for the receiver: {@code -gy * other / self²}. */
  public static Tensor rdivVjpSelf(Tensor gy, Tensor y, Tensor self, double other) {
    expectShape("rdivVjpSelf", gy, self.shape);
    double[] out = new double[self.data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        double x = self.data[i];
        out[i] = -gy.data[i] * other / (x * x);
      }
    });
    return new Tensor(out, self.shape.clone());
  }

  /** Rule of {@link #rdiv(double)} for {@code other}: {@code sum(gy / self)}. */
  public static double rdivVjpOther(Tensor gy, Tensor y, Tensor self, double other) {
    expectShape("rdivVjpOther", gy, self.shape);
    double s = 0;
    for (int i = 0; i < self.data.length; i++) {
      s += gy.data[i] / self.data[i];
    }
    return s;
  }

  // ---- forward rules of the binary ops (the tangent of y along one input's tangent; see dev.adjoint.Jvp)

  /** An input's tangent broadcast to the result's shape; the tangent itself when the shapes agree. */
  private static Tensor expand(Tensor d, int[] shape) {
    return Arrays.equals(d.shape, shape) ? d : d.broadcastTo(shape);
  }

  /** Forward rule of {@link #add(Tensor)} for the receiver: {@code dSelf} broadcast; may return dSelf. */
  @Jvp(of = "add", wrt = "self")
  public static Tensor addJvpSelf(Tensor dSelf, Tensor y, Tensor self, Tensor other) {
    expectShape("addJvpSelf", dSelf, self.shape);
    return expand(dSelf, broadcastShape("add", self, other));
  }

  /** Forward rule of {@link #add(Tensor)} for {@code other}: {@code dOther} broadcast; may return dOther. */
  @Jvp(of = "add", wrt = "other")
  public static Tensor addJvpOther(Tensor dOther, Tensor y, Tensor self, Tensor other) {
    expectShape("addJvpOther", dOther, other.shape);
    return expand(dOther, broadcastShape("add", self, other));
  }

  /** Forward rule of {@link #add(double)} for the receiver: dSelf (returned itself). */
  @Jvp(of = "add", wrt = "self")
  public static Tensor addJvpSelf(Tensor dSelf, Tensor y, Tensor self, double other) {
    expectShape("addJvpSelf", dSelf, self.shape);
    return dSelf;
  }

  /** Forward rule of {@link #add(double)} for {@code other}: dOther everywhere. */
  @Jvp(of = "add", wrt = "other")
  public static Tensor addJvpOther(double dOther, Tensor y, Tensor self, double other) {
    return full(dOther, self.shape);
  }

  /** Forward rule of {@link #sub(Tensor)} for the receiver: {@code dSelf} broadcast; may return dSelf. */
  @Jvp(of = "sub", wrt = "self")
  public static Tensor subJvpSelf(Tensor dSelf, Tensor y, Tensor self, Tensor other) {
    expectShape("subJvpSelf", dSelf, self.shape);
    return expand(dSelf, broadcastShape("sub", self, other));
  }

  /** Forward rule of {@link #sub(Tensor)} for {@code other}: {@code -dOther} broadcast. */
  @Jvp(of = "sub", wrt = "other")
  public static Tensor subJvpOther(Tensor dOther, Tensor y, Tensor self, Tensor other) {
    expectShape("subJvpOther", dOther, other.shape);
    return expand(dOther.neg(), broadcastShape("sub", self, other));
  }

  /** Forward rule of {@link #sub(double)} for the receiver: dSelf (returned itself). */
  @Jvp(of = "sub", wrt = "self")
  public static Tensor subJvpSelf(Tensor dSelf, Tensor y, Tensor self, double other) {
    expectShape("subJvpSelf", dSelf, self.shape);
    return dSelf;
  }

  /** Forward rule of {@link #sub(double)} for {@code other}: {@code -dOther} everywhere. */
  @Jvp(of = "sub", wrt = "other")
  public static Tensor subJvpOther(double dOther, Tensor y, Tensor self, double other) {
    return full(-dOther, self.shape);
  }

  /** Forward rule of {@link #rsub(double)} for the receiver: {@code -dSelf}. */
  @Jvp(of = "rsub", wrt = "self")
  public static Tensor rsubJvpSelf(Tensor dSelf, Tensor y, Tensor self, double other) {
    expectShape("rsubJvpSelf", dSelf, self.shape);
    return dSelf.neg();
  }

  /** Forward rule of {@link #rsub(double)} for {@code other}: dOther everywhere. */
  @Jvp(of = "rsub", wrt = "other")
  public static Tensor rsubJvpOther(double dOther, Tensor y, Tensor self, double other) {
    return full(dOther, self.shape);
  }

  /** Forward rule of {@link #mul(Tensor)} for the receiver: {@code dSelf * other}. */
  @Jvp(of = "mul", wrt = "self")
  public static Tensor mulJvpSelf(Tensor dSelf, Tensor y, Tensor self, Tensor other) {
    expectShape("mulJvpSelf", dSelf, self.shape);
    return dSelf.mul(other);
  }

  /** Forward rule of {@link #mul(Tensor)} for {@code other}: {@code self * dOther}. */
  @Jvp(of = "mul", wrt = "other")
  public static Tensor mulJvpOther(Tensor dOther, Tensor y, Tensor self, Tensor other) {
    expectShape("mulJvpOther", dOther, other.shape);
    return self.mul(dOther);
  }

  /** Forward rule of {@link #mul(double)} for the receiver: {@code dSelf * other}. */
  @Jvp(of = "mul", wrt = "self")
  public static Tensor mulJvpSelf(Tensor dSelf, Tensor y, Tensor self, double other) {
    expectShape("mulJvpSelf", dSelf, self.shape);
    return dSelf.mul(other);
  }

  /** Forward rule of {@link #mul(double)} for {@code other}: {@code self * dOther}. */
  @Jvp(of = "mul", wrt = "other")
  public static Tensor mulJvpOther(double dOther, Tensor y, Tensor self, double other) {
    return self.mul(dOther);
  }

  /** Forward rule of {@link #div(Tensor)} for the receiver: {@code dSelf / other}. */
  @Jvp(of = "div", wrt = "self")
  public static Tensor divJvpSelf(Tensor dSelf, Tensor y, Tensor self, Tensor other) {
    expectShape("divJvpSelf", dSelf, self.shape);
    return dSelf.div(other);
  }

  /** Forward rule of {@link #div(Tensor)} for {@code other}: {@code -self * dOther / other²}. */
  @Jvp(of = "div", wrt = "other")
  public static Tensor divJvpOther(Tensor dOther, Tensor y, Tensor self, Tensor other) {
    expectShape("divJvpOther", dOther, other.shape);
    return self.mul(dOther).div(other.square()).neg();
  }

  /** Forward rule of {@link #div(double)} for the receiver: {@code dSelf / other}. */
  @Jvp(of = "div", wrt = "self")
  public static Tensor divJvpSelf(Tensor dSelf, Tensor y, Tensor self, double other) {
    expectShape("divJvpSelf", dSelf, self.shape);
    return dSelf.div(other);
  }

  /** Forward rule of {@link #div(double)} for {@code other}: {@code -self * dOther / other²}. */
  @Jvp(of = "div", wrt = "other")
  public static Tensor divJvpOther(double dOther, Tensor y, Tensor self, double other) {
    return self.mul(-dOther / (other * other));
  }

  /** Forward rule of {@link #rdiv(double)} for the receiver: {@code -dSelf * other / self²}. */
  @Jvp(of = "rdiv", wrt = "self")
  public static Tensor rdivJvpSelf(Tensor dSelf, Tensor y, Tensor self, double other) {
    // the Jacobian is diagonal, so the forward rule is the reverse rule applied to the tangent
    return rdivVjpSelf(dSelf, y, self, other);
  }

  /** Forward rule of {@link #rdiv(double)} for {@code other}: {@code dOther / self}. */
  @Jvp(of = "rdiv", wrt = "other")
  public static Tensor rdivJvpOther(double dOther, Tensor y, Tensor self, double other) {
    return self.rdiv(dOther);
  }

  /** The sum of {@code a}, in fixed blocks above {@link Parallel#GRAIN} elements (see {@link Parallel#sum}). */
  static double sumOf(double[] a) {
    return Parallel.sum(a);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  // ------------------------------------------------------------------------------------------------ unary ops

  /** {@code -this}. */
  public Tensor neg() {
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = -data[i];
      }
    });
    return new Tensor(out, shape.clone());
  }

  /** Element-wise {@code e^x}. */
  public Tensor exp() {
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = Math.exp(data[i]);
      }
    });
    return new Tensor(out, shape.clone());
  }

  /** Element-wise natural logarithm. */
  public Tensor log() {
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = Math.log(data[i]);
      }
    });
    return new Tensor(out, shape.clone());
  }

  /** Element-wise hyperbolic tangent. */
  public Tensor tanh() {
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = Math.tanh(data[i]);
      }
    });
    return new Tensor(out, shape.clone());
  }

  /** Element-wise logistic sigmoid {@code 1/(1+e^-x)}, evaluated without overflow for large |x|. */
  public Tensor sigmoid() {
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = sigmoid(data[i]);
      }
    });
    return new Tensor(out, shape.clone());
  }

  /** The scalar logistic sigmoid; for x &lt; 0 uses {@code e^x/(1+e^x)} so that e^-x never overflows. */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  /** Rule of {@link #sigmoid(double)}: {@code gy * y * (1 - y)}. */
  public static double sigmoidVjpX(double gy, double y, double x) {
    return gy * y * (1.0 - y);
  }

  /** Forward rule of {@link #sigmoid(double)}: {@code dx * y * (1 - y)}. */
  @Jvp(of = "sigmoid", wrt = "x")
  public static double sigmoidJvpX(double dx, double y, double x) {
    return dx * y * (1.0 - y);
  }

  /** Element-wise {@code max(x, 0)}. */
  public Tensor relu() {
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        double x = data[i];
        out[i] = x > 0 ? x : 0.0;
      }
    });
    return new Tensor(out, shape.clone());
  }

  /** Element-wise square root. */
  public Tensor sqrt() {
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = Math.sqrt(data[i]);
      }
    });
    return new Tensor(out, shape.clone());
  }

  /** Element-wise absolute value. */
  public Tensor abs() {
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = Math.abs(data[i]);
      }
    });
    return new Tensor(out, shape.clone());
  }

  /** Element-wise {@code x^exponent} ({@link Math#pow} semantics). */
  public Tensor pow(double exponent) {
    double[] out = new double[data.length];
    if (exponent == 2.0) {
      Parallel.range(out.length, (lo, hi) -> {
        for (int i = lo; i < hi; i++) {
          out[i] = data[i] * data[i];
        }
      });
    } else {
      Parallel.range(out.length, (lo, hi) -> {
        for (int i = lo; i < hi; i++) {
          out[i] = Math.pow(data[i], exponent);
        }
      });
    }
    return new Tensor(out, shape.clone());
  }

  /** Element-wise {@code x²}. */
  public Tensor square() {
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = data[i] * data[i];
      }
    });
    return new Tensor(out, shape.clone());
  }

  // ---- rules of the unary ops

  /** Rule of {@link #neg()}: {@code -gy}. */
  public static Tensor negVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("negVjpSelf", gy, self.shape);
    return gy.neg();
  }

  /** Rule of {@link #exp()}: {@code gy * y}. */
  public static Tensor expVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("expVjpSelf", gy, self.shape);
    double[] out = new double[gy.data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = gy.data[i] * y.data[i];
      }
    });
    return new Tensor(out, self.shape.clone());
  }

  /** Rule of {@link #log()}: {@code gy / self}. */
  public static Tensor logVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("logVjpSelf", gy, self.shape);
    double[] out = new double[gy.data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = gy.data[i] / self.data[i];
      }
    });
    return new Tensor(out, self.shape.clone());
  }

  /** Rule of {@link #tanh()}: {@code gy * (1 - y²)}. */
  public static Tensor tanhVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("tanhVjpSelf", gy, self.shape);
    double[] out = new double[gy.data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        double t = y.data[i];
        out[i] = gy.data[i] * (1.0 - t * t);
      }
    });
    return new Tensor(out, self.shape.clone());
  }

  /** Rule of {@link #sigmoid()}: {@code gy * y * (1 - y)}. */
  public static Tensor sigmoidVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("sigmoidVjpSelf", gy, self.shape);
    double[] out = new double[gy.data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        double s = y.data[i];
        out[i] = gy.data[i] * s * (1.0 - s);
      }
    });
    return new Tensor(out, self.shape.clone());
  }

  /** Rule of {@link #relu()}: {@code gy * (self > 0)} (derivative 0 at 0, as PyTorch). */
  public static Tensor reluVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("reluVjpSelf", gy, self.shape);
    double[] out = new double[gy.data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = self.data[i] > 0 ? gy.data[i] : 0.0;
      }
    });
    return new Tensor(out, self.shape.clone());
  }

  /** Rule of {@link #sqrt()}: {@code gy / (2 y)}. */
  public static Tensor sqrtVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("sqrtVjpSelf", gy, self.shape);
    double[] out = new double[gy.data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = gy.data[i] * 0.5 / y.data[i];
      }
    });
    return new Tensor(out, self.shape.clone());
  }

  /** Rule of {@link #abs()}: {@code gy * sign(self)} (0 at 0, as PyTorch). */
  public static Tensor absVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("absVjpSelf", gy, self.shape);
    double[] out = new double[gy.data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        double x = self.data[i];
        out[i] = x > 0 ? gy.data[i] : x < 0 ? -gy.data[i] : 0.0;
      }
    });
    return new Tensor(out, self.shape.clone());
  }

  /** Rule of {@link #pow(double)} for the receiver: {@code gy * p * self^(p-1)} (0 everywhere when p = 0). */
  public static Tensor powVjpSelf(Tensor gy, Tensor y, Tensor self, double exponent) {
    expectShape("powVjpSelf", gy, self.shape);
    double[] out = new double[gy.data.length];
    if (exponent != 0.0) {
      Parallel.range(out.length, (lo, hi) -> {
        for (int i = lo; i < hi; i++) {
          double x = self.data[i];
          double d = exponent == 2.0 ? 2.0 * x : exponent == 1.0 ? 1.0 : exponent * Math.pow(x, exponent - 1.0);
          out[i] = gy.data[i] * d;
        }
      });
    }
    return new Tensor(out, self.shape.clone());
  }

  /**
   * Rule of {@link #pow(double)} for {@code exponent}: {@code sum(gy * y * ln self)}; an element with
   * {@code self == 0} and {@code exponent > 0} contributes 0 (the limit of x^p·ln x), not NaN.
   */
  public static double powVjpExponent(Tensor gy, Tensor y, Tensor self, double exponent) {
    expectShape("powVjpExponent", gy, self.shape);
    double s = 0;
    for (int i = 0; i < self.data.length; i++) {
      double x = self.data[i];
      if (x == 0.0 && exponent > 0) {
        continue;
      }
      s += gy.data[i] * y.data[i] * Math.log(x);
    }
    return s;
  }

  /** Rule of {@link #square()}: {@code gy * 2 self}. */
  public static Tensor squareVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("squareVjpSelf", gy, self.shape);
    double[] out = new double[gy.data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = 2.0 * gy.data[i] * self.data[i];
      }
    });
    return new Tensor(out, self.shape.clone());
  }

  // ---- forward rules of the unary ops: each Jacobian is diagonal (dy_i = f'(x_i) dx_i), so a forward rule is
  // the reverse rule applied to the tangent, which keeps one formula per derivative

  /** Forward rule of {@link #neg()}: {@code -dSelf}. */
  @Jvp(of = "neg", wrt = "self")
  public static Tensor negJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    return negVjpSelf(dSelf, y, self);
  }

  /** Forward rule of {@link #exp()}: {@code dSelf * y}. */
  @Jvp(of = "exp", wrt = "self")
  public static Tensor expJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    return expVjpSelf(dSelf, y, self);
  }

  /** Forward rule of {@link #log()}: {@code dSelf / self}. */
  @Jvp(of = "log", wrt = "self")
  public static Tensor logJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    return logVjpSelf(dSelf, y, self);
  }

  /** Forward rule of {@link #tanh()}: {@code dSelf * (1 - y²)}. */
  @Jvp(of = "tanh", wrt = "self")
  public static Tensor tanhJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    return tanhVjpSelf(dSelf, y, self);
  }

  /** Forward rule of {@link #sigmoid()}: {@code dSelf * y * (1 - y)}. */
  @Jvp(of = "sigmoid", wrt = "self")
  public static Tensor sigmoidJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    return sigmoidVjpSelf(dSelf, y, self);
  }

  /** Forward rule of {@link #relu()}: {@code dSelf * (self > 0)}. */
  @Jvp(of = "relu", wrt = "self")
  public static Tensor reluJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    return reluVjpSelf(dSelf, y, self);
  }

  /** Forward rule of {@link #sqrt()}: {@code dSelf / (2 y)}. */
  @Jvp(of = "sqrt", wrt = "self")
  public static Tensor sqrtJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    return sqrtVjpSelf(dSelf, y, self);
  }

  /** Forward rule of {@link #abs()}: {@code dSelf * sign(self)}. */
  @Jvp(of = "abs", wrt = "self")
  public static Tensor absJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    return absVjpSelf(dSelf, y, self);
  }

  /** Forward rule of {@link #pow(double)} for the receiver: {@code dSelf * p * self^(p-1)}. */
  @Jvp(of = "pow", wrt = "self")
  public static Tensor powJvpSelf(Tensor dSelf, Tensor y, Tensor self, double exponent) {
    return powVjpSelf(dSelf, y, self, exponent);
  }

  /** Forward rule of {@link #pow(double)} for {@code exponent}: {@code dExponent * y * ln self} (0 where self = 0). */
  @Jvp(of = "pow", wrt = "exponent")
  public static Tensor powJvpExponent(double dExponent, Tensor y, Tensor self, double exponent) {
    double[] out = new double[self.data.length];
    for (int i = 0; i < out.length; i++) {
      double x = self.data[i];
      out[i] = x == 0.0 && exponent > 0 ? 0.0 : dExponent * y.data[i] * Math.log(x);
    }
    return new Tensor(out, self.shape.clone());
  }

  /** Forward rule of {@link #square()}: {@code dSelf * 2 self}. */
  @Jvp(of = "square", wrt = "self")
  public static Tensor squareJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    return squareVjpSelf(dSelf, y, self);
  }

  // ------------------------------------------------------------------------------------------------ matmul

  /**
   * Matrix product with NumPy's {@code matmul} semantics: 1-D·1-D is the dot product (a 0-d tensor);
   * a 1-D left operand is treated as a row vector and a 1-D right operand as a column vector, the added
   * dimension being removed from the result; operands of rank ≥ 3 are stacks of matrices whose batch
   * dimensions broadcast. Runs on BLAS {@code dgemm}.
   */
  public Tensor matmul(Tensor other) {
    if (shape.length == 0 || other.shape.length == 0) {
      throw new IllegalArgumentException("matmul: both operands must have at least 1 dimension, got shapes "
          + Arrays.toString(shape) + " and " + Arrays.toString(other.shape));
    }
    int k = shape[shape.length - 1];
    int kb = other.shape.length == 1 ? other.shape[0] : other.shape[other.shape.length - 2];
    if (k != kb) {
      throw new IllegalArgumentException("matmul: shapes " + Arrays.toString(shape) + " and "
          + Arrays.toString(other.shape) + " do not match: inner dimensions " + k + " and " + kb + " differ");
    }
    if (shape.length == 1 && other.shape.length == 1) {
      return scalar(dot(data, other.data));
    }
    Tensor a2 = promoteLeft(this);
    Tensor b2 = promoteRight(other);
    Tensor c = bmm("matmul", a2, false, b2, false);
    return new Tensor(c.data, matmulShape(this, other, c.shape));
  }

  private static Tensor promoteLeft(Tensor a) {
    return a.shape.length == 1 ? new Tensor(a.data, new int[] {1, a.shape[0]}) : a;
  }

  private static Tensor promoteRight(Tensor b) {
    return b.shape.length == 1 ? new Tensor(b.data, new int[] {b.shape[0], 1}) : b;
  }

  /** The result shape of matmul from the shape of the promoted product, removing promoted dimensions. */
  private static int[] matmulShape(Tensor a, Tensor b, int[] full) {
    int r = full.length;
    if (a.shape.length == 1 && b.shape.length == 1) {
      return new int[0];
    }
    if (a.shape.length == 1) {
      return Shapes.remove(full, r - 2);
    }
    if (b.shape.length == 1) {
      return Shapes.remove(full, r - 1);
    }
    return full;
  }

  /**
   * Batched product {@code op(A)·op(B)} over broadcast batch dimensions, where {@code transA} means the last two
   * dimensions of A are used transposed. Both operands have rank ≥ 2.
   */
  static Tensor bmm(String name, Tensor a, boolean transA, Tensor b, boolean transB) {
    int ra = a.shape.length;
    int rb = b.shape.length;
    int m = transA ? a.shape[ra - 1] : a.shape[ra - 2];
    int k = transA ? a.shape[ra - 2] : a.shape[ra - 1];
    int kb = transB ? b.shape[rb - 1] : b.shape[rb - 2];
    int n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
    if (k != kb) {
      throw new IllegalArgumentException(name + ": shapes " + Arrays.toString(a.shape) + " and "
          + Arrays.toString(b.shape) + " do not match: inner dimensions " + k + " and " + kb + " differ");
    }
    int[] batchA = Arrays.copyOf(a.shape, ra - 2);
    int[] batchB = Arrays.copyOf(b.shape, rb - 2);
    int[] batch = Shapes.broadcast(name + " (batch dimensions)", batchA, batchB);
    int[] outShape = Arrays.copyOf(batch, batch.length + 2);
    outShape[batch.length] = m;
    outShape[batch.length + 1] = n;
    double[] out = new double[Shapes.product(outShape)];
    int count = Shapes.product(batch);
    if (rb == 2 && !transA) {
      // A stack of matrices times one matrix: the rows of all of A's matrices form one tall matrix, split by rows.
      Parallel.range(count * m, (long) n * k, (lo, hi) ->
          Gemm.gemm(false, transB, hi - lo, n, k, a.data, lo * k, b.data, 0, 0.0, out, lo * n));
      return new Tensor(out, outShape);
    }
    int[] sa = Shapes.broadcastStrides(batchA, batch);
    int[] sb = Shapes.broadcastStrides(batchB, batch);
    int matA = m * k;
    int matB = k * n;
    Parallel.range(count, (long) m * n * k, (lo, hi) -> {
      for (int t = lo; t < hi; t++) {
        int rem = t;
        int offA = 0;
        int offB = 0;
        for (int d = batch.length - 1; d >= 0; d--) {
          int i = rem % batch[d];
          rem /= batch[d];
          offA += i * sa[d];
          offB += i * sb[d];
        }
        Gemm.gemm(transA, transB, m, n, k, a.data, offA * matA, b.data, offB * matB, 0.0, out, t * m * n);
      }
    });
    return new Tensor(out, outShape);
  }

  /** The shape the un-promoted matmul output had before promoted dimensions were removed. */
  private static Tensor promoteGy(String rule, Tensor gy, Tensor a2, Tensor b2, Tensor self, Tensor other) {
    int ra = a2.shape.length;
    int rb = b2.shape.length;
    int[] batch = Shapes.broadcast("matmul (batch dimensions)", Arrays.copyOf(a2.shape, ra - 2),
        Arrays.copyOf(b2.shape, rb - 2));
    int[] full = Arrays.copyOf(batch, batch.length + 2);
    full[batch.length] = a2.shape[ra - 2];
    full[batch.length + 1] = b2.shape[rb - 1];
    expectShape(rule, gy, matmulShape(self, other, full));
    return new Tensor(gy.data, full);
  }

  /** Rule of {@link #matmul} for the receiver: {@code gy·otherᵀ}, summed over broadcast batch dimensions. */
  public static Tensor matmulVjpSelf(Tensor gy, Tensor y, Tensor self, Tensor other) {
    if (self.shape.length == 1 && other.shape.length == 1) {
      expectShape("matmulVjpSelf", gy, new int[0]);
      return other.mul(gy.data[0]);
    }
    Tensor a2 = promoteLeft(self);
    Tensor b2 = promoteRight(other);
    Tensor g2 = promoteGy("matmulVjpSelf", gy, a2, b2, self, other);
    Tensor ga = bmm("matmulVjpSelf", g2, false, b2, true);
    ga = reduceTo(ga, a2.shape);
    return new Tensor(ga.data, self.shape.clone());
  }

  /** Rule of {@link #matmul} for {@code other}: {@code selfᵀ·gy}, summed over broadcast batch dimensions. */
  public static Tensor matmulVjpOther(Tensor gy, Tensor y, Tensor self, Tensor other) {
    if (self.shape.length == 1 && other.shape.length == 1) {
      expectShape("matmulVjpOther", gy, new int[0]);
      return self.mul(gy.data[0]);
    }
    Tensor a2 = promoteLeft(self);
    Tensor b2 = promoteRight(other);
    Tensor g2 = promoteGy("matmulVjpOther", gy, a2, b2, self, other);
    Tensor gb;
    if (b2.shape.length == 2) {
      // One matrix shared by every batch entry: Σ_batch A_bᵀ·gy_b is one product of the stacked rows.
      int k = b2.shape[0];
      int n = b2.shape[1];
      double[] out = new double[k * n];
      if (k == 0) {
        return new Tensor(out, other.shape.clone());
      }
      int rows = a2.data.length / k;
      if (g2.data.length == rows * n) {
        // Split by rows of the result (columns of A): each element's sum over the rows keeps its order.
        Parallel.range(k, (long) n * rows, (lo, hi) ->
            Gemm.gemm(true, false, hi - lo, n, rows, a2.data, lo, k, g2.data, 0, n, 0.0, out, lo * n, n));
        return new Tensor(out, other.shape.clone());
      }
      // A broadcast against a larger batch coming from B is impossible when B is 2-D; fall through for safety.
    }
    gb = bmm("matmulVjpOther", a2, true, g2, false);
    gb = reduceTo(gb, b2.shape);
    return new Tensor(gb.data, other.shape.clone());
  }

  /** Forward rule of {@link #matmul} for the receiver: {@code dSelf·other} (matmul is bilinear). */
  @Jvp(of = "matmul", wrt = "self")
  public static Tensor matmulJvpSelf(Tensor dSelf, Tensor y, Tensor self, Tensor other) {
    expectShape("matmulJvpSelf", dSelf, self.shape);
    return dSelf.matmul(other);
  }

  /** Forward rule of {@link #matmul} for {@code other}: {@code self·dOther}. */
  @Jvp(of = "matmul", wrt = "other")
  public static Tensor matmulJvpOther(Tensor dOther, Tensor y, Tensor self, Tensor other) {
    expectShape("matmulJvpOther", dOther, other.shape);
    return self.matmul(dOther);
  }

  // ------------------------------------------------------------------------------------------------ shape ops

  /** The transpose of a matrix (rank ≤ 2; a 0-d or 1-d tensor is returned as a copy, like PyTorch's {@code t()}). */
  public Tensor transpose() {
    if (shape.length > 2) {
      throw new IllegalArgumentException("transpose: transpose() expects a tensor of rank <= 2, got shape "
          + Arrays.toString(shape) + "; use transpose(dim0, dim1)");
    }
    return shape.length < 2 ? copy() : transpose(0, 1);
  }

  /** Swaps two dimensions (negative indices allowed); the result is a contiguous copy. */
  public Tensor transpose(int dim0, int dim1) {
    int r = shape.length;
    int d0 = Shapes.dim("transpose", dim0, r);
    int d1 = Shapes.dim("transpose", dim1, r);
    int[] outShape = shape.clone();
    outShape[d0] = shape[d1];
    outShape[d1] = shape[d0];
    int[] st = Shapes.strides(shape);
    int t = st[d0];
    st[d0] = st[d1];
    st[d1] = t;
    if (r == 2 && d0 != d1) {
      return new Tensor(transpose2d(data, shape[0], shape[1]), outShape);
    }
    return new Tensor(Strided.gather(data, st, outShape), outShape);
  }

  /** Blocked 2-D transpose, so that both the reads and the writes stay within cache lines. */
  private static double[] transpose2d(double[] a, int m, int n) {
    double[] out = new double[m * n];
    final int bs = 32;
    for (int i0 = 0; i0 < m; i0 += bs) {
      int i1 = Math.min(m, i0 + bs);
      for (int j0 = 0; j0 < n; j0 += bs) {
        int j1 = Math.min(n, j0 + bs);
        for (int i = i0; i < i1; i++) {
          for (int j = j0; j < j1; j++) {
            out[j * m + i] = a[i * n + j];
          }
        }
      }
    }
    return out;
  }

  /** Rule of {@link #transpose()}: {@code gyᵀ}. */
  public static Tensor transposeVjpSelf(Tensor gy, Tensor y, Tensor self) {
    int[] ys = self.shape.length == 2 ? new int[] {self.shape[1], self.shape[0]} : self.shape;
    expectShape("transposeVjpSelf", gy, ys);
    Tensor g = gy.transpose();
    return new Tensor(g.data, self.shape.clone());
  }

  /** Rule of {@link #transpose(int, int)}: gy with the same two dimensions swapped back. */
  public static Tensor transposeVjpSelf(Tensor gy, Tensor y, Tensor self, int dim0, int dim1) {
    int[] ys = self.shape.clone();
    int d0 = Shapes.dim("transposeVjpSelf", dim0, ys.length);
    int d1 = Shapes.dim("transposeVjpSelf", dim1, ys.length);
    ys[d0] = self.shape[d1];
    ys[d1] = self.shape[d0];
    expectShape("transposeVjpSelf", gy, ys);
    return gy.transpose(dim0, dim1);
  }

  /** The same elements in a new shape (a copy); one extent may be -1 and is then inferred. */
  public Tensor reshape(int... newShape) {
    return new Tensor(data.clone(), resolveShape(newShape));
  }

  private int[] resolveShape(int[] newShape) {
    int[] s = newShape.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException("reshape: only one dimension can be -1, got " + Arrays.toString(newShape));
        }
        infer = i;
      } else if (s[i] < 0) {
        throw new IllegalArgumentException("reshape: invalid shape " + Arrays.toString(newShape));
      } else {
        known *= s[i];
      }
    }
    if (infer >= 0) {
      if (known == 0 || data.length % known != 0) {
        throw new IllegalArgumentException("reshape: cannot reshape tensor of shape " + Arrays.toString(shape)
            + " (" + data.length + " elements) into " + Arrays.toString(newShape));
      }
      s[infer] = (int) (data.length / known);
    } else if (known != data.length) {
      throw new IllegalArgumentException("reshape: cannot reshape tensor of shape " + Arrays.toString(shape)
          + " (" + data.length + " elements) into " + Arrays.toString(newShape));
    }
    return s;
  }

  /** Rule of {@link #reshape}: gy reshaped back to self's shape. */
  public static Tensor reshapeVjpSelf(Tensor gy, Tensor y, Tensor self, int... shape) {
    expectShape("reshapeVjpSelf", gy, self.resolveShape(shape));
    return new Tensor(gy.data.clone(), self.shape.clone());
  }

  /** Inserts a dimension of extent 1 at {@code dim} (in {@code -(rank+1) .. rank}). */
  public Tensor unsqueeze(int dim) {
    int d = Shapes.dim("unsqueeze", dim, shape.length + 1);
    return new Tensor(data.clone(), Shapes.insert(shape, d, 1));
  }

  /** Rule of {@link #unsqueeze}: gy with that dimension removed. */
  public static Tensor unsqueezeVjpSelf(Tensor gy, Tensor y, Tensor self, int dim) {
    expectShape("unsqueezeVjpSelf", gy,
        Shapes.insert(self.shape, Shapes.dim("unsqueezeVjpSelf", dim, self.shape.length + 1), 1));
    return new Tensor(gy.data.clone(), self.shape.clone());
  }

  /**
   * Removes dimension {@code dim}, which must have extent 1. (Stricter than PyTorch, which silently does nothing
   * for other extents: that silent no-op is how (N,1)-vs-(N) broadcasting bugs start.)
   */
  public Tensor squeeze(int dim) {
    int d = Shapes.dim("squeeze", dim, shape.length);
    if (shape[d] != 1) {
      throw new IllegalArgumentException("squeeze: dimension " + dim + " of shape " + Arrays.toString(shape)
          + " has extent " + shape[d] + ", not 1");
    }
    return new Tensor(data.clone(), Shapes.remove(shape, d));
  }

  /** Rule of {@link #squeeze}: gy with the dimension re-inserted. */
  public static Tensor squeezeVjpSelf(Tensor gy, Tensor y, Tensor self, int dim) {
    expectShape("squeezeVjpSelf", gy, Shapes.remove(self.shape, Shapes.dim("squeezeVjpSelf", dim, self.shape.length)));
    return new Tensor(gy.data.clone(), self.shape.clone());
  }

  /** This tensor repeated along broadcast axes to {@code target} (NumPy {@code broadcast_to}), as a copy. */
  public Tensor broadcastTo(int... target) {
    if (!Shapes.broadcastsTo(shape, target)) {
      throw new IllegalArgumentException("broadcastTo: shape " + Arrays.toString(shape)
          + " cannot be broadcast to " + Arrays.toString(target));
    }
    int[] t = target.clone();
    return new Tensor(Strided.gather(data, Shapes.broadcastStrides(shape, t), t), t);
  }

  /** Rule of {@link #broadcastTo}: gy summed back to self's shape. */
  public static Tensor broadcastToVjpSelf(Tensor gy, Tensor y, Tensor self, int... target) {
    expectShape("broadcastToVjpSelf", gy, target);
    return gy.sumTo(self.shape);
  }

  /**
   * Sums this tensor down to {@code target}, a shape that broadcasts to this one: over the leading axes it lacks
   * and over the axes where it has extent 1. The adjoint of broadcasting. Always returns a new tensor.
   */
  public Tensor sumTo(int... target) {
    if (!Shapes.broadcastsTo(target, shape)) {
      throw new IllegalArgumentException("sumTo: shape " + Arrays.toString(shape) + " cannot be summed to "
          + Arrays.toString(target) + " (the target must broadcast to the source shape)");
    }
    int[] t = target.clone();
    double[] out = new double[Shapes.product(t)];
    Strided.scatterAdd(data, shape, out, Shapes.broadcastStrides(t, shape));
    return new Tensor(out, t);
  }

  /** Rule of {@link #sumTo}: gy broadcast back to self's shape. */
  public static Tensor sumToVjpSelf(Tensor gy, Tensor y, Tensor self, int... target) {
    expectShape("sumToVjpSelf", gy, target);
    return gy.broadcastTo(self.shape);
  }

  /** Rule of {@link #copy()}: gy (returned itself). */
  public static Tensor copyVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("copyVjpSelf", gy, self.shape);
    return gy;
  }

  // ---- forward rules of the shape ops: each is linear, so the tangent is the op applied to the tangent

  /** Forward rule of {@link #transpose()}: {@code dSelfᵀ}. */
  @Jvp(of = "transpose", wrt = "self")
  public static Tensor transposeJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    expectShape("transposeJvpSelf", dSelf, self.shape);
    return dSelf.transpose();
  }

  /** Forward rule of {@link #transpose(int, int)}: dSelf with the two dimensions swapped. */
  @Jvp(of = "transpose", wrt = "self")
  public static Tensor transposeJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim0, int dim1) {
    expectShape("transposeJvpSelf", dSelf, self.shape);
    return dSelf.transpose(dim0, dim1);
  }

  /** Forward rule of {@link #reshape}: dSelf reshaped. */
  @Jvp(of = "reshape", wrt = "self")
  public static Tensor reshapeJvpSelf(Tensor dSelf, Tensor y, Tensor self, int... shape) {
    expectShape("reshapeJvpSelf", dSelf, self.shape);
    return dSelf.reshape(shape);
  }

  /** Forward rule of {@link #unsqueeze}: dSelf unsqueezed. */
  @Jvp(of = "unsqueeze", wrt = "self")
  public static Tensor unsqueezeJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim) {
    expectShape("unsqueezeJvpSelf", dSelf, self.shape);
    return dSelf.unsqueeze(dim);
  }

  /** Forward rule of {@link #squeeze}: dSelf squeezed. */
  @Jvp(of = "squeeze", wrt = "self")
  public static Tensor squeezeJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim) {
    expectShape("squeezeJvpSelf", dSelf, self.shape);
    return dSelf.squeeze(dim);
  }

  /** Forward rule of {@link #broadcastTo}: dSelf broadcast. */
  @Jvp(of = "broadcastTo", wrt = "self")
  public static Tensor broadcastToJvpSelf(Tensor dSelf, Tensor y, Tensor self, int... target) {
    expectShape("broadcastToJvpSelf", dSelf, self.shape);
    return dSelf.broadcastTo(target);
  }

  /** Forward rule of {@link #sumTo}: dSelf summed down. */
  @Jvp(of = "sumTo", wrt = "self")
  public static Tensor sumToJvpSelf(Tensor dSelf, Tensor y, Tensor self, int... target) {
    expectShape("sumToJvpSelf", dSelf, self.shape);
    return dSelf.sumTo(target);
  }

  /** Forward rule of {@link #copy()}: dSelf (returned itself). */
  @Jvp(of = "copy", wrt = "self")
  public static Tensor copyJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    expectShape("copyJvpSelf", dSelf, self.shape);
    return dSelf;
  }

  // ------------------------------------------------------------------------------------------------ reductions

  /** The sum of all elements, as a 0-d tensor. */
  public Tensor sum() {
    return scalar(sumOf(data));
  }

  /** Sum over {@code dim}, removing it. */
  public Tensor sum(int dim) {
    return sum(dim, false);
  }

  /** Sum over {@code dim}; {@code keepdim} keeps it with extent 1. */
  public Tensor sum(int dim, boolean keepdim) {
    int d = Shapes.dim("sum", dim, shape.length);
    int len = shape[d];
    int inner = innerSize(d);
    int outer = outerSize(d);
    double[] out = new double[outer * inner];
    // Split by output rows, or by columns when there is one row: each output element's sum keeps its order.
    boolean byRows = outer > 1;
    Parallel.range(byRows ? outer : inner, (long) len * (byRows ? inner : 1), (lo, hi) -> {
      int o0 = byRows ? lo : 0;
      int o1 = byRows ? hi : outer;
      int i0 = byRows ? 0 : lo;
      int i1 = byRows ? inner : hi;
      for (int o = o0; o < o1; o++) {
        int base = o * len * inner;
        int ob = o * inner;
        for (int j = 0; j < len; j++) {
          int p = base + j * inner;
          for (int i = i0; i < i1; i++) {
            out[ob + i] += data[p + i];
          }
        }
      }
    });
    return new Tensor(out, reducedShape(d, keepdim));
  }

  /** The mean of all elements, as a 0-d tensor; an empty tensor is rejected. */
  public Tensor mean() {
    if (data.length == 0) {
      throw new IllegalArgumentException("mean: tensor of shape " + Arrays.toString(shape) + " has no elements");
    }
    return scalar(sumOf(data) / data.length);
  }

  /** Mean over {@code dim}, removing it. */
  public Tensor mean(int dim) {
    return mean(dim, false);
  }

  /** Mean over {@code dim}; {@code keepdim} keeps it with extent 1. A dimension of extent 0 is rejected. */
  public Tensor mean(int dim, boolean keepdim) {
    int d = Shapes.dim("mean", dim, shape.length);
    if (shape[d] == 0) {
      throw new IllegalArgumentException("mean: dimension " + dim + " of shape " + Arrays.toString(shape)
          + " is empty");
    }
    Tensor s = sum(d, keepdim);
    double inv = 1.0 / shape[d];
    for (int i = 0; i < s.data.length; i++) {
      s.data[i] *= inv;
    }
    return s;
  }

  /** The maximum of all elements, as a 0-d tensor (NaN if any element is NaN). */
  public Tensor max() {
    if (data.length == 0) {
      throw new IllegalArgumentException("max: tensor of shape " + Arrays.toString(shape) + " has no elements");
    }
    return scalar(data[argmaxFlat(data)]);
  }

  /** Maximum over {@code dim}, removing it. */
  public Tensor max(int dim) {
    return max(dim, false);
  }

  /** Maximum over {@code dim} (first maximum on ties; NaN propagates); {@code keepdim} keeps it with extent 1. */
  public Tensor max(int dim, boolean keepdim) {
    int d = Shapes.dim("max", dim, shape.length);
    if (shape[d] == 0) {
      throw new IllegalArgumentException("max: dimension " + dim + " of shape " + Arrays.toString(shape) + " is empty");
    }
    int[] arg = argmaxAlong(d);
    double[] out = new double[arg.length];
    for (int i = 0; i < arg.length; i++) {
      out[i] = data[arg[i]];
    }
    return new Tensor(out, reducedShape(d, keepdim));
  }

  /** Flat indices of the (first) maxima along {@code d}, one per output element. */
  private int[] argmaxAlong(int d) {
    int len = shape[d];
    int inner = innerSize(d);
    int outer = outerSize(d);
    int[] arg = new int[outer * inner];
    Parallel.range(outer * inner, len, (lo, hi) -> {
      for (int r = lo; r < hi; r++) {
        int o = r / inner;
        int i = r % inner;
        int best = o * len * inner + i;
        double bv = data[best];
        for (int j = 1; j < len && !Double.isNaN(bv); j++) {
          int p = (o * len + j) * inner + i;
          double v = data[p];
          if (v > bv || Double.isNaN(v)) {
            bv = v;
            best = p;
          }
        }
        arg[r] = best;
      }
    });
    return arg;
  }

  private static int argmaxFlat(double[] a) {
    int best = 0;
    for (int i = 1; i < a.length && !Double.isNaN(a[best]); i++) {
      if (a[i] > a[best] || Double.isNaN(a[i])) {
        best = i;
      }
    }
    return best;
  }

  private int outerSize(int d) {
    int outer = 1;
    for (int i = 0; i < d; i++) {
      outer *= shape[i];
    }
    return outer;
  }

  private int innerSize(int d) {
    int inner = 1;
    for (int i = d + 1; i < shape.length; i++) {
      inner *= shape[i];
    }
    return inner;
  }

  private int[] reducedShape(int d, boolean keepdim) {
    if (keepdim) {
      int[] s = shape.clone();
      s[d] = 1;
      return s;
    }
    return Shapes.remove(shape, d);
  }

  /** gy (of the reduced shape along d) broadcast back to self's shape and scaled. */
  private static Tensor expandAlong(String rule, Tensor gy, Tensor y, Tensor self, int dim, boolean keepdim,
      double scale) {
    int d = Shapes.dim(rule, dim, self.shape.length);
    expectShape(rule, gy, self.reducedShape(d, keepdim));
    int[] keep = self.reducedShape(d, true);
    double[] out = Strided.gather(gy.data, Shapes.broadcastStrides(keep, self.shape), self.shape);
    if (scale != 1.0) {
      Parallel.range(out.length, (lo, hi) -> {
        for (int i = lo; i < hi; i++) {
          out[i] *= scale;
        }
      });
    }
    return new Tensor(out, self.shape.clone());
  }

  /** Rule of {@link #sum()}: gy's single value everywhere. */
  public static Tensor sumVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("sumVjpSelf", gy, new int[0]);
    return full(gy.data[0], self.shape);
  }

  /** Rule of {@link #sum(int)}: gy broadcast back along dim. */
  public static Tensor sumVjpSelf(Tensor gy, Tensor y, Tensor self, int dim) {
    return expandAlong("sumVjpSelf", gy, y, self, dim, false, 1.0);
  }

  /** Rule of {@link #sum(int, boolean)}: gy broadcast back along dim. */
  public static Tensor sumVjpSelf(Tensor gy, Tensor y, Tensor self, int dim, boolean keepdim) {
    return expandAlong("sumVjpSelf", gy, y, self, dim, keepdim, 1.0);
  }

  /** Rule of {@link #mean()}: gy's value / n everywhere. */
  public static Tensor meanVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("meanVjpSelf", gy, new int[0]);
    return full(gy.data[0] / self.data.length, self.shape);
  }

  /** Rule of {@link #mean(int)}: gy broadcast back along dim, divided by its extent. */
  public static Tensor meanVjpSelf(Tensor gy, Tensor y, Tensor self, int dim) {
    return meanVjpSelf(gy, y, self, dim, false);
  }

  /** Rule of {@link #mean(int, boolean)}: gy broadcast back along dim, divided by its extent. */
  public static Tensor meanVjpSelf(Tensor gy, Tensor y, Tensor self, int dim, boolean keepdim) {
    int d = Shapes.dim("meanVjpSelf", dim, self.shape.length);
    return expandAlong("meanVjpSelf", gy, y, self, dim, keepdim, 1.0 / self.shape[d]);
  }

  /** Rule of {@link #max()}: gy routed to the first maximal element. */
  public static Tensor maxVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("maxVjpSelf", gy, new int[0]);
    Tensor g = zeros(self.shape);
    g.data[argmaxFlat(self.data)] = gy.data[0];
    return g;
  }

  /** Rule of {@link #max(int)}: gy routed to the first maximum along dim (recomputed from self). */
  public static Tensor maxVjpSelf(Tensor gy, Tensor y, Tensor self, int dim) {
    return maxVjpSelf(gy, y, self, dim, false);
  }

  /** Rule of {@link #max(int, boolean)}: gy routed to the first maximum along dim (recomputed from self). */
  public static Tensor maxVjpSelf(Tensor gy, Tensor y, Tensor self, int dim, boolean keepdim) {
    int d = Shapes.dim("maxVjpSelf", dim, self.shape.length);
    expectShape("maxVjpSelf", gy, self.reducedShape(d, keepdim));
    int[] arg = self.argmaxAlong(d);
    Tensor g = zeros(self.shape);
    for (int i = 0; i < arg.length; i++) {
      g.data[arg[i]] += gy.data[i];
    }
    return g;
  }

  // ---- forward rules of the reductions: sum and mean are linear; max picks the tangent at the maximum

  /** Forward rule of {@link #sum()}: the sum of dSelf. */
  @Jvp(of = "sum", wrt = "self")
  public static Tensor sumJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    expectShape("sumJvpSelf", dSelf, self.shape);
    return dSelf.sum();
  }

  /** Forward rule of {@link #sum(int)}: dSelf summed over dim. */
  @Jvp(of = "sum", wrt = "self")
  public static Tensor sumJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim) {
    expectShape("sumJvpSelf", dSelf, self.shape);
    return dSelf.sum(dim);
  }

  /** Forward rule of {@link #sum(int, boolean)}: dSelf summed over dim. */
  @Jvp(of = "sum", wrt = "self")
  public static Tensor sumJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim, boolean keepdim) {
    expectShape("sumJvpSelf", dSelf, self.shape);
    return dSelf.sum(dim, keepdim);
  }

  /** Forward rule of {@link #mean()}: the mean of dSelf. */
  @Jvp(of = "mean", wrt = "self")
  public static Tensor meanJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    expectShape("meanJvpSelf", dSelf, self.shape);
    return dSelf.mean();
  }

  /** Forward rule of {@link #mean(int)}: the mean of dSelf over dim. */
  @Jvp(of = "mean", wrt = "self")
  public static Tensor meanJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim) {
    expectShape("meanJvpSelf", dSelf, self.shape);
    return dSelf.mean(dim);
  }

  /** Forward rule of {@link #mean(int, boolean)}: the mean of dSelf over dim. */
  @Jvp(of = "mean", wrt = "self")
  public static Tensor meanJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim, boolean keepdim) {
    expectShape("meanJvpSelf", dSelf, self.shape);
    return dSelf.mean(dim, keepdim);
  }

  /** Forward rule of {@link #max()}: dSelf at the first maximal element (the one the reverse rule routes to). */
  @Jvp(of = "max", wrt = "self")
  public static Tensor maxJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    expectShape("maxJvpSelf", dSelf, self.shape);
    return scalar(dSelf.data[argmaxFlat(self.data)]);
  }

  /** Forward rule of {@link #max(int)}: dSelf at the first maximum along dim. */
  @Jvp(of = "max", wrt = "self")
  public static Tensor maxJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim) {
    return maxJvpSelf(dSelf, y, self, dim, false);
  }

  /** Forward rule of {@link #max(int, boolean)}: dSelf at the first maximum along dim. */
  @Jvp(of = "max", wrt = "self")
  public static Tensor maxJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim, boolean keepdim) {
    expectShape("maxJvpSelf", dSelf, self.shape);
    int d = Shapes.dim("maxJvpSelf", dim, self.shape.length);
    int[] arg = self.argmaxAlong(d);
    double[] out = new double[arg.length];
    for (int i = 0; i < arg.length; i++) {
      out[i] = dSelf.data[arg[i]];
    }
    return new Tensor(out, self.reducedShape(d, keepdim));
  }

  // ------------------------------------------------------------------------------------------------ trigonometry

  /** Element-wise sine. */
  public Tensor sin() {
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = Math.sin(data[i]);
      }
    });
    return new Tensor(out, shape.clone());
  }

  /** Rule of {@link #sin()}: {@code gy * cos(self)}. */
  public static Tensor sinVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("sinVjpSelf", gy, self.shape);
    double[] out = new double[gy.data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = gy.data[i] * Math.cos(self.data[i]);
      }
    });
    return new Tensor(out, self.shape.clone());
  }

  /** Element-wise cosine. */
  public Tensor cos() {
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = Math.cos(data[i]);
      }
    });
    return new Tensor(out, shape.clone());
  }

  /** Rule of {@link #cos()}: {@code -gy * sin(self)}. */
  public static Tensor cosVjpSelf(Tensor gy, Tensor y, Tensor self) {
    expectShape("cosVjpSelf", gy, self.shape);
    double[] out = new double[gy.data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = -gy.data[i] * Math.sin(self.data[i]);
      }
    });
    return new Tensor(out, self.shape.clone());
  }

  /** Forward rule of {@link #sin()}: {@code dSelf * cos(self)} (diagonal: the reverse rule on the tangent). */
  @Jvp(of = "sin", wrt = "self")
  public static Tensor sinJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    return sinVjpSelf(dSelf, y, self);
  }

  /** Forward rule of {@link #cos()}: {@code -dSelf * sin(self)} (diagonal: the reverse rule on the tangent). */
  @Jvp(of = "cos", wrt = "self")
  public static Tensor cosJvpSelf(Tensor dSelf, Tensor y, Tensor self) {
    return cosVjpSelf(dSelf, y, self);
  }

  // ------------------------------------------------------------------------------------------------ selection

  /**
   * Element-wise {@code min(max(x, min), max)}; NaN stays NaN. {@code min > max} is rejected (PyTorch would
   * silently return max everywhere). Use ±infinity for a one-sided clamp.
   */
  public Tensor clamp(double min, double max) {
    if (min > max) {
      throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
    }
    double[] out = new double[data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        double x = data[i];
        out[i] = x < min ? min : x > max ? max : x;
      }
    });
    return new Tensor(out, shape.clone());
  }

  /** Rule of {@link #clamp} for the receiver: {@code gy} where {@code min <= self <= max}, else 0 (as PyTorch). */
  public static Tensor clampVjpSelf(Tensor gy, Tensor y, Tensor self, double min, double max) {
    expectShape("clampVjpSelf", gy, self.shape);
    double[] out = new double[gy.data.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        double x = self.data[i];
        out[i] = x >= min && x <= max ? gy.data[i] : 0.0;
      }
    });
    return new Tensor(out, self.shape.clone());
  }

  /** Rule of {@link #clamp} for {@code min}: the sum of gy over the elements clamped up to min. */
  public static double clampVjpMin(Tensor gy, Tensor y, Tensor self, double min, double max) {
    expectShape("clampVjpMin", gy, self.shape);
    double s = 0;
    for (int i = 0; i < gy.data.length; i++) {
      s += self.data[i] < min ? gy.data[i] : 0.0;
    }
    return s;
  }

  /** Rule of {@link #clamp} for {@code max}: the sum of gy over the elements clamped down to max. */
  public static double clampVjpMax(Tensor gy, Tensor y, Tensor self, double min, double max) {
    expectShape("clampVjpMax", gy, self.shape);
    double s = 0;
    for (int i = 0; i < gy.data.length; i++) {
      s += self.data[i] > max ? gy.data[i] : 0.0;
    }
    return s;
  }

  /** Element-wise minimum with broadcasting (NaN propagates). */
  public Tensor minimum(Tensor other) {
    return binary("minimum", Broadcast.MIN, other);
  }

  /** Element-wise maximum with broadcasting (NaN propagates). */
  public Tensor maximum(Tensor other) {
    return binary("maximum", Broadcast.MAX, other);
  }

  /** The adjoint share of {@code a} in a min/max against {@code b}: {@code sumTo(gy * wins(a, b), a.shape)}. */
  private static Tensor winnerShare(String rule, int wins, Tensor gy, Tensor a, Tensor b) {
    expectShape(rule, gy, broadcastShape(rule, a, b));
    return reduceTo(gy.mul(a.binary(rule, wins, b)), a.shape);
  }

  /** Rule of {@link #minimum} for the receiver: gy where self is smaller, half of it on ties (as PyTorch). */
  public static Tensor minimumVjpSelf(Tensor gy, Tensor y, Tensor self, Tensor other) {
    return winnerShare("minimumVjpSelf", Broadcast.WINS_MIN, gy, self, other);
  }

  /** Rule of {@link #minimum} for {@code other}: gy where other is smaller, half of it on ties. */
  public static Tensor minimumVjpOther(Tensor gy, Tensor y, Tensor self, Tensor other) {
    return winnerShare("minimumVjpOther", Broadcast.WINS_MIN, gy, other, self);
  }

  /** Rule of {@link #maximum} for the receiver: gy where self is larger, half of it on ties (as PyTorch). */
  public static Tensor maximumVjpSelf(Tensor gy, Tensor y, Tensor self, Tensor other) {
    return winnerShare("maximumVjpSelf", Broadcast.WINS_MAX, gy, self, other);
  }

  /** Rule of {@link #maximum} for {@code other}: gy where other is larger, half of it on ties. */
  public static Tensor maximumVjpOther(Tensor gy, Tensor y, Tensor self, Tensor other) {
    return winnerShare("maximumVjpOther", Broadcast.WINS_MAX, gy, other, self);
  }

  // ---- forward rules of the selection ops

  /** Forward rule of {@link #clamp} for the receiver: dSelf where {@code min <= self <= max}, else 0 (diagonal). */
  @Jvp(of = "clamp", wrt = "self")
  public static Tensor clampJvpSelf(Tensor dSelf, Tensor y, Tensor self, double min, double max) {
    return clampVjpSelf(dSelf, y, self, min, max);
  }

  /** Forward rule of {@link #clamp} for {@code min}: dMin at the elements clamped up to min, else 0. */
  @Jvp(of = "clamp", wrt = "min")
  public static Tensor clampJvpMin(double dMin, Tensor y, Tensor self, double min, double max) {
    double[] out = new double[self.data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = self.data[i] < min ? dMin : 0.0;
    }
    return new Tensor(out, self.shape.clone());
  }

  /** Forward rule of {@link #clamp} for {@code max}: dMax at the elements clamped down to max, else 0. */
  @Jvp(of = "clamp", wrt = "max")
  public static Tensor clampJvpMax(double dMax, Tensor y, Tensor self, double min, double max) {
    double[] out = new double[self.data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = self.data[i] > max ? dMax : 0.0;
    }
    return new Tensor(out, self.shape.clone());
  }

  /** The tangent share of {@code a} in a min/max against {@code b}: {@code da * wins(a, b)}, broadcast. */
  private static Tensor winnerTangent(String rule, int wins, Tensor da, Tensor a, Tensor b) {
    expectShape(rule, da, a.shape);
    return expand(da, broadcastShape(rule, a, b)).mul(a.binary(rule, wins, b));
  }

  /** Forward rule of {@link #minimum} for the receiver: dSelf where self is smaller, half of it on ties. */
  @Jvp(of = "minimum", wrt = "self")
  public static Tensor minimumJvpSelf(Tensor dSelf, Tensor y, Tensor self, Tensor other) {
    return winnerTangent("minimumJvpSelf", Broadcast.WINS_MIN, dSelf, self, other);
  }

  /** Forward rule of {@link #minimum} for {@code other}: dOther where other is smaller, half of it on ties. */
  @Jvp(of = "minimum", wrt = "other")
  public static Tensor minimumJvpOther(Tensor dOther, Tensor y, Tensor self, Tensor other) {
    return winnerTangent("minimumJvpOther", Broadcast.WINS_MIN, dOther, other, self);
  }

  /** Forward rule of {@link #maximum} for the receiver: dSelf where self is larger, half of it on ties. */
  @Jvp(of = "maximum", wrt = "self")
  public static Tensor maximumJvpSelf(Tensor dSelf, Tensor y, Tensor self, Tensor other) {
    return winnerTangent("maximumJvpSelf", Broadcast.WINS_MAX, dSelf, self, other);
  }

  /** Forward rule of {@link #maximum} for {@code other}: dOther where other is larger, half of it on ties. */
  @Jvp(of = "maximum", wrt = "other")
  public static Tensor maximumJvpOther(Tensor dOther, Tensor y, Tensor self, Tensor other) {
    return winnerTangent("maximumJvpOther", Broadcast.WINS_MAX, dOther, other, self);
  }

  /**
   * {@code mask != 0 ? a : b} element-wise, the three broadcast together (NumPy/PyTorch {@code where}). The mask is
   * a value, typically a comparison ({@code x.gt(0)}); it has no derivative.
   */
  public static Tensor where(Tensor mask, Tensor a, Tensor b) {
    int[] s = Shapes.broadcast("where", Shapes.broadcast("where", mask.shape, a.shape), b.shape);
    double[] m = mask.broadcastTo(s).data;
    double[] ad = a.broadcastTo(s).data;
    double[] bd = b.broadcastTo(s).data;
    double[] out = new double[m.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = m[i] != 0 ? ad[i] : bd[i];
      }
    });
    return new Tensor(out, s);
  }

  private static Tensor whereShare(String rule, Tensor gy, Tensor mask, Tensor a, Tensor b, boolean takeA) {
    int[] s = Shapes.broadcast(rule, Shapes.broadcast(rule, mask.shape, a.shape), b.shape);
    expectShape(rule, gy, s);
    double[] m = mask.broadcastTo(s).data;
    double[] out = new double[m.length];
    Parallel.range(out.length, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        out[i] = (m[i] != 0) == takeA ? gy.data[i] : 0.0;
      }
    });
    return new Tensor(out, s).sumTo(takeA ? a.shape : b.shape);
  }

  /** Rule of {@link #where} for {@code a}: gy where the mask is set, summed to a's shape. */
  public static Tensor whereVjpA(Tensor gy, Tensor y, Tensor mask, Tensor a, Tensor b) {
    return whereShare("whereVjpA", gy, mask, a, b, true);
  }

  /** Rule of {@link #where} for {@code b}: gy where the mask is clear, summed to b's shape. */
  public static Tensor whereVjpB(Tensor gy, Tensor y, Tensor mask, Tensor a, Tensor b) {
    return whereShare("whereVjpB", gy, mask, a, b, false);
  }

  /** Forward rule of {@link #where} for {@code a}: dA where the mask is set, else 0. */
  @Jvp(of = "where", wrt = "a")
  public static Tensor whereJvpA(Tensor dA, Tensor y, Tensor mask, Tensor a, Tensor b) {
    expectShape("whereJvpA", dA, a.shape);
    return where(mask, dA, zeros(b.shape));
  }

  /** Forward rule of {@link #where} for {@code b}: dB where the mask is clear, else 0. */
  @Jvp(of = "where", wrt = "b")
  public static Tensor whereJvpB(Tensor dB, Tensor y, Tensor mask, Tensor a, Tensor b) {
    expectShape("whereJvpB", dB, b.shape);
    return where(mask, zeros(a.shape), dB);
  }

  /** The flat (row-major) index of the first maximum (NaN counts as the maximum); an empty tensor is rejected. */
  public int argmax() {
    if (data.length == 0) {
      throw new IllegalArgumentException("argmax: tensor of shape " + Arrays.toString(shape) + " has no elements");
    }
    return argmaxFlat(data);
  }

  /**
   * The index along {@code dim} of the first maximum, as a tensor of the reduced shape holding the indices as
   * doubles (no derivative). {@code x.argmax(1)} on logits [N, C] gives the predicted class of each row.
   */
  public Tensor argmax(int dim) {
    int d = Shapes.dim("argmax", dim, shape.length);
    if (shape[d] == 0) {
      throw new IllegalArgumentException("argmax: dimension " + dim + " of shape " + Arrays.toString(shape)
          + " is empty");
    }
    int[] arg = argmaxAlong(d);
    int inner = innerSize(d);
    double[] out = new double[arg.length];
    for (int i = 0; i < arg.length; i++) {
      out[i] = (arg[i] / inner) % shape[d];
    }
    return new Tensor(out, reducedShape(d, false));
  }

  /** {@code log Σ_dim exp(x)}, shifted by the maximum so that it neither overflows nor underflows. */
  public Tensor logsumexp(int dim) {
    return logsumexp(dim, false);
  }

  /** {@link #logsumexp(int)}; {@code keepdim} keeps the dimension with extent 1. An empty dimension gives -inf. */
  public Tensor logsumexp(int dim, boolean keepdim) {
    int d = Shapes.dim("logsumexp", dim, shape.length);
    int len = shape[d];
    int inner = innerSize(d);
    int outer = outerSize(d);
    double[] out = new double[outer * inner];
    Parallel.range(outer * inner, len, (lo, hi) -> {
      for (int r = lo; r < hi; r++) {
        int base = r / inner * len * inner + r % inner;
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
          m = Math.max(m, data[base + j * inner]);
        }
        if (Double.isInfinite(m)) {
          out[r] = m; // all -inf (or empty): -inf; any +inf: +inf; never inf - inf
          continue;
        }
        double s = 0;
        for (int j = 0; j < len; j++) {
          s += Math.exp(data[base + j * inner] - m);
        }
        out[r] = m + Math.log(s);
      }
    });
    return new Tensor(out, reducedShape(d, keepdim));
  }

  /** Rule of {@link #logsumexp(int)}: {@code gy * softmax(self)} along dim. */
  public static Tensor logsumexpVjpSelf(Tensor gy, Tensor y, Tensor self, int dim) {
    return logsumexpVjpSelf(gy, y, self, dim, false);
  }

  /** Rule of {@link #logsumexp(int, boolean)}: {@code gy * exp(self - y)}, y recomputed from self (0 where y = -inf). */
  public static Tensor logsumexpVjpSelf(Tensor gy, Tensor y, Tensor self, int dim, boolean keepdim) {
    Tensor lse = self.logsumexp(dim, true);
    Tensor g = expandAlong("logsumexpVjpSelf", gy, y, self, dim, keepdim, 1.0);
    Tensor e = expandAlong("logsumexpVjpSelf", lse, lse, self, dim, true, 1.0);
    for (int i = 0; i < g.data.length; i++) {
      // An all -inf slice has no element with weight; 0, not the NaN of exp(-inf - -inf).
      g.data[i] = e.data[i] == Double.NEGATIVE_INFINITY ? 0.0 : g.data[i] * Math.exp(self.data[i] - e.data[i]);
    }
    return g;
  }

  /** Forward rule of {@link #logsumexp(int)}: {@code Σ_dim softmax(self) · dSelf}. */
  @Jvp(of = "logsumexp", wrt = "self")
  public static Tensor logsumexpJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim) {
    return logsumexpJvpSelf(dSelf, y, self, dim, false);
  }

  /** Forward rule of {@link #logsumexp(int, boolean)}: {@code Σ_dim exp(self - y) · dSelf} (0 where y = -inf). */
  @Jvp(of = "logsumexp", wrt = "self")
  public static Tensor logsumexpJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim, boolean keepdim) {
    expectShape("logsumexpJvpSelf", dSelf, self.shape);
    Tensor lse = self.logsumexp(dim, true);
    Tensor e = expandAlong("logsumexpJvpSelf", lse, lse, self, dim, true, 1.0);
    double[] w = new double[self.data.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = e.data[i] == Double.NEGATIVE_INFINITY ? 0.0 : Math.exp(self.data[i] - e.data[i]) * dSelf.data[i];
    }
    return new Tensor(w, self.shape.clone()).sum(dim, keepdim);
  }

  // ------------------------------------------------------------------------------------------------ slicing

  /** Rows {@code start .. start+length-1} along {@code dim} (PyTorch {@code narrow}), as a copy. */
  public Tensor narrow(int dim, int start, int length) {
    int d = checkNarrow("narrow", dim, start, length);
    int[] s = shape.clone();
    s[d] = length;
    return new Tensor(Blocks.slab(data, shape, d, start, length), s);
  }

  private int checkNarrow(String op, int dim, int start, int length) {
    int d = Shapes.dim(op, dim, shape.length);
    if (start < 0 || length < 0 || start + length > shape[d]) {
      throw new IllegalArgumentException(op + ": start " + start + " and length " + length
          + " out of range for dimension " + dim + " of shape " + Arrays.toString(shape));
    }
    return d;
  }

  /** Rule of {@link #narrow}: gy placed back at rows {@code start..} of zeros of self's shape. */
  public static Tensor narrowVjpSelf(Tensor gy, Tensor y, Tensor self, int dim, int start, int length) {
    int d = self.checkNarrow("narrowVjpSelf", dim, start, length);
    int[] s = self.shape.clone();
    s[d] = length;
    expectShape("narrowVjpSelf", gy, s);
    return new Tensor(Blocks.scatterAdd(gy.data, self.shape, d, Blocks.range(start, length)), self.shape.clone());
  }

  /** The slice at {@code index} along {@code dim}, which is removed (PyTorch {@code select}; negative counts back). */
  public Tensor select(int dim, int index) {
    int d = Shapes.dim("select", dim, shape.length);
    int[] i = Blocks.indices("select", new int[] {index}, shape[d], dim, shape);
    return new Tensor(Blocks.slab(data, shape, d, i[0], 1), Shapes.remove(shape, d));
  }

  /** Rule of {@link #select}: gy placed at that index of zeros of self's shape. */
  public static Tensor selectVjpSelf(Tensor gy, Tensor y, Tensor self, int dim, int index) {
    int d = Shapes.dim("selectVjpSelf", dim, self.shape.length);
    int[] i = Blocks.indices("selectVjpSelf", new int[] {index}, self.shape[d], dim, self.shape);
    expectShape("selectVjpSelf", gy, Shapes.remove(self.shape, d));
    return new Tensor(Blocks.scatterAdd(gy.data, self.shape, d, i), self.shape.clone());
  }

  /**
   * The rows {@code index[0], index[1], ...} along {@code dim}, in that order, repeats allowed (PyTorch
   * {@code index_select}); negative indices count from the end.
   */
  public Tensor indexSelect(int dim, int[] index) {
    int d = Shapes.dim("indexSelect", dim, shape.length);
    int[] i = Blocks.indices("indexSelect", index, shape[d], dim, shape);
    int[] s = shape.clone();
    s[d] = i.length;
    return new Tensor(Blocks.gather(data, shape, d, i), s);
  }

  /** Rule of {@link #indexSelect}: gy's rows added into zeros of self's shape (repeated rows add up). */
  public static Tensor indexSelectVjpSelf(Tensor gy, Tensor y, Tensor self, int dim, int[] index) {
    int d = Shapes.dim("indexSelectVjpSelf", dim, self.shape.length);
    int[] i = Blocks.indices("indexSelectVjpSelf", index, self.shape[d], dim, self.shape);
    int[] s = self.shape.clone();
    s[d] = i.length;
    expectShape("indexSelectVjpSelf", gy, s);
    return new Tensor(Blocks.scatterAdd(gy.data, self.shape, d, i), self.shape.clone());
  }

  // ---- forward rules of slicing, cat and stack: linear, so the tangent is the op applied to the tangents

  /** Forward rule of {@link #narrow}: dSelf narrowed. */
  @Jvp(of = "narrow", wrt = "self")
  public static Tensor narrowJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim, int start, int length) {
    expectShape("narrowJvpSelf", dSelf, self.shape);
    return dSelf.narrow(dim, start, length);
  }

  /** Forward rule of {@link #select}: dSelf's slice. */
  @Jvp(of = "select", wrt = "self")
  public static Tensor selectJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim, int index) {
    expectShape("selectJvpSelf", dSelf, self.shape);
    return dSelf.select(dim, index);
  }

  /** Forward rule of {@link #indexSelect}: dSelf's rows. */
  @Jvp(of = "indexSelect", wrt = "self")
  public static Tensor indexSelectJvpSelf(Tensor dSelf, Tensor y, Tensor self, int dim, int[] index) {
    expectShape("indexSelectJvpSelf", dSelf, self.shape);
    return dSelf.indexSelect(dim, index);
  }

  // ------------------------------------------------------------------------------------------------ cat, stack

  /**
   * Concatenation along {@code dim} (PyTorch {@code torch.cat}); the other extents must agree. Its rule returns a
   * {@code Tensor[]}, which generated code cannot route yet: in {@code @Differentiable} code use the two-tensor
   * {@link #cat(Tensor, Tensor, int)} (nested for more).
   */
  public static Tensor cat(int dim, Tensor... tensors) {
    if (tensors.length == 0) {
      throw new IllegalArgumentException("cat: needs at least one tensor");
    }
    int[][] shapes = new int[tensors.length][];
    double[][] parts = new double[tensors.length][];
    for (int i = 0; i < tensors.length; i++) {
      shapes[i] = tensors[i].shape;
      parts[i] = tensors[i].data;
    }
    int d = Shapes.dim("cat", dim, shapes[0].length);
    int[] out = Blocks.catShape("cat", d, shapes);
    return new Tensor(Blocks.cat(parts, shapes, d, out), out);
  }

  /** Rule of {@link #cat(int, Tensor...)}: gy cut back into one piece per input. */
  public static Tensor[] catVjpTensors(Tensor gy, Tensor y, int dim, Tensor... tensors) {
    int[][] shapes = new int[tensors.length][];
    for (int i = 0; i < tensors.length; i++) {
      shapes[i] = tensors[i].shape;
    }
    int d = Shapes.dim("catVjpTensors", dim, shapes[0].length);
    expectShape("catVjpTensors", gy, Blocks.catShape("catVjpTensors", d, shapes));
    Tensor[] g = new Tensor[tensors.length];
    int start = 0;
    for (int i = 0; i < tensors.length; i++) {
      g[i] = new Tensor(Blocks.slab(gy.data, gy.shape, d, start, shapes[i][d]), shapes[i].clone());
      start += shapes[i][d];
    }
    return g;
  }

  /** {@code cat(dim, a, b)} with one rule per input, so that generated code can differentiate it. */
  public static Tensor cat(Tensor a, Tensor b, int dim) {
    return cat(dim, a, b);
  }

  /** Rule of {@link #cat(Tensor, Tensor, int)} for {@code a}: the leading part of gy. */
  public static Tensor catVjpA(Tensor gy, Tensor y, Tensor a, Tensor b, int dim) {
    return catVjpTensors(gy, y, dim, a, b)[0];
  }

  /** Rule of {@link #cat(Tensor, Tensor, int)} for {@code b}: the trailing part of gy. */
  public static Tensor catVjpB(Tensor gy, Tensor y, Tensor a, Tensor b, int dim) {
    return catVjpTensors(gy, y, dim, a, b)[1];
  }

  /** The tangents of a list of inputs, a null tangent (an input that does not vary) read as zeros. */
  private static Tensor[] tangentsOrZeros(String rule, Tensor[] d, Tensor[] inputs) {
    if (d.length != inputs.length) {
      throw new IllegalArgumentException(rule + ": " + d.length + " tangents for " + inputs.length + " tensors");
    }
    Tensor[] out = new Tensor[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = d[i] == null ? zeros(inputs[i].shape) : d[i];
      expectShape(rule, out[i], inputs[i].shape);
    }
    return out;
  }

  /** Forward rule of {@link #cat(int, Tensor...)}: the tangents concatenated (a null tangent is zeros). */
  @Jvp(of = "cat", wrt = "tensors")
  public static Tensor catJvpTensors(Tensor[] dTensors, Tensor y, int dim, Tensor... tensors) {
    return cat(dim, tangentsOrZeros("catJvpTensors", dTensors, tensors));
  }

  /** Forward rule of {@link #cat(Tensor, Tensor, int)} for {@code a}: dA followed by zeros. */
  @Jvp(of = "cat", wrt = "a")
  public static Tensor catJvpA(Tensor dA, Tensor y, Tensor a, Tensor b, int dim) {
    return catJvpTensors(new Tensor[] {dA, null}, y, dim, a, b);
  }

  /** Forward rule of {@link #cat(Tensor, Tensor, int)} for {@code b}: zeros followed by dB. */
  @Jvp(of = "cat", wrt = "b")
  public static Tensor catJvpB(Tensor dB, Tensor y, Tensor a, Tensor b, int dim) {
    return catJvpTensors(new Tensor[] {null, dB}, y, dim, a, b);
  }

  /**
   * Stacks tensors of one shape along a new dimension {@code dim} (in {@code -(rank+1)..rank}; PyTorch
   * {@code torch.stack}). In {@code @Differentiable} code use {@link #stack(Tensor, Tensor, int)}.
   */
  public static Tensor stack(int dim, Tensor... tensors) {
    if (tensors.length == 0) {
      throw new IllegalArgumentException("stack: needs at least one tensor");
    }
    int d = Shapes.dim("stack", dim, tensors[0].shape.length + 1);
    Tensor[] parts = new Tensor[tensors.length];
    for (int i = 0; i < tensors.length; i++) {
      if (!Arrays.equals(tensors[i].shape, tensors[0].shape)) {
        int[][] all = new int[tensors.length][];
        for (int j = 0; j < all.length; j++) {
          all[j] = tensors[j].shape;
        }
        throw new IllegalArgumentException("stack: shapes " + Blocks.shapes(all) + " must all be equal");
      }
      parts[i] = new Tensor(tensors[i].data, Shapes.insert(tensors[i].shape, d, 1));
    }
    return cat(d, parts);
  }

  /** Rule of {@link #stack(int, Tensor...)}: the slices of gy along dim. */
  public static Tensor[] stackVjpTensors(Tensor gy, Tensor y, int dim, Tensor... tensors) {
    int d = Shapes.dim("stackVjpTensors", dim, tensors[0].shape.length + 1);
    expectShape("stackVjpTensors", gy, Shapes.insert(tensors[0].shape, d, tensors.length));
    Tensor[] g = new Tensor[tensors.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = gy.select(d, i);
    }
    return g;
  }

  /** {@code stack(dim, a, b)} with one rule per input, so that generated code can differentiate it. */
  public static Tensor stack(Tensor a, Tensor b, int dim) {
    return stack(dim, a, b);
  }

  /** Rule of {@link #stack(Tensor, Tensor, int)} for {@code a}: slice 0 of gy along dim. */
  public static Tensor stackVjpA(Tensor gy, Tensor y, Tensor a, Tensor b, int dim) {
    return stackVjpTensors(gy, y, dim, a, b)[0];
  }

  /** Rule of {@link #stack(Tensor, Tensor, int)} for {@code b}: slice 1 of gy along dim. */
  public static Tensor stackVjpB(Tensor gy, Tensor y, Tensor a, Tensor b, int dim) {
    return stackVjpTensors(gy, y, dim, a, b)[1];
  }

  /** Forward rule of {@link #stack(int, Tensor...)}: the tangents stacked (a null tangent is zeros). */
  @Jvp(of = "stack", wrt = "tensors")
  public static Tensor stackJvpTensors(Tensor[] dTensors, Tensor y, int dim, Tensor... tensors) {
    return stack(dim, tangentsOrZeros("stackJvpTensors", dTensors, tensors));
  }

  /** Forward rule of {@link #stack(Tensor, Tensor, int)} for {@code a}: dA stacked with zeros. */
  @Jvp(of = "stack", wrt = "a")
  public static Tensor stackJvpA(Tensor dA, Tensor y, Tensor a, Tensor b, int dim) {
    return stackJvpTensors(new Tensor[] {dA, null}, y, dim, a, b);
  }

  /** Forward rule of {@link #stack(Tensor, Tensor, int)} for {@code b}: zeros stacked with dB. */
  @Jvp(of = "stack", wrt = "b")
  public static Tensor stackJvpB(Tensor dB, Tensor y, Tensor a, Tensor b, int dim) {
    return stackJvpTensors(new Tensor[] {null, dB}, y, dim, a, b);
  }

  // ------------------------------------------------------------------------------------------------ conversions' rules

  /** Rule of {@link #item()}: a tensor of self's shape holding gy. */
  public static Tensor itemVjpSelf(double gy, double y, Tensor self) {
    return full(gy, self.shape);
  }

  /** Rule of {@link #get(int...)}: zeros with gy at the index. */
  public static Tensor getVjpSelf(double gy, double y, Tensor self, int... index) {
    Tensor g = zeros(self.shape);
    g.data[self.offset("getVjpSelf", index)] = gy;
    return g;
  }

  /** Rule of {@link #toArray()}: gy as a tensor of self's shape. */
  public static Tensor toArrayVjpSelf(double[] gy, double[] y, Tensor self) {
    return of(gy, self.shape);
  }

  /** Rule of {@link #scalar(double)} for {@code value}: gy's single element. */
  public static double scalarVjpValue(Tensor gy, Tensor y, double value) {
    return gy.item();
  }

  /** Rule of {@link #of(double[], int...)} for {@code data}: gy's elements (a new array). */
  public static double[] ofVjpData(Tensor gy, Tensor y, double[] data, int... shape) {
    expectShape("ofVjpData", gy, shape);
    return gy.data.clone();
  }

  /** Rule of {@link #vector(double...)} for {@code values}: gy's elements (a new array). */
  public static double[] vectorVjpValues(Tensor gy, Tensor y, double... values) {
    expectShape("vectorVjpValues", gy, new int[] {values.length});
    return gy.data.clone();
  }

  // ---- forward rules of the conversions: each is linear

  /** Forward rule of {@link #item()}: dSelf's single value. */
  @Jvp(of = "item", wrt = "self")
  public static double itemJvpSelf(Tensor dSelf, double y, Tensor self) {
    expectShape("itemJvpSelf", dSelf, self.shape);
    return dSelf.item();
  }

  /** Forward rule of {@link #get(int...)}: dSelf at the index. */
  @Jvp(of = "get", wrt = "self")
  public static double getJvpSelf(Tensor dSelf, double y, Tensor self, int... index) {
    expectShape("getJvpSelf", dSelf, self.shape);
    return dSelf.get(index);
  }

  /** Forward rule of {@link #toArray()}: dSelf's elements (a new array). */
  @Jvp(of = "toArray", wrt = "self")
  public static double[] toArrayJvpSelf(Tensor dSelf, double[] y, Tensor self) {
    expectShape("toArrayJvpSelf", dSelf, self.shape);
    return dSelf.toArray();
  }

  /** Forward rule of {@link #scalar(double)}: a 0-d tensor holding dValue. */
  @Jvp(of = "scalar", wrt = "value")
  public static Tensor scalarJvpValue(double dValue, Tensor y, double value) {
    return scalar(dValue);
  }

  /** Forward rule of {@link #of(double[], int...)}: dData in the same shape (a copy). */
  @Jvp(of = "of", wrt = "data")
  public static Tensor ofJvpData(double[] dData, Tensor y, double[] data, int... shape) {
    return of(dData, shape);
  }

  /** Forward rule of {@link #vector(double...)}: dValues as a vector (a copy). */
  @Jvp(of = "vector", wrt = "values")
  public static Tensor vectorJvpValues(double[] dValues, Tensor y, double... values) {
    return vector(dValues);
  }

  // ------------------------------------------------------------------------------------------------ comparison

  /** NumPy {@code allclose}: same shape and {@code |a - b| <= atol + rtol·|b|} element-wise (NaN never close). */
  public static boolean allClose(Tensor a, Tensor b, double rtol, double atol) {
    if (!Arrays.equals(a.shape, b.shape)) {
      return false;
    }
    for (int i = 0; i < a.data.length; i++) {
      double x = a.data[i];
      double y = b.data[i];
      if (x == y) {
        continue; // also equal infinities
      }
      if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) {
        return false;
      }
    }
    return true;
  }

  /** PyTorch-like rendering, e.g. {@code tensor([[1., 2.], [3., 4.]])}; large tensors are summarised. */
  @Override
  public String toString() {
    return TensorFormat.format(data, shape, requiresGrad);
  }
}
