package dev.orbit.report;

import java.util.Map;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Curve charts beyond {@link Charts}: log-log curves with their own x values, and dense curves without markers. */
public final class CurveCharts {
    private CurveCharts() {}

    /**
     * Curves with their own x values on logarithmic axes (error against step size); {@code series}: name →
     * {x[], y[]}. Values ≤ 0 cannot sit on a log axis: they are drawn at {@code floor} (the caller says so).
     */
    public static String logLog(String title, String xLabel, String yLabel, Map<String, double[][]> series, double floor) {
        XYChart chart = new XYChartBuilder().width(720).height(420).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0.#E0");
        chart.getStyler().setYAxisDecimalPattern("0.#E0");
        series.forEach((name, xy) -> {
            double[] y = xy[1].clone();
            for (int i = 0; i < y.length; i++) y[i] = Math.max(y[i], floor);
            chart.addSeries(name, xy[0], y).setMarker(SeriesMarkers.CIRCLE);
        });
        return Charts.svg(chart);
    }

    /** Densely sampled curves over the same x values, drawn as plain lines (no point markers: smaller SVG). */
    public static String smooth(String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series) {
        XYChart chart = new XYChartBuilder().width(640).height(360).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("0.##");
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        series.forEach((name, y) -> chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE));
        return Charts.svg(chart);
    }
}
