package dev.orbit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;


/** A file of token ids for checkpoint calibration: one sequence per line, ids separated by spaces or commas. */
final class CheckpointTokens {
    /** Larger files are refused: calibration needs thousands of tokens, not millions. */
    static final long MAX_BYTES = 64L << 20;

    private CheckpointTokens() {}

    /** The sequences, cut to the shortest line (the reference forward runs equal lengths). */
    static long[][] read(Path file) {
        List<long[]> rows = new ArrayList<>();
        try {
            if (!Files.isRegularFile(file)) throw new UserError(ExitCodes.BAD_INPUT, file + ": no such file");
            if (Files.size(file) > MAX_BYTES) throw new UserError(ExitCodes.BAD_INPUT, file + ": larger than " + MAX_BYTES + " bytes");
            int lineNo = 0;
            for (String line : Files.readAllLines(file)) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty()) continue;
                String[] parts = t.split("[\\s,]+");
                long[] ids = new long[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    try {
                        ids[i] = Long.parseLong(parts[i]);
                    } catch (NumberFormatException e) {
                        throw new UserError(ExitCodes.BAD_INPUT, file + ": line " + lineNo + ": '" + parts[i] + "' is not a token id");
                    }
                }
                rows.add(ids);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserError(ExitCodes.BAD_INPUT, file + ": cannot read: " + e.getMessage());
        }
        if (rows.isEmpty()) throw new UserError(ExitCodes.BAD_INPUT, file + ": no token ids");
        int t = rows.stream().mapToInt(r -> r.length).min().getAsInt();
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < out.length; i++) out[i] = java.util.Arrays.copyOf(rows.get(i), t);
        return out;
    }
}
