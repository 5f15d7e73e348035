package dev.orbit.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import dev.orbit.numeric.Matrices;
import dev.orbit.tensor.NdArray;

/** The fast Kronecker–Hadamard transform equals its dense matrix, which is orthogonal. */
class OrthogonalTest {
    @Test
    void fastTransformEqualsDenseMatrix() {
        for (int n : new int[] {64, 96, 112, 160, 224}) { // 1·64, 12·8, 28·4, 20·8, 28·8
            var h = Orthogonal.KroneckerHadamard.random(n, new SplittableRandom(n));
            double[][] q = h.dense();
            assertTrue(Matrices.orthogonalityError(q) < 1e-13, n + ": orthogonal");
            double[] x = new double[3 * n];
            SplittableRandom rng = new SplittableRandom(1);
            for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
            Tensor xt = Edits.matrix(x, 3, n);
            double[] fast = NdArray.fromTorch(h.right(xt).contiguous()).toDoubleArray();
            double[] dense = NdArray.fromTorch(torch.matmul(xt, Edits.matrix(q)).contiguous()).toDoubleArray();
            assertArrayEquals(dense, fast, 1e-12, "x·Q, n = " + n);
            double[] left = NdArray.fromTorch(h.leftTransposed(xt.t().contiguous()).contiguous()).toDoubleArray();
            double[] leftDense = NdArray.fromTorch(torch.matmul(Edits.matrix(q).t(), xt.t()).contiguous()).toDoubleArray();
            assertArrayEquals(leftDense, left, 1e-12, "Qᵀ·W, n = " + n);
        }
    }

    @Test
    void powerOfTwoIsTheSylvesterSampler() {
        double[][] expected = Matrices.randomHadamard(32, new SplittableRandom(5));
        double[][] actual = Orthogonal.KroneckerHadamard.random(32, new SplittableRandom(5)).dense();
        for (int i = 0; i < 32; i++) assertArrayEquals(expected[i], actual[i], 1e-15);
    }
}
