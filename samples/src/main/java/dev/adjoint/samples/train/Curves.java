package dev.adjoint.samples.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training curves as one PNG: the loss (left) and the accuracy (right) per epoch, training (running, solid) and
 * test (dashed) for every model. Drawn with XChart in headless mode, so it works without a display.
 */
public final class Curves {
  /** The file name of {@link #defaultPath()}. */
  public static final String FILE_NAME = "training-curves.png";
  private static final int WIDTH = 640;
  private static final int HEIGHT = 420;
  /** The top of the accuracy axis, in percent: room above 100%. */
  static final double ACCURACY_TOP = 105.0;
  /** One colour per model: training solid, test dashed. */
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e)
  };
  private static final BasicStroke SOLID = new BasicStroke(2f);
  private static final BasicStroke DASHED =
      new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);

  private Curves() {}

  /**
   * {@code samples/target/training-curves.png}: the build directory that holds this class ({@code target/classes},
   * or the jar in {@code target/}), whatever the working directory; {@code ./target} if that cannot be found.
   */
  public static Path defaultPath() {
    return targetDirectory().resolve(FILE_NAME);
  }

  /** The module's build directory ({@code samples/target} in this repository). */
  static Path targetDirectory() {
    try {
      var source = Curves.class.getProtectionDomain().getCodeSource();
      if (source != null && source.getLocation() != null) {
        Path p = Paths.get(source.getLocation().toURI()).toAbsolutePath();
        // target/classes/ (a directory) or target/adjoint-samples-*.jar: the parent is target/.
        Path parent = p.getParent();
        if (parent != null) {
          return parent;
        }
      }
    } catch (URISyntaxException | SecurityException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      // fall through
    }
    return Paths.get("target").toAbsolutePath();
  }

  /** Writes the curves of {@code histories} to {@link #defaultPath()} and returns that path. */
  public static Path write(List<History> histories) throws IOException {
    return write(histories, defaultPath());
  }

  /** Writes the curves of {@code histories} as a PNG to {@code file} (parents created) and returns its absolute path. */
  public static Path write(List<History> histories, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<XYChart> charts = charts(histories);
    Path target = file.toAbsolutePath();
    if (target.getParent() != null) {
      Files.createDirectories(target.getParent());
    }
    try (OutputStream out = Files.newOutputStream(target)) {
      BitmapEncoder.saveBitmap(charts, 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
    }
    return target;
  }

  /** The two charts, loss then accuracy. */
  static List<XYChart> charts(List<History> histories) {
    XYChart loss = chart("Cross-entropy loss", "loss", Styler.LegendPosition.InsideNE);
    // The loss axis starts at 0 (a tick at 0, so the curves' distance to a perfect fit shows); the accuracy axis
    // goes past 100% so that a curve reaching 100% is not drawn on the frame.
    loss.getStyler().setYAxisMin(0.0);
    XYChart accuracy = chart("Accuracy", "accuracy (%)", Styler.LegendPosition.InsideSE);
    accuracy.getStyler().setYAxisMax(ACCURACY_TOP);
    for (int i = 0; i < histories.size(); i++) {
      History h = histories.get(i);
      Color color = COLORS[i % COLORS.length];
      double[] epochs = h.column(History.Epoch::epoch);
      add(loss, h.model() + " train", epochs, h.column(History.Epoch::trainLoss), color, false);
      add(loss, h.model() + " test", epochs, h.column(History.Epoch::testLoss), color, true);
      add(accuracy, h.model() + " train", epochs, percent(h.column(History.Epoch::trainAccuracy)), color, false);
      add(accuracy, h.model() + " test", epochs, percent(h.column(History.Epoch::testAccuracy)), color, true);
    }
    return List.of(loss, accuracy);
  }

  private static XYChart chart(String title, String yAxis, Styler.LegendPosition legend) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
        .yAxisTitle(yAxis).build();
    c.getStyler().setLegendPosition(legend);
    c.getStyler().setDecimalPattern("#0.##");
    return c;
  }

  private static void add(XYChart chart, String name, double[] x, double[] y, Color color, boolean dashed) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setLineStyle(dashed ? DASHED : SOLID);
  }

  private static double[] percent(double[] fractions) {
    double[] out = new double[fractions.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = 100 * fractions[i];
    }
    return out;
  }
}
