package dev.adjoint.tape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The binomial schedule, run against a model of the loop's state: every iteration turned exactly once,
 * last first, each from the state it needs; no more copies than slots, each restored copy the state it
 * was taken from; the untaped runs exactly revolve's optimum r·l − β(c + 1, r − 1) (itself checked against
 * the least cost found by exhaustive search) plus the forward sweep's run from its last copy to the end.
 */
class RevolveTest {
  /** What one run of a schedule did. */
  private record Run(long untaped, int lastForwardCopy, int mostRuns, int slotsUsed) {}

  /** Drives the schedule as generated code does, checking each action against the state it models. */
  private static Run run(int start, int l, int c) {
    Revolve s = Revolve.schedule(start, start + l, c);
    int slots = s.slots();
    int[] copyOf = new int[slots];
    java.util.Arrays.fill(copyOf, -1);
    int[] runs = new int[Math.max(l, 1)];
    int at = 0;
    long untaped = 0;
    int lastCopy = -1;
    int used = 0;
    for (int t = start; t < start + l; t++) {
      if (s.keeps(t)) {
        assertTrue(s.slot() >= 0 && s.slot() < slots, "slot " + s.slot());
        copyOf[s.slot()] = at;
        used = Math.max(used, s.slot() + 1);
        lastCopy = at;
      }
      at++;
      untaped++;
      runs[t - start]++;
    }
    int turn = l - 1; // the next iteration to reverse
    boolean taped = false;
    while (s.next()) {
      if (s.saves()) {
        assertTrue(s.slot() >= 0 && s.slot() < slots, "slot " + s.slot());
        copyOf[s.slot()] = at;
        used = Math.max(used, s.slot() + 1);
      } else if (s.restores()) {
        assertTrue(copyOf[s.slot()] >= 0, "restores an empty slot " + s.slot());
        at = copyOf[s.slot()];
      } else if (s.advances()) {
        assertEquals(start + at, s.from(), "advances from where the state is");
        assertTrue(s.to() > s.from() && s.to() - start <= turn, "advance " + s.from() + ".." + s.to() + ", turn "
            + turn);
        for (int t = s.from(); t < s.to(); t++) {
          runs[t - start]++;
        }
        untaped += s.to() - s.from();
        at = s.to() - start;
      } else if (s.tapes()) {
        assertEquals(start + turn, s.step(), "tapes the last iteration not yet reversed");
        assertEquals(turn, at, "tapes from the state before the iteration");
        assertFalse(taped, "tapes one iteration at a time");
        taped = true;
        at = turn + 1;
      } else {
        assertTrue(s.reverses());
        assertTrue(taped, "reverses the iteration just taped");
        assertEquals(start + turn, s.step());
        taped = false;
        turn--;
      }
    }
    assertEquals(-1, turn, "every iteration turned");
    assertEquals(0, at, "the loop's starting state put back");
    assertFalse(s.next(), "stays done");
    int most = 0;
    for (int r : runs) {
      most = Math.max(most, r);
    }
    return new Run(untaped, lastCopy, most, used);
  }

  /** Revolve's least number of untaped runs: r·l − β(c + 1, r − 1) with r the repetitions. */
  private static long optimum(int l, int c) {
    if (l <= 1) {
      return 0;
    }
    int r = Revolve.repetitions(l, c);
    return (long) r * l - Revolve.beta(c + 1, r - 1);
  }

  @Test
  void theClosedFormIsTheLeastCostOfAnySchedule() {
    int most = 60;
    int maxSlots = 6;
    long[][] best = new long[most + 1][maxSlots + 1];
    for (int c = 1; c <= maxSlots; c++) {
      for (int l = 2; l <= most; l++) {
        if (c == 1) {
          best[l][c] = (long) l * (l - 1) / 2;
          continue;
        }
        long b = Long.MAX_VALUE;
        for (int m = 1; m < l; m++) {
          b = Math.min(b, m + best[m][c] + best[l - m][c - 1]);
        }
        best[l][c] = b;
      }
    }
    for (int c = 1; c <= maxSlots; c++) {
      for (int l = 1; l <= most; l++) {
        assertEquals(best[l][c], optimum(l, c), "l " + l + ", c " + c);
      }
    }
  }

  @Test
  void everyIterationTurnedOnceAtTheOptimalCost() {
    for (int c = 1; c <= 9; c++) {
      for (int l = 0; l <= 257; l++) {
        for (int start : new int[] {0, -3, 7}) {
          Run run = run(start, l, c);
          long extra = l == 0 ? 0 : l - run.lastForwardCopy();
          assertEquals(optimum(l, c) + extra, run.untaped(), "l " + l + ", c " + c);
          assertTrue(run.slotsUsed() <= c, "used " + run.slotsUsed() + " of " + c + " slots");
          int r = l <= 1 ? 1 : Revolve.repetitions(l, c);
          assertTrue(run.mostRuns() <= r + 1, "an iteration ran untaped " + run.mostRuns() + " times, r = " + r);
          assertTrue(extra <= r + 1, "the forward sweep's extra run " + extra + ", r = " + r);
        }
      }
    }
  }

  @Test
  void largeLoopsAtRandom() {
    Random random = new Random(14);
    for (int k = 0; k < 40; k++) {
      int l = 1 + random.nextInt(20_000);
      int c = 1 + random.nextInt(k % 2 == 0 ? 6 : 200);
      Run run = run(random.nextInt(100) - 50, l, c);
      assertEquals(optimum(l, c) + l - run.lastForwardCopy(), run.untaped(), "l " + l + ", c " + c);
      assertTrue(run.slotsUsed() <= c);
    }
  }

  @Test
  void theDefaultSlotsRunEachIterationAtMostThreeTimesOverAndTapeOne() {
    assertEquals(83, Revolve.slots(100_000));
    assertEquals(1, Revolve.slots(0));
    assertEquals(1, Revolve.slots(4));
    assertEquals(7, Revolve.schedule(3, 10, 50).slots(), "at most one slot per iteration");
    assertEquals(1, Revolve.schedule(3, 3, 50).slots());
    for (int l : new int[] {1, 2, 5, 100, 1000, 100_000}) {
      int c = Revolve.slots(l);
      assertTrue(Revolve.beta(c, Revolve.REPETITIONS) >= l && (c == 1 || Revolve.beta(c - 1, Revolve.REPETITIONS) < l));
      assertEquals(c, Revolve.schedule(0, l, 0).slots());
    }
    Run run = run(0, 100_000, 0);
    assertTrue(run.mostRuns() <= Revolve.REPETITIONS + 1, "ran " + run.mostRuns() + " times");
    assertTrue(run.untaped() <= 3L * 100_000, "untaped runs " + run.untaped());
    assertTrue(run.slotsUsed() <= 83);
  }

  @Test
  void theBinomialCoefficients() {
    assertEquals(1, Revolve.beta(5, 0));
    assertEquals(0, Revolve.beta(5, -1));
    assertEquals(10, Revolve.beta(2, 3));
    assertEquals(102_340, Revolve.beta(83, 3));
    assertEquals(Long.MAX_VALUE, Revolve.beta(Integer.MAX_VALUE - 100, 40));
    assertEquals(3, Revolve.repetitions(100_000, 83));
    assertEquals(0, Revolve.repetitions(1, 3));
  }
}
