package dev.adjoint.samples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped digits resource and its train/test split. */
class DigitsTest {

  @Test
  void loadsAllRowsScaledToTheUnitInterval() {
    Dataset all = Digits.loadAll();
    assertEquals(1797, all.size());
    assertArrayEquals(new int[] {1797, 64}, all.x().shape());
    assertEquals(10, all.classes());
    // The class counts of scikit-learn's load_digits (the UCI optdigits test set).
    assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, all.classCounts());
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : all.x().data()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      assertEquals(0.0, v * 16 - Math.rint(v * 16), 0.0, "pixels are k/16");
    }
    assertEquals(0.0, min, 0.0);
    assertEquals(1.0, max, 0.0);
  }

  @Test
  void firstRowIsScikitLearnsFirstZero() {
    Dataset all = Digits.loadAll();
    assertEquals(0, all.label(0));
    double[] first = Arrays.copyOf(all.x().data(), 64);
    double[] expected = {0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0,
        0, 8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0};
    for (int i = 0; i < 64; i++) {
      expected[i] /= 16;
    }
    assertArrayEquals(expected, first, 0.0);
  }

  @Test
  void splitIsStratifiedDisjointCompleteAndDeterministic() {
    Digits.Split split = Digits.load();
    Dataset all = Digits.loadAll();
    assertEquals(1437, split.train().size());
    assertEquals(360, split.test().size());
    int[] counts = all.classCounts();
    int[] test = split.test().classCounts();
    int[] train = split.train().classCounts();
    for (int c = 0; c < 10; c++) {
      assertEquals(counts[c], test[c] + train[c]);
      assertTrue(Math.abs(test[c] - 360.0 * counts[c] / 1797) < 1, "class " + c + " has " + test[c] + " test rows");
    }
    // Every row ends up in exactly one of the two sets: compare the multisets of (pixels, label).
    List<String> rows = rows(all);
    List<String> parts = rows(split.train());
    parts.addAll(rows(split.test()));
    rows.sort(null);
    parts.sort(null);
    assertEquals(rows, parts);

    Digits.Split again = Digits.load();
    assertArrayEquals(split.train().labels(), again.train().labels());
    assertArrayEquals(split.test().x().data(), again.test().x().data(), 0.0);
  }

  @Test
  void batchCopiesTheRowsInTheGivenOrder() {
    Dataset all = Digits.loadAll();
    int[] order = {5, 0, 1796};
    var batch = all.batch(order, 1, 3);
    assertArrayEquals(new int[] {2, 64}, batch.shape());
    assertArrayEquals(Arrays.copyOfRange(all.x().data(), 0, 64), Arrays.copyOfRange(batch.data(), 0, 64), 0.0);
    assertArrayEquals(Arrays.copyOfRange(all.x().data(), 1796 * 64, 1797 * 64),
        Arrays.copyOfRange(batch.data(), 64, 128), 0.0);
    assertArrayEquals(new int[] {all.label(0), all.label(1796)}, all.batchLabels(order, 1, 3));
  }

  private static List<String> rows(Dataset d) {
    List<String> out = new ArrayList<>();
    double[] x = d.x().data();
    for (int i = 0; i < d.size(); i++) {
      out.add(Arrays.toString(Arrays.copyOfRange(x, i * 64, i * 64 + 64)) + ":" + d.label(i));
    }
    return out;
  }
}
