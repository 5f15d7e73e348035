package dev.orbit.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A checkpoint's config.json, with typed getters that fail with one line naming the field. */
public final class ConfigJson {
    /** config.json files beyond this size are refused (real ones are a few KB). */
    public static final long MAX_BYTES = 10_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build());

    private final String source;
    private final JsonNode root;

    private ConfigJson(String source, JsonNode root) {
        this.source = source;
        this.root = root;
    }

    public static ConfigJson read(Path path) {
        try {
            if (Files.size(path) > MAX_BYTES) throw new CheckpointFormatException(path + ": larger than " + MAX_BYTES + " bytes");
            return parse(Files.readAllBytes(path), path.toString());
        } catch (IOException e) {
            throw new CheckpointFormatException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static ConfigJson parse(byte[] bytes, String source) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !root.isObject()) throw new CheckpointFormatException(source + ": not a JSON object");
            return new ConfigJson(source, root);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            throw new CheckpointFormatException(source + ": not valid JSON: " + why.replaceAll("\\s+", " "), e);
        } catch (IOException e) {
            throw new CheckpointFormatException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    public String source() { return source; }

    public JsonNode root() { return root; }

    public boolean has(String field) {
        JsonNode n = root.get(field);
        return n != null && !n.isNull();
    }

    public String string(String field, String fallback) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isTextual()) throw bad(field, "is not a string");
        return n.textValue();
    }

    /** A positive integer field (sizes, counts). */
    public int positiveInt(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) throw new CheckpointFormatException(source + ": lacks \"" + field + "\"");
        return positive(field, n);
    }

    public int positiveInt(String field, int fallback) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? fallback : positive(field, n);
    }

    private int positive(String field, JsonNode n) {
        if (!n.canConvertToExactIntegral() || !n.canConvertToInt() || n.intValue() <= 0) throw bad(field, "is not a positive integer: " + n);
        return n.intValue();
    }

    public double positiveDouble(String field, double fallback) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isNumber() || !(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue())) throw bad(field, "is not a positive number: " + n);
        return n.doubleValue();
    }

    public boolean bool(String field, boolean fallback) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isBoolean()) throw bad(field, "is not true or false: " + n);
        return n.booleanValue();
    }

    CheckpointFormatException bad(String field, String why) {
        return new CheckpointFormatException(source + ": \"" + field + "\" " + why);
    }
}
