package dev.adjoint.spark.demo;

import dev.adjoint.optim.Adam;
import dev.adjoint.samples.train.Digits;
import dev.adjoint.samples.train.Mlp;
import dev.adjoint.samples.train.Trainer;
import dev.adjoint.spark.Examples;
import dev.adjoint.spark.SparkTrainer;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Trains the samples' MLP on the 8×8 digits with Spark: synchronous data-parallel steps through the generated
 * {@code MlpGrad}, printing the loss per epoch and the final test accuracy. Local mode by default
 * ({@code local[*]}, 4 partitions); under {@code spark-submit} the master it was given. Arguments (optional):
 * partitions, epochs.
 */
public final class SparkDigitsDemo {
  static final int HIDDEN = 128;
  static final int BATCH = 32;
  static final double LR = 3e-3;
  static final long INIT_SEED = 42;
  static final long SHUFFLE_SEED = 7;

  private SparkDigitsDemo() {}

  public static void main(String[] args) {
    int partitions = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Digits.Split data = Digits.load();
    try (JavaSparkContext sc = LocalSpark.context("adjoint-digits", "local[*]")) {
      System.out.printf(Locale.ROOT, "Spark %s, master %s: digits, %d training rows in %d partitions, %d test rows%n",
          sc.version(), sc.master(), data.train().size(), partitions, data.test().size());
      System.out.printf(Locale.ROOT, "MLP 64-%d-10 (gradient: the generated MlpGrad), Adam lr %s, batch %d, "
          + "%d epochs%n", HIDDEN, LR, BATCH, epochs);
      Examples train = Examples.classification(LocalSpark.rows(sc, () -> Digits.load().train(), partitions), Digits.FEATURES,
          Digits.CLASSES);
      Mlp mlp = new Mlp(new Random(INIT_SEED), Digits.FEATURES, HIDDEN, Digits.CLASSES);
      SparkTrainer trainer = new SparkTrainer(sc, new SparkTrainer.Options(epochs, BATCH, SHUFFLE_SEED));
      long start = System.nanoTime();
      SparkTrainer.Result result = trainer.fit(mlp, new MlpSpec(), ps -> new Adam(ps, LR), train,
          (epoch, loss, seconds) -> System.out.printf(Locale.ROOT, "epoch %2d/%d  loss %.4f  %.2f s%n", epoch,
              epochs, loss, seconds));
      double seconds = (System.nanoTime() - start) / 1e9;
      Trainer.Evaluation test = Trainer.evaluate(mlp, data.test());
      System.out.printf(Locale.ROOT, "test accuracy %.1f%% (loss %.4f); %d steps in %.1f s (%.1f ms per step)%n",
          100 * test.accuracy(), test.loss(), result.steps(), seconds, 1000 * seconds / result.steps());
      train.unpersist();
    }
  }
}
