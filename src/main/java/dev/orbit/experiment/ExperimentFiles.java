package dev.orbit.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.orbit.io.AtomicFiles;
import dev.orbit.report.HtmlReport;
import dev.orbit.report.Json;

/** Where an experiment's result goes: DIR/result.json, DIR/report.html and an index page linking to the report. */
public final class ExperimentFiles {
    private ExperimentFiles() {}

    /** Creates the folder (and its parents); {@code AtomicFiles.OutputException} when it cannot. */
    public static void prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AtomicFiles.OutputException("cannot create output folder '" + dir + "': " + e.getMessage());
        }
    }

    /** Writes result.json, report.html and index.html, each atomically. */
    public static <C, R> void write(Path dir, Experiment<C, R> experiment, R result) {
        AtomicFiles.writeString(dir.resolve("result.json"), Json.write(result) + "\n");
        experiment.report(result).write(dir.resolve("report.html"));
        new HtmlReport("Orbit experiments").link("report.html", experiment.name() + ": " + experiment.headline(result))
                .write(dir.resolve("index.html"));
    }

    /** The line a command prints after writing. */
    public static String wrote(Path dir) {
        return "wrote " + dir.resolve("result.json") + ", " + dir.resolve("report.html") + ", " + dir.resolve("index.html");
    }
}
