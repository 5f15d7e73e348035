package dev.orbit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.orbit.io.AtomicFiles;

/** Checks on output paths every writing command makes. */
final class OutputPaths {
    private OutputPaths() {}

    /** A model is never overwritten by its own moved copy. */
    static void checkNotInput(Path output, Path input) {
        try {
            if (Files.exists(output) && Files.isSameFile(output, input)) {
                throw new UserError(ExitCodes.USAGE, "the output would overwrite the input model '" + input + "'; choose another -o");
            }
        } catch (IOException e) {
            throw new UserError(ExitCodes.OUTPUT, "cannot check output path '" + output + "': " + e.getMessage());
        }
    }

    /** Creates an output folder (and its parents). */
    static void folder(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AtomicFiles.OutputException("cannot create output folder '" + dir + "': " + e.getMessage());
        }
    }
}
