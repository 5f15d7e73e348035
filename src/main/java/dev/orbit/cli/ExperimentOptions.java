package dev.orbit.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Options every experiment shares: the output folder and the seconds-long --quick mode for tests. */
final class ExperimentOptions {
    @Option(names = "--quick", description = "A seconds-long version of the experiment, for tests.")
    boolean quick;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Folder for result.json, report.html and index.html.")
    Path output;

    /** The model an experiment studies: {@code --model} or the bundled classifier. */
    static final class ModelChoice {
        @Option(names = "--model", paramLabel = "MODEL", description = "A trained MNIST classifier (default: the bundled one).")
        Path model;

        /** The file name for an experiment's configuration; null for the bundled classifier. */
        String file() {
            return model == null ? null : model.toString();
        }
    }
}
