package dev.orbit.io.safetensors;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-built safetensors bytes for tests: a length prefix, a header given as text or bytes, and data bytes. */
final class RawFiles {
    private RawFiles() {}

    static byte[] file(String header, int dataBytes) {
        return file(header.getBytes(StandardCharsets.UTF_8), new byte[dataBytes]);
    }

    static byte[] file(byte[] header, byte[] data) {
        return withLength(header.length, header, data);
    }

    /** A file whose length prefix says {@code declared}, whatever the header's real length. */
    static byte[] withLength(long declared, byte[] header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declared).array());
        out.writeBytes(header);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }
}
