package dev.adjoint.tape;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
