package dev.adjoint.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SafeTensors: round trips, a file laid out by hand as the reference library writes it, and malformed input. */
class SafeTensorsTest {
  private final Random rng = new Random(17);

  private Map<String, Tensor> model() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("fc1.weight", Tensor.randn(rng, 4, 3));
    m.put("fc1.bias", Tensor.randn(rng, 3));
    m.put("scale", Tensor.scalar(Math.PI));
    m.put("empty", Tensor.zeros(0, 2));
    m.put("odd \"name\"\\é", Tensor.randn(rng, 2, 1, 2));
    return m;
  }

  @Test
  void roundTripIsExactAndKeepsOrderAndMetadata(@TempDir Path dir) throws Exception {
    Map<String, Tensor> m = model();
    Path f = dir.resolve("model.safetensors");
    SafeTensors.save(f, m, Map.of("format", "pt"));
    SafeTensors.Contents c = SafeTensors.read(f);
    assertEquals(new ArrayList<>(m.keySet()), new ArrayList<>(c.tensors().keySet()));
    for (String k : m.keySet()) {
      assertArrayEquals(m.get(k).shape(), c.tensors().get(k).shape(), k);
      assertArrayEquals(m.get(k).toArray(), c.tensors().get(k).toArray(), 0.0, k);
    }
    assertEquals(Map.of("format", "pt"), c.metadata());
    assertTrue(SafeTensors.load(f).containsKey("scale"));
  }

  /** The writer's output read by the spec, independently of the reader: lengths, padding, offsets, bytes. */
  @Test
  void writtenFileFollowsTheLayout() {
    Map<String, Tensor> m = model();
    byte[] bytes = SafeTensors.toBytes(m, Map.of());
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long n = b.getLong(0);
    assertEquals(0, n % 8, "header padded to 8 bytes");
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertTrue(header.startsWith("{\"fc1.weight\":{\"dtype\":\"F64\",\"shape\":[4,3],\"data_offsets\":[0,96]}"), header);
    assertTrue(header.contains("\"scale\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[120,128]}"), header);
    assertTrue(header.contains("\"odd \\\"name\\\"\\\\é\""), header);
    assertEquals(header.strip().length(), header.stripTrailing().length());
    assertTrue(header.stripTrailing().endsWith("}"));
    int data = 8 + (int) n;
    int at = data;
    for (Tensor t : m.values()) {
      for (double v : t.data()) {
        assertEquals(v, b.getDouble(at), 0.0);
        at += 8;
      }
    }
    assertEquals(bytes.length, at);
  }

  /** A header padded with spaces and tensors written in dtype-then-name order, as Python's safetensors does. */
  private static byte[] referenceFile(String header, float[] f32, double[] f64) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    int padded = (h.length + 7) / 8 * 8;
    ByteBuffer b = ByteBuffer.allocate(8 + padded + 8 * f64.length + 4 * f32.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(padded).put(h);
    for (int i = h.length; i < padded; i++) {
      b.put((byte) 0x20);
    }
    for (double v : f64) {
      b.putDouble(v);
    }
    for (float v : f32) {
      b.putFloat(v);
    }
    return b.array();
  }

  @Test
  void readsAFileLaidOutByTheReferenceLibrary() {
    // The reference library puts __metadata__ first and the tensors by alignment (F64 before F32), then name.
    String header = "{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"b.weight\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,32]},"
        + "\"a.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[32,44]}}";
    assertTrue(header.length() % 8 != 0, "the test needs padding");
    float[] f32 = {1.5f, -0.1f, 3e-8f};
    double[] f64 = {1, -2.25, Math.E, 1e300};
    SafeTensors.Contents c = SafeTensors.fromBytes(referenceFile(header, f32, f64));
    assertEquals(Map.of("format", "pt"), c.metadata());
    assertArrayEquals(new int[] {3}, c.tensors().get("a.bias").shape());
    assertArrayEquals(new double[] {1.5f, -0.1f, 3e-8f}, c.tensors().get("a.bias").toArray(), 0.0);
    assertArrayEquals(new int[] {2, 2}, c.tensors().get("b.weight").shape());
    assertArrayEquals(f64, c.tensors().get("b.weight").toArray(), 0.0);
  }

  @Test
  void loadIntoCopiesIntoTheModelOrNamesTheMismatch(@TempDir Path dir) throws Exception {
    Map<String, Tensor> m = model();
    Path f = dir.resolve("m.safetensors");
    SafeTensors.save(f, m);
    Map<String, Tensor> fresh = new LinkedHashMap<>();
    Tensor w = Tensor.zeros(4, 3);
    for (String k : m.keySet()) {
      fresh.put(k, k.equals("fc1.weight") ? w : Tensor.zeros(m.get(k).shape()));
    }
    SafeTensors.loadInto(f, fresh);
    assertArrayEquals(m.get("fc1.weight").toArray(), w.toArray(), 0.0, "copied in place into the model's tensor");

    fresh.remove("scale");
    fresh.put("extra", Tensor.zeros(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.loadInto(f, fresh));
    assertEquals("safetensors: names do not match the model's parameters: missing [extra], unexpected [scale]",
        e.getMessage());
    fresh.remove("extra");
    fresh.put("scale", Tensor.zeros(1));
    double[] before = w.toArray();
    w.data()[0] = 42;
    e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.loadInto(f, fresh));
    assertEquals("safetensors: shapes do not match: scale: file [], model [1]", e.getMessage());
    assertEquals(42, w.data()[0], 0.0, "nothing is copied when a shape is wrong");
    assertEquals(before.length, w.size());
  }

  private static String message(byte[] bytes) {
    return assertThrows(IllegalArgumentException.class, () -> SafeTensors.fromBytes(bytes)).getMessage();
  }

  private static byte[] withHeader(String header, int dataBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
    out.writeBytes(h);
    out.writeBytes(new byte[dataBytes]);
    return out.toByteArray();
  }

  @Test
  void malformedFilesAreRejectedWithTheReason() {
    assertEquals("safetensors: 3 bytes is too short for the header length", message(new byte[3]));
    byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
    assertEquals("safetensors: header length 1000 is invalid for a file of 16 bytes", message(huge));
    assertEquals("safetensors: the header does not start with '{'", message(withHeader("[1]", 0)));
    assertTrue(message(withHeader("{\"a\":", 0)).startsWith("safetensors: malformed JSON header"));
    String one = "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}";
    assertEquals("safetensors: the tensors cover 16 bytes but the data has 24", message(withHeader(one, 24)));
    assertEquals("safetensors: tensor \"a\" of dtype F64 and shape [3] needs 24 bytes but data_offsets are [0, 16]",
        message(withHeader(one.replace("[2]", "[3]"), 16)));
    assertEquals("safetensors: tensor \"a\" has dtype I64; only F64 and F32 are read",
        message(withHeader(one.replace("F64", "I64"), 16)));
    String overlap = "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
        + "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}";
    assertEquals("safetensors: tensor \"b\" starts at byte 8 of the data but the previous one ends at 16 (a gap or "
        + "an overlap)", message(withHeader(overlap, 16)));
    assertTrue(message(withHeader("{\"a\":{\"dtype\":\"F64\"}}", 0)).contains("needs \"dtype\""));
    assertTrue(message(withHeader(one.replace("[2]", "[2.5]"), 16)).contains("non-negative integers"));
    assertTrue(message(withHeader("{\"a\":1,\"a\":2}", 0)).contains("duplicate key"));
    assertThrows(IllegalArgumentException.class,
        () -> SafeTensors.toBytes(Map.of("__metadata__", Tensor.zeros(1)), Map.of()));
  }

  @Test
  void missingFileIsAnIoError(@TempDir Path dir) {
    assertThrows(java.io.IOException.class, () -> SafeTensors.load(dir.resolve("none")));
    assertTrue(Files.notExists(dir.resolve("none")));
  }
}
