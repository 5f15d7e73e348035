package dev.orbit.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * A block widened into the thread's scratch buffer ({@link Float32Scratch}) must be what {@code to(Float)} makes of
 * it: the same values and the same strides, so that BLAS sees the same operands and the half products stay bit for
 * bit what fresh copies gave. The layouts are the ones the block code meets (row and column blocks of plain,
 * transposed and batched operands, a broadcast batch axis, the flat blocks of an activation) and a few beyond.
 */
class Float32ScratchTest {
    @Test
    void aWidenedBlockHasTheValuesAndStridesOfAFreshCopy() {
        try (PointerScope scope = new PointerScope()) {
            Tensor m = half(1, 64, 48);
            Tensor batched = half(2, 3, 64, 48);
            List<Tensor> blocks = List.of(
                    m, m.narrow(0, 8, 16), m.narrow(1, 8, 16), m.t(), m.t().narrow(0, 8, 16), m.t().narrow(1, 8, 16),
                    batched.narrow(1, 8, 16), batched.narrow(2, 8, 16), batched.transpose(1, 2).narrow(2, 8, 16),
                    batched.permute(2, 0, 1).narrow(0, 3, 7), half(3, 1, 64, 48).expand(4, 64, 48).narrow(2, 8, 16),
                    half(4, 48).unsqueeze(0).expand(5, 48).narrow(1, 2, 9), m.reshape(-1).narrow(0, 100, 1000),
                    half(5, 64, 1, 48).narrow(2, 0, 1).transpose(0, 2).narrow(2, 1, 30));
            for (Tensor block : blocks) {
                Tensor fresh = block.to(ScalarType.Float);
                try (Float32Scratch.Widened w = Float32Scratch.widen(block, Float32Scratch.Slot.COLUMNS)) {
                    String layout = java.util.Arrays.toString(OpSupport.sizes(block)) + " strides "
                            + java.util.Arrays.toString(block.strides().vec().get());
                    assertEquals(Float32Scratch.Slot.COLUMNS, w.held(), layout);
                    assertArrayEquals(fresh.strides().vec().get(), w.tensor().strides().vec().get(), layout);
                    assertArrayEquals(NdArray.fromTorch(fresh).toBytes(), NdArray.fromTorch(w.tensor()).toBytes(), layout);
                }
            }
        }
    }

    @Test
    void theBufferIsReusedAndASlotInUseGetsAFreshCopy() {
        try (PointerScope scope = new PointerScope()) {
            Tensor a = half(6, 32, 32);
            long first;
            try (Float32Scratch.Widened w = Float32Scratch.widen(a, Float32Scratch.Slot.ROWS)) {
                first = w.tensor().data_ptr().address();
                try (Float32Scratch.Widened inner = Float32Scratch.widen(a, Float32Scratch.Slot.ROWS)) {
                    assertNull(inner.held(), "the slot is taken: a fresh copy");
                    assertNotEquals(first, inner.tensor().data_ptr().address());
                }
            }
            try (Float32Scratch.Widened again = Float32Scratch.widen(a.narrow(0, 1, 8), Float32Scratch.Slot.ROWS)) {
                assertEquals(first, again.tensor().data_ptr().address(), "the same buffer, block after block");
            }
        }
    }

    private static Tensor half(int seed, long... shape) { return OpCheck.randn(seed, shape).to(DType.FLOAT16).toTorch(); }
}
