package dev.adjoint.samples.train;

import dev.adjoint.nn.Loss;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.tensor.Tensor;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Random;

/**
 * Mini-batch training of a {@link Model}: each epoch shuffles the training set with a seeded generator, and for
 * every batch zeroes the gradients, asks the model for the loss and its gradient ({@link Model#lossAndGradient}),
 * and steps the optimizer; after the epoch it evaluates the test set.
 *
 * <p>Progress goes to a {@link PrintStream} (none when {@code out} is null): with {@code live} a bar redrawn in place
 * with {@code \r} (at most ten times a second) showing the running loss, running accuracy and throughput; and one
 * final line per epoch that adds the test accuracy and the epoch's time. Without {@code live} (the default when the
 * output is not a terminal) only the final lines are printed, so a captured log has exactly one line per epoch.
 */
public final class Trainer {
  /** Training options. */
  public record Options(int epochs, int batchSize, long seed, PrintStream out, boolean live) {
    /** Options whose progress bar is redrawn live only when the JVM has a console (not when output is captured). */
    public Options(int epochs, int batchSize, long seed, PrintStream out) {
      this(epochs, batchSize, seed, out, System.console() != null);
    }

    /** Validates the options. */
    public Options {
      if (epochs < 1 || batchSize < 1) {
        throw new IllegalArgumentException("Trainer.Options: epochs and batch size must be >= 1, got " + epochs
            + " and " + batchSize);
      }
    }
  }

  private static final int BAR_WIDTH = 24;
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int EVAL_BATCH = 512;

  private final Options options;

  /** A trainer with the given options. */
  public Trainer(Options options) {
    this.options = options;
  }

  /** Trains {@code model} with {@code optimizer} (built over {@code model.parameters()}) and returns its history. */
  public History fit(Model model, Optimizer optimizer, Dataset train, Dataset test) {
    History history = new History(model.name());
    Random rng = new Random(options.seed());
    int n = train.size();
    int[] order = Digits.shuffled(n, rng);
    int batches = (n + options.batchSize() - 1) / options.batchSize();
    for (int epoch = 1; epoch <= options.epochs(); epoch++) {
      Digits.shuffle(order, rng);
      double lossSum = 0;
      int correct = 0;
      int seen = 0;
      long start = System.nanoTime();
      long lastDraw = start;
      for (int b = 0; b < batches; b++) {
        int from = b * options.batchSize();
        int to = Math.min(n, from + options.batchSize());
        Tensor x = train.batch(order, from, to);
        int[] labels = train.batchLabels(order, from, to);

        correct += countCorrect(model.logits(x), labels); // running accuracy, before this batch's update
        optimizer.zeroGrad();
        double loss = model.lossAndGradient(x, labels);
        optimizer.step();

        lossSum += loss * (to - from);
        seen = to;
        long now = System.nanoTime();
        if (options.out() != null && options.live() && (now - lastDraw >= REDRAW_NANOS || b == 0)) {
          lastDraw = now;
          draw(model, epoch, seen, n, lossSum / seen, (double) correct / seen, seen / seconds(start, now), "");
        }
      }
      double seconds = seconds(start, System.nanoTime());
      Evaluation eval = evaluate(model, test);
      History.Epoch e = new History.Epoch(epoch, lossSum / n, (double) correct / n, eval.loss(), eval.accuracy(),
          seconds, n / seconds);
      history.add(e);
      if (options.out() != null) {
        draw(model, epoch, n, n, e.trainLoss(), e.trainAccuracy(), e.samplesPerSecond(),
            String.format(Locale.ROOT, "  test %5.1f%%  %.2f s", 100 * e.testAccuracy(), seconds));
        options.out().println();
      }
    }
    return history;
  }

  /** Loss and accuracy of a model on a data set. */
  public record Evaluation(double loss, double accuracy) {}

  /** Mean cross-entropy and accuracy of {@code model} on {@code data}, in batches; no gradient. */
  public static Evaluation evaluate(Model model, Dataset data) {
    int n = data.size();
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    double lossSum = 0;
    int correct = 0;
    for (int from = 0; from < n; from += EVAL_BATCH) {
      int to = Math.min(n, from + EVAL_BATCH);
      Tensor logits = model.logits(data.batch(rows, from, to));
      int[] labels = data.batchLabels(rows, from, to);
      lossSum += Loss.crossEntropy(logits, labels).item() * (to - from);
      correct += countCorrect(logits, labels);
    }
    return new Evaluation(lossSum / n, (double) correct / n);
  }

  /** How many rows of {@code logits} [N, C] have their (first) maximum at the label. */
  static int countCorrect(Tensor logits, int[] labels) {
    int c = logits.size(1);
    double[] z = logits.data();
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      int best = 0;
      for (int j = 1; j < c; j++) {
        if (z[i * c + j] > z[i * c + best]) {
          best = j;
        }
      }
      if (best == labels[i]) {
        correct++;
      }
    }
    return correct;
  }

  private void draw(Model model, int epoch, int seen, int n, double loss, double accuracy, double samplesPerSecond,
      String tail) {
    int filled = (int) ((long) BAR_WIDTH * seen / n);
    String bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
    int w = Integer.toString(options.epochs()).length();
    int nw = Integer.toString(n).length();
    String line = String.format(Locale.ROOT, "%-6s epoch %" + w + "d/%d [%s] %" + nw + "d/%d  loss %.4f  acc %5.1f%%"
        + "  %,8.0f samples/s%s", model.name(), epoch, options.epochs(), bar, seen, n, loss, 100 * accuracy,
        samplesPerSecond, tail);
    // Redrawn in place: trailing blanks wipe what a longer previous line left behind.
    options.out().print(options.live() ? "\r" + line + "    " : line);
    options.out().flush();
  }

  private static double seconds(long fromNanos, long toNanos) {
    return Math.max(toNanos - fromNanos, 1) / 1e9;
  }
}
