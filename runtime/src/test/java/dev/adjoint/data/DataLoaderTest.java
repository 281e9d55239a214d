package dev.adjoint.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DataLoader: batch sizes, the last partial batch, seeded shuffling, rows paired with labels and targets. */
class DataLoaderTest {
  /** Features [n, 2] whose row i is (i, -i), labels i % 3, targets [n] = 10 i: every pairing is checkable. */
  private static DataLoader loader(int n) {
    Tensor x = Tensor.zeros(n, 2);
    int[] labels = new int[n];
    Tensor t = Tensor.zeros(n);
    for (int i = 0; i < n; i++) {
      x.set(i, i, 0).set(-i, i, 1);
      labels[i] = i % 3;
      t.set(10 * i, i);
    }
    return DataLoader.of(x).labels(labels).targets(t);
  }

  private static List<int[]> epoch(DataLoader l) {
    List<int[]> out = new ArrayList<>();
    for (DataLoader.Batch b : l) {
      for (int i = 0; i < b.size(); i++) {
        int s = b.indices()[i];
        assertEquals(s, b.x().get(i, 0), 0.0);
        assertEquals(-s, b.x().get(i, 1), 0.0);
        assertEquals(s % 3, b.labels()[i]);
        assertEquals(10.0 * s, b.targets().get(i), 0.0);
      }
      assertArrayEquals(new int[] {b.size(), 2}, b.x().shape());
      out.add(b.indices());
    }
    return out;
  }

  @Test
  void sequentialBatchesKeepOrDropTheLastPartialOne() {
    List<int[]> keep = epoch(loader(10).batchSize(4));
    assertEquals(3, keep.size());
    assertArrayEquals(new int[] {0, 1, 2, 3}, keep.get(0));
    assertArrayEquals(new int[] {8, 9}, keep.get(2));
    DataLoader drop = loader(10).batchSize(4).dropLast(true);
    assertEquals(2, drop.batches());
    List<int[]> dropped = epoch(drop);
    assertEquals(2, dropped.size());
    assertArrayEquals(new int[] {4, 5, 6, 7}, dropped.get(1));
    assertEquals(3, epoch(loader(12).batchSize(4).dropLast(true)).size(), "an exact multiple drops nothing");
    assertEquals(1, epoch(loader(3).batchSize(10)).size());
    assertFalse(loader(3).batchSize(10).dropLast(true).iterator().hasNext());
  }

  @Test
  void shufflingIsAPermutationPerEpochAndReproducible() {
    DataLoader a = loader(50).batchSize(7).shuffle(42);
    DataLoader b = loader(50).batchSize(7).shuffle(42);
    int[] firstA = flat(epoch(a));
    int[] secondA = flat(epoch(a));
    assertArrayEquals(firstA, flat(epoch(b)), "same seed, same first epoch");
    assertArrayEquals(secondA, flat(epoch(b)), "same seed, same second epoch");
    assertFalse(Arrays.equals(firstA, secondA), "each epoch draws a new order");
    int[] sorted = firstA.clone();
    Arrays.sort(sorted);
    int[] all = new int[50];
    Arrays.setAll(all, i -> i);
    assertArrayEquals(all, sorted, "every sample exactly once per epoch");
    assertFalse(Arrays.equals(all, firstA));
    assertFalse(Arrays.equals(firstA, flat(epoch(loader(50).batchSize(7).shuffle(43)))));
  }

  private static int[] flat(List<int[]> batches) {
    return batches.stream().flatMapToInt(Arrays::stream).toArray();
  }

  @Test
  void arraysAndOptionalPairs() {
    double[][] rows = new double[5][3];
    for (int i = 0; i < 5; i++) {
      rows[i][2] = i;
    }
    DataLoader l = DataLoader.of(rows).batchSize(2);
    assertEquals(5, l.samples());
    DataLoader.Batch last = null;
    for (DataLoader.Batch b : l) {
      assertNull(b.labels());
      assertNull(b.targets());
      last = b;
    }
    assertArrayEquals(new double[] {0, 0, 4}, last.x().toArray());
  }

  @Test
  void badArgumentsAreRejected() {
    Tensor x = Tensor.zeros(4, 2);
    assertEquals("DataLoader: 3 labels for 4 samples",
        assertThrows(IllegalArgumentException.class, () -> DataLoader.of(x).labels(new int[3])).getMessage());
    assertEquals("DataLoader: targets of shape [5] for 4 samples (features [4, 2])",
        assertThrows(IllegalArgumentException.class, () -> DataLoader.of(x).targets(Tensor.zeros(5))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> DataLoader.of(x).batchSize(0));
    assertThrows(IllegalArgumentException.class, () -> DataLoader.of(Tensor.scalar(1)));
    DataLoader l = DataLoader.of(x);
    l.iterator();
    assertThrows(IllegalStateException.class, () -> l.batchSize(2));
    java.util.Iterator<DataLoader.Batch> it = DataLoader.of(x).batchSize(4).iterator();
    it.next();
    assertThrows(java.util.NoSuchElementException.class, it::next);
  }
}
