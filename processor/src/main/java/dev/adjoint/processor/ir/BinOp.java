package dev.adjoint.processor.ir;

/** Binary operators, with their Java spelling and precedence (higher binds tighter). */
public enum BinOp {
  MUL("*", 12),
  DIV("/", 12),
  REM("%", 12),
  ADD("+", 11),
  SUB("-", 11),
  /** Shifts and bitwise operators: on int and long (or boolean for & | ^), never active. */
  SHL("<<", 10),
  SHR(">>", 10),
  USHR(">>>", 10),
  LT("<", 9),
  GT(">", 9),
  LE("<=", 9),
  GE(">=", 9),
  EQ("==", 8),
  NE("!=", 8),
  BIT_AND("&", 7),
  XOR("^", 6),
  BIT_OR("|", 5),
  AND("&&", 4),
  OR("||", 3);

  private final String symbol;
  private final int precedence;

  BinOp(String symbol, int precedence) {
    this.symbol = symbol;
    this.precedence = precedence;
  }

  public String symbol() {
    return symbol;
  }

  public int precedence() {
    return precedence;
  }

  public boolean isArithmetic() {
    return precedence >= 11;
  }

  /** Whether this is a shift or a bitwise operator ({@code << >> >>> & ^ |}). */
  public boolean isBitwise() {
    return precedence == 10 || precedence >= 5 && precedence <= 7;
  }
}
