package dev.orbit.identity;

import java.util.stream.IntStream;

import dev.orbit.tensor.NdArray;

/**
 * A parameter tensor held in float64 for alignment: entries row-major, with the axis operations the orbit actions
 * need (gather-and-scale along one axis, x·M on a run of one axis) and the views matching needs (the slice of one
 * channel, the matrix of a run of channels). Mutable: the aligner moves its working copy in place.
 */
final class Tensor64 {
    final double[] data;
    final long[] shape;

    Tensor64(double[] data, long[] shape) {
        this.data = data;
        this.shape = shape.clone();
    }

    static Tensor64 of(NdArray a) { return new Tensor64(a.toDoubleArray(), a.shape()); }

    Tensor64 copy() { return new Tensor64(data.clone(), shape); }

    int rank() { return shape.length; }

    long outer(int axis) {
        long o = 1;
        for (int a = 0; a < axis; a++) o *= shape[a];
        return o;
    }

    long inner(int axis) {
        long n = 1;
        for (int a = axis + 1; a < shape.length; a++) n *= shape[a];
        return n;
    }

    /** Entries with index {@code pos} along {@code axis} (positions {@code pos .. pos + count}), other axes in order. */
    double[] slice(int axis, long pos, long count) {
        int outer = Math.toIntExact(outer(axis));
        int inner = Math.toIntExact(inner(axis));
        long len = shape[axis];
        double[] out = new double[Math.toIntExact(outer * count * inner)];
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (long c = 0; c < count; c++) {
                int base = Math.toIntExact((o * len + pos + c) * inner);
                System.arraycopy(data, base, out, k, inner);
                k += inner;
            }
        }
        return out;
    }

    /**
     * The slices {@code slice(axis, offset + c·repeat, repeat)} of the given channels c, one row each of one row-major
     * matrix (channels × the slice length). Read in memory order, a block of outer indices at a time and in parallel,
     * so a column slice (a weight's input axis, inner 1) is not one strided walk through the tensor per channel.
     */
    double[] channelRows(int axis, long offset, long repeat, int[] channels) {
        int outer = Math.toIntExact(outer(axis));
        int run = Math.toIntExact(repeat * inner(axis));
        long len = shape[axis];
        int rowLength = outer * run;
        double[] out = new double[Math.toIntExact((long) channels.length * rowLength)];
        int block = 16;
        IntStream.range(0, (outer + block - 1) / block).parallel().forEach(b -> {
            int end = Math.min(outer, (b + 1) * block);
            for (int u = 0; u < channels.length; u++) {
                long first = offset + channels[u] * repeat;
                for (int o = b * block; o < end; o++) {
                    int src = Math.toIntExact((o * len + first) * (run / repeat));
                    if (run == 1) out[u * rowLength + o] = data[src];
                    else System.arraycopy(data, src, out, u * rowLength + o * run, run);
                }
            }
        });
        return out;
    }

    /**
     * New entry at offset + j·repeat + k = old entry at offset + p[j]·repeat + k, times f[j] (f may be null), for
     * j &lt; p.length and k &lt; repeat.
     */
    void gatherScale(int axis, long offset, long repeat, int[] p, double[] f) {
        int outer = Math.toIntExact(outer(axis));
        int inner = Math.toIntExact(inner(axis));
        long len = shape[axis];
        IntStream.range(0, outer).parallel().forEach(o -> {
            int n = Math.toIntExact(p.length * repeat * inner);
            double[] old = new double[n];
            int start = Math.toIntExact((o * len + offset) * inner);
            System.arraycopy(data, start, old, 0, n);
            int run = Math.toIntExact(repeat * inner);
            for (int j = 0; j < p.length; j++) {
                double s = f == null ? 1 : f[j];
                int src = p[j] * run;
                int dst = start + j * run;
                for (int e = 0; e < run; e++) data[dst + e] = old[src + e] * s;
            }
        });
    }

    /** Entries offset .. offset + n of {@code axis} as a matrix: one row per combination of the other axes. */
    double[][] block(int axis, long offset, int n) {
        int outer = Math.toIntExact(outer(axis));
        int inner = Math.toIntExact(inner(axis));
        long len = shape[axis];
        double[][] m = new double[outer * inner][n];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double[] row = m[o * inner + i];
                for (int c = 0; c < n; c++) row[c] = data[Math.toIntExact((o * len + offset + c) * inner + i)];
            }
        }
        return m;
    }

    /** x → x·M on entries offset .. offset + n of {@code axis} (row-vector convention, as the orbit action). */
    void multiply(int axis, long offset, double[][] m) {
        int outer = Math.toIntExact(outer(axis));
        int inner = Math.toIntExact(inner(axis));
        long len = shape[axis];
        int n = m.length;
        IntStream.range(0, outer * inner).parallel().forEach(f -> {
            int o = f / inner;
            int i = f % inner;
            double[] x = new double[n];
            for (int k = 0; k < n; k++) x[k] = data[Math.toIntExact((o * len + offset + k) * inner + i)];
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += x[k] * m[k][j];
                data[Math.toIntExact((o * len + offset + j) * inner + i)] = s;
            }
        });
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
