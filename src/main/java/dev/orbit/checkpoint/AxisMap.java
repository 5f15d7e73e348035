package dev.orbit.checkpoint;

import java.lang.foreign.MemorySegment;

import dev.orbit.io.safetensors.ElementType;
import dev.orbit.io.safetensors.StoredTensor;
import dev.orbit.io.safetensors.Values;

/**
 * A move that only permutes and scales a 1-D or 2-D tensor along one axis: slice {@code i} of the result is slice
 * {@code source[i]} of the original times {@code factors[i]} ({@code factors} null: times 1). Most of a checkpoint
 * move's bytes are such tensors (the SwiGLU scaling touches up and down, half of a LLaMA's weights), and applying
 * the map straight from the stored bytes into the output, a row at a time, replaces libtorch's widen, index_select,
 * multiply and narrow passes over float64 copies with one pass. The values are those of
 * {@link Edits#scale}({@link Edits#permute}) computed in float64 and narrowed as libtorch narrows ({@link Values}),
 * bit for bit.
 */
record AxisMap(int axis, long[] source, double[] factors) {
    AxisMap {
        if (axis != 0 && axis != 1) throw new IllegalArgumentException("axis must be 0 or 1, got " + axis);
        if (factors != null && factors.length != source.length) throw new IllegalArgumentException("one factor per slice is needed");
    }

    /**
     * Writes the mapped {@code in} into {@code out} (row-major, {@code outType}); false when the shapes do not fit.
     * Both segments must be accessible from any thread (a shared arena or a file mapping).
     */
    boolean apply(StoredTensor in, ElementType outType, MemorySegment out) {
        long[] shape = in.shape();
        if (shape.length < 1 || shape.length > 2 || (shape.length == 1 && axis != 0)) return false;
        long rows = shape[0];
        long cols = shape.length == 1 ? 1 : shape[1];
        if ((axis == 0 ? rows : cols) != source.length || cols > Integer.MAX_VALUE / 8) return false;
        if (out.byteSize() != rows * cols * outType.byteSize) return false;
        // rows are independent: both cores take a share (a LLaMA-8B teleport moves 3.8 billion weights this way)
        int parts = (int) Math.min(rows, Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), rows * cols / (1 << 16))));
        java.util.stream.IntStream.range(0, parts).parallel().forEach(k ->
                rows(in, outType, out, rows * k / parts, rows * (k + 1) / parts, (int) cols));
        return true;
    }

    private void rows(StoredTensor in, ElementType outType, MemorySegment out, long from, long to, int cols) {
        Row row = new Row(cols);
        double[] permuted = axis == 1 ? new double[cols] : null;
        for (long r = from; r < to; r++) {
            row.decode(in.type(), in.bytes(), (axis == 0 ? source[(int) r] : r) * cols);
            double[] values = row.values;
            if (axis == 0) {
                if (factors != null) {
                    double f = factors[(int) r];
                    for (int j = 0; j < cols; j++) values[j] *= f;
                }
            } else {
                for (int j = 0; j < cols; j++) permuted[j] = values[(int) source[j]];
                if (factors != null) for (int j = 0; j < cols; j++) permuted[j] *= factors[j];
                values = permuted;
            }
            row.encode(outType, values, out, r * cols);
        }
    }

    /** One row's scratch: bulk copies between the segment and Java arrays, then plain loops the JIT vectorises. */
    private static final class Row {
        final double[] values;
        final short[] halves;
        final float[] floats;

        Row(int cols) {
            values = new double[cols];
            halves = new short[cols];
            floats = new float[cols];
        }

        void decode(ElementType type, MemorySegment bytes, long start) {
            int n = values.length;
            switch (type) {
                case BF16 -> {
                    MemorySegment.copy(bytes, Values.I16, start * 2, halves, 0, n);
                    for (int j = 0; j < n; j++) values[j] = Float.intBitsToFloat(halves[j] << 16);
                }
                case F16 -> {
                    MemorySegment.copy(bytes, Values.I16, start * 2, halves, 0, n);
                    for (int j = 0; j < n; j++) values[j] = Float.float16ToFloat(halves[j]);
                }
                case F32 -> {
                    MemorySegment.copy(bytes, Values.F32, start * 4, floats, 0, n);
                    for (int j = 0; j < n; j++) values[j] = floats[j];
                }
                default -> { for (int j = 0; j < n; j++) values[j] = Values.get(type, bytes, start + j); }
            }
        }

        void encode(ElementType type, double[] src, MemorySegment out, long start) {
            int n = src.length;
            switch (type) {
                case BF16 -> {
                    for (int j = 0; j < n; j++) halves[j] = Values.floatToBf16((float) src[j]);
                    MemorySegment.copy(halves, 0, out, Values.I16, start * 2, n);
                }
                case F16 -> {
                    for (int j = 0; j < n; j++) halves[j] = Float.floatToFloat16((float) src[j]);
                    MemorySegment.copy(halves, 0, out, Values.I16, start * 2, n);
                }
                case F32 -> {
                    for (int j = 0; j < n; j++) floats[j] = (float) src[j];
                    MemorySegment.copy(floats, 0, out, Values.F32, start * 4, n);
                }
                default -> { for (int j = 0; j < n; j++) Values.set(type, out, start + j, src[j]); }
            }
        }
    }
}
