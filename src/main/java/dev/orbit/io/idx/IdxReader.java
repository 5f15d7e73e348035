package dev.orbit.io.idx;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.io.LimitExceededException;
import dev.orbit.io.ReadLimits;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Reads the IDX format of the MNIST files (plain or gzip): two zero bytes, a type code, the rank, big-endian
 * int32 dimensions, then big-endian values. Unsigned bytes come back as UINT8, floats as FLOAT32 or FLOAT64,
 * 16/32-bit integers as INT32.
 *
 * <p>The header is not trusted: the declared size is checked against {@link ReadLimits#maxBytes()} and the
 * values are read in chunks as they arrive, so a 16-byte header (or a gzip bomb) that declares billions of
 * values costs only what the file really holds before it is refused as truncated.
 */
public final class IdxReader {
    private IdxReader() {}

    public static NdArray read(Path file) {
        try (InputStream raw = Files.newInputStream(file)) {
            return read(raw, file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ModelFormatException("cannot read data file '" + file + "': no such file");
        } catch (IOException e) {
            throw new ModelFormatException("cannot read data file '" + file + "': " + e.getMessage());
        }
    }

    /** Reads from a stream; gzip is detected from its magic bytes. */
    public static NdArray read(InputStream raw, String label) throws IOException {
        return read(raw, label, ReadLimits.current());
    }

    public static NdArray read(InputStream raw, String label, ReadLimits limits) throws IOException {
        var buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        try {
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(buffered), 1 << 16) : buffered;
            return decode(new DataInputStream(in), label, limits);
        } catch (EOFException e) {
            throw new ModelFormatException("'" + label + "' is truncated");
        } catch (ZipException e) {
            throw new ModelFormatException("'" + label + "' is not a valid gzip file (" + e.getMessage() + ")");
        }
    }

    private static NdArray decode(DataInputStream data, String label, ReadLimits limits) throws IOException {
        int zero = data.readUnsignedShort();
        int type = data.readUnsignedByte();
        int rank = data.readUnsignedByte();
        if (zero != 0 || rank == 0) throw new ModelFormatException("'" + label + "' is not an IDX file (bad magic number)");
        int size = switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw new ModelFormatException("'" + label + "' has unknown IDX type code 0x" + Integer.toHexString(type));
        };
        long[] shape = new long[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = data.readInt();
            if (shape[i] <= 0) throw new ModelFormatException("'" + label + "' has a dimension of " + shape[i]);
            n = multiply(n, shape[i], label);
        }
        long bytes = multiply(n, size, label);
        limits.checkBytes(bytes, "'" + label + "' (" + n + " values)");
        // the payload becomes one Java array (and, for 16-bit values, an int32 array twice its size)
        if (bytes > Integer.MAX_VALUE - 8 || (type == 0x0B && 2 * bytes > Integer.MAX_VALUE - 8)) {
            throw new LimitExceededException("'" + label + "' declares " + n + " values, more than one IDX file may hold here");
        }
        byte[] payload = data.readNBytes((int) bytes); // grows with what arrives, never to the declared size up front
        if (payload.length != bytes) {
            throw new ModelFormatException("'" + label + "' is truncated: its header declares " + bytes + " bytes of values, the file holds "
                    + payload.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(payload); // big-endian
        return switch (type) {
            case 0x08 -> NdArray.ofBytes(DType.UINT8, shape, payload);
            case 0x09 -> NdArray.ofBytes(DType.INT8, shape, payload);
            case 0x0B, 0x0C -> {
                NdArray a = NdArray.zeros(DType.INT32, shape);
                for (long i = 0; i < n; i++) {
                    int v = type == 0x0B ? buf.getShort() : buf.getInt();
                    a.segment().setAtIndex(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, i, v);
                }
                yield a;
            }
            case 0x0D -> {
                float[] v = new float[(int) n];
                buf.asFloatBuffer().get(v);
                yield NdArray.ofFloats(v, shape);
            }
            default -> {
                double[] v = new double[(int) n];
                buf.asDoubleBuffer().get(v);
                yield NdArray.ofDoubles(v, shape);
            }
        };
    }

    private static long multiply(long a, long b, String label) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new LimitExceededException("'" + label + "' declares more values than a 64-bit count holds");
        }
    }
}
