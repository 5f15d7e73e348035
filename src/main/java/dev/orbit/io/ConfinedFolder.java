package dev.orbit.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import dev.orbit.graph.ModelFormatException;

/**
 * A folder whose files may be read by name, and nothing outside it. Every path that a file names (external
 * data locations, checkpoint shards) and every file Orbit looks up in a folder the user gave (data folders)
 * goes through {@link #resolve}: absolute names, {@code ..} components and names that lead outside after
 * symbolic links are resolved are refused with an {@link UnsafePathException} (exit 3). This is the check
 * whose absence made CVE-2022-25882 and CVE-2024-27318 in the ONNX library.
 *
 * <p>The check resolves the real path once and hands it back; opening it with {@link #open} refuses a symbolic
 * link in its last component, so a link swapped in after the check is not followed. A folder that another
 * process rewrites while Orbit reads it is outside what this class defends.
 */
public final class ConfinedFolder {
    private final Path root;
    private final String label;

    private ConfinedFolder(Path root, String label) {
        this.root = root;
        this.label = label;
    }

    /** The folder {@code dir} (which must exist); {@code label} says what it is in messages ("the model's folder"). */
    public static ConfinedFolder of(Path dir, String label) {
        try {
            Path real = dir.toRealPath();
            if (!Files.isDirectory(real)) throw new ModelFormatException(label + " '" + dir + "' is not a folder");
            return new ConfinedFolder(real, label);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(label + " '" + dir + "' does not exist");
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + label + " '" + dir + "': " + e.getMessage());
        }
    }

    /** The folder's real path (symbolic links resolved). */
    public Path root() { return root; }

    /**
     * The real path of the regular file {@code name} inside the folder. {@code who} names whoever asked, for the
     * message ("tensor 'w' external data").
     */
    public Path resolve(String name, String who) {
        Path candidate = lexical(name, who);
        if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelFormatException(who + ": " + Text.quote(name) + " does not exist in " + label + " " + root);
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw new UnsafePathException(who + ": " + Text.quote(name) + " is a symbolic link to nothing; refused");
        } catch (IOException e) {
            throw new ModelFormatException(who + ": cannot resolve " + Text.quote(name) + ": " + e.getMessage());
        }
        if (!real.startsWith(root)) {
            throw new UnsafePathException(who + ": " + Text.quote(name) + " resolves outside " + label
                    + " (through a symbolic link); refused");
        }
        if (!Files.isRegularFile(real)) {
            throw new ModelFormatException(who + ": " + Text.quote(name) + " is not a regular file");
        }
        return real;
    }

    /** Whether {@code name} names a file here (same rules as {@link #resolve}, but a missing file is just false). */
    public boolean contains(String name, String who) {
        return Files.exists(lexical(name, who), LinkOption.NOFOLLOW_LINKS);
    }

    /** Opens a path {@link #resolve} returned, refusing a symbolic link swapped into its last component. */
    public static java.nio.channels.FileChannel open(Path resolved) throws IOException {
        return java.nio.channels.FileChannel.open(resolved, java.nio.file.StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** The name joined to the root without touching the file system; refuses what is unsafe on its face. */
    private Path lexical(String name, String who) {
        if (name == null || name.isEmpty()) throw new UnsafePathException(who + ": an empty file name; refused");
        if (name.indexOf('\0') >= 0) throw new UnsafePathException(who + ": " + Text.quote(name) + " contains a NUL character; refused");
        if (name.startsWith("/") || name.startsWith("\\") || (name.length() > 1 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0)))) {
            throw new UnsafePathException(who + ": " + Text.quote(name) + " is an absolute path; only names inside "
                    + label + " are read");
        }
        for (String part : name.split("[/\\\\]")) {
            if (part.equals("..")) {
                throw new UnsafePathException(who + ": " + Text.quote(name) + " has a '..' component; only names inside "
                        + label + " are read");
            }
        }
        Path p;
        try {
            p = root.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw new UnsafePathException(who + ": " + Text.quote(name) + " is not a valid file name; refused");
        }
        if (p.isAbsolute() && !p.startsWith(root) || p.equals(root)) {
            throw new UnsafePathException(who + ": " + Text.quote(name) + " does not name a file inside " + label + "; refused");
        }
        return p;
    }
}
