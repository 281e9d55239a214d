package dev.adjoint.samples.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What {@link Trainer#fit} measured, one {@link Epoch} per epoch. */
public final class History {
  /**
   * One epoch. {@code trainLoss} and {@code trainAccuracy} are running values over the epoch's mini-batches (each
   * batch measured just before its update); the test values are measured after the epoch. {@code seconds} is the
   * training time of the epoch (without the test evaluation), {@code samplesPerSecond} its throughput.
   */
  public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
      double seconds, double samplesPerSecond) {}

  private final String model;
  private final List<Epoch> epochs = new ArrayList<>();

  /** An empty history for the named model. */
  public History(String model) {
    this.model = model;
  }

  void add(Epoch e) {
    epochs.add(e);
  }

  /** The model's name. */
  public String model() {
    return model;
  }

  /** The epochs in order (unmodifiable). */
  public List<Epoch> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  /** The last epoch. */
  public Epoch last() {
    if (epochs.isEmpty()) {
      throw new IllegalStateException("History of " + model + ": no epoch recorded");
    }
    return epochs.get(epochs.size() - 1);
  }

  /** Mean training seconds per epoch. */
  public double meanEpochSeconds() {
    return epochs.stream().mapToDouble(Epoch::seconds).average().orElse(Double.NaN);
  }

  /** Total training seconds. */
  public double totalSeconds() {
    return epochs.stream().mapToDouble(Epoch::seconds).sum();
  }

  /** The best test accuracy of any epoch. */
  public double bestTestAccuracy() {
    return epochs.stream().mapToDouble(Epoch::testAccuracy).max().orElse(Double.NaN);
  }

  /** Column {@code f} over the epochs, e.g. {@code column(Epoch::trainLoss)}. */
  public double[] column(java.util.function.ToDoubleFunction<Epoch> f) {
    return epochs.stream().mapToDouble(f).toArray();
  }
}
