package dev.orbit.io.safetensors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A sharded checkpoint's {@code model.safetensors.index.json}: {@code {"metadata": {...}, "weight_map": {tensor →
 * shard file}}}. A parsed index keeps its exact bytes, so a rewrite with the same layout is byte-identical; a new
 * one is written the way Hugging Face writes it ({@code json.dumps(index, indent=2, sort_keys=True) + "\n"}).
 */
public final class ShardIndex {
    /** Index files beyond this size are refused (an 8B model's index is ~25 KB). */
    public static final long MAX_BYTES = 100_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build());

    private final Map<String, String> weightMap;
    private final Long totalSize;
    private final byte[] encoded;

    private ShardIndex(Map<String, String> weightMap, Long totalSize, byte[] encoded) {
        this.weightMap = Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
        this.totalSize = totalSize;
        this.encoded = encoded;
    }

    /** Parses an index file's bytes; {@code source} prefixes the messages. */
    public static ShardIndex parse(byte[] bytes, String source) {
        if (bytes.length > MAX_BYTES) throw HeaderParser.fail(source, "index of " + bytes.length + " bytes is larger than the limit " + MAX_BYTES);
        if (!decodesAsUtf8(bytes)) throw HeaderParser.fail(source, "not valid UTF-8");
        JsonNode root;
        try (JsonParser p = JSON.createParser(new String(bytes, StandardCharsets.UTF_8))) {
            root = JSON.readTree(p);
            if (p.nextToken() != null) throw HeaderParser.fail(source, "content after the JSON object");
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            throw HeaderParser.fail(source, "not valid JSON: " + why.replaceAll("\\s+", " "), e);
        } catch (IOException e) {
            throw HeaderParser.fail(source, "cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw HeaderParser.fail(source, "not a JSON object");
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) throw HeaderParser.fail(source, "has no \"weight_map\" object");
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (var it = map.properties().iterator(); it.hasNext(); ) {
            var kv = it.next();
            if (!kv.getValue().isTextual()) throw HeaderParser.fail(source, "weight_map entry '" + kv.getKey() + "' is not a file name");
            weightMap.put(kv.getKey(), kv.getValue().textValue());
        }
        Long total = null;
        JsonNode meta = root.get("metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) throw HeaderParser.fail(source, "\"metadata\" is not an object");
            JsonNode t = meta.get("total_size");
            if (t != null && t.canConvertToExactIntegral() && t.canConvertToLong()) total = t.longValue();
        }
        return new ShardIndex(weightMap, total, bytes.clone());
    }

    /** A new index in Hugging Face's format: metadata.total_size (tensor bytes, headers excluded) and the weight map. */
    public static ShardIndex create(Map<String, String> weightMap, long totalSize) {
        StringBuilder sb = new StringBuilder("{\n  \"metadata\": {\n    \"total_size\": ").append(totalSize).append("\n  },\n  \"weight_map\": ");
        List<String> keys = new ArrayList<>(weightMap.keySet());
        keys.sort(ShardIndex::compareCodePoints);
        if (keys.isEmpty()) sb.append("{}");
        else {
            sb.append("{\n");
            for (int i = 0; i < keys.size(); i++) {
                sb.append("    ");
                pythonString(sb, keys.get(i));
                sb.append(": ");
                pythonString(sb, weightMap.get(keys.get(i)));
                sb.append(i + 1 < keys.size() ? ",\n" : "\n");
            }
            sb.append("  }");
        }
        sb.append("\n}\n");
        return new ShardIndex(weightMap, totalSize, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** tensor name → shard file name, in the file's order. */
    public Map<String, String> weightMap() { return weightMap; }

    /** metadata.total_size, or {@code null} when absent or not an integer. */
    public Long totalSize() { return totalSize; }

    public byte[] encoded() { return encoded.clone(); }

    /** Shard file names in order of first appearance. */
    public List<String> shardNames() {
        return new ArrayList<>(new java.util.LinkedHashSet<>(weightMap.values()));
    }

    private static boolean decodesAsUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static int compareCodePoints(String a, String b) {
        int[] x = a.codePoints().toArray(), y = b.codePoints().toArray();
        return java.util.Arrays.compare(x, y);
    }

    /** A string as Python's json.dumps writes it with ensure_ascii (the default). */
    private static void pythonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
