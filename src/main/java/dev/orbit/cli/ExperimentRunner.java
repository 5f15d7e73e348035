package dev.orbit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import dev.orbit.experiment.Experiment;
import dev.orbit.experiment.ExperimentFiles;
import dev.orbit.experiment.Verdict;

/** Runs an experiment for a command: progress bars, result files, the printed summary and the exit code. */
final class ExperimentRunner {
    private ExperimentRunner() {}

    /** Runs with progress bars and log lines; {@code folder} (may be null) receives the run's extra files. */
    static <C, R> R run(Experiment<C, R> e, C config, Path folder, PrintWriter out) {
        return run(e, config, folder, out, true, true);
    }

    /** Runs with progress bars ({@code bars}) and log lines on {@code out} ({@code logs}). */
    static <C, R> R run(Experiment<C, R> e, C config, Path folder, PrintWriter out, boolean bars, boolean logs) {
        try (TerminalContext context = new TerminalContext(folder, out, bars, logs)) {
            return e.run(config, context);
        }
    }

    /** The usual shape: create the folder, run, write result.json/report.html/index.html, print the summary. */
    static <C, R> int runAndWrite(picocli.CommandLine.Model.CommandSpec spec, Experiment<C, R> e, C config, Path folder) {
        ExperimentFiles.prepare(folder);
        PrintWriter out = spec.commandLine().getOut();
        R r = run(e, config, folder, out);
        ExperimentFiles.write(folder, e, r);
        out.print(e.summary(r));
        out.println(ExperimentFiles.wrote(folder));
        out.flush();
        return exitCode(e.verdict(r));
    }

    static int exitCode(Verdict v) {
        return switch (v) {
            case PASSED -> ExitCodes.OK;
            case FAILED -> ExitCodes.VERIFY_FAILED;
            case NON_FINITE -> ExitCodes.NUMERIC;
        };
    }
}
