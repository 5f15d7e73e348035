package dev.orbit.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.orbit.io.ReadLimits;

/**
 * What every fuzz target shares: small read limits (so that no input may take more than a few megabytes or
 * milliseconds, and any that does is a finding) and a model folder holding the external-data file the
 * external_data fixture names, so seeds with external data resolve.
 */
final class FuzzSetup {
    /** Tight on purpose: a fuzzer input that gets past them would be a bug in the limits. */
    static final ReadLimits LIMITS = new ReadLimits(16L << 20, 2_000, 200_000, 64L << 10, ReadLimits.DEFAULT_MAX_DEPTH);
    /** Largest value the budgeted evaluation runs: 1 MB keeps one evaluation in milliseconds. */
    static final long EVALUATION_BYTES = 1L << 20;

    /** The project folder: -Dorbit.root, else target/test-classes/../.. (the standalone driver runs from elsewhere). */
    static final Path ROOT = root();
    static final Path MODEL_FOLDER = modelFolder();

    private FuzzSetup() {}

    /**
     * Runs a target once on a real file before fuzzing starts, so that loading libtorch and the first JIT
     * compilation are not charged to the first fuzzer input (which would count as a hang).
     */
    static void warmUp(java.util.function.Consumer<byte[]> target, String fixture) {
        try {
            target.accept(Files.readAllBytes(ROOT.resolve(fixture)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path fixture(String name) { return ROOT.resolve("src/test/resources/fixtures").resolve(name); }

    private static Path root() {
        if (System.getProperty("orbit.root") != null) return Path.of(System.getProperty("orbit.root"));
        try {
            return Path.of(FuzzSetup.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path modelFolder() {
        try {
            dev.orbit.tensor.NativeSetup.init();
            Path dir = Files.createTempDirectory("orbit-fuzz-model");
            Files.copy(fixture("external_data.weights"), dir.resolve("external_data.weights"));
            dir.toFile().deleteOnExit();
            dir.resolve("external_data.weights").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
