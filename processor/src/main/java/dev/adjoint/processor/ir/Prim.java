package dev.adjoint.processor.ir;

/** Java's primitive types, ordered so that binary numeric promotion is the larger of two ranks. */
public enum Prim implements Type {
  BOOLEAN("boolean", -1),
  BYTE("byte", 0),
  SHORT("short", 1),
  CHAR("char", 1),
  INT("int", 2),
  LONG("long", 3),
  FLOAT("float", 4),
  DOUBLE("double", 5);

  private final String spelling;
  private final int rank;

  Prim(String spelling, int rank) {
    this.spelling = spelling;
    this.rank = rank;
  }

  @Override
  public boolean isFloating() {
    return this == FLOAT || this == DOUBLE;
  }

  public boolean isNumeric() {
    return rank >= 0;
  }

  @Override
  public String display() {
    return spelling;
  }

  /** Binary numeric promotion (JLS 5.6.2): int at least, else the wider of the two. */
  public static Prim promote(Prim a, Prim b) {
    Prim wider = a.rank >= b.rank ? a : b;
    return wider.rank < INT.rank ? INT : wider;
  }

  /**
   * Whether a value of this type converts to {@code to} by identity or widening primitive
   * conversion (JLS 5.1.2): byte to short, char to int, int to long, long to float, and so on up.
   */
  public boolean widensTo(Prim to) {
    if (this == to) {
      return true;
    }
    if (this == BOOLEAN || to == BOOLEAN || to == CHAR || to == BYTE) {
      return false;
    }
    if (to == SHORT) {
      return this == BYTE;
    }
    return rank < to.rank && this != CHAR || this == CHAR && to.rank >= INT.rank;
  }

  /** Unary numeric promotion (JLS 5.6.1). */
  public Prim promoteUnary() {
    return rank < INT.rank ? INT : this;
  }
}
