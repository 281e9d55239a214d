package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.optim.Adam;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.Sgd;
import dev.adjoint.samples.train.Mlp;
import dev.adjoint.samples.train.MlpGrad;
import dev.adjoint.spark.demo.MlpSpec;
import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.regression.LabeledPoint;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;

/**
 * Distributed training equals training in one process on the same batches, computed here with the runtime and the
 * generated {@code MlpGrad} directly (no Spark, no trainer code), also when a task fails and is retried; and the
 * trainer refuses bad rows, unshippable models and non-finite gradients with messages that locate them.
 */
class SparkTrainerTest {
  private static final int N = 90;
  private static final int F = 6;
  private static final int HIDDEN = 5;
  private static final int C = 3;
  private static final double RTOL = 1e-9;

  private final JavaSparkContext sc = TestSpark.context();
  private final double[][] xs = new double[N][F];
  private final int[] ys = new int[N];

  SparkTrainerTest() {
    Random rng = new Random(2024);
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < F; j++) {
        xs[i][j] = rng.nextGaussian();
      }
      ys[i] = rng.nextInt(C);
    }
  }

  @Test
  void sgdWithMomentumOnTwoPartitionsEqualsOneProcess() {
    assertEqualToOneProcess(2, new SparkTrainer.Options(2, 20, 3), ps -> new Sgd(ps, 0.1).momentum(0.9),
        new MlpSpec());
  }

  @Test
  void adamOnFourPartitionsWithADeeperTreeEqualsOneProcess() {
    assertEqualToOneProcess(4, new SparkTrainer.Options(3, 16, 5, 3), ps -> new Adam(ps, 0.01), new MlpSpec());
  }

  /** The samples' MLP spec, for the variants below that change one method of it. */
  static class MlpVariant implements ModelSpec<Mlp> {
    private static final long serialVersionUID = 1L;
    private final MlpSpec mlp = new MlpSpec();

    @Override
    public List<Parameter> parameters(Mlp model) {
      return mlp.parameters(model);
    }

    @Override
    public Mlp build(List<Tensor> parameters) {
      return mlp.build(parameters);
    }

    @Override
    public double lossAndGradient(Mlp model, Batch batch) {
      return mlp.lossAndGradient(model, batch);
    }
  }

  /** Counts the task attempts injected to fail (one in the whole test run: the first attempt to see the flag). */
  static final AtomicInteger INJECTED = new AtomicInteger();

  /** The MLP, except that one task (partition 1, first attempt) throws once, as a lost executor would. */
  static final class FailingOnce extends MlpVariant {
    private static final long serialVersionUID = 1L;

    @Override
    public double lossAndGradient(Mlp model, Batch batch) {
      TaskContext task = TaskContext.get();
      if (task.partitionId() == 1 && task.attemptNumber() == 0 && INJECTED.compareAndSet(0, 1)) {
        throw new IllegalStateException("injected failure of partition 1, attempt 0");
      }
      return super.lossAndGradient(model, batch);
    }
  }

  @Test
  void aFailedTaskIsRetriedAndTheResultIsStillEqual() throws InterruptedException {
    AtomicInteger failedTasks = new AtomicInteger();
    SparkListener listener = new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.reason() instanceof ExceptionFailure f && f.description().contains("injected failure")) {
          failedTasks.incrementAndGet();
        }
      }
    };
    sc.sc().addSparkListener(listener);
    try {
      assertEqualToOneProcess(3, new SparkTrainer.Options(2, 30, 9), ps -> new Sgd(ps, 0.2), new FailingOnce());
      assertEquals(1, INJECTED.get(), "the failure was injected once");
      for (int i = 0; i < 100 && failedTasks.get() == 0; i++) {
        Thread.sleep(50); // the listener bus delivers events asynchronously
      }
      assertEquals(1, failedTasks.get(), "Spark saw the failed attempt (and retried it: the result is complete)");
    } finally {
      sc.sc().removeSparkListener(listener);
    }
  }

  private void assertEqualToOneProcess(int partitions, SparkTrainer.Options options,
      Function<List<Tensor>, Optimizer> optimizer, ModelSpec<Mlp> spec) {
    Mlp distributed = new Mlp(new Random(77), F, HIDDEN, C);
    Mlp local = new Mlp(new Random(77), F, HIDDEN, C);
    List<double[]> initial = values(local);

    Examples data = Examples.classification(rdd(partitions), F, C);
    assertEquals(partitions, data.partitions());
    SparkTrainer.Result result = new SparkTrainer(sc, options).fit(distributed, spec, optimizer, data, null);
    data.unpersist();
    double[] localLosses = trainInOneProcess(local, options, optimizer);

    long batches = (N + options.batchSize() - 1) / options.batchSize();
    assertEquals(options.epochs() * batches, result.steps());
    for (int e = 0; e < options.epochs(); e++) {
      assertClose("loss of epoch " + (e + 1), new double[] {localLosses[e]}, new double[] {result.epochLosses()[e]});
    }
    List<double[]> expected = values(local);
    List<double[]> actual = values(distributed);
    for (int i = 0; i < expected.size(); i++) {
      assertClose("parameter " + i, expected.get(i), actual.get(i));
      assertTrue(maxAbsDiff(expected.get(i), initial.get(i)) > 1e-3, "parameter " + i + " was trained");
    }
  }

  /** The reference: the same batches in one process, each a call of the generated MlpGrad on the whole batch. */
  private double[] trainInOneProcess(Mlp model, SparkTrainer.Options options,
      Function<List<Tensor>, Optimizer> optimizer) {
    Optimizer opt = optimizer.apply(model.parameters());
    BatchOrder order = new BatchOrder(options.seed(), N);
    double[] losses = new double[options.epochs()];
    for (int epoch = 1; epoch <= options.epochs(); epoch++) {
      double sum = 0;
      for (long b = 0; b < order.batches(options.batchSize()); b++) {
        long[] rows = order.batch(epoch, b, options.batchSize());
        double[] x = new double[rows.length * F];
        int[] labels = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
          System.arraycopy(xs[(int) rows[k]], 0, x, k * F, F);
          labels[k] = ys[(int) rows[k]];
        }
        opt.zeroGrad();
        sum += MlpGrad.loss(model, Tensor.wrap(x, rows.length, F), labels).value() * rows.length;
        opt.step();
      }
      losses[epoch - 1] = sum / N;
    }
    return losses;
  }

  private JavaRDD<LabeledPoint> rdd(int partitions) {
    return sc.parallelize(points(), partitions);
  }

  private List<LabeledPoint> points() {
    List<LabeledPoint> points = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      points.add(new LabeledPoint(ys[i], Vectors.dense(xs[i].clone())));
    }
    return points;
  }

  private static List<double[]> values(Mlp m) {
    List<double[]> out = new ArrayList<>();
    m.parameters().forEach(t -> out.add(t.toArray()));
    return out;
  }

  private static void assertClose(String what, double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    double err = maxAbsDiff(expected, actual);
    assertTrue(err <= RTOL * scale, what + ": max difference " + err + " exceeds " + RTOL + " x " + scale);
  }

  private static double maxAbsDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  // ---------------------------------------------------------------------------------------------- bad input

  // 90 rows in 3 partitions of 30: global row r is row r % 30 of partition r / 30.

  @Test
  void aNanFeatureIsReportedWithItsPartitionAndIndex() {
    double[] nan = xs[43].clone();
    nan[4] = Double.NaN;
    assertBadRow(43, new LabeledPoint(ys[43], Vectors.dense(nan)), "partition 1, index 13: feature 4 is NaN");
  }

  @Test
  void aRowOfTheWrongWidthIsReportedWithItsPartitionAndIndex() {
    assertBadRow(61, new LabeledPoint(ys[61], Vectors.dense(new double[F - 1])),
        "partition 2, index 1: has 5 features, expected 6");
  }

  @Test
  void aLabelThatIsNoClassIsReportedWithItsPartitionAndIndex() {
    List<LabeledPoint> points = assertBadRow(29, new LabeledPoint(1.5, Vectors.dense(xs[29])),
        "partition 0, index 29: label 1.5 is not a class index in [0, 3)");
    Examples asRegression = Examples.regression(sc.parallelize(points, 3), F); // any finite target is one
    assertEquals(N, asRegression.size());
    asRegression.unpersist();
  }

  /** Packs the rows with {@code row} replaced by {@code bad} and checks the error locates it; returns the rows. */
  private List<LabeledPoint> assertBadRow(int row, LabeledPoint bad, String message) {
    List<LabeledPoint> points = points();
    points.set(row, bad);
    BadRowException e = assertThrows(BadRowException.class,
        () -> Examples.classification(sc.parallelize(points, 3), F, C));
    assertEquals(row / 30, e.partition());
    assertEquals(row % 30, e.index());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    return points;
  }

  // ---------------------------------------------------------------------------------------------- shipping

  /** A spec that keeps a tensor: it cannot be serialized. */
  static final class HoldsATensor extends MlpVariant {
    private static final long serialVersionUID = 1L;
    final Tensor scale = Tensor.scalar(2);

    @Override
    public double lossAndGradient(Mlp model, Batch batch) {
      return super.lossAndGradient(model, batch) * scale.item();
    }
  }

  @Test
  void aModelThatCannotBeShippedIsRefusedBeforeAnyJob() {
    Examples data = Examples.classification(rdd(2), F, C);
    SparkTrainer trainer = new SparkTrainer(sc, new SparkTrainer.Options(1, 30, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> trainer.fit(new Mlp(new Random(1), F, HIDDEN, C), new HoldsATensor(), ps -> new Sgd(ps, 0.1), data,
            null));
    assertTrue(e.getMessage().contains("cannot be shipped") && e.getMessage().contains(Tensor.class.getName()),
        e.getMessage());

    ModelSpec<Mlp> copies = new CopyingSpec();
    IllegalArgumentException copied = assertThrows(IllegalArgumentException.class,
        () -> trainer.fit(new Mlp(new Random(1), F, HIDDEN, C), copies, ps -> new Sgd(ps, 0.1), data, null));
    assertTrue(copied.getMessage().contains("must wrap the tensors it is given"), copied.getMessage());
    data.unpersist();
  }

  /** A spec whose build copies the tensors: the workers' gradients would never reach the shipped ones. */
  static final class CopyingSpec extends MlpVariant {
    private static final long serialVersionUID = 1L;

    @Override
    public Mlp build(List<Tensor> p) {
      return new Mlp(p.get(0).copy(), p.get(1).copy(), p.get(2).copy(), p.get(3).copy());
    }
  }

  /** The MLP, with one gradient element turned NaN on partition 0, as an overflowing model would. */
  static final class PoisonsPartitionZero extends MlpVariant {
    private static final long serialVersionUID = 1L;

    @Override
    public double lossAndGradient(Mlp model, Batch batch) {
      double loss = super.lossAndGradient(model, batch);
      if (TaskContext.get().partitionId() == 0) {
        model.w2.grad().data()[3] = Double.NaN;
      }
      return loss;
    }
  }

  @Test
  void aNonFiniteGradientStopsTrainingAndNamesItsPartitionAndParameter() {
    Examples data = Examples.classification(rdd(2), F, C);
    Mlp model = new Mlp(new Random(1), F, HIDDEN, C);
    double[] before = model.w2.toArray();
    NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class,
        () -> new SparkTrainer(sc, new SparkTrainer.Options(1, 90, 1)).fit(model, new PoisonsPartitionZero(),
            ps -> new Sgd(ps, 0.1), data, null));
    data.unpersist();
    assertTrue(e.getMessage().contains("step 1, partition 0: the gradient of parameter 'w2' is NaN at element 3"),
        e.getMessage());
    assertArrayEquals(before, model.w2.toArray(), "the model was not stepped");
  }
}
