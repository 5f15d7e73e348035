package dev.orbit.io.safetensors;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Resolves a file name inside a checkpoint folder, refusing names that could reach outside it: empty names, NUL
 * bytes, absolute paths, {@code ..} components, and names whose real path (symlinks resolved) is not inside the
 * folder's real path.
 *
 * <p>NOTE for the lead: a stand-in for the confinement utility of issue 16 (branch {@code security}:
 * {@code dev.orbit.io.ConfinedFolder.of(folder, "the checkpoint folder").resolve(name, who)}); switch the callers
 * ({@link SafetensorsFolder}, {@code checkpoint.Checkpoint}) to it when that lands and delete this class. The rules
 * here are the ones issue 16 lists.
 */
public final class FolderFiles {
    private FolderFiles() {}

    /** The real path of {@code name} inside {@code folder}; {@code what} names the file in messages ("shard", "index"). */
    public static Path resolve(Path folder, String name, String what) {
        if (name.isEmpty()) throw new SafetensorsFormatException(folder + ": a " + what + " has an empty file name");
        if (name.indexOf('\0') >= 0) throw new SafetensorsFormatException(folder + ": " + what + " name contains a NUL byte");
        if (name.startsWith("/") || name.startsWith("\\")) {
            throw new SafetensorsFormatException(folder + ": " + what + " '" + name + "' is an absolute path (names must stay inside the checkpoint folder)");
        }
        for (String part : name.split("[/\\\\]")) {
            if (part.equals("..")) throw new SafetensorsFormatException(folder + ": " + what + " '" + name + "' contains '..' (names must stay inside the checkpoint folder)");
        }
        try {
            Path base = folder.toRealPath();
            Path relative = Path.of(name);
            if (relative.isAbsolute()) {
                throw new SafetensorsFormatException(folder + ": " + what + " '" + name + "' is an absolute path (names must stay inside the checkpoint folder)");
            }
            Path real = base.resolve(relative).toRealPath();
            if (!real.startsWith(base) || real.equals(base)) {
                throw new SafetensorsFormatException(folder + ": " + what + " '" + name + "' resolves to " + real + ", outside the checkpoint folder");
            }
            return real;
        } catch (InvalidPathException e) {
            throw new SafetensorsFormatException(folder + ": " + what + " name '" + name + "' is not a valid path");
        } catch (NoSuchFileException e) {
            throw new SafetensorsFormatException(folder + ": " + what + " '" + name + "' does not exist");
        } catch (IOException e) {
            throw new SafetensorsFormatException(folder + ": cannot resolve " + what + " '" + name + "': " + e.getMessage(), e);
        }
    }
}
