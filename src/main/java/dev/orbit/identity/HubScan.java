package dev.orbit.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.orbit.experiment.Context;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.report.HtmlReport;
import dev.orbit.sweep.SweepableExperiment;
import dev.orbit.sweep.TaskRandom;

/**
 * {@code scan}: fingerprints every model of a list of files ({@code orbit scan DIR|LIST}, one task per file) and
 * groups them: orbit duplicates (the same fingerprint hash on either grid, joined transitively; where a canonical form
 * is not exact, spectra agreeing to 1e-6 stand in for the hash), near duplicates (pairs
 * from different groups whose spectral similarity reaches the threshold), and files that could not be read, with their
 * error. Safetensors checkpoints are listed as skipped: a fingerprint needs the model's graph (the canonical form acts
 * on its symmetry spaces), which a bare checkpoint does not carry.
 */
public final class HubScan implements SweepableExperiment<HubScan.Config, HubScan.Result, HubScan.Task, HubScan.Part> {
    /** @param threshold spectral similarity at and above which two models are near duplicates */
    public record Config(List<String> files, double threshold) {}

    public record Task(String file) {}

    /** A file's fingerprint, or why there is none ({@code error}: unreadable; {@code skipped}: not a model Orbit fingerprints). */
    public record Part(String file, Fingerprint fingerprint, String error, String skipped, double seconds) {}

    public record Model(String file, String digest, boolean exact, double seconds) {}

    public record Unreadable(String file, String error) {}

    public record NearPair(String a, String b, double similarity) {}

    /**
     * @param groups  orbit-duplicate groups of two or more files (files in task order)
     * @param joinedBySpectra pairs joined because one side's canonical form is not exact and their spectra agree to
     *                {@link #SPECTRAL_JOIN}
     * @param seconds sum of the per-file fingerprint times (the sweep's wall time is in sweep.json)
     */
    public record Result(Config config, List<Model> models, List<List<String>> groups, List<NearPair> joinedBySpectra, List<NearPair> near,
                         List<Unreadable> unreadable, List<Unreadable> skipped, double seconds) {}

    /** Spectral similarity at which two models, one with an inexact canonical form, are put in one group. */
    public static final double SPECTRAL_JOIN = 1 - 1e-6;

    @Override
    public String name() { return "scan"; }

    @Override
    public Config defaults() { return new Config(List.of(), 0.99); }

    @Override
    public Config quick(Config c) { return c; }

    @Override
    public Result run(Config c, Context context) {
        List<Task> tasks = tasks(c);
        List<Part> parts = new ArrayList<>();
        context.phase("models", tasks.size());
        for (Task t : tasks) {
            parts.add(runTask(c, t, null));
            context.step(parts.size());
        }
        return merge(c, tasks, parts, tasks.stream().map(t -> (String) null).toList());
    }

    @Override
    public Class<Config> configType() { return Config.class; }

    @Override
    public Class<Task> taskType() { return Task.class; }

    @Override
    public Class<Part> partType() { return Part.class; }

    @Override
    public List<Task> tasks(Config c) { return c.files().stream().map(Task::new).toList(); }

    @Override
    public long seed(Task t) { return 0; }

    @Override
    public Part runTask(Config c, Task t, TaskRandom random) {
        long start = System.nanoTime();
        Path p = Path.of(t.file());
        String name = p.getFileName() == null ? t.file() : p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors")) {
            return new Part(t.file(), null, null, "safetensors checkpoint: fingerprints need the model's graph (ONNX)", 0);
        }
        if (!Files.isRegularFile(p)) return new Part(t.file(), null, "not a readable file", null, 0);
        try {
            Fingerprint f = Fingerprint.of(OnnxImporter.read(p));
            return new Part(t.file(), f, null, null, (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            // a malformed, truncated or unsupported file: its error, one line, and the scan goes on
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().lines().findFirst().orElse("");
            return new Part(t.file(), null, m, null, (System.nanoTime() - start) / 1e9);
        }
    }

    @Override
    public Result merge(Config c, List<Task> tasks, List<Part> parts, List<String> errors) {
        List<Model> models = new ArrayList<>();
        List<Fingerprint> prints = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        List<Unreadable> skipped = new ArrayList<>();
        double seconds = 0;
        for (int i = 0; i < tasks.size(); i++) {
            Part p = parts.get(i);
            String file = tasks.get(i).file();
            if (p == null) unreadable.add(new Unreadable(file, "task failed twice: " + errors.get(i)));
            else if (p.skipped() != null) skipped.add(new Unreadable(file, p.skipped()));
            else if (p.error() != null) unreadable.add(new Unreadable(file, p.error()));
            else {
                models.add(new Model(file, p.fingerprint().digest(), p.fingerprint().exact(), p.seconds()));
                prints.add(p.fingerprint());
            }
            if (p != null) seconds += p.seconds();
        }
        int n = prints.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        Map<String, Integer> byA = new LinkedHashMap<>(), byB = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Integer a = byA.putIfAbsent(prints.get(i).gridA(), i);
            if (a != null) union(parent, a, i);
            Integer b = byB.putIfAbsent(prints.get(i).gridB(), i);
            if (b != null) union(parent, b, i);
        }
        // where a canonical form is not exact (tied units, degenerate bases) its hash is not stable across copies:
        // there, spectra that agree to SPECTRAL_JOIN stand in for the hash
        List<NearPair> joined = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if ((prints.get(i).exact() && prints.get(j).exact()) || find(parent, i) == find(parent, j)) continue;
                double s = Fingerprint.compare(prints.get(i), prints.get(j)).spectralSimilarity();
                if (s >= SPECTRAL_JOIN) {
                    union(parent, i, j);
                    joined.add(new NearPair(models.get(i).file(), models.get(j).file(), s));
                }
            }
        }
        Map<Integer, List<String>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(models.get(i).file());
        List<NearPair> near = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (find(parent, i) == find(parent, j)) continue;
                double s = Fingerprint.compare(prints.get(i), prints.get(j)).spectralSimilarity();
                if (s >= c.threshold()) near.add(new NearPair(models.get(i).file(), models.get(j).file(), s));
            }
        }
        List<List<String>> dup = groups.values().stream().filter(g -> g.size() > 1).map(List::copyOf).toList();
        return new Result(c, models, dup, joined, near, unreadable, skipped, seconds);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    }

    private static void union(int[] parent, int a, int b) { parent[find(parent, b)] = find(parent, a); }

    @Override
    public HtmlReport report(Result r) {
        HtmlReport h = new HtmlReport("Orbit scan: orbit duplicates and near duplicates");
        h.paragraph(String.format(Locale.ROOT, "%d files: %d fingerprinted, %d unreadable, %d skipped. Two models are orbit duplicates when "
                + "their canonical forms hash alike on either of two offset grids (one is a permutation, scaling, teleport, GL(d) or "
                + "rotation of the other); near duplicates when their balanced-point spectra agree to a similarity of at least %.3f.",
                r.config().files().size(), r.models().size(), r.unreadable().size(), r.skipped().size(), r.config().threshold()));
        h.heading("Orbit-duplicate groups");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < r.groups().size(); i++) rows.add(List.of(Integer.toString(i + 1), Integer.toString(r.groups().get(i).size()), String.join(", ", r.groups().get(i))));
        h.table(List.of("group", "files", "members"), rows);
        if (!r.joinedBySpectra().isEmpty()) {
            h.paragraph("Joined by spectra (a canonical form was not exact, so its hash is not stable): " + r.joinedBySpectra().stream()
                    .map(p -> p.a() + " ~ " + p.b()).collect(java.util.stream.Collectors.joining("; ")));
        }
        h.heading("Near duplicates");
        h.table(List.of("a", "b", "spectral similarity"), r.near().stream()
                .map(p -> List.of(p.a(), p.b(), String.format(Locale.ROOT, "%.6f", p.similarity()))).toList());
        h.heading("Unreadable files");
        h.table(List.of("file", "error"), r.unreadable().stream().map(u -> List.of(u.file(), u.error())).toList());
        if (!r.skipped().isEmpty()) {
            h.heading("Skipped");
            h.table(List.of("file", "why"), r.skipped().stream().map(u -> List.of(u.file(), u.error())).toList());
        }
        h.heading("Fingerprints");
        h.table(List.of("file", "fingerprint", "canonical form", "seconds"), r.models().stream()
                .map(m -> List.of(m.file(), m.digest(), m.exact() ? "exact" : "not exact (tied units or degenerate bases)",
                        String.format(Locale.ROOT, "%.2f", m.seconds()))).toList());
        return h;
    }

    @Override
    public String headline(Result r) {
        return String.format(Locale.ROOT, "%d models, %d orbit-duplicate groups, %d near-duplicate pairs, %d unreadable",
                r.models().size(), r.groups().size(), r.near().size(), r.unreadable().size());
    }

    @Override
    public String summary(Result r) {
        StringBuilder b = new StringBuilder(headline(r)).append(System.lineSeparator());
        for (int i = 0; i < r.groups().size(); i++) b.append("group ").append(i + 1).append(": ").append(String.join(", ", r.groups().get(i))).append(System.lineSeparator());
        for (NearPair p : r.near()) b.append(String.format(Locale.ROOT, "near: %s ~ %s (%.6f)%n", p.a(), p.b(), p.similarity()));
        for (Unreadable u : r.unreadable()) b.append("unreadable: ").append(u.file()).append(": ").append(u.error()).append(System.lineSeparator());
        for (Unreadable u : r.skipped()) b.append("skipped: ").append(u.file()).append(": ").append(u.error()).append(System.lineSeparator());
        return b.toString();
    }
}
