package dev.adjoint.tape;

import dev.adjoint.tensor.Tensor;
import java.util.Arrays;

/**
 * A stack of {@link Tensor} references: the tape for tensor variables that a loop re-assigns.
 * Tensor ops never mutate their operands, so keeping the reference keeps the value.
 */
public final class TensorStack {
  private Tensor[] items = new Tensor[16];
  private int size;

  private static final Pool<TensorStack> POOL = new Pool<>(TensorStack::new);

  /** A tape for one gradient call, from this thread's pool: see {@link DoubleStack#acquire()}. */
  public static TensorStack acquire() {
    return POOL.take();
  }

  /** Gives the empty tape back to this thread's pool: see {@link DoubleStack#release()}. */
  public void release() {
    if (size != 0) {
      throw Stacks.leftOver("TensorStack", size);
    }
    size = 0;
    POOL.give(this, items.length);
  }

  public void push(Tensor value) {
    if (size == items.length) {
      items = Arrays.copyOf(items, Stacks.grow(items.length));
    }
    items[size++] = value;
  }

  public Tensor pop() {
    if (size == 0) {
      throw Stacks.underflow("TensorStack");
    }
    Tensor t = items[--size];
    items[size] = null; // let the tensor go once the reverse sweep is past it
    return t;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }
}
