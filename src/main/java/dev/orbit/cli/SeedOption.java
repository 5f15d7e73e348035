package dev.orbit.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed S} (default 0). What the seed drives differs per command; the description comes from
 * {@code Options.properties} under the command's qualified name (e.g. {@code orbit.teleport.seed}).
 */
final class SeedOption {
    @Option(names = "--seed", defaultValue = "0", descriptionKey = "seed", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;
}
