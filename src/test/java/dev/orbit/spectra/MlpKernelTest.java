package dev.orbit.spectra;

import static dev.orbit.spectra.KernelTensors.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import dev.orbit.numeric.GaussHermite;
import dev.orbit.ops.KernelRule;
import dev.orbit.ops.QuadratureKernel;
import dev.orbit.ops.activation.ErfKernel;
import dev.orbit.ops.activation.ReluFamilyKernel;

/** Whole kernel matrices against a scalar, pair-by-pair recursion written independently here. */
class MlpKernelTest {
    @Test
    void reluMatrixMatchesTheScalarRecursionBlockByBlock() {
        try (PointerScope s = new PointerScope()) {
            Tensor rows = gaussian(1, 7, 5), cols = gaussian(2, 9, 5);
            MlpKernel k = MlpKernel.of(3, ReluFamilyKernel.RELU, 1.7, 0.05);
            // 20 entries per block: 7 blocks of 2 rows + the remainder, exercising the in-place row views
            MlpKernel.Kernels m = k.matrix(rows, cols, true, null, 20);
            double[] x = values(rows), y = values(cols);
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < 9; j++) {
                    double[] ref = scalarRelu(row(x, i, 5), row(y, j, 5), 3, 1.7, 0.05);
                    assertEquals(ref[0], at(m.nngp(), i, j), 1e-13 * Math.abs(ref[2]), "NNGP " + i + "," + j);
                    assertEquals(ref[1], at(m.ntk(), i, j), 1e-13 * Math.abs(ref[3]), "NTK " + i + "," + j);
                }
            }
        }
    }

    @Test
    void tanhMatrixMatchesTheScalarQuadratureRecursionAndTheDiagonal() {
        try (PointerScope s = new PointerScope()) {
            Tensor x = gaussian(3, 6, 4);
            MlpKernel k = MlpKernel.of(2, new QuadratureKernel(Activations.TANH, 16), 1.5, 0.1);
            MlpKernel.Kernels m = k.matrix(x, x, true, null);
            MlpKernel.Kernels d = k.diagonal(x, true);
            double[] v = values(x);
            GaussHermite gh = GaussHermite.of(16);
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    double[] a = row(v, i, 4), b = row(v, j, 4);
                    double q11 = dot(a, a) / 4, q12 = dot(a, b) / 4, q22 = dot(b, b) / 4, theta = 0;
                    for (int l = 0; l < 2; l++) {
                        q11 = 1.5 * q11 + 0.1; q12 = 1.5 * q12 + 0.1; q22 = 1.5 * q22 + 0.1;
                        theta = q12 + 1.5 * theta;
                        double s12 = gh.expect2(q11, q12, q22, (u, w) -> Math.tanh(u) * Math.tanh(w));
                        double dot = gh.expect2(q11, q12, q22, (u, w) -> Activations.TANH.derivative(u) * Activations.TANH.derivative(w));
                        double s11 = gh.expect2(q11, q11, q11, (u, w) -> Math.tanh(u) * Math.tanh(w));
                        double s22 = gh.expect2(q22, q22, q22, (u, w) -> Math.tanh(u) * Math.tanh(w));
                        q12 = s12; q11 = s11; q22 = s22; theta *= dot;
                    }
                    q12 = 1.5 * q12 + 0.1;
                    theta = q12 + 1.5 * theta;
                    assertEquals(q12, at(m.nngp(), i, j), 1e-12, "NNGP " + i + "," + j);
                    assertEquals(theta, at(m.ntk(), i, j), 1e-12, "NTK " + i + "," + j);
                }
                assertEquals(at(m.nngp(), i, i), d.nngp().get(i).item_double(), 1e-12, "diagonal NNGP " + i);
                assertEquals(at(m.ntk(), i, i), d.ntk().get(i).item_double(), 1e-11, "diagonal NTK " + i);
            }
        }
    }

    @Test
    void symmetricPathEqualsTheFullMatrixAndIsExactlySymmetricOffTheDiagonalBlocks() {
        try (PointerScope s = new PointerScope()) {
            Tensor x = gaussian(8, 23, 6);
            for (KernelRule phi : new KernelRule[] {ReluFamilyKernel.RELU, new QuadratureKernel(Activations.TANH, 6)}) {
                MlpKernel k = MlpKernel.of(2, phi, 1.9, 0.03);
                MlpKernel.Kernels full = k.matrix(x, x, true, null);
                MlpKernel.Kernels sym = k.symmetric(x, true, null, 40, 5); // panels of 5 rows, blocks of 1..5 rows
                double scale = full.ntk().abs().max().item_double();
                // the upper triangle is computed the same way; below it the tensor-product quadrature is not symmetric
                // in the pair at finite order (u gets the first node axis), so only closed forms agree there too
                assertEquals(0, maxAbsDiff(full.nngp().triu(), sym.nngp().triu()), 1e-14 * scale, phi.describe());
                assertEquals(0, maxAbsDiff(full.ntk().triu(), sym.ntk().triu()), 1e-14 * scale, phi.describe());
                if (phi instanceof ReluFamilyKernel) {
                    assertEquals(0, maxAbsDiff(full.nngp(), sym.nngp()), 1e-14 * scale, phi.describe());
                    assertEquals(0, maxAbsDiff(full.ntk(), sym.ntk()), 1e-14 * scale, phi.describe());
                }
                assertEquals(0, maxAbsDiff(sym.nngp().narrow(0, 5, 18).narrow(1, 0, 2), sym.nngp().narrow(1, 5, 18).narrow(0, 0, 2).t()), 0);
            }
        }
    }

    @Test
    void criticalReluKeepsTheLengthAndTheNtkDiagonalGrowsLinearlyWithDepth() {
        try (PointerScope s = new PointerScope()) {
            Tensor x = gaussian(4, 5, 8);
            double[] v = values(x);
            for (int depth : new int[] {1, 4, 9}) {
                MlpKernel.Kernels d = MlpKernel.of(depth, ReluFamilyKernel.RELU, 2, 0).diagonal(x, true);
                for (int i = 0; i < 5; i++) {
                    double q = 2 * dot(row(v, i, 8), row(v, i, 8)) / 8; // σ_w² = 2 undoes ReLU's halving
                    assertEquals(q, d.nngp().get(i).item_double(), 1e-13 * q);
                    // the NTK passes through Σ̇ = (π − θ)/2π, and at ρ = 1 the angle θ comes from the cancelling
                    // determinant q11·q22 − q12² ≈ ε·q², so it is known to √ε ≈ 1e-8 only (measured 1e-9 relative)
                    assertEquals((depth + 1) * q, d.ntk().get(i).item_double(), 1e-8 * q, "every layer adds q at criticality");
                }
            }
        }
    }

    @Test
    void kernelMatricesAreSymmetricPositiveSemidefinite() {
        try (PointerScope s = new PointerScope()) {
            Tensor x = gaussian(5, 40, 10);
            for (KernelRule phi : new KernelRule[] {ReluFamilyKernel.RELU, ErfKernel.ERF}) {
                MlpKernel.Kernels m = MlpKernel.of(3, phi, 1.8, 0.02).matrix(x, x, true, null, 64);
                for (Tensor k : new Tensor[] {m.nngp(), m.ntk()}) {
                    assertEquals(0, maxAbsDiff(k, k.t()), 1e-13 * k.abs().max().item_double(), phi.describe());
                    double smallest = org.bytedeco.pytorch.global.torch.linalg_eigvalsh(k).get(0).item_double();
                    assertTrue(smallest > -1e-12 * k.abs().max().item_double(), phi.describe() + " smallest eigenvalue " + smallest);
                }
            }
        }
    }

    /** NNGP, NTK and their magnitude scales after an MLP of ReLU layers, one pair at a time, acos form. */
    private static double[] scalarRelu(double[] a, double[] b, int depth, double sw, double sb) {
        int d = a.length;
        double q11 = dot(a, a) / d, q12 = dot(a, b) / d, q22 = dot(b, b) / d, theta = 0;
        for (int l = 0; l <= depth; l++) {
            q11 = sw * q11 + sb; q12 = sw * q12 + sb; q22 = sw * q22 + sb;
            theta = q12 + sw * theta;
            if (l == depth) break;
            double rho = Math.max(-1, Math.min(1, q12 / Math.sqrt(q11 * q22))), t = Math.acos(rho);
            double s12 = Math.sqrt(q11 * q22) * (Math.sin(t) + (Math.PI - t) * Math.cos(t)) / (2 * Math.PI);
            theta *= (Math.PI - t) / (2 * Math.PI);
            q12 = s12; q11 /= 2; q22 /= 2;
        }
        return new double[] {q12, theta, Math.sqrt(q11 * q22), (depth + 1) * Math.sqrt(q11 * q22)};
    }

    private static double[] row(double[] m, int i, int width) { return java.util.Arrays.copyOfRange(m, i * width, (i + 1) * width); }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
