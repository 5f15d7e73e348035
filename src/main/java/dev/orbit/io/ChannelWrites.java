package dev.orbit.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** Writes that finish: a channel may take fewer bytes per call than offered, and a ByteBuffer holds at most 2 GB. */
public final class ChannelWrites {
    private static final long PIECE = 1L << 30;

    private ChannelWrites() {}

    /** All of {@code bytes} (a mapped tensor or a native buffer, any size), in pieces a ByteBuffer can hold. */
    public static void writeFully(WritableByteChannel ch, MemorySegment bytes) throws IOException {
        for (long at = 0; at < bytes.byteSize(); at += PIECE) writeFully(ch, bytes.asSlice(at, Math.min(PIECE, bytes.byteSize() - at)).asByteBuffer());
    }

    public static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }
}
