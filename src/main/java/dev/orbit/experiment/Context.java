package dev.orbit.experiment;

import java.nio.file.Path;

/**
 * What a run may do besides computing: report progress in phases, log lines for a person watching, and write extra
 * files (models, elements) into its folder. The command line shows progress bars and prints the log; a test or a
 * batch job passes {@link #quiet(Path)}.
 */
public interface Context {
    /** Folder for files the run writes besides result.json and the report (exported models); null: write none. */
    Path folder();

    /** Starts a phase of {@code total} steps named {@code task}. */
    void phase(String task, long total);

    /** {@code done} steps of the current phase are finished. */
    void step(long done);

    /** A line for a person watching (what is being trained, per-epoch figures). */
    void log(String line);

    /** Writes files into {@code folder} and reports nothing. */
    static Context quiet(Path folder) {
        return new Context() {
            @Override
            public Path folder() { return folder; }

            @Override
            public void phase(String task, long total) {}

            @Override
            public void step(long done) {}

            @Override
            public void log(String line) {}
        };
    }
}
