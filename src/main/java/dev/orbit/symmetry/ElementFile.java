package dev.orbit.symmetry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.io.AtomicFiles;
import dev.orbit.io.ReadLimits;
import dev.orbit.io.Text;

/**
 * A group element as JSON, with the spaces it was made for (id, size, origin), so replaying it on another
 * model is refused rather than silently wrong. Format:
 * {"format": "orbit-element/1", "spaces": [{"id", "size", "perm_class", "origin"}...],
 *  "permutations": {"CLASS": [...]}, "scales": {"SPACE": [...]}}.
 * Elements with matrix parts are "orbit-element/2" and add "matrices": [{"kind": "pair", "pair": i,
 * "origin", "blocks": [[[...]]]}, {"kind": "head_scaling", "attention": i, "query", "key", "value"},
 * {"kind": "rotation", "stream": i, "matrix": [[...]]}]; version 1 files still read.
 */
public final class ElementFile {
    public static final String FORMAT = "orbit-element/1";
    public static final String FORMAT_MATRICES = "orbit-element/2";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ElementFile() {}

    public static String toJson(GroupElement g, SymmetryAnalysis a) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", g.matrices().isEmpty() ? FORMAT : FORMAT_MATRICES);
        ArrayNode spaces = root.putArray("spaces");
        for (NeuronSpace s : a.spaces()) {
            if (!g.permutations().containsKey(s.permClass()) && !g.scales().containsKey(s.id())) continue;
            spaces.addObject().put("id", s.id()).put("size", s.size()).put("perm_class", s.permClass()).put("origin", s.origin());
        }
        ObjectNode perms = root.putObject("permutations");
        new TreeMap<>(g.permutations()).forEach((k, v) -> {
            ArrayNode arr = perms.putArray(Integer.toString(k));
            for (int x : v) arr.add(x);
        });
        ObjectNode scales = root.putObject("scales");
        new TreeMap<>(g.scales()).forEach((k, v) -> {
            ArrayNode arr = scales.putArray(Integer.toString(k));
            for (double x : v) arr.add(x);
        });
        if (!g.matrices().isEmpty()) {
            ArrayNode parts = root.putArray("matrices");
            for (MatrixPart m : g.matrices()) {
                ObjectNode o = parts.addObject();
                switch (m) {
                    case PairTransform p -> {
                        o.put("kind", "pair").put("pair", p.pair()).put("origin", a.pairs().get(p.pair()).origin());
                        ArrayNode blocks = o.putArray("blocks");
                        for (double[][] b : p.blocks()) matrix(blocks.addArray(), b);
                    }
                    case HeadScaling h -> {
                        o.put("kind", "head_scaling").put("attention", h.attention()).put("origin", a.attentions().get(h.attention()).origin());
                        vector(o.putArray("query"), h.query());
                        vector(o.putArray("key"), h.key());
                        vector(o.putArray("value"), h.value());
                    }
                    case StreamRotation r -> {
                        o.put("kind", "rotation").put("stream", r.stream()).put("origin", a.streams().get(r.stream()).origin());
                        matrix(o.putArray("matrix"), r.matrix());
                    }
                }
            }
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Path file, GroupElement g, SymmetryAnalysis a) {
        AtomicFiles.writeString(file, toJson(g, a) + "\n");
    }

    /** Reads an element and checks it against the model's analysis. */
    public static GroupElement read(Path file, SymmetryAnalysis a) {
        byte[] json;
        try {
            // an element holds a few numbers per neuron: a file beyond the byte limit is not one
            ReadLimits.current().checkBytes(java.nio.file.Files.size(file), "element file '" + file + "'");
            json = java.nio.file.Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read element file '" + file + "': " + firstLine(e.getMessage()));
        }
        return parse(json, file, a);
    }

    /**
     * Parses element JSON (named {@code file} in messages) and checks it against the analysis. Nesting depth and
     * string length are bounded by {@link ReadLimits}, so hostile JSON is refused with a typed error.
     */
    public static GroupElement parse(byte[] json, Path file, SymmetryAnalysis a) {
        ReadLimits limits = ReadLimits.current();
        var constraints = com.fasterxml.jackson.core.StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth()).maxStringLength((int) Math.min(Integer.MAX_VALUE, limits.maxStringBytes()))
                .maxNumberLength(100).build();
        JsonNode root;
        try (var parser = com.fasterxml.jackson.core.JsonFactory.builder().streamReadConstraints(constraints).build()
                .createParser(json)) {
            root = MAPPER.readTree(parser);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read element file '" + file + "': " + firstLine(e.getMessage()));
        }
        String format = root == null ? "" : root.path("format").asText();
        if (!FORMAT.equals(format) && !FORMAT_MATRICES.equals(format)) {
            throw new ModelFormatException("'" + file + "' is not an Orbit element file (format " + FORMAT + " or " + FORMAT_MATRICES + ")");
        }
        for (JsonNode s : root.path("spaces")) {
            int id = s.path("id").asInt(-1);
            if (id < 0 || id >= a.spaces().size() || a.space(id).size() != s.path("size").asLong()
                    || a.space(id).permClass() != s.path("perm_class").asInt()) {
                throw new ModelFormatException("element '" + file + "' was made for another model: space " + id
                        + " (" + Text.quote(s.path("origin").asText()) + ", size " + s.path("size").asLong() + ") does not match");
            }
        }
        Map<Integer, int[]> perms = new TreeMap<>();
        var pit = root.path("permutations").fields();
        while (pit.hasNext()) {
            var e = pit.next();
            List<Integer> v = new ArrayList<>();
            e.getValue().forEach(x -> v.add(x.asInt()));
            perms.put(parseKey(e.getKey(), file), v.stream().mapToInt(Integer::intValue).toArray());
        }
        Map<Integer, double[]> scales = new TreeMap<>();
        var sit = root.path("scales").fields();
        while (sit.hasNext()) {
            var e = sit.next();
            List<Double> v = new ArrayList<>();
            e.getValue().forEach(x -> v.add(x.asDouble()));
            scales.put(parseKey(e.getKey(), file), v.stream().mapToDouble(Double::doubleValue).toArray());
        }
        List<MatrixPart> parts = new ArrayList<>();
        for (JsonNode o : root.path("matrices")) parts.add(part(o, file));
        GroupElement g;
        try {
            g = new GroupElement(perms, scales, parts);
            g.validate(a);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("element '" + file + "' does not fit this model: " + e.getMessage());
        }
        return g;
    }

    private static MatrixPart part(JsonNode o, Path file) {
        String kind = o.path("kind").asText();
        return switch (kind) {
            case "pair" -> {
                JsonNode blocks = o.path("blocks");
                double[][][] b = new double[blocks.size()][][];
                for (int h = 0; h < b.length; h++) b[h] = matrix(blocks.get(h), file);
                yield new PairTransform(index(o, "pair", file), b);
            }
            case "head_scaling" -> new HeadScaling(index(o, "attention", file), vector(o.path("query"), file),
                    vector(o.path("key"), file), vector(o.path("value"), file));
            case "rotation" -> new StreamRotation(index(o, "stream", file), matrix(o.path("matrix"), file));
            default -> throw new ModelFormatException("element '" + file + "': unknown matrix kind " + Text.quote(kind));
        };
    }

    private static int index(JsonNode o, String key, Path file) {
        if (!o.path(key).canConvertToInt()) throw new ModelFormatException("element '" + file + "': '" + key + "' must be a whole number");
        return o.path(key).asInt();
    }

    private static double[] vector(JsonNode arr, Path file) {
        if (!arr.isArray()) throw new ModelFormatException("element '" + file + "': expected an array of numbers");
        double[] v = new double[arr.size()];
        for (int i = 0; i < v.length; i++) {
            if (!arr.get(i).isNumber()) throw new ModelFormatException("element '" + file + "': expected numbers, entry " + i + " is "
                    + arr.get(i).getNodeType().name().toLowerCase(java.util.Locale.ROOT)); // never the node itself: it may be megabytes
            v[i] = arr.get(i).asDouble();
        }
        return v;
    }

    private static double[][] matrix(JsonNode arr, Path file) {
        if (!arr.isArray() || arr.isEmpty()) throw new ModelFormatException("element '" + file + "': expected a matrix (array of rows)");
        double[][] m = new double[arr.size()][];
        for (int i = 0; i < m.length; i++) m[i] = vector(arr.get(i), file);
        return m;
    }

    private static void vector(ArrayNode arr, double[] v) { for (double x : v) arr.add(x); }

    private static void matrix(ArrayNode arr, double[][] m) { for (double[] row : m) vector(arr.addArray(), row); }

    private static int parseKey(String k, Path file) {
        try {
            return Integer.parseInt(k);
        } catch (NumberFormatException e) {
            throw new ModelFormatException("element '" + file + "': key " + Text.quote(k) + " is not a number");
        }
    }

    private static String firstLine(String s) { return s == null ? "" : s.lines().findFirst().orElse(""); }
}
