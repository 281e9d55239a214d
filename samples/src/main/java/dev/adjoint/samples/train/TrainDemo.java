package dev.adjoint.samples.train;

import dev.adjoint.optim.Adam;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The real training demo: an MLP and a LeNet-style CNN trained on scikit-learn's 8×8 handwritten digits (shipped in
 * the jar, so it runs offline), then the test accuracies, the time per epoch and a PNG of the training curves.
 *
 * <p>Run it with {@code mvn -o -B -q -pl samples exec:java -Dexec.mainClass=dev.adjoint.samples.train.TrainDemo}.
 * Every random choice (split, initialisation, shuffling) has a fixed seed, so the numbers repeat run after run.
 */
public final class TrainDemo {
  /** MLP: hidden width, epochs, batch size, Adam learning rate. */
  static final int MLP_HIDDEN = 128;
  static final int MLP_EPOCHS = 20;
  static final int MLP_BATCH = 32;
  static final double MLP_LR = 3e-3;
  /** LeNet: epochs, batch size, Adam learning rate. */
  static final int CNN_EPOCHS = 20;
  static final int CNN_BATCH = 32;
  static final double CNN_LR = 3e-3;
  /** Seeds of the initialisation and of the batch order. */
  static final long INIT_SEED = 42;
  static final long SHUFFLE_SEED = 7;

  private TrainDemo() {}

  public static void main(String[] args) throws IOException {
    run(System.out);
  }

  /** Runs the demo, printing to {@code out}; returns the two histories (MLP, then LeNet). */
  static List<History> run(PrintStream out) throws IOException {
    Digits.Split data = Digits.load();
    out.printf(Locale.ROOT, "digits: %d training and %d test images of %dx%d pixels, %d classes "
        + "(scikit-learn's copy of the UCI optdigits test set)%n", data.train().size(), data.test().size(),
        Digits.SIDE, Digits.SIDE, Digits.CLASSES);
    out.println("gradients: hand-written reverse sweeps (Mlp/LeNet.lossAndGradientByHand) until the processor "
        + "differentiates Tensor code (issue 5)");

    List<History> histories = new ArrayList<>();
    Mlp mlp = new Mlp(new Random(INIT_SEED), Digits.FEATURES, MLP_HIDDEN, Digits.CLASSES);
    out.printf(Locale.ROOT, "%nMLP 64-%d-10, Adam lr %s, batch %d, %d epochs%n", MLP_HIDDEN, MLP_LR, MLP_BATCH,
        MLP_EPOCHS);
    histories.add(train(mlp, MLP_EPOCHS, MLP_BATCH, MLP_LR, data, out));

    LeNet cnn = new LeNet(new Random(INIT_SEED));
    out.printf(Locale.ROOT, "%nLeNet conv 1-6 3x3, pool, conv 6-16 3x3, pool, linear 64-10, Adam lr %s, batch %d, "
        + "%d epochs%n", CNN_LR, CNN_BATCH, CNN_EPOCHS);
    histories.add(train(cnn, CNN_EPOCHS, CNN_BATCH, CNN_LR, data, out));

    out.println();
    for (History h : histories) {
      History.Epoch last = h.last();
      out.printf(Locale.ROOT, "%-6s test accuracy %5.1f%% (loss %.4f), %.3f s per epoch (%,.0f samples/s), "
          + "%d epochs in %.1f s%n", h.model(), 100 * last.testAccuracy(), last.testLoss(), h.meanEpochSeconds(),
          Digits.TRAIN_SIZE / h.meanEpochSeconds(), h.epochs().size(), h.totalSeconds());
    }
    try {
      out.println("training curves: " + Curves.write(histories));
    } catch (IOException | RuntimeException | Error e) { // e.g. AWTError on a JDK without fonts
      out.println("training curves: not written (" + e + ")");
    }
    for (String model : new String[] {"MlpGrad", "LeNetGrad"}) {
      Path source = Curves.targetDirectory().resolve(Path.of("generated-sources", "annotations", "dev", "adjoint",
          "samples", "train", model + ".java"));
      out.println("generated gradient source: " + source + (Files.exists(source) ? "" : " (missing: build with mvn)"));
    }
    return histories;
  }

  private static History train(Model model, int epochs, int batch, double lr, Digits.Split data, PrintStream out) {
    Adam adam = new Adam(model.parameters(), lr);
    Trainer trainer = new Trainer(new Trainer.Options(epochs, batch, SHUFFLE_SEED, out));
    return trainer.fit(model, adam, data.train(), data.test());
  }
}
