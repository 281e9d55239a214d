package dev.adjoint.tape;

import java.util.Arrays;

/**
 * A stack of references for values no other tape holds: the residuals a called method's forward
 * pass leaves for its backward pass ({@code LinearGrad.ForwardResiduals}), one per iteration of
 * the loop that calls it.
 */
public final class ObjectStack {
  private Object[] items = new Object[16];
  private int size;

  private static final Pool<ObjectStack> POOL = new Pool<>(ObjectStack::new);

  /** A tape for one gradient call, from this thread's pool: see {@link DoubleStack#acquire()}. */
  public static ObjectStack acquire() {
    return POOL.take();
  }

  /** Gives the empty tape back to this thread's pool: see {@link DoubleStack#release()}. */
  public void release() {
    if (size != 0) {
      throw Stacks.leftOver("ObjectStack", size);
    }
    POOL.give(this, items.length);
  }

  public void push(Object value) {
    if (size == items.length) {
      items = Arrays.copyOf(items, Stacks.grow(items.length));
    }
    items[size++] = value;
  }

  /**
   * The value pushed last, as the type the generated code pushed it as (the tape is private to one
   * generated method, which pops each value as the type it pushed).
   */
  @SuppressWarnings("unchecked")
  public <T> T pop() {
    if (size == 0) {
      throw Stacks.underflow("ObjectStack");
    }
    Object t = items[--size];
    items[size] = null; // let it go once the reverse sweep is past it
    return (T) t;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }
}
