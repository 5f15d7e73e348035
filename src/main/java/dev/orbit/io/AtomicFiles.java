package dev.orbit.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader sees either the old file or the complete new one, never a half-written one,
 * even when the process is killed with SIGKILL mid-write (KillNineTest holds it). The bytes go to a temporary
 * file beside the target, named {@code .TARGET.PID.RANDOM.tmp}, which is renamed over the target once complete.
 * A killed process leaves its temporary file behind; the next write of the same target deletes those whose
 * process is no longer alive, and never touches one a running process is still writing.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes to a temporary file in the target's folder, then renames it over the target. */
    public static void write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new OutputException("cannot write '" + target + "': folder " + dir + " does not exist");
        }
        if (Files.isDirectory(abs)) throw new OutputException("cannot write '" + target + "': it is a folder");
        Path tmp = null;
        try {
            removeStale(dir, abs.getFileName().toString());
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + "." + ProcessHandle.current().pid() + ".", ".tmp");
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                writer.writeTo(out);
            }
            try {
                // temporary files are private (rw-------); the result gets the usual rw-r--r--
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: keep the platform default
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new OutputException("cannot write '" + target + "': " + describe(e));
        } catch (UncheckedIOException e) {
            throw new OutputException("cannot write '" + target + "': " + describe(e.getCause()));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the next write of this target removes it once this process is gone
                }
            }
        }
    }

    /** The temporary files of {@code target} left in {@code dir} by processes that are no longer alive. */
    public static java.util.List<Path> stale(Path dir, String target) throws IOException {
        var pattern = java.util.regex.Pattern.compile("\\." + java.util.regex.Pattern.quote(target) + "\\.(\\d{1,18})\\.\\d+\\.tmp");
        try (var files = Files.list(dir)) {
            return files.filter(p -> {
                var m = pattern.matcher(p.getFileName().toString());
                return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(h -> !h.isAlive()).orElse(true);
            }).toList();
        }
    }

    private static void removeStale(Path dir, String target) throws IOException {
        for (Path p : stale(dir, target)) Files.deleteIfExists(p);
    }

    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static String describe(IOException e) {
        return switch (e) {
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.file.NoSuchFileException n -> "no such folder";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    /** An output path Orbit cannot write. */
    public static final class OutputException extends RuntimeException {
        public OutputException(String message) { super(message); }
    }
}
