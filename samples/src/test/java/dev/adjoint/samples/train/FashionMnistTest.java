package dev.adjoint.samples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader, on small files written by the format's layout (big-endian header, then unsigned bytes). */
class FashionMnistTest {
  private static void write(Path file, int magic, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    }
    try (OutputStream out = file.toString().endsWith(".gz")
        ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(bytes.toByteArray());
    }
  }

  /** Three 2×2 images with pixels 0, 51, 102, ... (as unsigned bytes) and labels 9, 0, 3. */
  private static void writeSet(Path dir, String prefix) throws IOException {
    byte[] pixels = new byte[12];
    for (int i = 0; i < 12; i++) {
      pixels[i] = (byte) (i * 51); // 255 at i = 5, then wrapping
    }
    write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), 0x803, new int[] {3, 2, 2}, pixels);
    write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), 0x801, new int[] {3}, new byte[] {9, 0, 3});
  }

  @Test
  void readsImagesAndLabelsScaledToUnitRange(@TempDir Path dir) throws IOException {
    writeSet(dir, "train");
    writeSet(dir, "t10k");
    Digits.Split s = FashionMnist.load(dir, 2, 10).orElseThrow();
    assertEquals(2, s.train().size());
    assertEquals(3, s.test().size());
    assertArrayEquals(new int[] {3, 4}, s.test().x().shape());
    assertArrayEquals(new int[] {9, 0, 3}, s.test().labels());
    assertEquals(0.0, s.test().x().get(0, 0), 0.0);
    assertEquals(51 / 255.0, s.test().x().get(0, 1), 1e-15);
    assertEquals(153 / 255.0, s.test().x().get(0, 3), 1e-15);
    assertEquals(1.0, s.test().x().get(1, 1), 0.0, "pixel 255 (a negative byte) reads as 1");
  }

  @Test
  void missingFilesMeanTheFallbackAndAWrongMagicIsAnError(@TempDir Path dir) throws IOException {
    assertTrue(FashionMnist.load(dir, 10, 10).isEmpty());
    Path bad = dir.resolve("x.idx");
    write(bad, 0x801, new int[] {1}, new byte[] {1});
    IOException e = assertThrows(IOException.class, () -> FashionMnist.readImages(bad, 1));
    assertTrue(e.getMessage().endsWith("not an IDX image file (magic 0x801)"), e.getMessage());
  }
}
