package dev.orbit.ops.linear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.HalfBlocks;
import dev.orbit.ops.OpCheck;
import dev.orbit.ops.OpSupport;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Gemm and MatMul on float16/bfloat16 inputs work a block of A's rows and of B's columns at a time ({@link HalfProduct})
 * rather than on whole float32 copies. Each result is held to the float64 product (within one ulp of the half type
 * plus the float32 floor, K·2⁻²⁴ times the sum of the terms' magnitudes) and to the half policy's result with the
 * inputs widened whole: the same values but for rare ones, each within one ulp plus twice the floor, since BLAS need
 * not sum a dot product in the same order for a block as for the whole matrix. MatMul is also checked against ONNX
 * Runtime within float16 rounding; ONNX Runtime 1.29's float16 Gemm on CPU is further off at this depth (relative
 * error 5.6e-3, 1.25 absolute, against Orbit with and without blocks alike), so Gemm is held to float64 instead.
 * A (600 rows) and B (700 columns) of depth 1024 span two blocks each, the last of another size.
 */
class HalfProductTest {
    private static final long K = 1024;
    private static final long N = 700; // 1024·700·4 bytes = 1.4 blocks' worth: blocks of 512 and 188 columns
    private static final long M = 600; // likewise rows of A: blocks of 512 and 88 rows

    @Test
    void theOperandsHereSpanSeveralBlocks() {
        assertTrue(K * N * Float.BYTES > HalfProduct.BLOCK_BYTES && K * M * Float.BYTES > HalfProduct.BLOCK_BYTES);
        assertEquals(512, HalfProduct.BLOCK_BYTES / (Float.BYTES * K));
    }

    @Test
    void gemmWithBiasOnAHalfWeightFloat16AndBfloat16() {
        for (DType half : List.of(DType.FLOAT16, DType.BFLOAT16)) {
            NdArray a = OpCheck.randn(1, M, K).to(half);
            NdArray w = OpCheck.randn(2, N, K).to(half);
            NdArray c = OpCheck.randn(3, N).to(half);
            Model m = OpCheck.node("Gemm").attr("transB", 1L).input("a", a).param("w", w).param("c", c).model();
            NdArray y = new Evaluator(m).run(Map.of("a", a)).get("y");
            assertEquals(half, y.dtype());
            assertBlocksRight(m, Map.of("a", a), y);
        }
    }

    @Test
    void gemmWithAlphaBetaTransposedAAndAMatrixOrColumnC() {
        NdArray at = OpCheck.randn(4, K, M).to(DType.FLOAT16);
        NdArray w = OpCheck.randn(5, K, N).to(DType.FLOAT16);
        for (NdArray c : List.of(OpCheck.randn(6, M, N).to(DType.FLOAT16), OpCheck.randn(7, M, 1).to(DType.FLOAT16))) {
            Model m = OpCheck.node("Gemm").attr("transA", 1L).attr("alpha", 0.5f).attr("beta", 2f)
                    .input("a", at).param("w", w).input("c", c).model();
            Map<String, NdArray> feeds = Map.of("a", at, "c", c);
            assertBlocksRight(m, feeds, new Evaluator(m).run(feeds).get("y"));
        }
    }

    @Test
    void matMulOnAFloat16WeightBatchedOrNot() {
        NdArray a = OpCheck.randn(8, 2, 3, K).to(DType.FLOAT16);
        for (NdArray w : List.of(OpCheck.randn(9, K, N).to(DType.FLOAT16), OpCheck.randn(10, 2, K, N / 2).to(DType.FLOAT16))) {
            OpCheck check = OpCheck.node("MatMul").input("a", a).param("w", w).tolerance(2e-3);
            assertBlocksRight(check.model(), Map.of("a", a), check.check().get("y"));
        }
        NdArray v = OpCheck.randn(11, K).to(DType.FLOAT16);
        OpCheck check = OpCheck.node("MatMul").input("v", v).param("w", OpCheck.randn(12, K, N).to(DType.FLOAT16)).tolerance(2e-3);
        assertBlocksRight(check.model(), Map.of("v", v), check.check().get("y"));
    }

    @Test
    void blocksCoverEveryRowAndColumnOnceAndMatchTheWholeProduct() {
        try (PointerScope scope = new PointerScope()) {
            Tensor a = OpCheck.randn(16, 2, 3, 5).to(DType.FLOAT16).toTorch();
            Tensor b = OpCheck.randn(17, 2, 5, 7).to(DType.FLOAT16).toTorch();
            assertTrue(HalfProduct.applies(a, b, null));
            List<String> blocks = new ArrayList<>();
            // 40 bytes: two float32 rows of A (2·5 values each) or two columns of B, so blocks of 2 and 1
            Tensor y = HalfProduct.product(a, b, 2 * 2 * 5 * Float.BYTES, (rows, columns, at) -> {
                blocks.add(at.row() + "+" + at.rowCount() + "," + at.column() + "+" + at.columnCount());
                assertEquals(ScalarType.Float, rows.scalar_type().intern());
                assertEquals(ScalarType.Float, columns.scalar_type().intern());
                return torch.matmul(rows, columns);
            });
            assertEquals(List.of("0+2,0+2", "0+2,2+2", "0+2,4+2", "0+2,6+1", "2+1,0+2", "2+1,2+2", "2+1,4+2", "2+1,6+1"), blocks);
            NdArray whole = NdArray.fromTorch(torch.matmul(a.to(ScalarType.Float), b.to(ScalarType.Float)).to(ScalarType.Half));
            assertArrayEquals(whole.shape(), NdArray.fromTorch(y).shape());
            assertArrayEquals(whole.toBytes(), NdArray.fromTorch(y).toBytes(), "five terms: the same sums");
        }
    }

    @Test
    void theResultShapeIsMatmulsForVectorsAndBroadcastBatches() {
        try (PointerScope scope = new PointerScope()) {
            Tensor v = torch.zeros(5).to(ScalarType.Half);
            Tensor m = torch.zeros(3, 5, 7).to(ScalarType.Half);
            assertArrayEquals(new long[] {3, 7}, HalfProduct.shape(v, m));
            assertArrayEquals(new long[] {4, 3, 2, 7}, HalfProduct.shape(torch.zeros(4, 1, 2, 5), m));
            assertArrayEquals(OpSupport.sizes(torch.matmul(v.to(ScalarType.Float), m.to(ScalarType.Float))),
                    OpSupport.sizes(HalfProduct.product(v, m, 8, (r, c, at) -> torch.matmul(r, c))));
        }
    }

    @Test
    void autogradAndNonHalfInputsTakeTheWholePath() {
        try (PointerScope scope = new PointerScope()) {
            Tensor a = OpCheck.randn(18, 3, 5).to(DType.FLOAT16).toTorch();
            Tensor b = OpCheck.randn(19, 5, 7).to(DType.FLOAT16).toTorch();
            assertFalse(HalfProduct.applies(a.to(ScalarType.Float), b, null), "A float32: not the half policy's inputs");
            assertFalse(HalfProduct.applies(a, b.select(1, 0), null), "a vector B has no columns to block");
            Tensor grad = b.detach().clone().set_requires_grad(true);
            assertFalse(HalfProduct.applies(a, grad, null), "autograd widens the weight whole");
            torch.matmul(HalfBlocks.widened(a), HalfBlocks.widened(grad)).sum().backward();
            assertEquals(ScalarType.Half, grad.grad().scalar_type().intern(), "the gradient reaches the half weight");
        }
    }

    /**
     * y (by blocks) against the float64 product and against the half policy with every input widened whole; the
     * floor comes from the same graph in float64 on the inputs' magnitudes (alpha and beta are positive here).
     */
    private static void assertBlocksRight(Model m, Map<String, NdArray> feeds, NdArray y) {
        double[] exact = evaluate(m, feeds, DType.FLOAT64, v -> v).toDoubleArray();
        double[] size = evaluate(m, feeds, DType.FLOAT64, HalfProductTest::magnitudes).toDoubleArray();
        double[] whole = evaluate(m, feeds, DType.FLOAT32, v -> v).to(y.dtype()).toDoubleArray();
        double[] got = y.toDoubleArray();
        assertEquals(exact.length, got.length);
        int mantissa = y.dtype() == DType.FLOAT16 ? 10 : 7;
        int differ = 0;
        for (int i = 0; i < got.length; i++) {
            double floor = K * 0x1p-24 * size[i];
            double ulp = Math.max(0x1p-24, Math.pow(2, Math.getExponent(exact[i]) - mantissa));
            assertTrue(Math.abs(got[i] - exact[i]) <= ulp + floor, "element " + i + ": " + got[i] + ", float64 " + exact[i] + ", floor " + floor);
            if (got[i] == whole[i]) continue;
            differ++;
            assertTrue(Math.abs(got[i] - whole[i]) <= ulp + 2 * floor, "element " + i + ": " + got[i] + ", widened whole " + whole[i]);
        }
        assertTrue(differ <= got.length / 100, differ + " of " + got.length + " values differ from the whole product's");
    }

    /** The graph with every parameter and input mapped by {@code f} and converted to {@code type}, evaluated. */
    private static NdArray evaluate(Model m, Map<String, NdArray> feeds, DType type, UnaryOperator<NdArray> f) {
        Graph g = m.graph();
        Map<String, NdArray> params = new LinkedHashMap<>();
        g.parameters().forEach((k, v) -> params.put(k, f.apply(v.to(type))));
        List<ValueInfo> ins = g.inputs().stream().map(v -> new ValueInfo(v.name(), new ValueType(type, v.type().shape()))).toList();
        List<ValueInfo> outs = g.outputs().stream().map(v -> new ValueInfo(v.name(), new ValueType(type, v.type().shape()))).toList();
        Model converted = m.withGraph(new Graph(g.name(), ins, outs, g.nodes(), params, Map.of(), g.docString()));
        Map<String, NdArray> convertedFeeds = new HashMap<>();
        feeds.forEach((k, v) -> convertedFeeds.put(k, f.apply(v.to(type))));
        return new Evaluator(converted).run(convertedFeeds).get("y");
    }

    private static NdArray magnitudes(NdArray v) {
        double[] d = v.toDoubleArray();
        for (int i = 0; i < d.length; i++) d[i] = Math.abs(d[i]);
        return NdArray.ofDoubles(d, v.shape());
    }
}
