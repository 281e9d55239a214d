package dev.adjoint.io;

import dev.adjoint.tensor.Shapes;
import dev.adjoint.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Named tensors in the <a href="https://github.com/huggingface/safetensors">safetensors</a> format, so that a
 * model's parameters move between Adjoint and PyTorch ({@code safetensors.torch.save_file/load_file}).
 *
 * <p>Layout: an 8-byte little-endian unsigned header length N; N bytes of UTF-8 JSON, an object mapping each name
 * to {@code {"dtype", "shape", "data_offsets": [begin, end]}} plus an optional {@code "__metadata__"} object of
 * strings, padded with spaces; then the data, row-major little-endian, offsets relative to the end of the header.
 * Writing produces F64 (no precision is lost), tensors in the map's order, the header padded to 8 bytes as the
 * reference library does. Reading accepts F64 and F32 (converted exactly to double), in any order, and checks
 * what the reference library checks: the offsets cover the data exactly, with no gap or overlap, and each
 * tensor's byte length matches its dtype and shape. Any violation is an {@link IllegalArgumentException}.
 */
public final class SafeTensors {
  private static final String METADATA = "__metadata__";
  /** The reference library's limit on the header, against reading a corrupt length as a huge allocation. */
  private static final long MAX_HEADER = 100_000_000L;

  private SafeTensors() {}

  /** A file's tensors (in header order) and its {@code __metadata__} (empty if none). */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

  // ------------------------------------------------------------------------------------------------ writing

  /** Writes {@code tensors} (name → tensor, in the map's order) as F64 to {@code file}. */
  public static void save(Path file, Map<String, Tensor> tensors) throws IOException {
    save(file, tensors, Map.of());
  }

  /** Writes {@code tensors} as F64 with string {@code metadata} (e.g. {@code "format" → "pt"}). */
  public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    Files.write(file, toBytes(tensors, metadata));
  }

  /** The bytes of a safetensors file holding {@code tensors} as F64 and {@code metadata}. */
  public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
    StringBuilder h = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      h.append(Json.quote(METADATA)).append(":{");
      String sep = "";
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        h.append(sep).append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
        sep = ",";
      }
      h.append('}');
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      String name = e.getKey();
      if (name == null || name.isEmpty() || name.equals(METADATA)) {
        throw new IllegalArgumentException("safetensors: invalid tensor name \"" + name + "\"");
      }
      Tensor t = e.getValue();
      long end = offset + 8L * t.size();
      h.append(h.length() > 1 ? "," : "").append(Json.quote(name)).append(":{\"dtype\":\"F64\",\"shape\":")
          .append(Arrays.toString(t.shape()).replace(" ", "")).append(",\"data_offsets\":[").append(offset)
          .append(',').append(end).append("]}");
      offset = end;
    }
    h.append('}');
    byte[] json = h.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    if (8L + padded + offset > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("safetensors: " + (8L + padded + offset) + " bytes do not fit one array");
    }
    ByteBuffer buf = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(padded).put(json);
    for (int k = json.length; k < padded; k++) {
      buf.put((byte) ' ');
    }
    for (Tensor t : tensors.values()) {
      buf.asDoubleBuffer().put(t.data());
      buf.position(buf.position() + 8 * t.size());
    }
    return buf.array();
  }

  // ------------------------------------------------------------------------------------------------ reading

  /** The tensors of {@code file}, by name in header order. */
  public static Map<String, Tensor> load(Path file) throws IOException {
    return read(file).tensors();
  }

  /** The tensors and metadata of {@code file}. */
  public static Contents read(Path file) throws IOException {
    return fromBytes(Files.readAllBytes(file));
  }

  /** The tensors and metadata of a safetensors file's bytes. */
  public static Contents fromBytes(byte[] bytes) {
    if (bytes.length < 8) {
      throw new IllegalArgumentException("safetensors: " + bytes.length + " bytes is too short for the header length");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long n = buf.getLong(0);
    if (n < 2 || n > MAX_HEADER || n > bytes.length - 8L) {
      throw new IllegalArgumentException("safetensors: header length " + Long.toUnsignedString(n)
          + " is invalid for a file of " + bytes.length + " bytes");
    }
    String text = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    if (!text.startsWith("{")) {
      throw new IllegalArgumentException("safetensors: the header does not start with '{'");
    }
    if (!(Json.parse(text) instanceof Map<?, ?> header)) {
      throw new IllegalArgumentException("safetensors: the header is not a JSON object");
    }
    int dataStart = 8 + (int) n;
    int dataLength = bytes.length - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<?, ?> e : header.entrySet()) {
      String name = (String) e.getKey();
      if (name.equals(METADATA)) {
        readMetadata(e.getValue(), metadata);
      } else {
        entries.add(Entry.parse(name, e.getValue()));
      }
    }
    checkCoverage(entries, dataLength);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Entry en : entries) {
      tensors.put(en.name, en.decode(buf, dataStart));
    }
    return new Contents(tensors, metadata);
  }

  private static void readMetadata(Object v, Map<String, String> out) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("safetensors: __metadata__ is not an object");
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw new IllegalArgumentException("safetensors: __metadata__ value of \"" + e.getKey() + "\" is not a string");
      }
      out.put((String) e.getKey(), s);
    }
  }

  /** The offsets, sorted, must tile {@code [0, dataLength)} exactly (the reference library's rule). */
  private static void checkCoverage(List<Entry> entries, int dataLength) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort((a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
    long at = 0;
    for (Entry e : sorted) {
      if (e.begin != at) {
        throw new IllegalArgumentException("safetensors: tensor \"" + e.name + "\" starts at byte " + e.begin
            + " of the data but the previous one ends at " + at + " (a gap or an overlap)");
      }
      at = e.end;
    }
    if (at != dataLength) {
      throw new IllegalArgumentException("safetensors: the tensors cover " + at + " bytes but the data has "
          + dataLength);
    }
  }

  /** One header entry, validated. */
  private record Entry(String name, String dtype, int[] shape, long begin, long end) {
    static Entry parse(String name, Object v) {
      if (!(v instanceof Map<?, ?> m) || !(m.get("dtype") instanceof String dtype)
          || !(m.get("shape") instanceof List<?> shapeList) || !(m.get("data_offsets") instanceof List<?> off)
          || off.size() != 2) {
        throw new IllegalArgumentException("safetensors: entry \"" + name
            + "\" needs \"dtype\" (a string), \"shape\" (an array) and \"data_offsets\" ([begin, end])");
      }
      int[] shape = new int[shapeList.size()];
      for (int k = 0; k < shape.length; k++) {
        long d = integer(name, "shape", shapeList.get(k));
        if (d > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("safetensors: entry \"" + name + "\" has an extent too large: " + d);
        }
        shape[k] = (int) d;
      }
      long begin = integer(name, "data_offsets", off.get(0));
      long end = integer(name, "data_offsets", off.get(1));
      int width = switch (dtype) {
        case "F64" -> 8;
        case "F32" -> 4;
        default -> throw new IllegalArgumentException("safetensors: tensor \"" + name + "\" has dtype " + dtype
            + "; only F64 and F32 are read");
      };
      long elements = Shapes.product(shape);
      if (end < begin || end - begin != elements * width) {
        throw new IllegalArgumentException("safetensors: tensor \"" + name + "\" of dtype " + dtype + " and shape "
            + Arrays.toString(shape) + " needs " + elements * width + " bytes but data_offsets are [" + begin + ", "
            + end + "]");
      }
      return new Entry(name, dtype, shape, begin, end);
    }

    private static long integer(String name, String field, Object v) {
      if (!(v instanceof Long l) || l < 0) {
        throw new IllegalArgumentException("safetensors: entry \"" + name + "\": " + field
            + " must hold non-negative integers, got " + v);
      }
      return l;
    }

    Tensor decode(ByteBuffer buf, int dataStart) {
      double[] d = new double[Shapes.product(shape)];
      int at = dataStart + (int) begin;
      for (int k = 0; k < d.length; k++) {
        d[k] = dtype.equals("F64") ? buf.getDouble(at + 8 * k) : buf.getFloat(at + 4 * k);
      }
      return Tensor.wrap(d, shape);
    }
  }

  // ------------------------------------------------------------------------------------------------ into a model

  /**
   * Copies the tensors of {@code file} into the values of {@code params} (a model's named parameters), in place.
   * The names must match exactly and every shape must agree; otherwise nothing is changed and an
   * IllegalArgumentException names the missing, unexpected or mismatched tensors.
   */
  public static void loadInto(Path file, Map<String, Tensor> params) throws IOException {
    copyInto(load(file), params);
  }

  /** {@link #loadInto} from tensors already read. */
  public static void copyInto(Map<String, Tensor> loaded, Map<String, Tensor> params) {
    TreeSet<String> missing = new TreeSet<>(params.keySet());
    missing.removeAll(loaded.keySet());
    TreeSet<String> unexpected = new TreeSet<>(loaded.keySet());
    unexpected.removeAll(params.keySet());
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      throw new IllegalArgumentException("safetensors: names do not match the model's parameters: missing "
          + missing + ", unexpected " + unexpected);
    }
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : params.entrySet()) {
      Tensor src = loaded.get(e.getKey());
      if (!Arrays.equals(src.shape(), e.getValue().shape())) {
        wrong.add(e.getKey() + ": file " + Arrays.toString(src.shape()) + ", model "
            + Arrays.toString(e.getValue().shape()));
      }
    }
    if (!wrong.isEmpty()) {
      throw new IllegalArgumentException("safetensors: shapes do not match: " + String.join("; ", wrong));
    }
    for (Map.Entry<String, Tensor> e : params.entrySet()) {
      double[] src = loaded.get(e.getKey()).data();
      System.arraycopy(src, 0, e.getValue().data(), 0, src.length);
    }
  }
}
