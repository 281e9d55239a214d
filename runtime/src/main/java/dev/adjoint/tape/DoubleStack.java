package dev.adjoint.tape;

import java.util.Arrays;

/**
 * A stack of {@code double}s without boxing: the tape on which a generated forward sweep pushes the
 * values a loop overwrites, for the reverse sweep to pop in the opposite order.
 */
public final class DoubleStack {
  private double[] items;
  private int size;

  private static final Pool<DoubleStack> POOL = new Pool<>(DoubleStack::new);

  /**
   * A tape for one gradient call: an empty one that an earlier call on this thread gave back with
   * {@link #release()}, or a new one. Generated code takes its tapes here.
   */
  public static DoubleStack acquire() {
    return POOL.take();
  }

  /**
   * Gives the tape back for the next {@link #acquire()} on this thread. It must be empty: a
   * generated gradient calls this once, at its end, when its reverse sweep has popped all that its
   * forward sweep pushed; anything left over means the two disagree, an Adjoint bug reported as
   * such. The caller must not use the tape afterwards.
   */
  public void release() {
    if (size != 0) {
      throw Stacks.leftOver("DoubleStack", size);
    }
    size = 0;
    POOL.give(this, items.length);
  }

  public DoubleStack() {
    this(16);
  }

  public DoubleStack(int initialCapacity) {
    items = new double[Math.max(1, initialCapacity)];
  }

  public void push(double value) {
    if (size == items.length) {
      items = Arrays.copyOf(items, Stacks.grow(items.length));
    }
    items[size++] = value;
  }

  /** Pushes every element of {@code values}, first to last (a callee's gradient array). */
  public void pushAll(double[] values) {
    while (items.length - size < values.length) {
      items = Arrays.copyOf(items, Stacks.grow(items.length));
    }
    System.arraycopy(values, 0, items, size, values.length);
    size += values.length;
  }

  /** Pops the {@code length} values that {@link #pushAll} pushed, as a new array in their order. */
  public double[] popArray(int length) {
    if (length > size) {
      throw Stacks.underflow("DoubleStack");
    }
    size -= length;
    return Arrays.copyOfRange(items, size, size + length);
  }

  /**
   * Pops the {@code into.length} values that {@link #pushAll} pushed back into {@code into}, in their
   * order, allocating nothing: an array a loop overwrote whole, put back in one piece.
   */
  public void popInto(double[] into) {
    if (into.length > size) {
      throw Stacks.underflow("DoubleStack");
    }
    size -= into.length;
    System.arraycopy(items, size, into, 0, into.length);
  }

  public double pop() {
    if (size == 0) {
      throw Stacks.underflow("DoubleStack");
    }
    return items[--size];
  }

  public int size() {
    return size;
  }

  /** How many values the tape has room for: its high-water mark, to within its growth factor. */
  public int capacity() {
    return items.length;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Empties the stack and keeps its storage, so a reused tape does not allocate again. */
  public void clear() {
    size = 0;
  }
}
