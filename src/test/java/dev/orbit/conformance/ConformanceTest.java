package dev.orbit.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Runs the ONNX backend conformance suite (Debian's libonnx-testdata, installed by .ci/run) through Orbit's
 * importer and evaluator and holds the result to the committed expectation file: it fails when a test listed as
 * passing stops passing, when a test listed as not-yet now passes (update the list), and when the suite and the
 * list disagree on which tests exist. Skipped where the suite is not installed.
 * <p>
 * {@code -Dconformance.update=true} rewrites src/test/resources/conformance/expected.tsv from this run;
 * {@code -Dconformance.filter=REGEX} runs only the tests whose "category/name" matches.
 */
class ConformanceTest {
    @Test
    void suiteMatchesTheExpectationFile() {
        var root = SuiteCase.locateRoot();
        assumeTrue(root.isPresent(), "ONNX conformance suite not installed (apt-get install libonnx-testdata, "
                + "or set ORBIT_ONNX_TESTDATA): ConformanceTest skipped");
        String filter = System.getProperty("conformance.filter", "");
        boolean update = Boolean.getBoolean("conformance.update");
        Pattern p = filter.isEmpty() ? null : Pattern.compile(filter);
        List<SuiteCase> tests = SuiteCase.all(root.get()).stream()
                .filter(t -> p == null || p.matcher(t.toString()).find()).toList();

        long start = System.nanoTime();
        Map<SuiteCase, Outcome> results = SuiteRun.run(new OrbitBackend(), tests, SuiteRun.BUDGET_SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(summary(results, seconds));

        if (update) {
            if (p != null) throw new IllegalArgumentException("conformance.update rewrites the whole list: drop conformance.filter");
            ExpectationFile.write(ExpectationFile.SOURCE, results);
            System.out.println("conformance: wrote " + ExpectationFile.SOURCE);
            return;
        }
        assertTrue(Files.isRegularFile(ExpectationFile.SOURCE), "missing " + ExpectationFile.SOURCE);
        var expected = ExpectationFile.read(ExpectationFile.SOURCE);
        List<String> problems = new ArrayList<>();
        for (var e : results.entrySet()) {
            var listed = expected.get(e.getKey().toString());
            Outcome got = e.getValue();
            if (listed == null) {
                problems.add(e.getKey() + ": not in the expectation file (now " + got.status().label + ")");
            } else if (listed.outcome().passed() && !got.passed()) {
                problems.add(e.getKey() + ": listed as pass, now fails: " + got.reason());
            } else if (!listed.outcome().passed() && got.passed()) {
                problems.add(e.getKey() + ": now passes but is listed as not-yet (" + listed.outcome().reason()
                        + "): update the list");
            }
        }
        if (p == null) {
            var ran = results.keySet().stream().map(SuiteCase::toString).collect(java.util.stream.Collectors.toSet());
            for (String k : expected.keySet()) if (!ran.contains(k)) problems.add(k + ": listed but not in the suite");
        }
        assertTrue(problems.isEmpty(), problems.size() + " conformance differences (rerun with -Dconformance.update=true"
                + " after checking them):\n  " + String.join("\n  ", problems));
    }

    /** "conformance: 1072 tests in 95 s; pass 447, not-yet 625; node 380/932, ..." */
    static String summary(Map<SuiteCase, Outcome> results, double seconds) {
        Map<String, int[]> perCategory = new TreeMap<>();
        int pass = 0;
        for (var e : results.entrySet()) {
            int[] c = perCategory.computeIfAbsent(e.getKey().category(), k -> new int[2]);
            c[1]++;
            if (e.getValue().passed()) {
                c[0]++;
                pass++;
            }
        }
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
                "conformance: %d tests in %.0f s; pass %d, not-yet %d;", results.size(), seconds, pass, results.size() - pass));
        perCategory.forEach((cat, c) -> b.append(' ').append(cat).append(' ').append(c[0]).append('/').append(c[1])
                .append(" pass, ").append(c[1] - c[0]).append(" not-yet;"));
        return b.toString();
    }
}
