package dev.orbit.symmetry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.orbit.geometry.HnIsometry;
import dev.orbit.geometry.LayerIsometry;
import dev.orbit.geometry.Psl2R;
import dev.orbit.graph.Model;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.io.AtomicFiles;
import dev.orbit.io.ReadLimits;
import dev.orbit.io.Text;

/**
 * Every kind of {@link SymmetryElement} as JSON, with what it was made for, so replaying it on another model is
 * refused rather than silently wrong. Orbit writes version 3:
 * <pre>
 * {"format": "orbit-element/3",
 *  "spaces": [{"id", "size", "perm_class", "origin"}...],          the neuron spaces it touches
 *  "permutations": {"CLASS": [...]}, "scales": {"SPACE": [...]},     neuron-space kind
 *  "matrices": [{"kind": "pair", "pair": i, "origin", "blocks": [[[...]]]},
 *               {"kind": "head_scaling", "attention": i, "origin", "query", "key", "value"},
 *               {"kind": "rotation", "stream": i, "origin", "matrix": [[...]]}]      (only when there are some)
 *  "isometries": {"LAYER": {"kind": "psl2r", "matrix": [a, b, c, d]} | {"kind": "isometry", "lorentz": [[...]]}
 *                          | {"kind": "line", "sign": ±1, "shift": s}}                 isometry kind
 *  "gauge": {"end_time": T, "states": [SPACE...], "factors": [[[[...]]]]}}             gauge kind (factor, mode, d, d)
 * </pre>
 * A file holds one kind. Older files still read: "orbit-element/1" (permutations and scales) and "/2" (with
 * matrices) are version 3 without the last two keys, and the hyperbolic orbit study's files (no format tag: an object
 * of layer name → isometry, as under "isometries") read as isometry elements.
 */
public final class ElementFile {
    public static final String FORMAT = "orbit-element/3";
    /** The versions before 3: read, never written. */
    public static final String FORMAT_V1 = "orbit-element/1";
    public static final String FORMAT_V2 = "orbit-element/2";
    private static final java.util.Set<String> ISOMETRY_KINDS = java.util.Set.of("psl2r", "isometry", "line");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ElementFile() {}

    /** The element as JSON; {@code a} is the analysis it was made with (unused for isometries). */
    public static String toJson(SymmetryElement e, SymmetryAnalysis a) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        switch (e) {
            case GroupElement g -> group(root, g, a);
            case IsometryElement i -> isometries(root.putObject("isometries"), i);
            case GaugeElement g -> gauge(root, g, a);
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException x) {
            throw new IllegalStateException(x);
        }
    }

    private static void isometries(ObjectNode out, IsometryElement e) {
        e.layers().forEach((name, g) -> {
            ObjectNode o = out.putObject(name);
            switch (g) {
                case LayerIsometry.Mobius(Psl2R m) -> vector(o.put("kind", "psl2r").putArray("matrix"), m.toArray());
                case LayerIsometry.HalfSpace(HnIsometry h) -> matrix(o.put("kind", "isometry").putArray("lorentz"), h.toLorentz());
                case LayerIsometry.Line(double sign, double shift) -> o.put("kind", "line").put("sign", sign).put("shift", shift);
            }
        });
    }

    private static void gauge(ObjectNode root, GaugeElement g, SymmetryAnalysis a) {
        ArrayNode spaces = root.putArray("spaces");
        for (int id : g.states()) {
            NeuronSpace s = a.space(id);
            spaces.addObject().put("id", s.id()).put("size", s.size()).put("perm_class", s.permClass()).put("origin", s.origin());
        }
        ObjectNode o = root.putObject("gauge");
        o.put("end_time", g.endTime());
        ArrayNode states = o.putArray("states");
        g.states().forEach(states::add);
        ArrayNode factors = o.putArray("factors");
        for (double[][][] c : g.factors()) {
            ArrayNode modes = factors.addArray();
            for (double[][] m : c) matrix(modes.addArray(), m);
        }
    }

    private static void group(ObjectNode root, GroupElement g, SymmetryAnalysis a) {
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
    }

    /** Writes the element as JSON, atomically. */
    public static void write(Path file, SymmetryElement e, SymmetryAnalysis a) {
        AtomicFiles.writeString(file, toJson(e, a) + "\n");
    }

    /** Writes an isometry element (it names layers, not spaces, so no analysis is needed). */
    public static void write(Path file, IsometryElement e) { write(file, e, null); }

    /** Reads an element of any version and checks it against the model and its analysis. */
    public static SymmetryElement read(Path file, Model model, SymmetryAnalysis a) {
        byte[] json;
        try {
            // an element holds a few numbers per neuron: a file beyond the byte limit is not one
            ReadLimits.current().checkBytes(java.nio.file.Files.size(file), "element file '" + file + "'");
            json = java.nio.file.Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read element file '" + file + "': " + firstLine(e.getMessage()));
        }
        return parse(json, file, model, a);
    }

    /**
     * Parses element JSON (named {@code file} in messages) and checks it against the analysis. Nesting depth and
     * string length are bounded by {@link ReadLimits}, so hostile JSON is refused with a typed error.
     */
    public static SymmetryElement parse(byte[] json, Path file, Model model, SymmetryAnalysis a) {
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
        if (root != null && isUntaggedIsometries(root)) return isometries(root, file, model);
        String format = root == null ? "" : root.path("format").asText();
        if (!FORMAT.equals(format) && !FORMAT_V2.equals(format) && !FORMAT_V1.equals(format)) {
            throw new ModelFormatException("'" + file + "' is not an Orbit element file (format " + FORMAT_V1 + ", /2 or /3)");
        }
        boolean isometries = root.has("isometries");
        boolean gauge = root.has("gauge");
        if (isometries && (gauge || root.has("spaces") || root.has("permutations") || root.has("scales") || root.has("matrices"))
                || gauge && (root.has("permutations") || root.has("scales") || root.has("matrices"))) {
            throw new ModelFormatException("element '" + file + "' mixes kinds: a file holds neuron-space parts, isometries or a gauge");
        }
        if ((isometries || gauge) && !FORMAT.equals(format)) {
            throw new ModelFormatException("element '" + file + "': isometries and gauges need format " + FORMAT);
        }
        if (isometries) return isometries(root.path("isometries"), file, model);
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
        if (gauge) return gauge(root.path("gauge"), file, a);
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

    /** The hyperbolic study's old files: a non-empty object whose every value is an object with an isometry "kind". */
    private static boolean isUntaggedIsometries(JsonNode root) {
        if (!root.isObject() || root.isEmpty() || root.has("format")) return false;
        for (JsonNode v : root) if (!v.isObject() || !ISOMETRY_KINDS.contains(v.path("kind").asText())) return false;
        return true;
    }

    private static IsometryElement isometries(JsonNode layers, Path file, Model model) {
        if (!layers.isObject()) throw new ModelFormatException("element '" + file + "': \"isometries\" must be an object of layer name → isometry");
        Map<String, LayerIsometry> out = new LinkedHashMap<>();
        var it = layers.fields();
        while (it.hasNext()) {
            var e = it.next();
            JsonNode o = e.getValue();
            String kind = o.path("kind").asText();
            try {
                out.put(e.getKey(), switch (kind) {
                    case "psl2r" -> {
                        double[] m = vector(o.path("matrix"), file);
                        if (m.length != 4) throw new ModelFormatException("element '" + file + "': a PSL(2,R) matrix has 4 entries, got " + m.length);
                        yield new LayerIsometry.Mobius(Psl2R.of(m));
                    }
                    case "isometry" -> new LayerIsometry.HalfSpace(new HnIsometry.Lorentz(matrix(o.path("lorentz"), file)));
                    case "line" -> new LayerIsometry.Line(number(o, "sign", file), number(o, "shift", file));
                    default -> throw new ModelFormatException("element '" + file + "': unknown isometry kind '" + kind + "' for layer '" + e.getKey() + "'");
                });
            } catch (IllegalArgumentException x) {
                throw new ModelFormatException("element '" + file + "', layer '" + e.getKey() + "': " + x.getMessage());
            }
        }
        IsometryElement element = new IsometryElement(out);
        try {
            element.validate(model);
        } catch (IllegalArgumentException x) {
            throw new ModelFormatException("element '" + file + "' does not fit this model: " + x.getMessage());
        }
        return element;
    }

    private static GaugeElement gauge(JsonNode o, Path file, SymmetryAnalysis a) {
        double endTime = number(o, "end_time", file);
        List<Integer> states = new ArrayList<>();
        for (JsonNode s : o.path("states")) {
            if (!s.canConvertToInt()) throw new ModelFormatException("element '" + file + "': gauge states must be space ids");
            states.add(s.asInt());
        }
        List<double[][][]> factors = new ArrayList<>();
        for (JsonNode f : o.path("factors")) {
            if (!f.isArray()) throw new ModelFormatException("element '" + file + "': a gauge factor is an array of coefficient matrices");
            double[][][] c = new double[f.size()][][];
            for (int k = 0; k < c.length; k++) c[k] = matrix(f.get(k), file);
            factors.add(c);
        }
        try {
            GaugeElement g = new GaugeElement(endTime, factors, states);
            if (!states.isEmpty()) g.discrete().validate(a);
            return g;
        } catch (IllegalArgumentException x) {
            throw new ModelFormatException("element '" + file + "' does not fit this model: " + x.getMessage());
        }
    }

    private static double number(JsonNode o, String key, Path file) {
        if (!o.path(key).isNumber()) throw new ModelFormatException("element '" + file + "': '" + key + "' must be a number");
        return o.path(key).asDouble();
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
