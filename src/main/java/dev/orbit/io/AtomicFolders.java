package dev.orbit.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a whole folder (a checkpoint: shards, index, config) so that the target path holds either nothing or the
 * complete folder: everything goes into a temporary folder beside the target, {@code .TARGET.PID.RANDOM.tmp}, which
 * is renamed to the target at the end. Folders are never overwritten (a rename cannot replace a non-empty folder
 * atomically); an empty target folder is replaced. A killed process leaves its temporary folder behind; the next
 * write of the same target removes those whose process is no longer alive. (Same naming as AtomicFiles' temporary
 * files on the issue-16 branch.)
 */
public final class AtomicFolders {
    private AtomicFolders() {}

    @FunctionalInterface
    public interface Writer {
        void writeInto(Path folder) throws IOException;
    }

    public static void write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new AtomicFiles.OutputException("cannot write '" + target + "': folder " + parent + " does not exist");
        }
        String name = abs.getFileName().toString();
        Path tmp = null;
        try {
            boolean emptyTarget = false;
            if (Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                emptyTarget = Files.isDirectory(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS) && isEmpty(abs);
                if (!emptyTarget) throw new AtomicFiles.OutputException("cannot write '" + target + "': it exists (Orbit does not overwrite folders)");
            }
            for (Path stale : stale(parent, name)) deleteTree(stale);
            tmp = parent.resolve("." + name + "." + ProcessHandle.current().pid() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            Files.createDirectory(tmp);
            writer.writeInto(tmp);
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            if (emptyTarget) Files.delete(abs);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs);
            }
            tmp = null;
        } catch (FileAlreadyExistsException e) {
            throw new AtomicFiles.OutputException("cannot write '" + target + "': it appeared while writing");
        } catch (IOException e) {
            throw new AtomicFiles.OutputException("cannot write '" + target + "': " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (UncheckedIOException e) {
            throw new AtomicFiles.OutputException("cannot write '" + target + "': " + e.getCause().getMessage());
        } finally {
            if (tmp != null) {
                try {
                    deleteTree(tmp);
                } catch (IOException ignored) {
                    // best effort: a later write of this target removes it once this process is gone
                }
            }
        }
    }

    /** Temporary folders of {@code target} in {@code dir} left by processes that are no longer alive. */
    public static List<Path> stale(Path dir, String target) throws IOException {
        Pattern pattern = Pattern.compile("\\." + Pattern.quote(target) + "\\.(\\d{1,18})\\.\\d+\\.tmp");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                var m = pattern.matcher(p.getFileName().toString());
                return m.matches() && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && ProcessHandle.of(Long.parseLong(m.group(1))).map(h -> !h.isAlive()).orElse(true);
            }).toList();
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
