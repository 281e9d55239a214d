package dev.adjoint.samples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.optim.Adam;
import dev.adjoint.optim.Sgd;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Short training runs on the real digits: far above chance (10%) after one or two epochs. */
class TrainerTest {
  private static final Digits.Split DATA = Digits.load();

  @Test
  void mlpLearnsTheDigitsInTwoEpochs() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    Mlp mlp = new Mlp(new Random(42), 64, 128, 10);
    History h = new Trainer(new Trainer.Options(2, 32, 7, out, false))
        .fit(mlp, new Adam(mlp.parameters(), 3e-3), DATA.train(), DATA.test());

    assertEquals(2, h.epochs().size());
    assertTrue(h.last().testAccuracy() > 0.85, "test accuracy " + h.last().testAccuracy());
    assertTrue(h.epochs().get(1).trainLoss() < h.epochs().get(0).trainLoss());
    assertTrue(h.last().seconds() > 0 && h.last().samplesPerSecond() > 0);
    assertEquals(Trainer.evaluate(mlp, DATA.test()).accuracy(), h.last().testAccuracy(), 0.0);

    // Not live: exactly one line per epoch, no carriage returns.
    String log = buf.toString(StandardCharsets.UTF_8);
    assertEquals(2, log.lines().count(), log);
    assertTrue(!log.contains("\r") && log.contains("epoch 2/2") && log.contains("samples/s") && log.contains("test"),
        log);
  }

  @Test
  void lenetWithSgdMomentumBeatsChanceInOneEpoch() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    LeNet cnn = new LeNet(new Random(42));
    History h = new Trainer(new Trainer.Options(1, 32, 7, new PrintStream(buf, true, StandardCharsets.UTF_8), true))
        .fit(cnn, new Sgd(cnn.parameters(), 0.05, 0.9, 0, 0, false), DATA.train(), DATA.test());
    assertTrue(h.last().testAccuracy() > 0.5, "test accuracy " + h.last().testAccuracy());
    // Live: the bar is redrawn in place.
    String log = buf.toString(StandardCharsets.UTF_8);
    assertTrue(log.startsWith("\rlenet  epoch 1/1 [") && log.endsWith(System.lineSeparator()), log);
  }

  @Test
  void trainingIsDeterministic() {
    Dataset small = DATA.train().subset(prefix(200));
    double[] first = run(small);
    double[] second = run(small);
    assertEquals(first[0], second[0], 0.0);
    assertEquals(first[1], second[1], 0.0);
  }

  private static double[] run(Dataset train) {
    Mlp mlp = new Mlp(new Random(1), 64, 16, 10);
    History h = new Trainer(new Trainer.Options(1, 16, 3, null))
        .fit(mlp, new Adam(mlp.parameters(), 1e-2), train, DATA.test());
    return new double[] {h.last().trainLoss(), mlp.w1.data()[17]};
  }

  private static int[] prefix(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }
}
