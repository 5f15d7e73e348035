package dev.orbit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one-minute load average, printed beside every benchmark figure: on a shared machine it says what a time means. */
final class LoadAverage {
    private LoadAverage() {}

    static double now() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN; // not Linux: the figure is printed as NaN rather than failing the benchmark
        }
    }
}
