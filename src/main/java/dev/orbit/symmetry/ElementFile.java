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

/**
 * A group element as JSON, with the spaces it was made for (id, size, origin), so replaying it on another
 * model is refused rather than silently wrong. Format:
 * {"format": "orbit-element/1", "spaces": [{"id", "size", "perm_class", "origin"}...],
 *  "permutations": {"CLASS": [...]}, "scales": {"SPACE": [...]}}.
 */
public final class ElementFile {
    public static final String FORMAT = "orbit-element/1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ElementFile() {}

    public static String toJson(GroupElement g, SymmetryAnalysis a) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
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
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException("cannot read element file '" + file + "': " + firstLine(e.getMessage()));
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new ModelFormatException("'" + file + "' is not an Orbit element file (format " + FORMAT + ")");
        }
        for (JsonNode s : root.path("spaces")) {
            int id = s.path("id").asInt(-1);
            if (id < 0 || id >= a.spaces().size() || a.space(id).size() != s.path("size").asLong()
                    || a.space(id).permClass() != s.path("perm_class").asInt()) {
                throw new ModelFormatException("element '" + file + "' was made for another model: space " + id
                        + " (" + s.path("origin").asText() + ", size " + s.path("size").asLong() + ") does not match");
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
        GroupElement g = new GroupElement(perms, scales);
        try {
            g.validate(a);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("element '" + file + "' does not fit this model: " + e.getMessage());
        }
        return g;
    }

    private static int parseKey(String k, Path file) {
        try {
            return Integer.parseInt(k);
        } catch (NumberFormatException e) {
            throw new ModelFormatException("element '" + file + "': key '" + k + "' is not a number");
        }
    }

    private static String firstLine(String s) { return s == null ? "" : s.lines().findFirst().orElse(""); }
}
