package dev.adjoint.spark;

import java.io.Serializable;

/**
 * Each epoch's seeded shuffle of the rows {@code 0..n-1}, computed row by row in constant memory, so neither the
 * driver nor a worker ever holds a permutation of a large data set: epoch {@code e}'s batch {@code b} is the rows
 * {@link #rowAt rowAt(e, p)} for the positions {@code p} in {@code [b·B, min(n, (b+1)·B))}.
 *
 * <p>The permutation is a balanced Feistel network on the smallest even number of bits that covers {@code n},
 * with cycle walking (a position whose image is {@code >= n} is mapped again) to restrict it to {@code [0, n)}: a
 * bijection for any round function, which here is a SplitMix64 finaliser keyed by seed, epoch and round.
 */
public final class BatchOrder implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int ROUNDS = 6;
  private final long seed;
  private final long n;
  private final int halfBits;
  private final long halfMask;

  /** The order of {@code n >= 1} rows under {@code seed}. */
  public BatchOrder(long seed, long n) {
    if (n < 1) {
      throw new IllegalArgumentException("BatchOrder: needs at least one row, got " + n);
    }
    this.seed = seed;
    this.n = n;
    int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(n - 1));
    this.halfBits = (bits + 1) / 2;
    this.halfMask = (1L << halfBits) - 1;
  }

  /** The number of rows. */
  public long size() {
    return n;
  }

  /** The number of batches of (at most) {@code batchSize} rows per epoch. */
  public long batches(int batchSize) {
    return (n + batchSize - 1) / batchSize;
  }

  /** The row at {@code position} of epoch {@code epoch}'s order. */
  public long rowAt(int epoch, long position) {
    if (position < 0 || position >= n) {
      throw new IllegalArgumentException("BatchOrder: position " + position + " outside [0, " + n + ")");
    }
    long x = position;
    do {
      x = encrypt(epoch, x);
    } while (x >= n);
    return x;
  }

  /** The rows of epoch {@code epoch}'s batch {@code b}, in batch order. */
  public long[] batch(int epoch, long b, int batchSize) {
    long from = b * batchSize;
    long to = Math.min(n, from + batchSize);
    if (b < 0 || from >= n) {
      throw new IllegalArgumentException("BatchOrder: batch " + b + " of size " + batchSize + " is past " + n
          + " rows");
    }
    long[] rows = new long[(int) (to - from)];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = rowAt(epoch, from + i);
    }
    return rows;
  }

  private long encrypt(int epoch, long x) {
    long left = x >>> halfBits;
    long right = x & halfMask;
    for (int r = 0; r < ROUNDS; r++) {
      long key = seed + 0x9E3779B97F4A7C15L * (((long) epoch << 8) + r + 1);
      long next = left ^ (mix(key ^ right) & halfMask);
      left = right;
      right = next;
    }
    return (left << halfBits) | right;
  }

  /** SplitMix64's finaliser: a well-mixed 64-bit function of its input. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
