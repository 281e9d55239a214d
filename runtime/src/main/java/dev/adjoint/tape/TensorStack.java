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

  /**
   * A tape for one gradient call: an empty one that an earlier call on this thread gave back with
   * {@link #release()}, or a new one. Generated code takes its tapes here.
   */
  public static TensorStack acquire() {
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
