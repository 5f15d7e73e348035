package dev.orbit.io.idx;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Reads the IDX format of the MNIST files (plain or gzip): two zero bytes, a type code, the rank, big-endian
 * int32 dimensions, then big-endian values. Unsigned bytes come back as UINT8, floats as FLOAT32 or FLOAT64,
 * 16/32-bit integers as INT32.
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
        var buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(buffered), 1 << 16) : buffered;
        var data = new DataInputStream(in);
        try {
            int zero = data.readUnsignedShort();
            int type = data.readUnsignedByte();
            int rank = data.readUnsignedByte();
            if (zero != 0 || rank == 0) throw new ModelFormatException("'" + label + "' is not an IDX file (bad magic number)");
            long[] shape = new long[rank];
            for (int i = 0; i < rank; i++) {
                shape[i] = data.readInt();
                if (shape[i] <= 0) throw new ModelFormatException("'" + label + "' has a dimension of " + shape[i]);
            }
            long n = NdArray.count(shape);
            return switch (type) {
                case 0x08 -> {
                    byte[] b = new byte[Math.toIntExact(n)];
                    data.readFully(b);
                    yield NdArray.ofBytes(DType.UINT8, shape, b);
                }
                case 0x09 -> {
                    byte[] b = new byte[Math.toIntExact(n)];
                    data.readFully(b);
                    yield NdArray.ofBytes(DType.INT8, shape, b);
                }
                case 0x0B, 0x0C -> {
                    NdArray a = NdArray.zeros(DType.INT32, shape);
                    for (long i = 0; i < n; i++) {
                        int v = type == 0x0B ? data.readShort() : data.readInt();
                        a.segment().setAtIndex(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, i, v);
                    }
                    yield a;
                }
                case 0x0D -> {
                    float[] v = new float[Math.toIntExact(n)];
                    for (int i = 0; i < v.length; i++) v[i] = data.readFloat();
                    yield NdArray.ofFloats(v, shape);
                }
                case 0x0E -> {
                    double[] v = new double[Math.toIntExact(n)];
                    for (int i = 0; i < v.length; i++) v[i] = data.readDouble();
                    yield NdArray.ofDoubles(v, shape);
                }
                default -> throw new ModelFormatException("'" + label + "' has unknown IDX type code 0x" + Integer.toHexString(type));
            };
        } catch (EOFException e) {
            throw new ModelFormatException("'" + label + "' is truncated");
        }
    }
}
