package dev.orbit.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** Charts rendered by XChart as SVG text, to be inlined in a self-contained HTML report. */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** A histogram of {@code values} with {@code bins} equal-width bins between their min and max. */
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
        List<String> centres = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            centres.add(String.format("%.3g", lo + (b + 0.5) * width));
            ys.add(counts[b]);
        }
        CategoryChart chart = new CategoryChartBuilder().width(640).height(360).title(title).xAxisTitle(xLabel)
                .yAxisTitle("count").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.98);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.addSeries("count", centres, ys);
        return svg(chart);
    }

    /** A curve of means with ±std error bars. */
    public static String lineWithSpread(String title, String xLabel, String yLabel, double[] x, double[] mean, double[] std) {
        org.knowm.xchart.XYChart chart = new org.knowm.xchart.XYChartBuilder().width(640).height(360).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setXAxisDecimalPattern("0.00");
        chart.addSeries("mean ± std", x, mean, std);
        return svg(chart);
    }

    /** Several named curves over the same x values. */
    public static String lines(String title, String xLabel, String yLabel, double[] x, java.util.Map<String, double[]> series) {
        org.knowm.xchart.XYChart chart = new org.knowm.xchart.XYChartBuilder().width(640).height(360).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("0.##");
        series.forEach((name, y) -> chart.addSeries(name, x, y));
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
    public static String logLog(String title, String xLabel, String yLabel, java.util.List<Series> series) {
        org.knowm.xchart.XYChart chart = new org.knowm.xchart.XYChartBuilder().width(640).height(400).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        // a long legend would cover the data: beyond four series it goes beside the plot
        chart.getStyler().setLegendPosition(series.size() > 4 ? Styler.LegendPosition.OutsideE : Styler.LegendPosition.InsideSW);
        chart.getStyler().setMarkerSize(6);
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
            var added = chart.addSeries(s.name(), xs, ys);
            switch (s.style()) {
                case POINTS -> added.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
                case LINE -> {
                    added.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Line);
                    added.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
                }
                case LINE_AND_POINTS -> {
                    added.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Line);
                    added.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
                }
            }
        }
        return svg(chart);
    }

    /** Densely sampled curves over the same x values, drawn as plain lines (no point markers: smaller SVG). */
    public static String smoothLines(String title, String xLabel, String yLabel, double[] x, java.util.Map<String, double[]> series) {
        org.knowm.xchart.XYChart chart = new org.knowm.xchart.XYChartBuilder().width(640).height(360).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("0.##");
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        series.forEach((name, y) -> chart.addSeries(name, x, y).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE));
        return svg(chart);
    }

    public static String svg(Chart<?, ?> chart) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            String s = out.toString(StandardCharsets.UTF_8);
            int start = s.indexOf("<svg");
            // drop the XML prolog and doctype (the SVG sits inside HTML), and round coordinates to 1/100 px: XChart
            // writes text as glyph outlines with up to 7 decimals, and rounding cuts a chart by about a third
            return roundDecimals(start >= 0 ? s.substring(start) : s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final java.util.regex.Pattern LONG_DECIMAL = java.util.regex.Pattern.compile("-?\\d+\\.\\d{3,}");

    static String roundDecimals(String svg) {
        return LONG_DECIMAL.matcher(svg).replaceAll(m -> java.math.BigDecimal.valueOf(Double.parseDouble(m.group()))
                .setScale(2, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString());
    }
}
