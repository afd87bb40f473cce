package io.voicecoach.bench.load;

import com.fasterxml.jackson.databind.JsonNode;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The scaling curve as a PNG, drawn with Java2D (no network, no library): on top the headline latency's p50, p95
 * and p99 against concurrent calls, both axes logarithmic; below, the CPU cores each process used. One run or several
 * (e.g. typed and spoken turns) in one picture: a colour per run on top, a colour per process below, a dash per run.
 * <p>
 * {@code java ... io.voicecoach.bench.load.ScalingChart out.png run.json [more.json ...]} redraws it from the JSON
 * that {@link LoadBench} wrote.
 */
public final class ScalingChart {

    /** A line: points (x, y) in data units. */
    record Series(String name, Color color, Stroke stroke, List<double[]> points) {
    }

    /** One run's levels as read from its JSON: label, and per level calls, headline p50/p95/p99, cores by process. */
    record Run(String label, List<JsonNode> levels, String headline) {
    }

    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0x17becf)};
    private static final float[][] DASHES = {null, {8, 5}, {2, 4}, {10, 4, 2, 4}};
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 820;
    private static final int LEGEND = 290;

    public static void main(String[] args) throws IOException {
        Locale.setDefault(Locale.ROOT);
        if (args.length < 2) {
            System.err.println("usage: ScalingChart out.png run.json [more.json ...]");
            System.exit(2);
        }
        var runs = new ArrayList<Run>();
        for (int i = 1; i < args.length; i++) {
            var document = Report.JSON.readTree(Path.of(args[i]).toFile());
            runs.add(run(document));
        }
        write(runs, Path.of(args[0]));
        System.out.println("wrote " + args[0]);
    }

    static void write(List<LevelResult> levels, boolean agent, Path png) throws IOException {
        var document = Report.JSON.valueToTree(java.util.Map.of("run", java.util.Map.of("mode",
                agent ? "agent" : "coach"), "levels", levels));
        write(List.of(run(document)), png);
    }

    private static Run run(JsonNode document) {
        var levels = new ArrayList<JsonNode>();
        document.path("levels").forEach(levels::add);
        String label = levels.isEmpty() ? "run" : levels.getFirst().path("label").asText("run");
        boolean agent = "agent".equals(document.path("run").path("mode").asText());
        return new Run(label, levels, agent ? Hop.AGENT_FIRST_DELTA.name() : Hop.END_TO_END.name());
    }

    static void write(List<Run> runs, Path png) throws IOException {
        var latency = new ArrayList<Series>();
        var cpu = new ArrayList<Series>();
        var processes = new TreeSet<String>();
        runs.forEach(run -> run.levels().forEach(level -> level.path("services").fieldNames()
                .forEachRemaining(processes::add)));
        var processList = List.copyOf(processes);
        for (int r = 0; r < runs.size(); r++) {
            var run = runs.get(r);
            String[] quantiles = {"p50", "p95", "p99"};
            for (int q = 0; q < quantiles.length; q++) {
                var points = new ArrayList<double[]>();
                for (var level : run.levels()) {
                    var hop = level.path("latency").path(run.headline());
                    double value = hop.path(quantiles[q]).asDouble(Double.NaN);
                    if (hop.isObject() && value > 0) {
                        points.add(new double[] {level.path("calls").asDouble(), value});
                    }
                }
                latency.add(new Series(run.label() + " " + quantiles[q], COLOURS[r % COLOURS.length],
                        stroke(q, 2.2f), points));
            }
            for (int p = 0; p < processList.size(); p++) {
                var points = new ArrayList<double[]>();
                for (var level : run.levels()) {
                    var usage = level.path("services").path(processList.get(p));
                    if (usage.isObject()) {
                        points.add(new double[] {level.path("calls").asDouble(), usage.path("cpuCores").asDouble()});
                    }
                }
                cpu.add(new Series((runs.size() > 1 ? run.label() + " " : "") + processList.get(p),
                        COLOURS[p % COLOURS.length], stroke(r, 1.8f), points));
            }
        }
        var image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        String headline = runs.getFirst().headline().equals(Hop.END_TO_END.name())
                ? "end-to-end latency (speaker stops / turn sent -> suggestion on screen)"
                : "caller stops -> first reply text delta";
        panel(g, new Rectangle(80, 40, WIDTH - 100 - LEGEND, 360), headline, "ms (log)", true, latency);
        panel(g, new Rectangle(80, 470, WIDTH - 100 - LEGEND, 300), "CPU per process", "cores", false, cpu);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("concurrent calls (log)", 80 + (WIDTH - 100 - LEGEND) / 2 - 60, HEIGHT - 12);
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    private static Stroke stroke(int style, float width) {
        float[] dash = DASHES[style % DASHES.length];
        return dash == null ? new BasicStroke(width)
                : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, dash, 0);
    }

    /** Axes, grid and lines with dots in {@code area}, the legend to its right; x is always logarithmic (calls). */
    static void panel(Graphics2D g, Rectangle area, String title, String yLabel, boolean logY, List<Series> series) {
        var all = series.stream().flatMap(s -> s.points().stream()).toList();
        double xMin = all.stream().mapToDouble(p -> p[0]).min().orElse(1);
        double xMax = all.stream().mapToDouble(p -> p[0]).max().orElse(10);
        double yMin = logY ? all.stream().mapToDouble(p -> p[1]).filter(v -> v > 0).min().orElse(1) : 0;
        double yMax = all.stream().mapToDouble(p -> p[1]).max().orElse(1);
        var x = new Axis(xMin, xMax, true);
        var y = new Axis(yMin, Math.max(yMax, yMin * 1.01 + (logY ? 0 : 0.01)), logY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(title, area.x, area.y - 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double tick : y.ticks()) {
            int py = area.y + area.height - (int) Math.round(y.fraction(tick) * area.height);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(area.x, py, area.x + area.width, py);
            g.setColor(Color.DARK_GRAY);
            String label = label(tick);
            g.drawString(label, area.x - 8 - g.getFontMetrics().stringWidth(label), py + 4);
        }
        for (double tick : x.ticks()) {
            int px = area.x + (int) Math.round(x.fraction(tick) * area.width);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(px, area.y, px, area.y + area.height);
            g.setColor(Color.DARK_GRAY);
            String label = label(tick);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, area.y + area.height + 16);
        }
        g.setColor(Color.BLACK);
        g.drawRect(area.x, area.y, area.width, area.height);
        g.drawString(yLabel, 8, area.y - 12);
        var oldClip = g.getClip();
        g.setClip(area.x - 4, area.y - 4, area.width + 8, area.height + 8);
        for (var line : series) {
            g.setColor(line.color());
            g.setStroke(line.stroke());
            int[] last = null;
            for (var point : line.points()) {
                int px = area.x + (int) Math.round(x.fraction(point[0]) * area.width);
                int py = area.y + area.height - (int) Math.round(y.fraction(point[1]) * area.height);
                if (last != null) {
                    g.drawLine(last[0], last[1], px, py);
                }
                g.fillOval(px - 3, py - 3, 7, 7);
                last = new int[] {px, py};
            }
        }
        g.setClip(oldClip);
        g.setStroke(new BasicStroke(1));
        int row = 0;
        for (var line : series) {
            if (line.points().isEmpty()) {
                continue;
            }
            int ly = area.y + 10 + row * 15;
            int lx = area.x + area.width + 16;
            g.setColor(line.color());
            g.setStroke(line.stroke());
            g.drawLine(lx, ly - 4, lx + 30, ly - 4);
            g.setStroke(new BasicStroke(1));
            g.setColor(Color.BLACK);
            g.drawString(line.name(), lx + 36, ly);
            row++;
        }
    }

    private static String label(double value) {
        if (value >= 10 || value == Math.rint(value)) {
            return String.format("%,.0f", value);
        }
        return java.math.BigDecimal.valueOf(value).round(new java.math.MathContext(2)).stripTrailingZeros()
                .toPlainString();
    }

    /** A linear or log10 axis with round ticks (1, 2, 5 x 10^k). */
    record Axis(double min, double max, boolean log) {

        Axis {
            if (log) {
                min = Math.pow(10, Math.floor(Math.log10(min)));
                max = Math.pow(10, Math.ceil(Math.log10(max * 1.0001)));
            } else {
                max = niceStep(max / 5) * Math.ceil(max / niceStep(max / 5));
            }
        }

        double fraction(double value) {
            return log ? (Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                    : (value - min) / (max - min);
        }

        List<Double> ticks() {
            var ticks = new ArrayList<Double>();
            if (log) {
                for (double decade = min; decade <= max * 1.0001; decade *= 10) {
                    for (double m : new double[] {1, 2, 5}) {
                        if (decade * m <= max * 1.0001) {
                            ticks.add(decade * m);
                        }
                    }
                }
            } else {
                double step = niceStep((max - min) / 5);
                for (double tick = min; tick <= max + step / 1000; tick += step) {
                    ticks.add(tick);
                }
            }
            return ticks;
        }

        private static double niceStep(double raw) {
            if (raw <= 0) {
                return 1;
            }
            double decade = Math.pow(10, Math.floor(Math.log10(raw)));
            for (double m : new double[] {1, 2, 5, 10}) {
                if (m * decade >= raw) {
                    return m * decade;
                }
            }
            return 10 * decade;
        }
    }

    private ScalingChart() {
    }
}
