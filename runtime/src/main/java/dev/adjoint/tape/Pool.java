package dev.adjoint.tape;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Per thread, the tapes of finished gradient calls, handed to the next call so that a gradient
 * computed in a loop (a training step, a benchmark) does not allocate and grow its tapes again
 * each time. A thread keeps at most {@link #KEEP} tapes of each kind, each of at most
 * {@link #KEEP_CAPACITY} entries; bigger ones are left to the garbage collector. An idle thread
 * therefore holds at most 4 × 32 MB of double tapes, 4 × 16 MB of int tapes and 4 × 4 M tensor
 * references, and only after it computed gradients that large.
 */
final class Pool<T> {
  /** Tapes kept per thread and kind: one per gradient call running at once (callees' gradients run inside their caller's). */
  static final int KEEP = 4;
  /** Entries a kept tape may hold (32 MB of doubles). */
  static final int KEEP_CAPACITY = 1 << 22;

  private final ThreadLocal<ArrayDeque<T>> free = ThreadLocal.withInitial(ArrayDeque::new);
  private final Supplier<T> fresh;

  Pool(Supplier<T> fresh) {
    this.fresh = fresh;
  }

  T take() {
    T t = free.get().pollLast();
    return t != null ? t : fresh.get();
  }

  /** Keeps an emptied tape for this thread's next call, if there is room. */
  void give(T tape, int capacity) {
    ArrayDeque<T> kept = free.get();
    if (capacity <= KEEP_CAPACITY && kept.size() < KEEP) {
      kept.addLast(tape);
    }
  }
}
