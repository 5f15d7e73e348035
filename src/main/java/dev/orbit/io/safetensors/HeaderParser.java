package dev.orbit.io.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * Parses and validates a safetensors header: a pure function of its bytes and the data section's length, so it can
 * be fuzzed. The JSON is read as a token stream against the one shape a header may have (an object of tensor
 * entries and an optional {@code __metadata__} object of strings), so no input nests deeper than three levels in
 * Orbit's memory, whatever it declares. Every failure is a {@link SafetensorsFormatException} naming the tensor.
 */
public final class HeaderParser {
    /** Shapes with more axes than this are refused (no real tensor comes close; it bounds memory per entry). */
    public static final int MAX_RANK = 64;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxNumberLength(32).build())
            .build();

    private HeaderParser() {}

    /**
     * Parses {@code header} (the bytes between the length prefix and the data) and checks every entry against a
     * data section of {@code dataLength} bytes: sizes agree with type × shape, entries tile [0, dataLength) exactly
     * (no gap, no overlap, nothing past the end, no trailing bytes). {@code source} prefixes the messages.
     */
    public static Header parse(byte[] header, long dataLength, String source) {
        String text = decodeUtf8(header, source);
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw fail(source, "the header does not start with '{' (not a safetensors file?)");
        }
        List<TensorEntry> entries = new ArrayList<>();
        Map<String, String> metadata = null;
        try (JsonParser p = JSON.createParser(text)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, source, "the header is not a JSON object");
            Set<String> names = new HashSet<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                expect(t == JsonToken.FIELD_NAME, source, "the header ends inside its JSON object");
                String key = p.currentName();
                if (!names.add(key)) throw fail(source, "the header lists '" + key + "' twice");
                p.nextToken();
                if (key.equals(Header.METADATA_KEY)) metadata = metadata(p, source);
                else entries.add(entry(p, key, source));
            }
            if (p.nextToken() != null) throw fail(source, "the header has content after its JSON object");
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            throw fail(source, "the header is not valid JSON: " + oneLine(why), e);
        } catch (IOException e) {
            throw fail(source, "the header cannot be read: " + e.getMessage(), e);
        }
        validateLayout(entries, dataLength, source);
        return Header.parsed(entries, metadata, header);
    }

    private static String decodeUtf8(byte[] bytes, String source) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fail(source, "the header is not valid UTF-8");
        }
    }

    private static Map<String, String> metadata(JsonParser p, String source) throws IOException {
        expect(p.currentToken() == JsonToken.START_OBJECT, source, "__metadata__ must be an object of strings");
        Map<String, String> m = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            expect(t == JsonToken.FIELD_NAME, source, "the header ends inside __metadata__");
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw fail(source, "__metadata__ value of '" + key + "' is not a string (metadata maps strings to strings)");
            }
            if (m.put(key, p.getText()) != null) throw fail(source, "__metadata__ lists '" + key + "' twice");
        }
        return m;
    }

    private static TensorEntry entry(JsonParser p, String name, String source) throws IOException {
        expect(p.currentToken() == JsonToken.START_OBJECT, source, "tensor '" + name + "' is not an object {dtype, shape, data_offsets}");
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            expect(t == JsonToken.FIELD_NAME, source, "the header ends inside tensor '" + name + "'");
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (dtype != null) throw fail(source, "tensor '" + name + "' lists dtype twice");
                    expect(value == JsonToken.VALUE_STRING, source, "tensor '" + name + "': dtype is not a string");
                    dtype = p.getText();
                }
                case "shape" -> {
                    if (shape != null) throw fail(source, "tensor '" + name + "' lists shape twice");
                    shape = integers(p, name, "shape", MAX_RANK, source);
                }
                case "data_offsets" -> {
                    if (offsets != null) throw fail(source, "tensor '" + name + "' lists data_offsets twice");
                    offsets = integers(p, name, "data_offsets", 2, source);
                    expect(offsets.length == 2, source, "tensor '" + name + "': data_offsets must be [begin, end]");
                }
                default -> throw fail(source, "tensor '" + name + "' has an unknown field '" + field + "'");
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw fail(source, "tensor '" + name + "' lacks " + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
        }
        ElementType type = ElementType.byName(dtype);
        if (type == null) {
            throw fail(source, ElementType.KNOWN_UNSUPPORTED.contains(dtype)
                    ? "tensor '" + name + "' has dtype " + dtype + ", which Orbit does not support (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)"
                    : "tensor '" + name + "' has an unknown dtype '" + dtype + "'");
        }
        long begin = offsets[0], end = offsets[1];
        if (end < begin) throw fail(source, "tensor '" + name + "': data_offsets [" + begin + ", " + end + ") end before they begin");
        long bytes;
        try {
            bytes = TensorEntry.byteLength(name, type, shape);
        } catch (SafetensorsFormatException e) {
            throw fail(source, e.getMessage());
        }
        if (end - begin != bytes) {
            throw fail(source, "tensor '" + name + "' is " + type + " " + Arrays.toString(shape) + " = " + bytes
                    + " bytes, but data_offsets [" + begin + ", " + end + ") hold " + (end - begin));
        }
        return new TensorEntry(name, type, shape, begin, end);
    }

    /** A JSON array of non-negative integers that fit a {@code long}, at most {@code max} of them. */
    private static long[] integers(JsonParser p, String name, String field, int max, String source) throws IOException {
        expect(p.currentToken() == JsonToken.START_ARRAY, source, "tensor '" + name + "': " + field + " is not an array of integers");
        long[] values = new long[Math.min(max, 8)];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            expect(t != null, source, "the header ends inside tensor '" + name + "'");
            if (t != JsonToken.VALUE_NUMBER_INT) throw fail(source, "tensor '" + name + "': " + field + " holds something other than integers");
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw fail(source, "tensor '" + name + "': " + field + " value " + p.getText() + " does not fit a 64-bit integer");
            }
            long v = p.getLongValue();
            if (v < 0) throw fail(source, "tensor '" + name + "': " + field + " holds the negative value " + v);
            if (n == max) throw fail(source, "tensor '" + name + "': " + field + " has more than " + max + " entries");
            if (n == values.length) values = Arrays.copyOf(values, Math.min(max, 2 * n));
            values[n++] = v;
        }
        return Arrays.copyOf(values, n);
    }

    /** The entries must tile the data section: sorted by offset each begins where the previous ended, the last at its end. */
    private static void validateLayout(List<TensorEntry> entries, long dataLength, String source) {
        for (TensorEntry e : entries) {
            if (e.end() > dataLength) {
                throw fail(source, "tensor '" + e.name() + "': data_offsets [" + e.begin() + ", " + e.end()
                        + ") run past the end of the data (" + dataLength + " bytes)");
            }
        }
        List<TensorEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long at = 0;
        TensorEntry previous = null;
        for (TensorEntry e : sorted) {
            if (e.begin() < at) {
                throw fail(source, "tensor '" + e.name() + "' [" + e.begin() + ", " + e.end() + ") overlaps tensor '"
                        + previous.name() + "' [" + previous.begin() + ", " + previous.end() + ")");
            }
            if (e.begin() > at) {
                throw fail(source, "a gap of " + (e.begin() - at) + " bytes lies before tensor '" + e.name() + "' (offset " + at + ")");
            }
            at = e.end();
            previous = e;
        }
        if (at != dataLength) {
            throw fail(source, (dataLength - at) + " bytes follow the last tensor (the data section must end with it)");
        }
    }

    private static void expect(boolean ok, String source, String message) {
        if (!ok) throw fail(source, message);
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").trim();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    static SafetensorsFormatException fail(String source, String message) {
        return new SafetensorsFormatException(source + ": " + message);
    }

    static SafetensorsFormatException fail(String source, String message, Throwable cause) {
        return new SafetensorsFormatException(source + ": " + message, cause);
    }
}
