package dev.adjoint.tape;

/**
 * The binomial checkpointing schedule (Griewank and Walther's "revolve") that generated code follows to
 * reverse a loop labelled {@code checkpoint:} with a fixed number of copies of its state.
 *
 * <p>The forward sweep runs the loop as written, without its tape, and keeps a copy of the state
 * wherever {@link #keeps} says (into copy number {@link #slot}). The reverse sweep then asks
 * {@link #next} for one action after another until it returns false:
 * <ul>
 *   <li>{@link #saves}: copy the state into slot {@link #slot};
 *   <li>{@link #restores}: put the state back from slot {@link #slot};
 *   <li>{@link #advances}: run iterations {@link #from} to {@link #to} (exclusive) without the tape;
 *   <li>{@link #tapes}: run iteration {@link #step} with its tape;
 *   <li>otherwise ({@link #reverses}): run iteration {@link #step} backwards, off the tape.
 * </ul>
 * Each iteration is taped then reversed exactly once, last first, and the last action puts back the state the loop
 * started from (slot 0), for the statements before it.
 *
 * <p>Cost: with {@code c} slots and {@code l} iterations, let {@code r} be the least number with
 * β(c, r) = C(c + r, c) ≥ l. No iteration runs untaped more than r times (the forward sweep's run included),
 * and all of them together run r·l − β(c + 1, r − 1) times plus at most r + 1 (the forward sweep runs the
 * last few iterations once more than revolve would, since it runs the loop to its end untaped): the least
 * any schedule with c copies can do. Each iteration runs taped once, alone, so the tape holds one iteration.
 * The split points are chosen by the binomial rule: a stretch of l iterations with c slots (its first
 * iteration's state in one of them) runs m iterations forward and keeps a copy there, where m keeps the
 * first m iterations within r − 1 repetitions with c slots and the other l − m within r with c − 1.
 * (Written from the published description of the algorithm: A. Griewank and A. Walther, Algorithm 799:
 * revolve, ACM TOMS 26(1), 2000.)
 */
public final class Revolve {
  /** The repetitions {@link #slots(int)} allows by default: no iteration runs untaped more than 3 times. */
  public static final int REPETITIONS = 3;

  private static final int SAVE = 1;
  private static final int RESTORE = 2;
  private static final int ADVANCE = 3;
  private static final int TAPE = 4;
  private static final int REVERSE = 5;
  private static final int DONE = 6;

  private final int start;
  private final int trips;
  private final int slots;
  /** The iteration (from 0) whose state each slot in use holds, slot 0 first. */
  private final int[] held;
  /** The last slot in use, -1 before the first copy. */
  private int top = -1;
  /** The iteration (from 0) the loop's state is at: the next one it would run. */
  private int current;
  /** Iterations at and after this one have been reversed. */
  private int end;
  /** The forward sweep's next copy, -1 when it keeps no more. */
  private int nextKept;
  private boolean startPutBack;
  private int action;
  private int slot;
  private int from;
  private int to;

  private Revolve(int start, int trips, int slots) {
    this.start = start;
    this.trips = trips;
    this.slots = slots;
    this.held = new int[slots];
    this.end = trips;
    this.nextKept = trips > 0 ? 0 : -1;
  }

  /**
   * The schedule of {@code for (int t = start; t < bound; t++)} with {@code slots} copies of the state
   * (at least 1, at most one per iteration; 0 picks {@link #slots(int)} from the number of iterations).
   */
  public static Revolve schedule(int start, int bound, int slots) {
    int trips = (int) Math.max(0, Math.min(Integer.MAX_VALUE, (long) bound - start));
    if (slots < 0) {
      throw new IllegalArgumentException("slots " + slots);
    }
    // more slots than iterations would stay empty
    return new Revolve(start, trips, slots == 0 ? slots(trips) : Math.min(slots, Math.max(1, trips)));
  }

  /**
   * The default number of slots: the fewest with which no iteration runs untaped more than
   * {@link #REPETITIONS} times, C(c + 3, 3) ≥ iterations (83 for 10⁵ iterations, 181 for 10⁶), at least 1.
   */
  public static int slots(int trips) {
    int c = 1;
    while (beta(c, REPETITIONS) < trips) {
      c++;
    }
    return c;
  }

  /** β(c, r) = C(c + r, c): the most iterations c slots reverse with r repetitions (0 for r &lt; 0). */
  static long beta(int c, int r) {
    if (r < 0) {
      return 0;
    }
    long b = 1;
    for (int k = 1; k <= r; k++) {
      if (b > Long.MAX_VALUE / (c + k)) {
        return Long.MAX_VALUE;
      }
      b = b * (c + k) / k; // C(c + k, k) = C(c + k - 1, k - 1) (c + k) / k, exactly
    }
    return b;
  }

  /**
   * The least r with β(c, r) ≥ l: how many times (at most) an iteration runs untaped when c slots reverse
   * l iterations.
   */
  public static int repetitions(int l, int c) {
    int r = 0;
    long range = 1;
    while (range < l) {
      r++;
      range = range * (c + r) / r;
    }
    return r;
  }

  /**
   * How many iterations a stretch of {@code l} iterations (l ≥ 2) whose first state is kept, with
   * {@code c} slots counting that one, runs before keeping its next copy: m with β(c, r − 2) ≤ m ≤ β(c, r − 1)
   * and β(c − 1, r − 1) ≤ l − m ≤ β(c − 1, r), so that both parts are reversed at the least cost; the
   * largest such m.
   */
  static int split(int l, int c) {
    if (c == 1) {
      return l - 1;
    }
    int r = repetitions(l, c);
    long upToR1 = beta(c, r - 1); // < l, so no overflow below
    long fewerSlotsR1 = upToR1 * c / (c + r - 1); // β(c - 1, r - 1)
    return (int) Math.min(upToR1, l - fewerSlotsR1);
  }

  /** How many slots the schedule has (the length of the arrays of copies). */
  public int slots() {
    return slots;
  }

  /**
   * For the forward sweep, before iteration {@code t} runs: whether to keep a copy of the state in slot
   * {@link #slot}. Called for every iteration in order.
   */
  public boolean keeps(int t) {
    int i = t - start;
    if (i != nextKept) {
      return false;
    }
    top++;
    held[top] = i;
    slot = top;
    current = i;
    int rest = trips - i;
    nextKept = -1;
    if (rest > 2 && top + 1 < slots) {
      int next = i + split(rest, slots - top);
      if (next < trips - 1) {
        nextKept = next;
      }
    }
    return true;
  }

  /**
   * For the reverse sweep (after the forward sweep has run every iteration): moves to the next action;
   * false when there is none left.
   */
  public boolean next() {
    if (action == DONE) {
      return false;
    }
    if (action == 0) {
      current = trips; // the forward sweep ran to the end
    }
    if (end == 0) {
      if (trips > 0 && !startPutBack) {
        startPutBack = true;
        action = RESTORE;
        slot = 0;
        current = 0;
        return true;
      }
      action = DONE;
      return false;
    }
    if (action == TAPE) {
      action = REVERSE;
      end--;
      while (top > 0 && held[top] >= end) {
        top--; // a copy at or after the iterations left to reverse is no use any more
      }
      return true;
    }
    if (current == end - 1) {
      action = TAPE;
      from = current;
      current = end;
      return true;
    }
    if (current == held[top]) {
      action = ADVANCE;
      from = current;
      to = current + split(end - current, slots - top);
      current = to;
      return true;
    }
    if (current < end - 1 && current > held[top] && top + 1 < slots) {
      action = SAVE;
      top++;
      held[top] = current;
      slot = top;
      return true;
    }
    if (current >= end) {
      action = RESTORE;
      slot = top;
      current = held[top];
      return true;
    }
    throw new IllegalStateException("revolve: at " + current + " with " + (top + 1) + " copies, " + end + " to reverse");
  }

  /** Whether the action is to copy the state into slot {@link #slot}. */
  public boolean saves() {
    return action == SAVE;
  }

  /** Whether the action is to put the state back from slot {@link #slot}. */
  public boolean restores() {
    return action == RESTORE;
  }

  /** Whether the action is to run iterations {@link #from} to {@link #to} without the tape. */
  public boolean advances() {
    return action == ADVANCE;
  }

  /** Whether the action is to run iteration {@link #step} with its tape. */
  public boolean tapes() {
    return action == TAPE;
  }

  /** Whether the action is to run iteration {@link #step} backwards (the one just taped). */
  public boolean reverses() {
    return action == REVERSE;
  }

  /** The slot a copy goes into or comes from. */
  public int slot() {
    return slot;
  }

  /** The first iteration (the loop counter's value) an advance runs. */
  public int from() {
    return start + from;
  }

  /** The iteration after the last one an advance runs. */
  public int to() {
    return start + to;
  }

  /** The iteration (the loop counter's value) to tape or reverse. */
  public int step() {
    return start + from;
  }
}
