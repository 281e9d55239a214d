package dev.adjoint.spark;

/** An input row that cannot be trained on (wrong width, NaN or infinite value, bad label), located exactly. */
public final class BadRowException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final int partition;
  private final long index;

  /** A bad row: row {@code index} (counted from 0 within the partition) of partition {@code partition}. */
  public BadRowException(int partition, long index, String problem) {
    super("bad input row: partition " + partition + ", index " + index + ": " + problem);
    this.partition = partition;
    this.index = index;
  }

  /** The partition holding the row. */
  public int partition() {
    return partition;
  }

  /** The row's index within its partition, from 0. */
  public long index() {
    return index;
  }
}
