package dev.orbit.spectra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/** Which parameters become weight matrices, how they are oriented and sliced, and which layers are skipped. */
class WeightMatricesTest {
    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    static float[] transpose(float[] w, int rows, int cols) {
        float[] t = new float[w.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = w[i * cols + j];
        return t;
    }

    static Model model(List<Node> nodes, Map<String, NdArray> params, String input, long... inShape) {
        var x = new ValueInfo(input, new ValueType(DType.FLOAT32, Shape.of(inShape)));
        String last = nodes.getLast().output(0);
        var y = new ValueInfo(last, new ValueType(DType.FLOAT32, null));
        return new Model(new Graph("t", List.of(x), List.of(y), nodes, params, Map.of(), ""), Map.of("", 17L),
                Model.ModelInfo.orbit());
    }

    @Test
    void gemmOrientationFollowsTransBAndTheEigenvaluesDoNotCare() {
        float[] w = random(30 * 20, 1); // (out 30, in 20) as PyTorch stores it
        Map<String, NdArray> p = new LinkedHashMap<>();
        p.put("w1", NdArray.ofFloats(w, 30, 20));
        p.put("w2", NdArray.ofFloats(transpose(w, 30, 20), 20, 30));
        p.put("b", NdArray.ofFloats(new float[30], 30));
        var a = new Node("fc_transB", "Gemm", List.of("x", "w1", "b"), List.of("h"), Attributes.NONE.with("transB", new Attr.Int(1)));
        var b = new Node("fc_plain", "Gemm", List.of("x", "w2", "b"), List.of("y"), Attributes.NONE);
        var found = WeightMatrices.find(model(List.of(a, b), p, "x", 4, 20));
        assertEquals(2, found.matrices().size(), found.toString());
        WeightMatrix m1 = found.matrices().get(0), m2 = found.matrices().get(1);
        assertEquals(30, m1.outputs());
        assertEquals(20, m1.inputs());
        assertEquals(30, m2.outputs());
        assertEquals(20, m2.inputs());
        assertEquals(1.5, m1.q());
        assertEquals(20, m1.eigenvalueCount());
        var e1 = LayerSpectrum.of(m1, p.get("w1"), EsdOptions.DEFAULT).eigenvalues();
        var e2 = LayerSpectrum.of(m2, p.get("w2"), EsdOptions.DEFAULT).eigenvalues();
        for (int i = 0; i < e1.length; i++) assertEquals(e1[i], e2[i], 1e-12 * e1[e1.length - 1]);
    }

    @Test
    void convKernelTapsArePooledAndMatchSlicesTakenByHand() {
        int n = 6, c = 4, k = 3;
        float[] w = random(n * c * k * k, 2);
        NdArray kernel = NdArray.ofFloats(w, n, c, k, k);
        var conv = new Node("conv", "Conv", List.of("x", "w"), List.of("y"), Attributes.NONE);
        var found = WeightMatrices.find(model(List.of(conv), Map.of("w", kernel), "x", 1, c, 8, 8));
        WeightMatrix m = found.matrices().getFirst();
        assertEquals(9, m.slices());
        assertEquals(36, m.eigenvalueCount());
        double[] pooled = LayerSpectrum.of(m, kernel, EsdOptions.DEFAULT).eigenvalues();
        // reference: each tap W[:, :, i, j] copied out by index arithmetic, eigenvalues by SVD instead of Gram
        List<Double> ref = new ArrayList<>();
        for (int tap = 0; tap < k * k; tap++) {
            double[] slice = new double[n * c];
            for (int o = 0; o < n; o++) for (int i = 0; i < c; i++) slice[o * c + i] = w[(o * c + i) * k * k + tap];
            for (double v : Eigenvalues.of(slice, n, c, Eigenvalues.Method.SVD)) ref.add(v);
        }
        double[] expected = ref.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        assertEquals(expected.length, pooled.length);
        for (int i = 0; i < pooled.length; i++) assertEquals(expected[i], pooled[i], 1e-12 * expected[expected.length - 1]);
    }

    @Test
    void matMulParameterOnEitherSideAndSkippedLayersWithReasons() {
        Map<String, NdArray> p = new LinkedHashMap<>();
        p.put("right", NdArray.ofFloats(random(16 * 24, 3), 16, 24)); // X·W: 16 in, 24 out
        p.put("left", NdArray.ofFloats(random(12 * 5, 4), 12, 5));
        p.put("small", NdArray.ofFloats(random(24 * 5, 5), 24, 5));
        var n1 = new Node("right_mm", "MatMul", List.of("x", "right"), List.of("h"), Attributes.NONE);
        var n2 = new Node("left_mm", "MatMul", List.of("left", "xt"), List.of("g"), Attributes.NONE);
        var n3 = new Node("act_mm", "MatMul", List.of("h", "ht"), List.of("a"), Attributes.NONE);
        var n4 = new Node("tiny", "Gemm", List.of("h", "small"), List.of("z"), Attributes.NONE);
        var n5 = new Node("tied", "MatMul", List.of("x", "right"), List.of("h2"), Attributes.NONE);
        var tr = new Node("tr", "Transpose", List.of("h"), List.of("ht"), Attributes.NONE);
        var tx = new Node("tx", "Transpose", List.of("x"), List.of("xt"), Attributes.NONE);
        var found = WeightMatrices.find(model(List.of(n1, tr, tx, n2, n3, n4, n5), p, "x", 5, 16));
        assertEquals(List.of("right_mm"), found.matrices().stream().map(WeightMatrix::layer).toList());
        WeightMatrix r = found.matrices().getFirst();
        assertEquals(24, r.outputs());
        assertEquals(16, r.inputs());
        Map<String, String> reasons = new LinkedHashMap<>();
        found.skipped().forEach(s -> reasons.put(s.layer(), s.reason()));
        assertTrue(reasons.get("left_mm").contains("only 5 eigenvalues"), reasons.toString());
        assertTrue(reasons.get("act_mm").contains("no parameter operand"), reasons.toString());
        assertTrue(reasons.get("tiny").contains("fewer than 10"), reasons.toString());
        assertTrue(reasons.get("tied").contains("shares parameter 'right'"), reasons.toString());
        assertEquals(4, found.skipped().size());
    }

    @Test
    void bundledModelHasThreeDenseLayers() throws Exception {
        var m = dev.orbit.io.onnx.OnnxImporter.read(java.nio.file.Path.of("src/main/resources/models/mnist_mlp.onnx"));
        var found = WeightMatrices.find(m);
        assertEquals(List.of(128L, 64L, 10L), found.matrices().stream().map(WeightMatrix::outputs).toList());
        assertEquals(List.of(784L, 128L, 64L), found.matrices().stream().map(WeightMatrix::inputs).toList());
        assertTrue(found.skipped().isEmpty());
        assertArrayEquals(new long[] {128, 784}, found.matrices().getFirst().parameterShape());
        assertEquals(Arrays.asList(1, 1, 1), found.matrices().stream().map(WeightMatrix::slices).toList());
    }

    @Test
    void aZeroWeightIsSkippedWithItsReasonNotAnError() {
        Map<String, NdArray> p = new LinkedHashMap<>();
        p.put("zero", NdArray.ofFloats(new float[20 * 12], 20, 12));
        p.put("live", NdArray.ofFloats(random(20 * 12, 6), 12, 20));
        var a = new Node("dead", "MatMul", List.of("x", "zero"), List.of("h"), Attributes.NONE);
        var b = new Node("alive", "MatMul", List.of("h", "live"), List.of("y"), Attributes.NONE);
        var s = ModelSpectrum.of(model(List.of(a, b), p, "x", 2, 20), EsdOptions.DEFAULT);
        assertEquals(List.of("alive"), s.layers().stream().map(LayerSpectrum::layer).toList());
        assertTrue(s.skipped().getFirst().reason().contains("all-zero"), s.skipped().toString());
        assertEquals(s.layers().getFirst().logNorm(), s.summary().get("log_norm"));
    }
}
