package dev.orbit.io.safetensors;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The canonical header encoding: compact JSON written the way serde_json writes it (no spaces; strings escape
 * {@code "}, {@code \}, and control characters — {@code \b \f \n \r \t} short, the rest as backslash-u plus four
 * lower-case hex digits; everything else, non-ASCII included, verbatim UTF-8), padded with spaces to a multiple of 8.
 */
final class HeaderJson {
    private HeaderJson() {}

    static byte[] encode(List<TensorEntry> entries, Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder(64 + 96 * entries.size());
        sb.append('{');
        boolean first = true;
        if (metadata != null) {
            string(sb, Header.METADATA_KEY);
            sb.append(":{");
            boolean firstMeta = true;
            for (var kv : metadata.entrySet()) {
                if (!firstMeta) sb.append(',');
                firstMeta = false;
                string(sb, kv.getKey());
                sb.append(':');
                string(sb, kv.getValue());
            }
            sb.append('}');
            first = false;
        }
        for (TensorEntry e : entries) {
            if (!first) sb.append(',');
            first = false;
            string(sb, e.name());
            sb.append(":{\"dtype\":\"").append(e.type().name()).append("\",\"shape\":[");
            long[] shape = e.shape();
            for (int i = 0; i < shape.length; i++) {
                if (i > 0) sb.append(',');
                sb.append(shape[i]);
            }
            sb.append("],\"data_offsets\":[").append(e.begin()).append(',').append(e.end()).append("]}");
        }
        sb.append('}');
        byte[] json = strictUtf8(sb.toString());
        int padded = (json.length + 7) / 8 * 8;
        ByteArrayOutputStream out = new ByteArrayOutputStream(padded);
        out.writeBytes(json);
        for (int i = json.length; i < padded; i++) out.write(' ');
        return out.toByteArray();
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /** UTF-8 bytes; refuses strings with unpaired surrogates (they have no UTF-8 form). */
    private static byte[] strictUtf8(String s) {
        try {
            var encoder = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            var buf = encoder.encode(java.nio.CharBuffer.wrap(s));
            byte[] out = new byte[buf.remaining()];
            buf.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a tensor name or metadata string is not valid Unicode (unpaired surrogate)");
        }
    }
}
