package dev.orbit.report;

import java.awt.Color;
import java.awt.Font;

import org.knowm.xchart.style.Styler;

/**
 * The one style every chart shares: 640 px wide, sans-serif type, no title box, light grid, a colour-blind-safe
 * palette (Okabe–Ito, strongest colours first) and the legend below the plot, shown only for two or more series.
 */
final class ChartStyle {
    static final int WIDTH = 640;

    /** Okabe–Ito: blue, vermillion, bluish green, orange, sky blue, reddish purple, yellow, black. */
    static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xE69F00),
            new Color(0x56B4E9), new Color(0xCC79A7), new Color(0xF0E442), new Color(0x000000)};

    private ChartStyle() {}

    static Charts.OrbitChart chart(String title, String xLabel, String yLabel, int height) {
        Charts.OrbitChart chart = new Charts.OrbitChart(WIDTH, height);
        chart.setTitle(title);
        chart.setXAxisTitle(xLabel);
        chart.setYAxisTitle(yLabel);
        var s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setPlotGridLinesColor(new Color(0xE3E3E3));
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setSeriesColors(PALETTE);
        s.setMarkerSize(5);
        s.setXAxisTickMarkSpacingHint(90);
        return chart;
    }

    /** The legend names series; with one series the title and axes say it all. */
    static void legend(Charts.OrbitChart chart, int series) {
        chart.getStyler().setLegendVisible(series > 1);
    }
}
