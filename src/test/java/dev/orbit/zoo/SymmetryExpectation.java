package dev.orbit.zoo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Compares a zoo file's hand-written expectation (MODEL_opN.expected.json, format "orbit-zoo-expected/1", see
 * scripts/zoo_expected.py) with what `orbit symmetries --json` finds, space by space and group by group.
 *
 * <p>Spaces are matched by the parameter axes they touch, never by node names or space ids: a found space
 * answers an expected one when one of its COVARIANT touches hits an expected writer (same parameter, same axis,
 * overlapping [offset, offset + size)). Matrix groups are matched by their left parameter axes (pairs) or their
 * writers (streams). Fields the analysis does not write yet ("head_permutable" on a space, "group" and
 * "kv_heads" on a pair) read as absent: no head permutations, GL(d).
 */
final class SymmetryExpectation {
    private SymmetryExpectation() {}

    record Ref(String parameter, int axis, long offset, long size) {
        static Ref of(JsonNode n, long defaultSize) {
            return new Ref(n.get("parameter").asText(), n.get("axis").asInt(), n.path("offset").asLong(0),
                    n.has("size") ? n.get("size").asLong() : defaultSize);
        }

        boolean overlaps(Ref o) {
            return parameter.equals(o.parameter) && axis == o.axis && offset < o.offset + o.size && o.offset < offset + size;
        }
    }

    /** Channel counts and matrix-group dimensions; "covered" = hidden channels with any non-trivial group. */
    record Totals(long hidden, long permutable, long headPermutable, long scalable, long matrixChannels,
                  long matrixDimension, long covered) {
        double coverage() { return hidden == 0 ? 0 : (double) covered / hidden; }

        Map<String, Long> asMap() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("hidden_channels", hidden);
            m.put("permutable_channels", permutable);
            m.put("head_permutable_channels", headPermutable);
            m.put("scalable_channels", scalable);
            m.put("matrix_channels", matrixChannels);
            m.put("matrix_dimension", matrixDimension);
            m.put("covered_channels", covered);
            return m;
        }

        @Override public String toString() {
            return String.format("perm %d, heads %d, scale %d, matrix %d ch / dim %d, covered %d of %d (%.1f%%)", permutable,
                    headPermutable, scalable, matrixChannels, matrixDimension, covered, hidden, 100 * coverage());
        }
    }

    enum Status { MATCH, DIFFERENT, MISSING, SPLIT }

    record Entry(String expected, Status status, List<String> problems) {
        @Override public String toString() {
            return String.format("  %-9s %s%s", status, expected, problems.isEmpty() ? "" : "\n            " + String.join("; ", problems));
        }
    }

    record Report(String file, Totals expected, Totals found, List<Entry> spaces, List<Entry> groups, List<String> unexpected) {
        /** Exactly the expected group: every space and group matches, nothing extra, the same totals. */
        boolean exact() {
            return unexpected.isEmpty() && expected.equals(found)
                    && Stream.concat(spaces.stream(), groups.stream()).allMatch(e -> e.status() == Status.MATCH);
        }

        long count(Status s) { return Stream.concat(spaces.stream(), groups.stream()).filter(e -> e.status() == s).count(); }

        String summary() {
            return String.format("%-28s expected: %s%n%-28s found:    %s%n%-28s %d match, %d different, %d missing, %d split, %d unexpected",
                    file, expected, "", found, "", count(Status.MATCH), count(Status.DIFFERENT), count(Status.MISSING),
                    count(Status.SPLIT), unexpected.size());
        }

        String text() {
            StringBuilder b = new StringBuilder(summary()).append('\n');
            spaces.forEach(e -> b.append(e).append('\n'));
            groups.forEach(e -> b.append(e).append('\n'));
            unexpected.forEach(u -> b.append("  UNEXPECTED ").append(u).append('\n'));
            return b.toString();
        }
    }

    private static List<JsonNode> nodes(JsonNode arr) {
        List<JsonNode> out = new ArrayList<>();
        arr.forEach(out::add);
        return out;
    }

    private static List<Ref> refs(JsonNode arr, long defaultSize) { return nodes(arr).stream().map(n -> Ref.of(n, defaultSize)).toList(); }

    private static boolean anyOverlap(List<Ref> a, List<Ref> b) {
        return a.stream().anyMatch(x -> b.stream().anyMatch(x::overlaps));
    }

    /** A found space's covariant touches, as ranges of its size. */
    private static List<Ref> covariant(JsonNode space) {
        long size = space.get("size").asLong();
        return nodes(space.path("touches")).stream().filter(t -> "COVARIANT".equals(t.path("role").asText()))
                .map(t -> Ref.of(t, size)).toList();
    }

    private static long pairDimension(JsonNode pair) {
        long groups = pair.has("kv_heads") ? pair.get("kv_heads").asLong() : pair.get("heads").asLong();
        long d = pair.get("head_dim").asLong();
        return "ROPE_COMMUTANT".equals(pair.path("group").asText("GL")) ? groups * d : groups * d * d;
    }

    private static List<Ref> pairRefs(JsonNode pair) {
        long width = pair.get("heads").asLong() * pair.get("head_dim").asLong();
        List<Ref> out = new ArrayList<>(refs(pair.path("left"), width));
        out.addAll(refs(pair.path("right"), width));
        return out;
    }

    private static boolean isPair(JsonNode g) {
        String k = g.path("kind").asText();
        return k.equals("QUERY_KEY") || k.equals("VALUE_OUTPUT");
    }

    /** The expectation's totals, recomputed here from its spaces and groups (must equal its "totals"). */
    static Totals expectedTotals(JsonNode expected) {
        List<Ref> matrix = new ArrayList<>();
        long dim = 0;
        for (JsonNode g : expected.path("matrix_groups")) {
            dim += g.get("dimension").asLong();
            if (isPair(g)) matrix.addAll(pairRefs(g));
            else if (g.path("rotatable_after_folding").asBoolean()) matrix.addAll(refs(g.path("writers"), g.get("size").asLong()));
        }
        List<JsonNode> hidden = nodes(expected.path("spaces")).stream().filter(s -> !s.path("output").asBoolean()).toList();
        Predicate<JsonNode> inMatrix = s -> anyOverlap(refs(s.path("writers"), s.get("size").asLong()), matrix);
        return totals(hidden, s -> "FULL".equals(s.get("permutation").asText()),
                s -> "HEADS".equals(s.get("permutation").asText()), s -> !"NONE".equals(s.get("scaling").asText()),
                inMatrix, dim);
    }

    private static Totals totals(List<JsonNode> hidden, Predicate<JsonNode> perm, Predicate<JsonNode> heads,
                                 Predicate<JsonNode> scale, Predicate<JsonNode> matrix, long dim) {
        long all = 0, p = 0, h = 0, s = 0, m = 0, c = 0;
        for (JsonNode sp : hidden) {
            long n = sp.get("size").asLong();
            all += n;
            boolean bp = perm.test(sp), bh = heads.test(sp), bs = scale.test(sp), bm = matrix.test(sp);
            if (bp) p += n;
            if (bh) h += n;
            if (bs) s += n;
            if (bm) m += n;
            if (bp || bh || bs || bm) c += n;
        }
        return new Totals(all, p, h, s, m, dim, c);
    }

    /**
     * Compare. {@code found} is `orbit symmetries --json` of the file; {@code foundAfterFolding} the same for the
     * model after the exact norm-folding rewrite (what --rotate-residual rotates), or null when not analysed.
     */
    static Report compare(String file, JsonNode expected, JsonNode found, JsonNode foundAfterFolding) {
        List<JsonNode> fSpaces = nodes(found.path("spaces"));
        Map<Integer, List<String>> claimedBy = new HashMap<>();
        Map<String, Integer> matchOf = new HashMap<>();
        Set<Integer> outputs = new java.util.HashSet<>();
        List<Entry> spaces = new ArrayList<>();
        List<JsonNode> eSpaces = nodes(expected.path("spaces"));
        for (JsonNode e : eSpaces) {
            List<Ref> writers = refs(e.path("writers"), e.get("size").asLong());
            List<Integer> hits = new ArrayList<>();
            for (int i = 0; i < fSpaces.size(); i++) if (anyOverlap(covariant(fSpaces.get(i)), writers)) hits.add(i);
            String name = e.get("name").asText();
            if (hits.isEmpty()) {
                spaces.add(new Entry(name, Status.MISSING, List.of("no found space touches its writers " + names(writers))));
                continue;
            }
            if (hits.size() > 1) {
                spaces.add(new Entry(name, Status.SPLIT, List.of("its writers lie in found spaces " + hits.stream()
                        .map(i -> fSpaces.get(i).get("id").asText()).toList())));
                hits.forEach(i -> claimedBy.computeIfAbsent(i, k -> new ArrayList<>()).add(name));
                continue;
            }
            int i = hits.getFirst();
            claimedBy.computeIfAbsent(i, k -> new ArrayList<>()).add(name);
            matchOf.put(name, i);
            if (e.path("output").asBoolean()) outputs.add(i);
            spaces.add(new Entry(name, Status.MATCH, new ArrayList<>(spaceProblems(e, fSpaces.get(i), writers))));
        }
        permClassProblems(eSpaces, fSpaces, matchOf, spaces);
        for (int k = 0; k < spaces.size(); k++) {  // several expected spaces answered by one found space
            Entry en = spaces.get(k);
            Integer i = matchOf.get(en.expected());
            if (i != null && claimedBy.get(i).size() > 1) {
                en.problems().add("found space " + fSpaces.get(i).get("id").asText() + " also holds " + claimedBy.get(i).stream()
                        .filter(n -> !n.equals(en.expected())).collect(Collectors.joining(", ")));
            }
            if (en.status() == Status.MATCH && !en.problems().isEmpty()) spaces.set(k, new Entry(en.expected(), Status.DIFFERENT, en.problems()));
        }
        List<String> unexpected = new ArrayList<>();
        for (int i = 0; i < fSpaces.size(); i++) {
            if (!claimedBy.containsKey(i)) {
                JsonNode f = fSpaces.get(i);
                unexpected.add("space " + f.get("id").asText() + " (size " + f.get("size").asText() + ", " + f.path("origin").asText() + ")");
            }
        }
        List<Entry> groups = groupEntries(expected, found, foundAfterFolding, unexpected);
        return new Report(file, expectedTotals(expected), foundTotals(fSpaces, outputs, found, foundAfterFolding), spaces, groups, unexpected);
    }

    private static String names(List<Ref> refs) {
        return refs.stream().map(r -> r.parameter() + "[" + r.axis() + (r.offset() > 0 ? "@" + r.offset() : "") + "]").distinct().toList().toString();
    }

    private static String foundPermutation(JsonNode f) {
        if (f.path("permutable").asBoolean()) return "FULL";
        return f.path("head_permutable").asBoolean() ? "HEADS" : "NONE";
    }

    private static List<String> spaceProblems(JsonNode e, JsonNode f, List<Ref> writers) {
        List<String> p = new ArrayList<>();
        if (e.get("size").asLong() != f.get("size").asLong()) p.add("size " + f.get("size").asLong() + " found, " + e.get("size").asLong() + " expected");
        String perm = foundPermutation(f);
        if (!perm.equals(e.get("permutation").asText())) {
            p.add("permutation " + perm + " found, " + e.get("permutation").asText() + " expected"
                    + (f.path("perm_reason").asText().isEmpty() ? "" : " (Orbit: " + f.get("perm_reason").asText() + ")"));
        }
        if (!f.get("scaling").asText().equals(e.get("scaling").asText())) {
            p.add("scaling " + f.get("scaling").asText() + " found, " + e.get("scaling").asText() + " expected"
                    + (f.path("scale_reason").asText().isEmpty() ? "" : " (Orbit: " + f.get("scale_reason").asText() + ")"));
        }
        List<Ref> cov = covariant(f);
        List<Ref> missing = writers.stream().filter(w -> cov.stream().noneMatch(w::overlaps)).toList();
        if (!missing.isEmpty()) p.add("writers not in the found space: " + names(missing));
        long size = f.get("size").asLong();
        List<Ref> touched = nodes(f.path("touches")).stream().filter(t -> !"CONTRAVARIANT".equals(t.path("role").asText()))
                .map(t -> Ref.of(t, size)).toList();
        List<Ref> unpermuted = refs(e.path("permuted"), e.get("size").asLong()).stream().filter(w -> touched.stream().noneMatch(w::overlaps)).toList();
        if (!unpermuted.isEmpty()) p.add("per-channel parameters not permuted with the found space: " + names(unpermuted));
        return p;
    }

    /** Expected spaces sharing a permutation class must share one found class, and only those. */
    private static void permClassProblems(List<JsonNode> eSpaces, List<JsonNode> fSpaces, Map<String, Integer> matchOf, List<Entry> entries) {
        Map<String, JsonNode> byName = new HashMap<>();
        eSpaces.forEach(e -> byName.put(e.get("name").asText(), e));
        for (Entry en : entries) {
            Integer i = matchOf.get(en.expected());
            JsonNode e = byName.get(en.expected());
            if (i == null || !"FULL".equals(e.get("permutation").asText()) || !fSpaces.get(i).path("permutable").asBoolean()) continue;
            for (var other : matchOf.entrySet()) {
                JsonNode o = byName.get(other.getKey());
                if (other.getKey().equals(en.expected()) || !"FULL".equals(o.get("permutation").asText())
                        || !fSpaces.get(other.getValue()).path("permutable").asBoolean() || other.getValue().equals(i)) continue;
                boolean sameExpected = e.get("perm_class").asText().equals(o.get("perm_class").asText());
                boolean sameFound = fSpaces.get(i).path("perm_class").asInt(-1) == fSpaces.get(other.getValue()).path("perm_class").asInt(-2);
                if (sameExpected != sameFound) {
                    en.problems().add((sameExpected ? "expected to share its permutation with '" : "shares its permutation with '")
                            + other.getKey() + "'" + (sameExpected ? ", found separate" : ", not expected"));
                }
            }
        }
    }

    private static List<Entry> groupEntries(JsonNode expected, JsonNode found, JsonNode folded, List<String> unexpected) {
        List<Entry> out = new ArrayList<>();
        List<JsonNode> fPairs = nodes(found.path("pairs"));
        Set<Integer> usedPairs = new java.util.HashSet<>();
        for (JsonNode g : expected.path("matrix_groups")) {
            String kind = g.get("kind").asText();
            if (isPair(g)) {
                long width = g.get("heads").asLong() * g.get("head_dim").asLong();
                List<Ref> left = refs(g.path("left"), width);
                String name = kind + " " + names(left) + " " + g.get("group").asText() + " dim " + g.get("dimension").asLong();
                List<Integer> hits = new ArrayList<>();
                for (int i = 0; i < fPairs.size(); i++) {
                    if (fPairs.get(i).get("kind").asText().equals(kind) && anyOverlap(refs(fPairs.get(i).path("left"), width), left)) hits.add(i);
                }
                if (hits.isEmpty()) {
                    out.add(new Entry(name, Status.MISSING, List.of("no " + kind + " pair found on these weights")));
                    continue;
                }
                usedPairs.addAll(hits);
                JsonNode f = fPairs.get(hits.getFirst());
                List<String> p = new ArrayList<>();
                if (hits.size() > 1) p.add(hits.size() + " found pairs share these weights");
                if (f.get("heads").asLong() != g.get("heads").asLong() || f.get("head_dim").asLong() != g.get("head_dim").asLong()) {
                    p.add("heads x head_dim " + f.get("heads").asLong() + "x" + f.get("head_dim").asLong() + " found");
                }
                String fGroup = f.path("group").asText("GL");
                if (!fGroup.equals(g.get("group").asText())) {
                    p.add("group " + fGroup + " found, " + g.get("group").asText() + " expected"
                            + (fGroup.equals("GL") ? " (too much: GL(d) does not commute with the rotary embedding)" : ""));
                }
                if (pairDimension(f) != g.get("dimension").asLong()) p.add("dimension " + pairDimension(f) + " found");
                out.add(new Entry(name, p.isEmpty() ? Status.MATCH : Status.DIFFERENT, p));
            } else {
                List<Ref> writers = refs(g.path("writers"), g.get("size").asLong());
                String name = "STREAM " + g.get("name").asText();
                JsonNode f = nodes(found.path("streams")).stream().filter(s -> anyOverlap(refs(s.path("writers"), s.get("size").asLong()), writers))
                        .findFirst().orElse(null);
                List<String> p = new ArrayList<>();
                boolean rotatable = f != null && f.path("rotatable").asBoolean();
                if (rotatable != g.get("rotatable").asBoolean()) p.add("rotatable as the file is: " + rotatable + " found");
                if (folded != null) {
                    boolean after = nodes(folded.path("streams")).stream().anyMatch(s -> s.path("rotatable").asBoolean()
                            && anyOverlap(refs(s.path("writers"), s.get("size").asLong()), writers));
                    if (after != g.get("rotatable_after_folding").asBoolean()) p.add("rotatable after folding: " + after + " found");
                }
                Status st = f == null && g.get("rotatable_after_folding").asBoolean() ? Status.MISSING : p.isEmpty() ? Status.MATCH : Status.DIFFERENT;
                if (f == null && p.isEmpty()) p.add("no stream found (none expected to rotate)");
                out.add(new Entry(name, st, p));
            }
        }
        for (int i = 0; i < fPairs.size(); i++) {
            if (!usedPairs.contains(i)) unexpected.add(fPairs.get(i).get("kind").asText() + " pair " + fPairs.get(i).path("origin").asText());
        }
        return out;
    }

    private static Totals foundTotals(List<JsonNode> fSpaces, Set<Integer> outputs, JsonNode found, JsonNode folded) {
        List<Ref> matrix = new ArrayList<>();
        long dim = 0;
        for (JsonNode p : found.path("pairs")) {
            matrix.addAll(pairRefs(p));
            dim += pairDimension(p);
        }
        JsonNode streams = (folded != null ? folded : found).path("streams");
        for (JsonNode s : streams) {
            if (!s.path("rotatable").asBoolean()) continue;
            long d = s.get("size").asLong();
            matrix.addAll(refs(s.path("writers"), d));
            dim += d * (d - 1) / 2;
        }
        List<JsonNode> hidden = new ArrayList<>();
        for (int i = 0; i < fSpaces.size(); i++) if (!outputs.contains(i)) hidden.add(fSpaces.get(i));
        return totals(hidden, f -> f.path("permutable").asBoolean(), f -> f.path("head_permutable").asBoolean(),
                f -> !"NONE".equals(f.get("scaling").asText()), f -> anyOverlap(covariant(f), matrix), dim);
    }
}
