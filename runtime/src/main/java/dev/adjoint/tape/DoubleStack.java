package dev.adjoint.tape;

import java.util.Arrays;

/**
 * A stack of {@code double}s without boxing: the tape on which a generated forward sweep pushes the
 * values a loop overwrites, for the reverse sweep to pop in the opposite order.
 */
public final class DoubleStack {
  private double[] items;
  private int size;

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

  public double pop() {
    if (size == 0) {
      throw Stacks.underflow("DoubleStack");
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
