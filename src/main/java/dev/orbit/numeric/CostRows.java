package dev.orbit.numeric;

import java.lang.foreign.MemorySegment;

/**
 * Rows of a cost matrix as (array, offset) views, oriented for minimisation, so the solver's inner loops read one
 * primitive array sequentially whatever the source. A heap matrix being minimised is read in place; otherwise
 * (maximisation, or a memory segment) each row is copied into one reusable buffer of one row, negated for
 * maximisation. The copy streams the same bytes the scan would read, so it costs little more than the scan.
 */
final class CostRows {
    private final double[] heap;
    private final MemorySegment segment;
    private final boolean negate;
    private final double[] buffer;
    private final int columns;

    CostRows(CostMatrix costs, boolean negate) {
        this.columns = costs.columns();
        this.negate = negate;
        switch (costs) {
            case CostMatrix.OnHeap h -> { heap = h.values(); segment = null; }
            case CostMatrix.OffHeap s -> { heap = null; segment = s.values(); }
        }
        this.buffer = heap != null && !negate ? null : new double[columns];
    }

    /** The array that {@link #load} makes hold the row: the matrix itself or the row buffer. */
    double[] array() {
        return buffer == null ? heap : buffer;
    }

    /** Makes row {@code row} readable in {@link #array()} from the returned offset onward. */
    int load(int row) {
        if (buffer == null) return row * columns;
        if (heap != null) {
            System.arraycopy(heap, row * columns, buffer, 0, columns);
        } else {
            MemorySegment.copy(segment, CostMatrix.LITTLE_ENDIAN_DOUBLE, (long) row * columns * Double.BYTES, buffer, 0, columns);
        }
        if (negate) {
            for (int j = 0; j < columns; j++) buffer[j] = -buffer[j];
        }
        return 0;
    }
}
