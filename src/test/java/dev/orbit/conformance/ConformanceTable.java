package dev.orbit.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the conformance suite through Orbit and through ONNX Runtime (same files, same rule, same JVM) and writes
 * the comparison table for docs/CONFORMANCE.md: {@code target/conformance/table.md}, plus both backends' outcomes
 * as TSV. Not a test: {@code bench/conformance-vs-ort.sh [threads]} runs it.
 */
public final class ConformanceTable {
    private ConformanceTable() {}

    public static void main(String[] args) throws IOException {
        Path root = SuiteCase.locateRoot().orElseThrow(() ->
                new IllegalStateException("ONNX conformance suite not installed (apt-get install libonnx-testdata)"));
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        List<SuiteCase> tests = SuiteCase.all(root);
        long t0 = System.nanoTime();
        var orbit = SuiteRun.run(new OrbitBackend(), tests, SuiteRun.BUDGET_SECONDS);
        long t1 = System.nanoTime();
        var ort = SuiteRun.run(new OrtBackend(threads), tests, SuiteRun.BUDGET_SECONDS);
        long t2 = System.nanoTime();
        Path out = Path.of("target/conformance");
        Files.createDirectories(out);
        ExpectationFile.write(out.resolve("orbit.tsv"), orbit);
        ExpectationFile.write(out.resolve("ort.tsv"), ort);
        String md = table(tests, orbit, ort) + String.format(java.util.Locale.ROOT,
                "%nOrbit took %.0f s, ONNX Runtime %.0f s (%d threads).%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, threads);
        Files.writeString(out.resolve("table.md"), md);
        System.out.print(md);
    }

    static String table(List<SuiteCase> tests, Map<SuiteCase, Outcome> orbit, Map<SuiteCase, Outcome> ort) {
        Map<String, int[]> rows = new TreeMap<>();
        int[] total = new int[4];
        for (SuiteCase t : tests) {
            int[] r = rows.computeIfAbsent(t.category(), k -> new int[4]);
            boolean a = orbit.get(t).passed();
            boolean b = ort.get(t).passed();
            int[] inc = {1, a ? 1 : 0, b ? 1 : 0, a && b ? 1 : 0};
            for (int i = 0; i < 4; i++) {
                r[i] += inc[i];
                total[i] += inc[i];
            }
        }
        StringBuilder s = new StringBuilder("| category | tests | Orbit passes | ORT passes | both |\n|---|---:|---:|---:|---:|\n");
        rows.forEach((cat, r) -> s.append(row(cat, r)));
        s.append(row("**all**", total));

        s.append("\n### Orbit not yet, by cause (ORT passes / ORT fails too)\n\n| cause | tests | ORT passes | ORT fails |\n|---|---:|---:|---:|\n");
        Map<String, int[]> causes = new TreeMap<>();
        Map<String, int[]> ops = new TreeMap<>();
        for (SuiteCase t : tests) {
            Outcome o = orbit.get(t);
            if (o.passed()) continue;
            boolean ortPass = ort.get(t).passed();
            int[] c = causes.computeIfAbsent(Causes.of(o.reason()), k -> new int[3]);
            c[0]++;
            c[ortPass ? 1 : 2]++;
            for (String op : Causes.missingOps(o.reason())) {
                int[] n = ops.computeIfAbsent(op, k -> new int[2]);
                n[0]++;
                if (ortPass) n[1]++;
            }
        }
        sortedByCount(causes).forEach((k, c) -> s.append("| ").append(k).append(" | ").append(c[0]).append(" | ")
                .append(c[1]).append(" | ").append(c[2]).append(" |\n"));

        s.append("\n### Missing ops by the tests that need them (of those, ORT passes)\n\n");
        StringBuilder line = new StringBuilder();
        sortedByCount(ops).forEach((op, n) -> line.append(line.isEmpty() ? "" : ", ").append(op).append(' ')
                .append(n[0]).append(" (").append(n[1]).append(')'));
        s.append(line).append("\n");

        s.append("\n### ONNX Runtime not passing, by cause\n\n| cause | tests | Orbit passes |\n|---|---:|---:|\n");
        Map<String, int[]> ortCauses = new TreeMap<>();
        for (SuiteCase t : tests) {
            Outcome o = ort.get(t);
            if (o.passed()) continue;
            int[] c = ortCauses.computeIfAbsent(Causes.of(o.reason()), k -> new int[2]);
            c[0]++;
            if (orbit.get(t).passed()) c[1]++;
        }
        sortedByCount(ortCauses).forEach((k, c) -> s.append("| ").append(k).append(" | ").append(c[0]).append(" | ")
                .append(c[1]).append(" |\n"));

        s.append("\n### Orbit passes, ONNX Runtime does not\n\n");
        for (SuiteCase t : tests) {
            if (orbit.get(t).passed() && !ort.get(t).passed()) {
                s.append("- ").append(t).append(": ").append(ort.get(t).reason()).append('\n');
            }
        }
        s.append("\n### ONNX Runtime passes, Orbit does not (not a missing op)\n\n");
        for (SuiteCase t : tests) {
            Outcome o = orbit.get(t);
            if (!o.passed() && ort.get(t).passed() && Causes.missingOps(o.reason()).isEmpty()) {
                s.append("- ").append(t).append(": ").append(o.reason()).append('\n');
            }
        }
        return s.toString();
    }

    private static String row(String name, int[] r) {
        return "| " + name + " | " + r[0] + " | " + r[1] + " | " + r[2] + " | " + r[3] + " |\n";
    }

    private static Map<String, int[]> sortedByCount(Map<String, int[]> m) {
        Map<String, int[]> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted((x, y) -> x.getValue()[0] != y.getValue()[0]
                        ? Integer.compare(y.getValue()[0], x.getValue()[0]) : x.getKey().compareTo(y.getKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
