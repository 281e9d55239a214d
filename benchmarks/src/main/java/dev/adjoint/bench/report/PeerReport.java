package dev.adjoint.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.adjoint.bench.kernels.ForwardMode;
import dev.adjoint.bench.kernels.Mlp;
import dev.adjoint.bench.peers.GmmBenchmark;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Turns the JSON of one JMH run of the {@code peers} benchmarks into the Markdown tables of BENCHMARKS.md
 * (printed on standard output) and a chart.
 *
 * <pre>java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar dev.adjoint.bench.report.PeerReport \
 *     benchmarks/results/peers.json benchmarks/chart.png &gt; benchmarks/results/peers.md</pre>
 *
 * <p>Hipparchus rows are one forward-mode pass of width w = min(N, {@value GmmBenchmark#FORWARD_WIDTH});
 * its full gradient is ⌈N / w⌉ passes, and the ratios use that product (marked "extrapolated" when
 * ⌈N / w⌉ &gt; 1). Forward mode is not run on the MLP (N = 39 301), whose cells say so; ND4J SameDiff runs on the
 * MLP only, and its column appears when the run has it.
 */
public final class PeerReport {
  private PeerReport() {}

  static final String[] ENGINES = {"primal", "adjoint", "hand", "hipparchus", "djl", "nd4j"};
  static final String[] ENGINE_NAMES = {"primal", "Adjoint (generated)", "hand-written", "Hipparchus forward",
      "DJL / PyTorch", "ND4J SameDiff"};
  static final Color[] COLORS = {new Color(0x9e9e9e), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e),
      new Color(0xd62728), new Color(0x9467bd)};

  /** One JMH result: mean score ± 99.9% error, median, min, max over the measured iterations (µs). */
  record Score(double mean, double error, double median, double min, double max, int iterations, double bytesPerOp) {}

  /** One kernel instance: its name, N, and the score per engine. */
  static final class Row {
    final String kernel;
    final String instance;
    final int inputs;
    final Map<String, Score> scores = new LinkedHashMap<>();

    Row(String kernel, String instance, int inputs) {
      this.kernel = kernel;
      this.instance = instance;
      this.inputs = inputs;
    }

    String label() {
      return kernel + " " + instance;
    }

    int width() {
      return Math.min(inputs, GmmBenchmark.FORWARD_WIDTH);
    }

    int passes() {
      return ForwardMode.chunks(inputs, width());
    }

    /** What stands in a Hipparchus cell of a kernel that forward mode was not run on. */
    String noForwardMode() {
      return "n/a (" + String.format(Locale.ROOT, "%,d", inputs).replace(',', ' ') + " inputs)";
    }

    /** Like {@link #full} from the fastest iteration. */
    double best(String engine) {
      Score s = scores.get(engine);
      if (s == null) {
        return Double.NaN;
      }
      return engine.equals("hipparchus") ? s.min() * passes() : s.min();
    }

    /** Time of the engine's full gradient (µs, median): Hipparchus multiplied out to all passes. */
    double full(String engine) {
      Score s = scores.get(engine);
      if (s == null) {
        return Double.NaN;
      }
      return engine.equals("hipparchus") ? s.median() * passes() : s.median();
    }
  }

  /** Entry point: {@code <jmh.json> [chart.png]}. */
  public static void main(String[] args) throws IOException {
    List<Row> rows = read(Path.of(args[0]));
    System.out.print(markdown(rows));
    if (args.length > 1) {
      chart(rows, Path.of(args[1]));
    }
  }

  static List<Row> read(Path json) throws IOException {
    JsonArray results = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
    Map<String, Row> rows = new LinkedHashMap<>();
    for (JsonElement e : results) {
      JsonObject r = e.getAsJsonObject();
      String bench = r.get("benchmark").getAsString();
      if (!bench.contains(".peers.")) {
        continue;
      }
      String[] parts = bench.split("\\.");
      String cls = parts[parts.length - 2];
      String engine = parts[parts.length - 1];
      JsonObject params = r.has("params") ? r.getAsJsonObject("params") : new JsonObject();
      String kernel;
      String instance;
      int inputs;
      switch (cls) {
        case "GmmBenchmark" -> {
          kernel = "GMM";
          instance = params.get("instance").getAsString();
          String[] dk = instance.replace("d", "").replace("K", "").split("_");
          int d = Integer.parseInt(dk[0]);
          int k = Integer.parseInt(dk[1]);
          inputs = k + k * d + k * d * (d + 1) / 2;
        }
        case "LstmBenchmark" -> {
          kernel = "LSTM";
          instance = params.get("instance").getAsString();
          inputs = 2 * 2 * 4 * 14 + 3 * 14; // l = 2, b = 14
        }
        case "ScalarBenchmark" -> {
          kernel = params.get("kernel").getAsString().equals("rosenbrock") ? "Rosenbrock" : "reaction-diffusion";
          inputs = params.get("n").getAsInt();
          instance = "n=" + inputs;
        }
        case "MlpBenchmark" -> {
          kernel = "MLP";
          instance = Mlp.SEED003_N + "x" + Mlp.SEED003_IN + "-" + Mlp.SEED003_HIDDEN + "-1";
          inputs = Mlp.SEED003_IN * Mlp.SEED003_HIDDEN + 2 * Mlp.SEED003_HIDDEN + 1;
        }
        default -> {
          continue;
        }
      }
      JsonObject m = r.getAsJsonObject("primaryMetric");
      if (!m.get("scoreUnit").getAsString().equals("us/op")) {
        throw new IllegalArgumentException("expected us/op, got " + m.get("scoreUnit"));
      }
      List<Double> raw = new ArrayList<>();
      for (JsonElement fork : m.getAsJsonArray("rawData")) {
        for (JsonElement it : fork.getAsJsonArray()) {
          raw.add(it.getAsDouble());
        }
      }
      double min = raw.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
      double max = raw.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
      double median = m.getAsJsonObject("scorePercentiles").get("50.0").getAsDouble();
      double error = m.get("scoreError").getAsDouble();
      double bytes = Double.NaN;
      if (r.has("secondaryMetrics") && r.getAsJsonObject("secondaryMetrics").has("gc.alloc.rate.norm")) {
        bytes = r.getAsJsonObject("secondaryMetrics").getAsJsonObject("gc.alloc.rate.norm").get("score").getAsDouble();
      }
      Score s = new Score(m.get("score").getAsDouble(), error, median, min, max, raw.size(), bytes);
      rows.computeIfAbsent(kernel + " " + instance, key -> new Row(kernel, instance, inputs)).scores.put(engine, s);
    }
    return new ArrayList<>(rows.values());
  }

  static String time(double us) {
    if (Double.isNaN(us)) {
      return "—";
    }
    if (us >= 1e6) {
      return String.format(Locale.ROOT, "%.2f s", us / 1e6);
    }
    if (us >= 1e3) {
      return String.format(Locale.ROOT, "%.3g ms", us / 1e3);
    }
    return String.format(Locale.ROOT, "%.3g µs", us);
  }

  static String bytes(double b) {
    if (Double.isNaN(b)) {
      return "—";
    }
    if (b >= 1 << 20) {
      return String.format(Locale.ROOT, "%.1f MB", b / (1 << 20));
    }
    if (b >= 1 << 10) {
      return String.format(Locale.ROOT, "%.1f KB", b / (1 << 10));
    }
    return String.format(Locale.ROOT, "%.0f B", b);
  }

  static String ratio(double r) {
    if (Double.isNaN(r)) {
      return "—";
    }
    return r >= 100 ? String.format(Locale.ROOT, "%.0f×", r) : String.format(Locale.ROOT, "%.2f×", r);
  }

  static String markdown(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("### Times per call (µs unless marked; one JMH run, 1 thread)\n\n");
    sb.append("Median of the measured iterations; then JMH's score (mean) ± its 99.9% error, and the range.\n\n");
    for (Row r : rows) {
      sb.append("**").append(r.label()).append("** (N = ").append(r.inputs).append(" inputs)\n\n");
      sb.append("| engine | median | score ± error | min … max | × primal | allocated / call |\n|---|---|---|---|---|---|\n");
      double primal = r.full("primal");
      for (int i = 0; i < ENGINES.length; i++) {
        Score s = r.scores.get(ENGINES[i]);
        if (s == null) {
          if (ENGINES[i].equals("hipparchus")) {
            sb.append("| ").append(ENGINE_NAMES[i]).append(" | ").append(r.noForwardMode()).append(" | | | | |\n");
          }
          continue;
        }
        String name = ENGINE_NAMES[i];
        if (ENGINES[i].equals("hipparchus")) {
          name += r.passes() == 1 ? " (full gradient, 1 pass of " + r.width() + ")"
              : " (1 pass of " + r.width() + " of " + r.passes() + ")";
        }
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.4g ± %.2g | %s … %s | %s | %s |%n", name, time(s.median()),
            s.mean(), s.error(), time(s.min()), time(s.max()), ratio(s.median() / primal), bytes(s.bytesPerOp())));
        if (ENGINES[i].equals("hipparchus") && r.passes() > 1) {
          sb.append(String.format(Locale.ROOT, "| Hipparchus, full gradient = %d × the pass (extrapolated) | %s | | | %s | |%n",
              r.passes(), time(r.full("hipparchus")), ratio(r.full("hipparchus") / primal)));
        }
      }
      sb.append('\n');
    }
    boolean nd4j = rows.stream().anyMatch(r -> r.scores.containsKey("nd4j"));
    sb.append("### Ratios (medians, same run)\n\n");
    sb.append("| kernel | N | gradient / primal | generated / hand-written | Hipparchus / ours | DJL / ours |")
        .append(nd4j ? " ND4J / ours |\n|---|---|---|---|---|---|---|\n" : "\n|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      double adj = r.full("adjoint");
      String hipparchus = r.scores.containsKey("hipparchus")
          ? ratio(r.full("hipparchus") / adj) + (r.passes() > 1 ? " (extrap.)" : "") : r.noForwardMode();
      sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |", r.label(), r.inputs,
          ratio(adj / r.full("primal")), ratio(adj / r.full("hand")), hipparchus, ratio(r.full("djl") / adj)));
      sb.append(nd4j ? " " + ratio(r.full("nd4j") / adj) + " |\n" : "\n");
    }
    sb.append("\n(\"Hipparchus / ours\", \"DJL / ours\" and \"ND4J / ours\" are how many times longer the peer takes"
        + " than the generated gradient.)\n\n");
    sb.append("### The same ratios from each benchmark's fastest iteration (less sensitive to other load on the"
        + " machine)\n\n");
    sb.append("| kernel | gradient / primal | generated / hand-written | Hipparchus / ours | DJL / ours |")
        .append(nd4j ? " ND4J / ours |\n|---|---|---|---|---|---|\n" : "\n|---|---|---|---|---|\n");
    for (Row r : rows) {
      double adj = r.best("adjoint");
      String hipparchus = r.scores.containsKey("hipparchus") ? ratio(r.best("hipparchus") / adj) : r.noForwardMode();
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |", r.label(), ratio(adj / r.best("primal")),
          ratio(adj / r.best("hand")), hipparchus, ratio(r.best("djl") / adj)));
      sb.append(nd4j ? " " + ratio(r.best("nd4j") / adj) + " |\n" : "\n");
    }
    return sb.toString();
  }

  private static double decadeBelow(double v) {
    return Math.pow(10, Math.floor(Math.log10(v)));
  }

  static void chart(List<Row> rows, Path png) throws IOException {
    List<String> categories = new ArrayList<>();
    for (Row r : rows) {
      categories.add(r.label());
    }
    CategoryChart times = new CategoryChartBuilder().width(1400).height(620)
        .title("Time per call, 1 thread (ms, log scale; Hipparchus: full gradient, extrapolated where N > "
            + GmmBenchmark.FORWARD_WIDTH + ", not run on the MLP)")
        .xAxisTitle("kernel").yAxisTitle("ms").build();
    CategoryChart ratios = new CategoryChartBuilder().width(1400).height(620)
        .title("Gradient time ÷ primal time (log scale)").xAxisTitle("kernel").yAxisTitle("× primal").build();
    for (CategoryChart c : List.of(times, ratios)) {
      c.getStyler().setYAxisLogarithmic(true);
      c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
      c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
      c.getStyler().setXAxisLabelRotation(20);
      c.getStyler().setChartBackgroundColor(Color.WHITE);
      c.getStyler().setPlotGridLinesVisible(true);
      c.getStyler().setAvailableSpaceFill(0.85);
    }
    double minTime = Double.POSITIVE_INFINITY;
    double minRatio = Double.POSITIVE_INFINITY;
    for (int i = 0; i < ENGINES.length; i++) {
      String engine = ENGINES[i];
      if (rows.stream().noneMatch(r -> r.scores.containsKey(engine))) {
        continue;
      }
      // null where an engine was not run on a kernel (Hipparchus on the MLP, ND4J elsewhere): no bar, and no
      // zero on a log axis.
      List<Double> t = new ArrayList<>();
      List<Double> q = new ArrayList<>();
      for (Row r : rows) {
        double v = r.full(engine);
        t.add(Double.isNaN(v) ? null : v / 1e3);
        q.add(Double.isNaN(v) ? null : v / r.full("primal"));
        if (v > 0) {
          minTime = Math.min(minTime, v / 1e3);
          if (i > 0) {
            minRatio = Math.min(minRatio, v / r.full("primal"));
          }
        }
      }
      times.addSeries(ENGINE_NAMES[i], categories, t).setFillColor(COLORS[i]);
      if (i > 0) {
        ratios.addSeries(ENGINE_NAMES[i], categories, q).setFillColor(COLORS[i]);
      }
    }
    times.getStyler().setYAxisMin(decadeBelow(minTime));
    ratios.getStyler().setYAxisMin(decadeBelow(minRatio));
    BitmapEncoder.saveBitmap(List.of(times, ratios), 2, 1, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
