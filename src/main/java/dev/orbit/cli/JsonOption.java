package dev.orbit.cli;

import picocli.CommandLine.Option;

/** {@code --json}: print one JSON object instead of text (the description per command in {@code Options.properties}). */
final class JsonOption {
    @Option(names = "--json", descriptionKey = "json", description = "Print one JSON object.")
    boolean json;
}
