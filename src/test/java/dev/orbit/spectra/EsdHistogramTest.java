package dev.orbit.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The log-binned density that the report plots on log-log axes. */
class EsdHistogramTest {
    @Test
    void densityIntegratesToTheShareAboveTheFloorAndMatchesAKnownLaw() {
        // 10,000 quantiles of the density 1/x on [1, e^4] (uniform in log x): 1/4 per unit of ln x
        int n = 10_000;
        double[] ev = new double[n + 100];
        for (int i = 0; i < n; i++) ev[i] = Math.exp(4.0 * (i + 0.5) / n);
        // 100 zero eigenvalues: below the floor, counted in the total but not binned
        EsdHistogram h = EsdHistogram.of(ev, 20);
        assertEquals(20, h.centres().length);
        double mass = 0, step = Math.log(h.centres()[1] / h.centres()[0]); // bins span [λ_min, λ_max]
        for (int b = 0; b < h.centres().length; b++) {
            double x = h.centres()[b];
            double width = x * (Math.exp(step / 2) - Math.exp(-step / 2));
            mass += h.density()[b] * width;
            double expected = n / (double) ev.length / (4 * x); // density in λ of a log-uniform law, times the share
            assertEquals(expected, h.density()[b], 0.02 * expected, "bin " + b);
        }
        assertEquals((double) n / ev.length, mass, 1e-9);
        assertTrue(EsdHistogram.defaultBins(100) == 20 && EsdHistogram.defaultBins(4) == 10 && EsdHistogram.defaultBins(100_000) == 60);
    }
}
