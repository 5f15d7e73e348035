package dev.orbit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads licence keys and id lists: small files, refused with one line when empty, too large or unreadable. */
final class KeyFiles {
    static final long MAX_KEY_BYTES = 1 << 20;

    private KeyFiles() {}

    static byte[] key(Path file) {
        try {
            if (Files.size(file) > MAX_KEY_BYTES) throw new UserError(ExitCodes.BAD_INPUT, "key file '" + file + "' is larger than 1 MiB");
            byte[] k = Files.readAllBytes(file);
            if (k.length < 16) throw new UserError(ExitCodes.BAD_INPUT, "key file '" + file + "' holds " + k.length + " bytes; use at least 16 (e.g. head -c 32 /dev/urandom)");
            return k;
        } catch (IOException e) {
            throw new UserError(ExitCodes.BAD_INPUT, "cannot read key file '" + file + "': " + e.getMessage());
        }
    }

    static List<String> ids(Path file) {
        try {
            if (Files.size(file) > MAX_KEY_BYTES * 16) throw new UserError(ExitCodes.BAD_INPUT, "id file '" + file + "' is larger than 16 MiB");
            List<String> ids = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
            if (ids.size() < 2) throw new UserError(ExitCodes.BAD_INPUT, "id file '" + file + "' must list at least two licensee ids, one per line");
            return ids;
        } catch (IOException e) {
            throw new UserError(ExitCodes.BAD_INPUT, "cannot read id file '" + file + "': " + e.getMessage());
        }
    }
}
