package dev.adjoint.tape;

import java.util.Arrays;

/**
 * A stack of {@code int}s without boxing: branch decisions, trip counts and overwritten int
 * values, pushed by a generated forward sweep and popped by its reverse sweep.
 */
public final class IntStack {
  private int[] items;
  private int size;

  private static final Pool<IntStack> POOL = new Pool<>(IntStack::new);

  /** A tape for one gradient call, from this thread's pool: see {@link DoubleStack#acquire()}. */
  public static IntStack acquire() {
    return POOL.take();
  }

  /** Gives the empty tape back to this thread's pool: see {@link DoubleStack#release()}. */
  public void release() {
    if (size != 0) {
      throw Stacks.leftOver("IntStack", size);
    }
    size = 0;
    POOL.give(this, items.length);
  }

  public IntStack() {
    this(16);
  }

  public IntStack(int initialCapacity) {
    items = new int[Math.max(1, initialCapacity)];
  }

  public void push(int value) {
    if (size == items.length) {
      items = Arrays.copyOf(items, Stacks.grow(items.length));
    }
    items[size++] = value;
  }

  /** Pushes a {@code long} as two ints, high half first, so that all 64 bits come back. */
  public void pushLong(long value) {
    push((int) (value >>> 32));
    push((int) value);
  }

  /** Pops what {@link #pushLong} pushed. */
  public long popLong() {
    long low = pop() & 0xFFFF_FFFFL;
    return ((long) pop() << 32) | low;
  }

  public int pop() {
    if (size == 0) {
      throw Stacks.underflow("IntStack");
    }
    return items[--size];
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Empties the stack and keeps its storage, so a reused tape does not allocate again. */
  public void clear() {
    size = 0;
  }
}
