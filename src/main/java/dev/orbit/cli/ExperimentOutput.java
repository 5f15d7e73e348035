package dev.orbit.cli;

import dev.orbit.report.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.orbit.io.AtomicFiles;
import dev.orbit.report.HtmlReport;

/** Where an experiment writes: DIR/result.json, DIR/report.html and an index page linking to the report. */
final class ExperimentOutput {
    private ExperimentOutput() {}

    static void prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AtomicFiles.OutputException("cannot create output folder '" + dir + "': " + e.getMessage());
        }
    }

    /** The line a command prints after writing. */
    static String wrote(Path dir) {
        return "wrote " + dir.resolve("result.json") + ", " + dir.resolve("report.html") + ", " + dir.resolve("index.html");
    }

    static void write(Path dir, String name, String summary, Object result, HtmlReport report) {
        AtomicFiles.writeString(dir.resolve("result.json"), Json.write(result) + "\n");
        report.write(dir.resolve("report.html"));
        new HtmlReport("Orbit experiments").link("report.html", name + ": " + summary).write(dir.resolve("index.html"));
    }
}
