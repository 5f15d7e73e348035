package dev.orbit.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Initializer;

class TrainedJacobianTest {
    @Test
    void autogradJacobianMatchesExplicitLayerProduct() {
        Model m = NetworkBuilder.build(ArchSpec.parse("mlp:12-9-7-4:tanh"), new Initializer.TorchDefault(), 5);
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[3 * 12];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        NdArray data = NdArray.ofFloats(x, 3, 12);
        var r = TrainedJacobian.measure(m, data, 3, done -> { });
        assertEquals(4, r.outputs());
        // reference: J = W₃·D₂·W₂·D₁·W₁ from the Gemm parameters, in plain Java float64; eigenvalues of JJᵀ via
        // the singular values' squares = eigenvalues of the 4×4 symmetric JJᵀ, compared through traces of powers
        List<double[]> expected = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            double[] in = new double[12];
            for (int j = 0; j < 12; j++) in[j] = x[p * 12 + j];
            double[][] jac = explicitJacobian(m, in);
            expected.add(new double[] {trace(jac, 1), trace(jac, 2)});
        }
        double t1 = expected.stream().mapToDouble(e -> e[0]).sum(), t2 = expected.stream().mapToDouble(e -> e[1]).sum();
        assertEquals(t1, Arrays.stream(r.eigenvalues()).sum(), 1e-12 * t1);
        assertEquals(t2, Arrays.stream(r.eigenvalues()).map(e -> e * e).sum(), 1e-12 * t2);
    }

    @Test
    void bundledModelIsRecognisedAsAnMlp() throws Exception {
        try (var in = TrainedJacobian.class.getResourceAsStream("/models/mnist_mlp.onnx")) {
            Model m = dev.orbit.io.onnx.OnnxImporter.read(in.readAllBytes(), null, "mnist_mlp.onnx");
            assertEquals("mlp:784-128-64-10:relu", TrainedJacobian.mlpSpec(m).orElseThrow().toString());
        }
    }

    /** tr((JJᵀ)^k) for k = 1, 2. */
    static double trace(double[][] j, int k) {
        int n = j.length;
        double[][] g = new double[n][n];
        for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) for (int c = 0; c < j[0].length; c++) g[a][b] += j[a][c] * j[b][c];
        double s = 0;
        for (int a = 0; a < n; a++) {
            if (k == 1) s += g[a][a];
            else for (int b = 0; b < n; b++) s += g[a][b] * g[b][a];
        }
        return s;
    }

    static double[][] explicitJacobian(Model m, double[] x) {
        double[][] jac = null;
        double[] h = x;
        for (Node n : m.graph().nodes()) {
            switch (n.opType()) {
                case "Gemm" -> {
                    NdArray w = m.graph().parameter(n.input(1)), b = m.graph().parameter(n.input(2));
                    int out = (int) w.dim(0), in = (int) w.dim(1);
                    double[] y = new double[out];
                    double[][] nj = new double[out][];
                    for (int o = 0; o < out; o++) {
                        y[o] = b.getFloat(o);
                        for (int i = 0; i < in; i++) y[o] += w.getFloat((long) o * in + i) * h[i];
                        nj[o] = new double[x.length];
                        for (int c = 0; c < x.length; c++) {
                            double s = 0;
                            for (int i = 0; i < in; i++) s += w.getFloat((long) o * in + i) * (jac == null ? (i == c ? 1 : 0) : jac[i][c]);
                            nj[o][c] = s;
                        }
                    }
                    h = y;
                    jac = nj;
                }
                case "Tanh" -> {
                    for (int o = 0; o < h.length; o++) {
                        double t = Math.tanh(h[o]);
                        for (int c = 0; c < x.length; c++) jac[o][c] *= 1 - t * t;
                        h[o] = t;
                    }
                }
                default -> throw new AssertionError("unexpected node " + n.opType());
            }
        }
        return jac;
    }
}
