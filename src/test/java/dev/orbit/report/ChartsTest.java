package dev.orbit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChartsTest {
    @Test
    void svgCoordinatesAreRoundedToHundredthsOnly() {
        assertEquals("<path d=\"M4.88,-5.84 L0,-0.1 Q12.5,3\"/>",
                Charts.roundDecimals("<path d=\"M4.875001,-5.84375 L0.001,-0.09999 Q12.5,3\"/>"));
        assertEquals("rgb(130,130,130) x=\"63.21\"", Charts.roundDecimals("rgb(130,130,130) x=\"63.2109375\""));
    }

    @Test
    void histogramSvgIsCompactAndComplete() {
        String svg = Charts.histogram("h", "x", new double[] {1, 2, 2, 3, 3, 3}, 3);
        assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>\n") || svg.trim().endsWith("</svg>"), svg.substring(0, 40));
        String drawing = svg.replaceFirst("aria-label=\"[^\"]*\"", "");
        assertTrue(!drawing.matches("(?s).*\\d\\.\\d{3,}.*"), "no coordinate keeps more than two decimals");
    }

    @Test
    void histogramsHaveANumericXAxisWithAFewRoundTicks() {
        double[] v = new double[1000];
        for (int i = 0; i < v.length; i++) v[i] = Math.sin(i) * 0.37;
        String svg = Charts.histogram("spread", "V − W", v, 40);
        var m = java.util.regex.Pattern.compile("aria-label=\"spread; x axis: V − W, ticks ([^;]*); y axis: count\"").matcher(svg);
        assertTrue(m.find(), svg.substring(0, 300));
        String[] ticks = m.group(1).split(" ");
        assertTrue(ticks.length >= 3 && ticks.length <= 12, "a few ticks, not one per bin: " + m.group(1));
        for (String t : ticks) Double.parseDouble(t);
    }
}
