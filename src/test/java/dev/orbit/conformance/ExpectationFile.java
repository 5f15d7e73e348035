package dev.orbit.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The committed list of every conformance test and its status: {@code name, category, status, reason},
 * tab-separated, '#' starts a comment. Keyed by "category/name".
 */
final class ExpectationFile {
    static final Path SOURCE = Path.of("src/test/resources/conformance/expected.tsv");

    record Entry(String category, String name, Outcome outcome) {
        String key() { return category + "/" + name; }
    }

    private ExpectationFile() {}

    static Map<String, Entry> read(Path file) {
        Map<String, Entry> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int no = 0;
        for (String line : lines) {
            no++;
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t", -1);
            if (f.length != 4) throw new IllegalStateException(file + ":" + no + ": expected 4 tab-separated fields");
            var status = Outcome.Status.parse(f[2]);
            var e = new Entry(f[1], f[0], new Outcome(status, f[3]));
            if (out.put(e.key(), e) != null) throw new IllegalStateException(file + ":" + no + ": " + e.key() + " listed twice");
        }
        return out;
    }

    static void write(Path file, Map<SuiteCase, Outcome> results) {
        StringBuilder b = new StringBuilder();
        b.append("# ONNX backend conformance suite (Debian libonnx-testdata, ONNX 1.12) through Orbit's importer and evaluator.\n");
        b.append("# Written by ConformanceTest with -Dconformance.update=true; see docs/CONFORMANCE.md.\n");
        b.append("# test\tcategory\tstatus\treason\n");
        for (var e : results.entrySet()) {
            b.append(e.getKey().name()).append('\t').append(e.getKey().category()).append('\t')
                    .append(e.getValue().status().label).append('\t').append(e.getValue().reason()).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
