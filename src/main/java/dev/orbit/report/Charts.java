package dev.orbit.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts rendered by XChart as SVG text, to be inlined in a self-contained HTML report. Every chart is an x–y chart
 * with numeric axes in one shared style ({@link ChartStyle}): the same size, fonts, palette and grid, a legend below
 * the plot when there are two or more series. The SVG root carries an {@code aria-label} naming the chart, its axes
 * and the x tick labels XChart drew (XChart draws text as glyph outlines, so this is the text a reader or a test gets).
 */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * A histogram of {@code values} with {@code bins} equal-width bins between their min and max, drawn as filled steps
     * over a numeric x axis (ticks at round values, not one label per bin). Non-finite values are skipped.
     */
    public static String histogram(String title, String xLabel, double[] values, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isFinite(v)) continue;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!(lo <= hi)) {
            lo = 0;
            hi = 1;
        }
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        double width = (hi - lo) / bins;
        double[] counts = new double[bins];
        for (double v : values) {
            if (!Double.isFinite(v)) continue;
            counts[Math.min(bins - 1, (int) ((v - lo) / width))]++;
        }
        // the outline of the bars: up at each left edge, across the bin, down at the last right edge
        double[] x = new double[2 * bins + 2];
        double[] y = new double[2 * bins + 2];
        x[0] = lo;
        for (int b = 0; b < bins; b++) {
            x[2 * b + 1] = lo + b * width;
            y[2 * b + 1] = counts[b];
            x[2 * b + 2] = lo + (b + 1) * width;
            y[2 * b + 2] = counts[b];
        }
        x[2 * bins + 1] = hi;
        OrbitChart chart = ChartStyle.chart(title, xLabel, "count", 360);
        XYSeries s = chart.addSeries("count", x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        s.setMarker(SeriesMarkers.NONE);
        ChartStyle.legend(chart, 1);
        return svg(chart);
    }

    /** A curve of means with ±std error bars. */
    public static String lineWithSpread(String title, String xLabel, String yLabel, double[] x, double[] mean, double[] std) {
        OrbitChart chart = ChartStyle.chart(title, xLabel, yLabel, 360);
        chart.addSeries("mean ± std", x, mean, std);
        ChartStyle.legend(chart, 1);
        return svg(chart);
    }

    /** Several named curves (with point markers) over the same x values. */
    public static String lines(String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series) {
        OrbitChart chart = ChartStyle.chart(title, xLabel, yLabel, 360);
        series.forEach((name, y) -> chart.addSeries(name, x, y));
        ChartStyle.legend(chart, series.size());
        return svg(chart);
    }

    /** One series of {@link #logLog}: markers only (a binned density), a line (a fitted curve), or both (measurements). */
    public record Series(String name, double[] x, double[] y, Style style) {
        public enum Style { POINTS, LINE, LINE_AND_POINTS }

        public static Series points(String name, double[] x, double[] y) { return new Series(name, x, y, Style.POINTS); }

        public static Series curve(String name, double[] x, double[] y) { return new Series(name, x, y, Style.LINE); }

        public static Series connected(String name, double[] x, double[] y) { return new Series(name, x, y, Style.LINE_AND_POINTS); }
    }

    /**
     * Points and curves on log-log axes (ESDs with fitted laws). Non-positive or non-finite points are dropped (a log
     * axis cannot show them); a series left empty is not drawn.
     */
    public static String logLog(String title, String xLabel, String yLabel, List<Series> series) {
        OrbitChart chart = ChartStyle.chart(title, xLabel, yLabel, 400);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        int drawn = 0;
        for (Series s : series) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                if (s.x()[i] > 0 && s.y()[i] > 0 && Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    xs.add(s.x()[i]);
                    ys.add(s.y()[i]);
                }
            }
            if (xs.isEmpty()) continue;
            drawn++;
            var added = chart.addSeries(s.name(), xs, ys);
            switch (s.style()) {
                case POINTS -> added.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                case LINE -> {
                    added.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    added.setMarker(SeriesMarkers.NONE);
                }
                case LINE_AND_POINTS -> {
                    added.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    added.setMarker(SeriesMarkers.CIRCLE);
                }
            }
        }
        ChartStyle.legend(chart, drawn);
        return svg(chart);
    }

    /** Densely sampled curves over the same x values, drawn as plain lines (no point markers: smaller SVG). */
    public static String smoothLines(String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series) {
        OrbitChart chart = ChartStyle.chart(title, xLabel, yLabel, 360);
        series.forEach((name, y) -> chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE));
        ChartStyle.legend(chart, series.size());
        return svg(chart);
    }

    /** The chart as inline SVG, its root labelled with the title, the axes and the tick labels drawn. */
    static String svg(OrbitChart chart) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            String s = out.toString(StandardCharsets.UTF_8);
            int start = s.indexOf("<svg");
            // drop the XML prolog and doctype (the SVG sits inside HTML), and round coordinates to 1/100 px: XChart
            // writes text as glyph outlines with up to 7 decimals, and rounding cuts a chart by about a third
            String svg = roundDecimals(start >= 0 ? s.substring(start) : s);
            String label = String.format("%s; x axis: %s, ticks %s; y axis: %s", chart.getTitle(), chart.getXAxisTitle(),
                    String.join(" ", chart.xTickLabels()), chart.getYAxisTitle());
            return "<svg role=\"img\" aria-label=\"" + HtmlReport.escape(label) + "\"" + svg.substring("<svg".length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final java.util.regex.Pattern LONG_DECIMAL = java.util.regex.Pattern.compile("-?\\d+\\.\\d{3,}");

    static String roundDecimals(String svg) {
        return LONG_DECIMAL.matcher(svg).replaceAll(m -> java.math.BigDecimal.valueOf(Double.parseDouble(m.group()))
                .setScale(2, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString());
    }

    /** An x–y chart that can say which tick labels its x axis drew (read after painting). */
    static final class OrbitChart extends XYChart {
        OrbitChart(int width, int height) {
            super(width, height);
        }

        List<String> xTickLabels() { return axisPair.getXAxis().getAxisTickCalculator().getTickLabels(); }
    }
}
