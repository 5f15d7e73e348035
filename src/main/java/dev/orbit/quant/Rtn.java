package dev.orbit.quant;

/**
 * Symmetric round-to-nearest quantisation to signed b-bit integers: q = clamp(round(x/s), −(2^(b−1)−1),
 * 2^(b−1)−1), x̂ = q·s, with s = max|x|/(2^(b−1)−1) over the tensor (activations, per-tensor) or over each output
 * channel (weights, per-channel). Values are doubles; the error is relative in the Frobenius norm.
 */
public final class Rtn {
    private Rtn() {}

    /** The largest integer level: 127 for int8, 7 for int4. */
    public static int levels(int bits) {
        if (bits < 2 || bits > 16) throw new IllegalArgumentException("bits must be in 2..16, got " + bits);
        return (1 << (bits - 1)) - 1;
    }

    /** s = max|x|/levels (1 for an all-zero tensor). */
    public static double scale(double maxAbs, int bits) { return maxAbs > 0 ? maxAbs / levels(bits) : 1; }

    public static double quantize(double x, double scale, int bits) {
        int q = levels(bits);
        return Math.clamp(Math.rint(x / scale), -q, q) * scale;
    }

    public static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** Per-tensor, with the scale computed from this tensor. */
    public static double[] perTensor(double[] x, int bits) { return perTensor(x, scale(maxAbs(x), bits), bits); }

    /** Per-tensor with a given scale (from a calibration batch); values beyond the range clip. */
    public static double[] perTensor(double[] x, double scale, int bits) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = quantize(x[i], scale, bits);
        return y;
    }

    /**
     * A row-major [rows, cols] matrix quantised with one scale per output channel: per column when
     * {@code channelAxis} = 1 (W of x·W), per row when 0 (W of Gemm with transB).
     */
    public static double[] perChannel(double[] w, int rows, int cols, int channelAxis, int bits) {
        double[] y = new double[w.length];
        int channels = channelAxis == 1 ? cols : rows;
        for (int c = 0; c < channels; c++) {
            double m = 0;
            int n = channelAxis == 1 ? rows : cols;
            for (int k = 0; k < n; k++) m = Math.max(m, Math.abs(w[channelAxis == 1 ? k * cols + c : c * cols + k]));
            double s = scale(m, bits);
            for (int k = 0; k < n; k++) {
                int i = channelAxis == 1 ? k * cols + c : c * cols + k;
                y[i] = quantize(w[i], s, bits);
            }
        }
        return y;
    }
}
