package dev.orbit.report;

import java.util.List;
import java.util.stream.Stream;

/** Plain-text tables for terminals: left-aligned columns separated by two spaces, trailing blanks stripped. */
public final class TextTable {
    private TextTable() {}

    public static String of(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) w[i] = header.get(i).length();
        for (var r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder b = new StringBuilder();
        for (var r : Stream.concat(Stream.of(header), rows.stream()).toList()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                line.append(r.get(i));
                if (i < w.length - 1) line.append(" ".repeat(w[i] - r.get(i).length() + 2));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
