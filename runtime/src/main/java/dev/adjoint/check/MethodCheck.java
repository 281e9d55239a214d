package dev.adjoint.check;

import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The gradient check behind each generated {@code FooGrad.mCheck(...)}: the generated code registers every
 * differentiated parameter (and the model's {@code Tensor} fields) with the gradient its {@code FooGrad.m} computed,
 * then {@link #run} compares them with Richardson central differences of the method itself at the same point.
 *
 * <p>Nothing the caller passed is changed: parameters are checked on copies, and a model's fields (which the method
 * reads through {@code this}) are perturbed in place and restored bit for bit, with their {@code grad()} set aside
 * while the generated gradient runs and put back afterwards.
 */
public final class MethodCheck {
  /** Defaults for a method computed in {@code float}: its rounding needs a larger step and looser tolerances. */
  public static final GradCheck.Options SINGLE_PRECISION = new GradCheck.Options(1e-3, 1e-5, 1e-2);

  private final String method;
  private final GradCheck.Options options;
  private final List<Input> inputs = new ArrayList<>();
  private final List<Field> fields = new ArrayList<>();

  /** A check of {@code method} (as {@code Foo.m}, for the report) with the given options. */
  public MethodCheck(String method, GradCheck.Options options) {
    this.method = method;
    this.options = options;
  }

  /**
   * Registers a model parameter {@code this.name}; ignored unless it {@link Tensor#requiresGrad() requires grad},
   * since the generated gradient adds only into those.
   */
  public MethodCheck field(String name, Tensor field) {
    if (field != null && field.requiresGrad()) {
      fields.add(new Field("this." + name, field));
    }
    return this;
  }

  /** Registers the elements of a {@code Tensor[]} parameter field, as {@code this.name.i}. */
  public MethodCheck fields(String name, Tensor[] field) {
    for (int i = 0; field != null && i < field.length; i++) {
      field(name + "." + i, field[i]);
    }
    return this;
  }

  /** Registers the elements of a {@code List<Tensor>} parameter field, as {@code this.name.i}. */
  public MethodCheck fields(String name, java.util.List<Tensor> field) {
    for (int i = 0; field != null && i < field.size(); i++) {
      field(name + "." + i, field.get(i));
    }
    return this;
  }

  /**
   * Runs the generated gradient with each registered field's {@code grad()} set aside (so it receives exactly this
   * call's gradient, which becomes the field's analytic gradient), then puts the fields' gradients back.
   */
  public <T> T gradient(Supplier<T> generated) {
    GradsSetAside aside = new GradsSetAside();
    try {
      T result = generated.get();
      for (Field f : fields) {
        Tensor g = f.tensor.grad();
        double[] data = f.tensor.data();
        add(f.name, data, g == null ? new double[data.length] : g.data().clone(), f.tensor.shape());
      }
      return result;
    } finally {
      aside.restore();
    }
  }

  /** Registers a {@code double} parameter; returns the one-element holder that {@link #run} perturbs. */
  public double[] scalar(String name, double at, double analytic) {
    double[] holder = {at};
    add(name, holder, new double[] {analytic}, null);
    return holder;
  }

  /** Registers a {@code float} parameter; returns the one-element holder that {@link #run} perturbs. */
  public float[] scalar(String name, float at, float analytic) {
    float[] holder = {at};
    inputs.add(new Input(name, new double[] {analytic}, null) {
      @Override
      int size() {
        return 1;
      }

      @Override
      double get(int i) {
        return holder[0];
      }

      @Override
      double set(int i, double v) {
        holder[0] = (float) v; // the function sees a float: the step is what the rounding leaves of it
        return holder[0];
      }
    });
    return holder;
  }

  /** Registers a {@code double[]} parameter; returns the copy that {@link #run} perturbs. */
  public double[] array(String name, double[] at, double[] analytic) {
    double[] work = at.clone();
    add(name, work, sameLength(name, at.length, analytic), new int[] {at.length});
    return work;
  }

  /** Registers a {@code float[]} parameter; returns the copy that {@link #run} perturbs. */
  public float[] array(String name, float[] at, float[] analytic) {
    float[] work = at.clone();
    if (analytic == null || analytic.length != at.length) {
      throw new IllegalArgumentException(method + " check: gradient of " + name + " has "
          + (analytic == null ? "no elements" : analytic.length + " elements") + " but the parameter has " + at.length);
    }
    double[] g = new double[analytic.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = analytic[i];
    }
    inputs.add(new Input(name, g, new int[] {at.length}) {
      @Override
      int size() {
        return work.length;
      }

      @Override
      double get(int i) {
        return work[i];
      }

      @Override
      double set(int i, double v) {
        work[i] = (float) v; // the function sees a float: the step is what the rounding leaves of it
        return work[i];
      }
    });
    return work;
  }

  /** Registers a {@code double[][]} parameter (rows may differ in length); returns the copy {@link #run} perturbs. */
  public double[][] array(String name, double[][] at, double[][] analytic) {
    double[][] work = copy(at);
    if (analytic == null || analytic.length != at.length) {
      throw new IllegalArgumentException(method + " check: gradient of " + name + " has "
          + (analytic == null ? "no rows" : analytic.length + " rows") + " but the parameter has " + at.length);
    }
    int[] offsets = new int[at.length + 1];
    for (int r = 0; r < at.length; r++) {
      offsets[r + 1] = offsets[r] + at[r].length;
    }
    double[] flat = new double[offsets[at.length]];
    for (int r = 0; r < at.length; r++) {
      double[] row = sameLength(name + "[" + r + "]", at[r].length, analytic[r]);
      System.arraycopy(row, 0, flat, offsets[r], row.length);
    }
    boolean rectangular = at.length > 0 && Arrays.stream(at).allMatch(row -> row.length == at[0].length);
    inputs.add(new Input(name, flat, rectangular ? new int[] {at.length, at[0].length} : null) {
      @Override
      int size() {
        return flat.length;
      }

      @Override
      double get(int i) {
        int r = row(i);
        return work[r][i - offsets[r]];
      }

      @Override
      double set(int i, double v) {
        int r = row(i);
        work[r][i - offsets[r]] = v;
        return v;
      }

      private int row(int i) {
        int r = Arrays.binarySearch(offsets, i);
        if (r < 0) {
          return -r - 2;
        }
        while (r + 1 < offsets.length && offsets[r + 1] == i) {
          r++; // skip empty rows that start at the same offset
        }
        return r;
      }
    });
    return work;
  }

  /** Registers a {@code Tensor} parameter (a null gradient is zero); returns the copy that {@link #run} perturbs. */
  public Tensor tensor(String name, Tensor at, Tensor analytic) {
    Tensor work = at.copy();
    double[] g;
    if (analytic == null) {
      g = new double[at.size()];
    } else if (!analytic.sameShape(at.shape())) {
      throw new IllegalArgumentException(method + " check: gradient of " + name + " has shape "
          + Arrays.toString(analytic.shape()) + " but the parameter has shape " + Arrays.toString(at.shape()));
    } else {
      g = analytic.data();
    }
    add(name, work.data(), g, at.shape());
    return work;
  }

  /** A deep copy of a two-dimensional array (for methods that write into it). */
  public static double[][] copy(double[][] a) {
    double[][] c = a.clone();
    for (int r = 0; r < c.length; r++) {
      c[r] = c[r] == null ? null : c[r].clone();
    }
    return c;
  }

  /** A deep copy of a two-dimensional array (for methods that write into it). */
  public static int[][] copy(int[][] a) {
    int[][] c = a.clone();
    for (int r = 0; r < c.length; r++) {
      c[r] = c[r] == null ? null : c[r].clone();
    }
    return c;
  }

  /**
   * Compares every registered gradient element with Richardson central differences of {@code primal} (the method
   * itself, reading the holders and copies returned above) and returns the report, which names the parameter of
   * the worst element. Fields' data and gradients are restored exactly.
   */
  public Report run(DoubleSupplier primal) {
    Report.Builder r = new Report.Builder(options, method, names());
    GradsSetAside aside = new GradsSetAside(); // the primal may be the generated gradient's value
    try {
      for (int i = 0; i < inputs.size(); i++) {
        Input in = inputs.get(i);
        for (int j = 0; j < in.size(); j++) {
          r.add(i, j, in.shape, in.analytic[j], derivative(primal, in, j, options.step()));
        }
      }
    } finally {
      aside.restore();
    }
    return r.build();
  }

  private String[] names() {
    return inputs.stream().map(in -> in.name).toArray(String[]::new);
  }

  private double[] sameLength(String name, int length, double[] analytic) {
    if (analytic == null || analytic.length != length) {
      throw new IllegalArgumentException(method + " check: gradient of " + name + " has length "
          + (analytic == null ? "null" : String.valueOf(analytic.length)) + " but the parameter has " + length);
    }
    return analytic;
  }

  private void add(String name, double[] values, double[] analytic, int[] shape) {
    inputs.add(new Input(name, analytic, shape) {
      @Override
      int size() {
        return values.length;
      }

      @Override
      double get(int i) {
        return values[i];
      }

      @Override
      double set(int i, double v) {
        values[i] = v;
        return v;
      }
    });
  }

  /** Richardson-extrapolated central difference along element {@code j}, dividing by the steps actually stored. */
  private static double derivative(DoubleSupplier f, Input in, int j, double step) {
    double x0 = in.get(j);
    double h = step * Math.max(1.0, Math.abs(x0));
    try {
      double d1 = central(f, in, j, x0, h);
      double d2 = central(f, in, j, x0, h / 2);
      return (4 * d2 - d1) / 3;
    } finally {
      in.set(j, x0);
    }
  }

  private static double central(DoubleSupplier f, Input in, int j, double x0, double h) {
    double up = in.set(j, x0 + h);
    double fp = f.getAsDouble();
    double down = in.set(j, x0 - h);
    double fm = f.getAsDouble();
    return (fp - fm) / (up - down);
  }

  /** One checked parameter: its elements as doubles, its analytic gradient and (for the report) its shape. */
  private abstract static class Input {
    final String name;
    final double[] analytic;
    final int[] shape;

    Input(String name, double[] analytic, int[] shape) {
      this.name = name;
      this.analytic = analytic;
      this.shape = shape;
    }

    abstract int size();

    abstract double get(int i);

    /** Stores {@code v} and returns the value actually stored. */
    abstract double set(int i, double v);
  }

  /** A model parameter read through {@code this}. */
  private record Field(String name, Tensor tensor) {}

  /**
   * Sets the fields' gradients aside and puts them back on {@link #restore}: an existing gradient is zeroed in
   * place and its values restored into the same object (an optimizer may hold it); a field without one gets none.
   */
  private final class GradsSetAside {
    private final Tensor[] grads = new Tensor[fields.size()];
    private final double[][] saved = new double[fields.size()][];

    GradsSetAside() {
      for (int i = 0; i < grads.length; i++) {
        Tensor t = fields.get(i).tensor;
        grads[i] = t.grad();
        if (grads[i] != null) {
          saved[i] = grads[i].data().clone();
          t.zeroGrad();
        }
      }
    }

    void restore() {
      for (int i = 0; i < grads.length; i++) {
        if (grads[i] == null) {
          fields.get(i).tensor.clearGrad();
        } else {
          System.arraycopy(saved[i], 0, grads[i].data(), 0, saved[i].length);
        }
      }
    }
  }
}
