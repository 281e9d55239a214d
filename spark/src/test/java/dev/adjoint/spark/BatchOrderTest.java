package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class BatchOrderTest {
  @Test
  void everyEpochIsAPermutationOfTheRows() {
    for (long n : new long[] {1, 2, 3, 4, 5, 7, 16, 17, 100, 1000, 4097}) {
      BatchOrder order = new BatchOrder(11, n);
      for (int epoch = 1; epoch <= 3; epoch++) {
        BitSet seen = new BitSet();
        for (long p = 0; p < n; p++) {
          long r = order.rowAt(epoch, p);
          assertTrue(r >= 0 && r < n, "row " + r + " outside [0, " + n + ")");
          assertFalse(seen.get((int) r), "row " + r + " twice in epoch " + epoch + " of " + n);
          seen.set((int) r);
        }
        assertEquals(n, seen.cardinality());
      }
    }
  }

  @Test
  void batchesCoverTheEpochInOrderAndTheLastOneIsShort() {
    BatchOrder order = new BatchOrder(5, 103);
    assertEquals(11, order.batches(10));
    long[] all = new long[103];
    int k = 0;
    for (long b = 0; b < 11; b++) {
      long[] rows = order.batch(2, b, 10);
      assertEquals(b < 10 ? 10 : 3, rows.length);
      for (long r : rows) {
        assertEquals(order.rowAt(2, k), r);
        all[k++] = r;
      }
    }
    Arrays.sort(all);
    for (int i = 0; i < all.length; i++) {
      assertEquals(i, all[i]);
    }
    assertThrows(IllegalArgumentException.class, () -> order.batch(2, 11, 10));
  }

  @Test
  void seedsAndEpochsGiveDifferentShufflesAndTheSameSeedTheSameOne() {
    long n = 1000;
    long[] a = new BatchOrder(1, n).batch(1, 0, 1000);
    long[] again = new BatchOrder(1, n).batch(1, 0, 1000);
    long[] otherEpoch = new BatchOrder(1, n).batch(2, 0, 1000);
    long[] otherSeed = new BatchOrder(2, n).batch(1, 0, 1000);
    assertTrue(Arrays.equals(a, again));
    assertTrue(fixedPoints(a, otherEpoch) < 20, "epochs 1 and 2 agree too often");
    assertTrue(fixedPoints(a, otherSeed) < 20, "seeds 1 and 2 agree too often");
    int identity = 0;
    for (int i = 0; i < a.length; i++) {
      identity += a[i] == i ? 1 : 0;
    }
    assertTrue(identity < 20, "the shuffle leaves " + identity + " of 1000 rows in place");
  }

  private static int fixedPoints(long[] a, long[] b) {
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      same += a[i] == b[i] ? 1 : 0;
    }
    return same;
  }
}
