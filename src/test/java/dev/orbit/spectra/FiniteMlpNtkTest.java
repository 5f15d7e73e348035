package dev.orbit.spectra;

import static dev.orbit.spectra.KernelTensors.*;
import static org.bytedeco.pytorch.global.torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.junit.jupiter.api.Test;

import dev.orbit.ops.Activation;
import dev.orbit.ops.activation.ReluFamilyKernel;
import dev.orbit.train.Gradients;

class FiniteMlpNtkTest {
    /** Layerwise contraction against per-sample parameter gradients from libtorch autograd, Θ = J·Jᵀ. */
    @Test
    void layerwiseContractionEqualsTheAutogradJacobianProduct() {
        for (Activation a : new Activation[] {Activations.RELU, Activations.TANH}) {
            try (PointerScope s = new PointerScope()) {
                FiniteMlp net = FiniteMlp.random(4, 7, 2, 3, a, 1.3, 0.4, 5);
                Tensor x = gaussian(6, 5, 4);
                List<Tensor> params = new ArrayList<>();
                for (int l = 0; l < net.weights().size(); l++) {
                    params.add(net.weights().get(l).set_requires_grad(true));
                    params.add(net.biases().get(l).set_requires_grad(true));
                }
                double[][] expected = new double[5][5];
                for (int k = 0; k < 3; k++) {
                    Tensor[] rows = new Tensor[5];
                    for (int i = 0; i < 5; i++) {
                        // a fresh forward per gradient: autograd frees the graph after each grad call
                        List<Tensor> g = Gradients.grad(net.forward(x).get(i).get(k), params, false);
                        rows[i] = cat(new TensorVector(g.stream().map(t -> t.reshape(-1)).toArray(Tensor[]::new)));
                    }
                    for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) expected[i][j] += rows[i].dot(rows[j]).item_double() / 3;
                }
                Tensor ntk;
                try (var ng = new org.bytedeco.pytorch.NoGradGuard()) {
                    ntk = net.ntk(x, x);
                }
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 5; j++) assertEquals(expected[i][j], at(ntk, i, j), 1e-12 * Math.abs(expected[i][i]), a + " " + i + "," + j);
                }
            }
        }
    }

    /** The empirical NTK of a random NTK-parameterised MLP approaches the infinite-width NTK as 1/√width. */
    @Test
    void empiricalNtkConvergesToTheInfiniteWidthNtk() {
        try (PointerScope s = new PointerScope()) {
            Tensor x = gaussian(7, 10, 16);
            Tensor limit = MlpKernel.of(2, ReluFamilyKernel.RELU, 2, 0.1).matrix(x, x, true, null).ntk();
            int[] widths = {32, 256, 2048};
            double[] error = new double[widths.length];
            for (int w = 0; w < widths.length; w++) {
                for (int seed = 0; seed < 2; seed++) {
                    FiniteMlp net = FiniteMlp.random(16, widths[w], 2, 1, Activations.RELU, Math.sqrt(2), Math.sqrt(0.1), 100 + seed);
                    error[w] += relativeFrobenius(net.ntk(x, x), limit) / 2;
                }
            }
            System.out.printf("empirical vs infinite-width NTK, relative Frobenius error (mean of 2 seeds): width %s -> %s%n",
                    java.util.Arrays.toString(widths), java.util.Arrays.toString(error));
            assertTrue(error[0] > error[1] && error[1] > error[2], "error shrinks with width: " + java.util.Arrays.toString(error));
            assertTrue(error[2] < 0.1, "width 2048 within 10%: " + error[2]);
            assertTrue(error[0] / error[2] > 3, "roughly 1/√width (8× expected from 32 to 2048): " + java.util.Arrays.toString(error));
        }
    }

    static double relativeFrobenius(Tensor a, Tensor b) {
        return dev.orbit.numeric.RelativeError.inL2Norm(dev.orbit.tensor.NdArray.fromTorch(b.to(org.bytedeco.pytorch.global.torch.ScalarType.Double)).toDoubleArray(),
                dev.orbit.tensor.NdArray.fromTorch(a.to(org.bytedeco.pytorch.global.torch.ScalarType.Double)).toDoubleArray());
    }
}
