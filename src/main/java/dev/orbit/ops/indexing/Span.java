package dev.orbit.ops.indexing;

import java.util.ArrayList;
import java.util.List;

/**
 * One axis of a slice after ONNX's normalisation: negative start/end count from the back, then clamp to
 * [0, dim] (forward) or [0, dim-1] and [-1, dim-1] (backward). Picks {@code length} elements from
 * {@code start} on, {@code step} apart.
 */
record Span(long start, long length, long step) {
    static Span of(long start, long end, long step, long dim) {
        if (start < 0) start += dim;
        if (end < 0) end += dim;
        long len;
        if (step > 0) {
            start = Math.clamp(start, 0, dim);
            end = Math.clamp(end, 0, dim);
            len = end > start ? Math.ceilDiv(end - start, step) : 0;
        } else {
            start = Math.clamp(start, 0, dim - 1);
            end = Math.clamp(end, -1, dim - 1);
            len = start > end ? Math.ceilDiv(start - end, -step) : 0;
        }
        return new Span(start, len, step);
    }

    /** The span along {@code axis} of row-major {@code items} of the given (known) shape. */
    <T> List<T> pick(List<T> items, long[] shape, int axis) {
        long inner = 1;
        for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
        long outer = items.size() / (shape[axis] * inner);
        List<T> out = new ArrayList<>((int) (outer * length * inner));
        for (long o = 0; o < outer; o++) {
            for (long i = 0; i < length; i++) {
                long row = (o * shape[axis] + start + i * step) * inner;
                for (long k = 0; k < inner; k++) out.add(items.get((int) (row + k)));
            }
        }
        return out;
    }

    <T> List<T> pick(List<T> items) {
        List<T> out = new ArrayList<>((int) length);
        for (long i = 0; i < length; i++) out.add(items.get((int) (start + i * step)));
        return out;
    }
}
