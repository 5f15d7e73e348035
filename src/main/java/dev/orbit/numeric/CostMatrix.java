package dev.orbit.numeric;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A dense rows × columns float64 cost matrix, row-major, read but never written by {@link LinearAssignment}.
 * Either a Java array (up to 2³¹−1 entries, e.g. 16,384 × 16,384 = 2 GiB) or a {@link MemorySegment} of
 * little-endian doubles (native, memory-mapped or heap; any size), so large matrices are not copied.
 */
public sealed interface CostMatrix permits CostMatrix.OnHeap, CostMatrix.OffHeap {
    /** Little-endian doubles, any alignment: the layout of {@code dev.orbit.tensor.NdArray} and of .npy {@code <f8}. */
    ValueLayout.OfDouble LITTLE_ENDIAN_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    int rows();

    int columns();

    /** Entry (row, column); for checks and small uses, not for inner loops. */
    double get(int row, int column);

    /** Wraps {@code values} (row-major, length rows·columns) without copying. */
    static CostMatrix of(double[] values, int rows, int columns) {
        return new OnHeap(values, rows, columns);
    }

    /** Wraps a segment of rows·columns little-endian doubles (row-major) without copying. */
    static CostMatrix of(MemorySegment values, int rows, int columns) {
        return new OffHeap(values, rows, columns);
    }

    /** A cost matrix in a Java array. */
    record OnHeap(double[] values, int rows, int columns) implements CostMatrix {
        public OnHeap {
            checkShape(rows, columns);
            if ((long) rows * columns != values.length) {
                throw new IllegalArgumentException("a " + rows + "x" + columns + " cost matrix needs " + (long) rows * columns
                        + " values, got " + values.length);
            }
        }

        @Override
        public double get(int row, int column) {
            return values[row * columns + column];
        }
    }

    /** A cost matrix in a memory segment of little-endian doubles. */
    record OffHeap(MemorySegment values, int rows, int columns) implements CostMatrix {
        public OffHeap {
            checkShape(rows, columns);
            if ((long) rows * columns * Double.BYTES != values.byteSize()) {
                throw new IllegalArgumentException("a " + rows + "x" + columns + " cost matrix needs " + (long) rows * columns * Double.BYTES
                        + " bytes, got " + values.byteSize());
            }
        }

        @Override
        public double get(int row, int column) {
            return values.getAtIndex(LITTLE_ENDIAN_DOUBLE, (long) row * columns + column);
        }
    }

    private static void checkShape(int rows, int columns) {
        if (rows < 0 || columns < 0) throw new IllegalArgumentException("negative cost matrix shape " + rows + "x" + columns);
    }
}
