package dev.orbit.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Elementwise activations on float16/bfloat16 inputs widen a block at a time ({@link HalfBlocks#elementwise}): the
 * result must be the half policy's, bit for bit (the function in float32 on the whole widened input, rounded once),
 * and ONNX Runtime's, which computes its float16 activations the same way. Sigmoid is held to one float16 ulp of ONNX
 * Runtime: over these 300 000 values libtorch's float32 sigmoid and ONNX Runtime's round one value to neighbouring
 * float16s, with the input widened whole as with blocks. The inputs span several blocks.
 */
class HalfBlocksTest {
    private static final long ROWS = 300;
    private static final long COLUMNS = 1000; // 300 000 values, 1.2 MB in float32: blocks of 65 536 and a last of 37 856

    @Test
    void theInputsHereSpanSeveralBlocks() {
        assertTrue(ROWS * COLUMNS * Float.BYTES > 4 * HalfBlocks.ELEMENTWISE_BYTES);
        assertTrue(ROWS * COLUMNS % (HalfBlocks.ELEMENTWISE_BYTES / Float.BYTES) != 0);
    }

    @Test
    void float16ActivationsMatchTheWholeWidenedInputAndOnnxRuntimeBitForBit() {
        NdArray x = OpCheck.randn(1, ROWS, COLUMNS).to(DType.FLOAT16);
        for (String op : List.of("Relu", "Sigmoid", "Tanh", "LeakyRelu", "Softplus")) {
            OpCheck check = OpCheck.node(op).input("x", x).tolerance(op.equals("Sigmoid") ? 0x1p-10 : 0);
            NdArray y = check.check().get("y");
            assertEquals(DType.FLOAT16, y.dtype(), op);
            assertArrayEquals(wholeWidened(check.model(), x, DType.FLOAT16).toBytes(), y.toBytes(), op);
        }
    }

    @Test
    void bfloat16ActivationsToo() {
        NdArray x = OpCheck.randn(2, ROWS, COLUMNS).to(DType.BFLOAT16);
        for (String op : List.of("Gelu", "Elu")) {
            Model m = OpCheck.node(op).input("x", x).opset(20).model();
            NdArray y = new Evaluator(m).run(Map.of("x", x)).get("y");
            assertEquals(DType.BFLOAT16, y.dtype(), op);
            assertArrayEquals(wholeWidened(m, x, DType.BFLOAT16).toBytes(), y.toBytes(), op);
        }
    }

    @Test
    void blocksCoverEveryValueOnceInTheInputsShape() {
        try (PointerScope scope = new PointerScope()) {
            Tensor x = OpCheck.randn(3, 2, 3, 5).to(DType.FLOAT16).toTorch().transpose(0, 2); // not contiguous
            List<Long> sizes = new ArrayList<>();
            Tensor y = HalfBlocks.elementwise(x, 4 * Float.BYTES, block -> {
                sizes.add(block.numel());
                assertEquals(ScalarType.Float, block.scalar_type().intern());
                return torch.sigmoid(block);
            });
            assertEquals(List.of(4L, 4L, 4L, 4L, 4L, 4L, 4L, 2L), sizes);
            assertEquals(ScalarType.Half, y.scalar_type().intern());
            NdArray whole = NdArray.fromTorch(torch.sigmoid(x.to(ScalarType.Float)).to(ScalarType.Half));
            assertArrayEquals(whole.shape(), NdArray.fromTorch(y).shape());
            assertArrayEquals(whole.toBytes(), NdArray.fromTorch(y).toBytes());
        }
    }

    @Test
    void underAutogradTheInputIsWidenedWhole() {
        try (PointerScope scope = new PointerScope()) {
            Tensor x = OpCheck.randn(4, 3, 5).to(DType.FLOAT16).toTorch().set_requires_grad(true);
            assertFalse(HalfBlocks.withoutGrad(x));
            Tensor w = HalfBlocks.widened(x);
            assertEquals(ScalarType.Float, w.scalar_type().intern());
            torch.tanh(w).sum().backward();
            assertEquals(ScalarType.Half, x.grad().scalar_type().intern(), "the gradient reaches the half input");
        }
    }

    /** The model evaluated in float32 on the widened input, its output rounded to {@code half}. */
    private static NdArray wholeWidened(Model m, NdArray x, DType half) {
        var g = m.graph();
        var ins = g.inputs().stream().map(v -> new dev.orbit.graph.ValueInfo(v.name(),
                new dev.orbit.graph.ValueType(DType.FLOAT32, v.type().shape()))).toList();
        var outs = g.outputs().stream().map(v -> new dev.orbit.graph.ValueInfo(v.name(),
                new dev.orbit.graph.ValueType(DType.FLOAT32, v.type().shape()))).toList();
        Model wide = m.withGraph(new dev.orbit.graph.Graph(g.name(), ins, outs, g.nodes(), Map.of(), Map.of(), g.docString()));
        NdArray y = new Evaluator(wide).run(Map.of("x", x.to(DType.FLOAT32))).get("y");
        assertEquals(DType.FLOAT32, y.dtype());
        return y.to(half);
    }
}
