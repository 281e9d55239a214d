package dev.adjoint.check;

import dev.adjoint.tensor.Tensor;
import java.util.function.ToDoubleFunction;

/**
 * Checks an analytic gradient (for instance one produced by Adjoint's generated code) against central finite
 * differences refined by one Richardson extrapolation step, {@code (4·D(h/2) - D(h))/3}, whose error is O(h⁴).
 * An element passes when {@code |analytic - numeric| <= atol + rtol·max(|analytic|, |numeric|)}.
 * The function must be deterministic and must not keep references to the arrays or tensors it is given.
 */
public final class GradCheck {
  /** Tolerances and base step; the step for element x is {@code step·max(1, |x|)}. */
  public record Options(double rtol, double atol, double step) {
    /** rtol 1e-5, atol 1e-7, step 1e-3. */
    public static final Options DEFAULT = new Options(1e-5, 1e-7, 1e-3);

    /** Validates the options. */
    public Options {
      if (!(rtol >= 0) || !(atol >= 0) || !(step > 0)) {
        throw new IllegalArgumentException("GradCheck.Options: need rtol >= 0, atol >= 0, step > 0, got " + rtol
            + ", " + atol + ", " + step);
      }
    }
  }

  private GradCheck() {}

  // ------------------------------------------------------------------------------------------------ double[]

  /** The numerical gradient of {@code f} at {@code x} (x is restored afterwards). */
  public static double[] numericalGradient(ToDoubleFunction<double[]> f, double[] x, double step) {
    double[] g = new double[x.length];
    double[] work = x.clone();
    for (int i = 0; i < x.length; i++) {
      g[i] = derivative(() -> f.applyAsDouble(work), work, i, step);
    }
    return g;
  }

  /** Checks {@code analytic} against the numerical gradient of {@code f} at {@code x} with default options. */
  public static Report check(ToDoubleFunction<double[]> f, double[] x, double[] analytic) {
    return check(f, x, analytic, Options.DEFAULT);
  }

  /** Checks {@code analytic} against the numerical gradient of {@code f} at {@code x}. */
  public static Report check(ToDoubleFunction<double[]> f, double[] x, double[] analytic, Options opt) {
    return checkArrays(xs -> f.applyAsDouble(xs[0]), new double[][] {x}, new double[][] {analytic}, opt);
  }

  /** Throws AssertionError with the report's text unless the check passes (default options). */
  public static Report assertClose(ToDoubleFunction<double[]> f, double[] x, double[] analytic) {
    return check(f, x, analytic).assertPassed();
  }

  // ------------------------------------------------------------------------------------------------ double[][]

  /** Checks the gradients of a function of several arrays; {@code analytic[i]} belongs to {@code xs[i]}. */
  public static Report checkArrays(ToDoubleFunction<double[][]> f, double[][] xs, double[][] analytic) {
    return checkArrays(f, xs, analytic, Options.DEFAULT);
  }

  /** Checks the gradients of a function of several arrays; {@code analytic[i]} belongs to {@code xs[i]}. */
  public static Report checkArrays(ToDoubleFunction<double[][]> f, double[][] xs, double[][] analytic, Options opt) {
    if (xs.length != analytic.length) {
      throw new IllegalArgumentException("GradCheck: " + xs.length + " inputs but " + analytic.length + " gradients");
    }
    double[][] work = new double[xs.length][];
    for (int i = 0; i < xs.length; i++) {
      if (xs[i].length != analytic[i].length) {
        throw new IllegalArgumentException("GradCheck: input " + i + " has length " + xs[i].length
            + " but its gradient has length " + analytic[i].length);
      }
      work[i] = xs[i].clone();
    }
    Report.Builder r = new Report.Builder(opt);
    for (int i = 0; i < xs.length; i++) {
      for (int j = 0; j < xs[i].length; j++) {
        double num = derivative(() -> f.applyAsDouble(work), work[i], j, opt.step());
        r.add(i, j, null, analytic[i][j], num);
      }
    }
    return r.build();
  }

  /** {@link #checkArrays(ToDoubleFunction, double[][], double[][])} that throws AssertionError on failure. */
  public static Report assertCloseArrays(ToDoubleFunction<double[][]> f, double[][] xs, double[][] analytic) {
    return checkArrays(f, xs, analytic).assertPassed();
  }

  // ------------------------------------------------------------------------------------------------ Tensor[]

  /** Checks the gradients of a function of several tensors; {@code analytic[i]} has the shape of {@code xs[i]}. */
  public static Report checkTensors(ToDoubleFunction<Tensor[]> f, Tensor[] xs, Tensor[] analytic) {
    return checkTensors(f, xs, analytic, Options.DEFAULT);
  }

  /** Checks the gradients of a function of several tensors; {@code analytic[i]} has the shape of {@code xs[i]}. */
  public static Report checkTensors(ToDoubleFunction<Tensor[]> f, Tensor[] xs, Tensor[] analytic, Options opt) {
    if (xs.length != analytic.length) {
      throw new IllegalArgumentException("GradCheck: " + xs.length + " inputs but " + analytic.length + " gradients");
    }
    Tensor[] work = new Tensor[xs.length];
    for (int i = 0; i < xs.length; i++) {
      if (analytic[i] == null || !analytic[i].sameShape(xs[i].shape())) {
        throw new IllegalArgumentException("GradCheck: input " + i + " has shape "
            + java.util.Arrays.toString(xs[i].shape()) + " but its gradient has shape "
            + (analytic[i] == null ? "null" : java.util.Arrays.toString(analytic[i].shape())));
      }
      work[i] = xs[i].copy();
    }
    Report.Builder r = new Report.Builder(opt);
    for (int i = 0; i < xs.length; i++) {
      double[] d = work[i].data();
      double[] a = analytic[i].data();
      int[] shape = xs[i].shape();
      for (int j = 0; j < d.length; j++) {
        double num = derivative(() -> f.applyAsDouble(work), d, j, opt.step());
        r.add(i, j, shape, a[j], num);
      }
    }
    return r.build();
  }

  /** {@link #checkTensors(ToDoubleFunction, Tensor[], Tensor[])} that throws AssertionError on failure. */
  public static Report assertCloseTensors(ToDoubleFunction<Tensor[]> f, Tensor[] xs, Tensor[] analytic) {
    return checkTensors(f, xs, analytic).assertPassed();
  }

  // ------------------------------------------------------------------------------------------------ parameters

  /**
   * Checks the gradients a model's parameters hold ({@link Tensor#grad()}) against finite differences of
   * {@code loss}, which reads those same tensors (a model's fields): each element is perturbed <em>in place</em>
   * in the tensor's own data and restored exactly before the next. Fill the gradients first (call the generated
   * gradient once, after {@code clearGrad()}); a null gradient is an IllegalArgumentException naming the parameter.
   * {@code loss} must be deterministic and must not modify the parameters.
   */
  public static Report checkParameters(java.util.function.DoubleSupplier loss, java.util.List<Tensor> params) {
    return checkParameters(loss, params, Options.DEFAULT);
  }

  /** {@link #checkParameters(java.util.function.DoubleSupplier, java.util.List)} with options. */
  public static Report checkParameters(java.util.function.DoubleSupplier loss, java.util.List<Tensor> params,
      Options opt) {
    Tensor[] analytic = new Tensor[params.size()];
    for (int i = 0; i < analytic.length; i++) {
      analytic[i] = params.get(i).grad();
      if (analytic[i] == null) {
        throw new IllegalArgumentException("GradCheck: parameter " + i + " (shape "
            + java.util.Arrays.toString(params.get(i).shape()) + ") has no gradient: run the gradient first, or is "
            + "it not marked requiresGrad(true)?");
      }
    }
    return checkInPlace(loss, params, analytic, opt);
  }

  /**
   * Checks {@code analytic[i]} against finite differences of {@code loss} with respect to the tensor
   * {@code params.get(i)}, perturbed in place in its own data and restored exactly.
   */
  public static Report checkInPlace(java.util.function.DoubleSupplier loss, java.util.List<Tensor> params,
      Tensor[] analytic, Options opt) {
    if (params.size() != analytic.length) {
      throw new IllegalArgumentException("GradCheck: " + params.size() + " tensors but " + analytic.length
          + " gradients");
    }
    Report.Builder r = new Report.Builder(opt);
    for (int i = 0; i < analytic.length; i++) {
      Tensor p = params.get(i);
      if (analytic[i] == null || !analytic[i].sameShape(p.shape())) {
        throw new IllegalArgumentException("GradCheck: tensor " + i + " has shape "
            + java.util.Arrays.toString(p.shape()) + " but its gradient has shape "
            + (analytic[i] == null ? "null" : java.util.Arrays.toString(analytic[i].shape())));
      }
      double[] d = p.data();
      double[] a = analytic[i].data();
      int[] shape = p.shape();
      for (int j = 0; j < d.length; j++) {
        r.add(i, j, shape, a[j], derivative(loss, d, j, opt.step()));
      }
    }
    return r.build();
  }

  // ------------------------------------------------------------------------------------------------ core

  /** Richardson-extrapolated central difference of {@code f} along {@code x[i]}; restores {@code x[i]} exactly. */
  static double derivative(java.util.function.DoubleSupplier f, double[] x, int i, double step) {
    double x0 = x[i];
    double h = step * Math.max(1.0, Math.abs(x0));
    double d1 = central(f, x, i, x0, h);
    double d2 = central(f, x, i, x0, h / 2);
    x[i] = x0;
    return (4 * d2 - d1) / 3;
  }

  private static double central(java.util.function.DoubleSupplier f, double[] x, int i, double x0, double h) {
    x[i] = x0 + h;
    double fp = f.getAsDouble();
    x[i] = x0 - h;
    double fm = f.getAsDouble();
    // Divide by the step actually taken (x0+h)-(x0-h), which is not exactly 2h in floating point.
    return (fp - fm) / ((x0 + h) - (x0 - h));
  }
}
