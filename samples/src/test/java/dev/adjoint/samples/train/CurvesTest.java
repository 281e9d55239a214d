package dev.adjoint.samples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training-curves PNG. */
class CurvesTest {

  private static History history(String name, int epochs) {
    History h = new History(name);
    for (int e = 1; e <= epochs; e++) {
      h.add(new History.Epoch(e, 2.0 / e, 1 - 0.5 / e, 2.2 / e, 1 - 0.6 / e, 0.1, 14370));
    }
    return h;
  }

  @Test
  void writesANonEmptyPng(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub").resolve("curves.png");
    Path written = Curves.write(List.of(history("mlp", 5), history("lenet", 4)), file);
    assertEquals(file.toAbsolutePath(), written);
    byte[] bytes = Files.readAllBytes(written);
    assertTrue(bytes.length > 1000, bytes.length + " bytes");
    byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assertArrayEquals(magic, Arrays.copyOf(bytes, 8));
  }

  @Test
  void defaultPathIsInTheModulesTargetDirectory() {
    Path p = Curves.defaultPath();
    assertEquals("training-curves.png", p.getFileName().toString());
    assertEquals("target", p.getParent().getFileName().toString());
  }
  @Test
  void lossAxisStartsAtZeroAndAccuracyAxisHasRoomAbove100() {
    List<org.knowm.xchart.XYChart> charts = Curves.charts(List.of(history("mlp", 5)));
    assertEquals(0.0, charts.get(0).getStyler().getYAxisMin(), 0.0);
    assertTrue(charts.get(1).getStyler().getYAxisMax() > 100, "accuracy axis top " + charts.get(1).getStyler()
        .getYAxisMax());
  }
}
