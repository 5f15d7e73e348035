package dev.orbit.spectra;

import java.util.Random;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.ops.KernelBlock;
import dev.orbit.tensor.NdArray;

/** Small float64 tensors for the kernel tests. */
final class KernelTensors {
    private KernelTensors() {}

    static Tensor of(double[] values, long... shape) { return NdArray.ofDoubles(values, shape).toTorch(); }

    static Tensor gaussian(long seed, int rows, int cols) {
        Random r = new Random(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        return of(v, rows, cols);
    }

    static double[] values(Tensor t) { return NdArray.fromTorch(t).toDoubleArray(); }

    static double at(Tensor t, int i, int j) { return t.get(i).get(j).item_double(); }

    /** One pair as a 1×1 block with given q11, q12, q22 and NTK Θ. */
    static KernelBlock pair(double q11, double q12, double q22, double theta) {
        return new KernelBlock(of(new double[] {q12}, 1, 1), of(new double[] {theta}, 1, 1), of(new double[] {q11}, 1, 1),
                of(new double[] {q22}, 1, 1));
    }

    static double maxAbsDiff(Tensor a, Tensor b) { return a.sub(b).abs().max().item_double(); }
}
