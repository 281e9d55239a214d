package dev.adjoint.spark.demo;

import dev.adjoint.optim.Sgd;
import dev.adjoint.samples.train.Dataset;
import dev.adjoint.samples.train.Mlp;
import dev.adjoint.samples.train.MlpGrad;
import dev.adjoint.spark.Examples;
import dev.adjoint.spark.SparkTrainer;
import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The per-step time of {@link SparkTrainer} against the number of partitions and the parameter count, in local mode
 * on this machine (the table in BENCHMARKS.md), beside one process computing the same step without Spark. Not a
 * unit test: a measurement, printed as a Markdown table. Each cell is "fastest / median" over the measured epochs
 * of the epoch time divided by its steps, after one warm-up epoch (the fastest is the least disturbed by other load
 * on a shared machine).
 */
public final class StepScaling {
  static final int ROWS = 2048;
  static final int FEATURES = 64;
  static final int CLASSES = 10;
  static final int BATCH = 256;
  static final int[] PARTITIONS = {1, 2, 4, 8};
  static final int[] HIDDEN = {16, 256, 2048};
  static final int MEASURED_EPOCHS = 5;

  private StepScaling() {}

  public static void main(String[] args) {
    Dataset data = randomData(new Random(1));
    try (JavaSparkContext sc = LocalSpark.context("adjoint-step-scaling", "local[8]")) {
      System.out.printf(Locale.ROOT, "Spark %s, master %s, %d cores; %d rows of %d features, batch %d, SGD; "
          + "ms per step, fastest / median of %d epochs%n%n", sc.version(), sc.master(),
          Runtime.getRuntime().availableProcessors(), ROWS, FEATURES, BATCH, MEASURED_EPOCHS);
      StringBuilder header = new StringBuilder("| hidden | parameters | MB per broadcast | one process |");
      StringBuilder rule = new StringBuilder("|---|---|---|---|");
      for (int p : PARTITIONS) {
        header.append(" ").append(p).append(p == 1 ? " partition" : " partitions").append(" |");
        rule.append("---|");
      }
      System.out.println(header);
      System.out.println(rule);
      List<Examples> sets = new ArrayList<>();
      for (int p : PARTITIONS) {
        sets.add(Examples.classification(LocalSpark.rows(sc, () -> randomData(new Random(1)), p), FEATURES,
            CLASSES));
      }
      // Warm-up: the first jobs of a fresh JVM run Spark's scheduler and serialisers interpreted.
      for (Examples set : sets) {
        sparkMillis(sc, set, HIDDEN[0]);
      }
      oneProcessMillis(data, HIDDEN[0]);
      for (int h : HIDDEN) {
        long params = (long) FEATURES * h + h + (long) h * CLASSES + CLASSES;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %d | %,d | %.2f | %s |", h, params,
            params * 8 / 1e6, cell(oneProcessMillis(data, h))));
        for (Examples set : sets) {
          line.append(" ").append(cell(sparkMillis(sc, set, h))).append(" |");
        }
        System.out.println(line);
      }
      sets.forEach(Examples::unpersist);
    }
  }

  private static double[] sparkMillis(JavaSparkContext sc, Examples set, int hidden) {
    double stepsPerEpoch = (ROWS + BATCH - 1) / BATCH;
    double[] perStep = new double[MEASURED_EPOCHS + 1];
    new SparkTrainer(sc, new SparkTrainer.Options(MEASURED_EPOCHS + 1, BATCH, 3)).fit(
        new Mlp(new Random(2), FEATURES, hidden, CLASSES), new MlpSpec(), ps -> new Sgd(ps, 0.01), set,
        (epoch, loss, seconds) -> perStep[epoch - 1] = 1000 * seconds / stepsPerEpoch);
    return Arrays.copyOfRange(perStep, 1, perStep.length);
  }

  /** The same step in one process: the generated gradient on the whole batch, then the optimizer. */
  private static double[] oneProcessMillis(Dataset data, int hidden) {
    Mlp mlp = new Mlp(new Random(2), FEATURES, hidden, CLASSES);
    Sgd sgd = new Sgd(mlp.parameters(), 0.01);
    int[] rows = new int[BATCH];
    Arrays.setAll(rows, i -> i);
    Tensor x = data.batch(rows, 0, BATCH);
    int[] labels = data.batchLabels(rows, 0, BATCH);
    int steps = ROWS / BATCH;
    double[] perStep = new double[MEASURED_EPOCHS + 1];
    for (int e = 0; e < perStep.length; e++) {
      long start = System.nanoTime();
      for (int s = 0; s < steps; s++) {
        sgd.zeroGrad();
        MlpGrad.loss(mlp, x, labels);
        sgd.step();
      }
      perStep[e] = (System.nanoTime() - start) / 1e6 / steps;
    }
    return Arrays.copyOfRange(perStep, 1, perStep.length);
  }

  /** "fastest / median" of the measured epochs' milliseconds per step. */
  private static String cell(double[] millis) {
    double[] s = millis.clone();
    Arrays.sort(s);
    double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    return String.format(Locale.ROOT, "%.1f / %.1f", s[0], median);
  }

  private static Dataset randomData(Random rng) {
    int[] labels = new int[ROWS];
    Arrays.setAll(labels, i -> rng.nextInt(CLASSES));
    return new Dataset(Tensor.rand(rng, 0, 1, ROWS, FEATURES), labels, CLASSES);
  }
}
