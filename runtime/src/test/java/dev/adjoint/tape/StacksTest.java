package dev.adjoint.tape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StacksTest {

  @Test
  void doublesComeBackInReverseOrderAcrossGrowth() {
    DoubleStack s = new DoubleStack(1);
    for (int i = 0; i < 1000; i++) {
      s.push(i * 0.5);
    }
    assertEquals(1000, s.size());
    for (int i = 999; i >= 0; i--) {
      assertEquals(i * 0.5, s.pop(), 0.0);
    }
    assertTrue(s.isEmpty());
  }

  @Test
  void intsComeBackInReverseOrderAcrossGrowth() {
    IntStack s = new IntStack(2);
    for (int i = 0; i < 100; i++) {
      s.push(-i);
    }
    for (int i = 99; i >= 0; i--) {
      assertEquals(-i, s.pop());
    }
    assertTrue(s.isEmpty());
  }

  @Test
  void aReleasedTapeIsHandedEmptyToTheNextCallOnTheSameThread() {
    DoubleStack first = DoubleStack.acquire();
    first.push(1.5);
    first.push(2.5);
    first.pop();
    first.pop();
    first.release();
    DoubleStack second = DoubleStack.acquire();
    assertSame(first, second, "the storage is reused");
    assertTrue(second.isEmpty(), "and it starts empty");
    // a call nested in a reverse sweep gets a tape of its own
    DoubleStack nested = DoubleStack.acquire();
    assertNotSame(second, nested);
    nested.release();
    second.release();
  }

  @Test
  void anotherThreadNeverGetsThisThreadsTape() throws Exception {
    IntStack mine = IntStack.acquire();
    mine.release();
    IntStack[] theirs = new IntStack[1];
    Thread t = new Thread(() -> theirs[0] = IntStack.acquire());
    t.start();
    t.join();
    assertNotSame(mine, theirs[0]);
  }

  @Test
  void aHugeTapeIsNotKept() {
    DoubleStack big = DoubleStack.acquire();
    for (int i = 0; i <= Pool.KEEP_CAPACITY; i++) {
      big.push(i);
    }
    while (!big.isEmpty()) {
      big.pop();
    }
    big.release();
    DoubleStack next = DoubleStack.acquire();
    assertNotSame(big, next, "a thread does not hold on to more than KEEP_CAPACITY entries");
    next.release();
  }

  @Test
  void aReleasedTensorTapeIsReused() {
    TensorStack s = TensorStack.acquire();
    s.push(dev.adjoint.tensor.Tensor.scalar(1));
    s.pop();
    s.release();
    TensorStack again = TensorStack.acquire();
    assertSame(s, again);
    assertTrue(again.isEmpty());
    again.release();
  }

  @Test
  void releasingATapeWithValuesLeftIsAnErrorNotASilentReset() {
    IntStack s = IntStack.acquire();
    s.push(3);
    IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
    assertTrue(e.getMessage().contains("IntStack released with 1 values left"), e.getMessage());
    IntStack next = IntStack.acquire();
    assertNotSame(s, next, "a tape released in error is not handed out again");
    next.release();
  }

  @Test
  void arraysComeBackWholeAndInOrderBetweenSingleValues() {
    DoubleStack s = new DoubleStack(2);
    s.push(-1);
    s.pushAll(new double[] {1, 2, 3, 4, 5});
    s.push(9);
    assertEquals(9, s.pop(), 0.0);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 2, 3, 4, 5}, s.popArray(5), 0.0);
    assertEquals(-1, s.pop(), 0.0);
    assertThrows(IllegalStateException.class, () -> s.popArray(1));
  }

  @Test
  void anArraySavedWholeIsPutBackIntoItselfAndOnlyItsOwnValuesLeaveTheTape() {
    DoubleStack s = new DoubleStack(1);
    double[] u = {1, 2, 3};
    s.push(-1);
    s.pushAll(u);
    s.pushAll(new double[] {7, 8, 9});
    u[0] = 40;
    u[2] = 60;
    double[] later = new double[3];
    s.popInto(later);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {7, 8, 9}, later, 0.0);
    s.popInto(u);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 2, 3}, u, 0.0);
    assertEquals(-1, s.pop(), 0.0);
    assertThrows(IllegalStateException.class, () -> s.popInto(new double[1]));
  }

  @Test
  void longsComeBackWithAllTheirBits() {
    IntStack s = new IntStack(1);
    long[] values = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, (1L << 53) + 1, 0x1234_5678_9ABC_DEF0L, -42};
    for (long v : values) {
      s.pushLong(v);
      s.push(7);
    }
    for (int i = values.length - 1; i >= 0; i--) {
      assertEquals(7, s.pop());
      assertEquals(values[i], s.popLong());
    }
    assertTrue(s.isEmpty());
  }

  @Test
  void popOnEmptyIsAnErrorNotAValue() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new DoubleStack().pop());
    assertTrue(e.getMessage().contains("DoubleStack popped while empty"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> new IntStack().pop());
  }

  @Test
  void clearKeepsWorking() {
    DoubleStack s = new DoubleStack();
    s.push(1);
    s.push(2);
    s.clear();
    assertTrue(s.isEmpty());
    s.push(3);
    assertEquals(3.0, s.pop(), 0.0);
  }
}
