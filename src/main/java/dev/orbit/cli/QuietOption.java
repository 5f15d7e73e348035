package dev.orbit.cli;

import picocli.CommandLine.Option;

/** {@code --quiet}: no progress bar. */
final class QuietOption {
    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;
}
