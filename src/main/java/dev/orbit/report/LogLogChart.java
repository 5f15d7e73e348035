package dev.orbit.report;

import java.util.Map;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Curves with their own x values on logarithmic axes (error against step size), as inline SVG. Values ≤ 0
 * cannot sit on a log axis: they are drawn at {@code floor} (the caller says so in the caption).
 */
public final class LogLogChart {
    private LogLogChart() {}

    /** {@code series}: name → {x[], y[]}. */
    public static String svg(String title, String xLabel, String yLabel, Map<String, double[][]> series, double floor) {
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
}
