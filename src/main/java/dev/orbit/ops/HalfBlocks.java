package dev.orbit.ops;

import java.util.function.UnaryOperator;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The half policy (docs/DTYPES.md) a block at a time, for the ops that widen their float16/bfloat16 inputs themselves
 * ({@link WidensHalfInputs}). Such an op allocates its half-typed result first, then widens one block of its inputs
 * to float32, computes and rounds the block into the result before the next. The float32 working set stays one
 * block, widened into a buffer the thread keeps ({@link Float32Scratch}) rather than a fresh allocation per block
 * (with Orbit's launch settings malloc never returns freed memory to the system, and blocks freed between other
 * allocations fragmented its arena: docs/CONFORMANCE.md, "float16 memory").
 * Each value is computed exactly as with the inputs widened whole and the result rounded once.
 */
public final class HalfBlocks {
    /** float32 bytes of one block of an elementwise op: tens of microseconds of work, so the calls cost little. */
    public static final long ELEMENTWISE_BYTES = 1L << 18;

    /** float32 bytes of a widened block of a product's A or B: small against a weight, large enough for BLAS. */
    public static final long PRODUCT_BYTES = 1L << 21;

    private HalfBlocks() {}

    public static boolean isHalf(Tensor t) {
        if (t == null) return false;
        ScalarType s = t.scalar_type().intern();
        return s == ScalarType.Half || s == ScalarType.BFloat16;
    }

    /** Whether none of the tensors takes part in autograd (blocks written into a result are not differentiated). */
    public static boolean withoutGrad(Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.requires_grad()) return false;
        return true;
    }

    /** A half tensor widened whole (as autograd needs it), anything else as it is. */
    public static Tensor widened(Tensor t) { return isHalf(t) ? t.to(ScalarType.Float) : t; }

    /**
     * {@code f}, a value-by-value function, on half {@code x} a block of {@link #ELEMENTWISE_BYTES} float32 at a
     * time: each block widened, mapped, and rounded into the result (x's type and shape).
     */
    public static Tensor elementwise(Tensor x, UnaryOperator<Tensor> f) {
        return elementwise(x, ELEMENTWISE_BYTES, f);
    }

    static Tensor elementwise(Tensor x, long blockBytes, UnaryOperator<Tensor> f) {
        Tensor flat = x.reshape(-1);
        Tensor y = torch.empty_like(flat);
        long n = flat.numel();
        long block = Math.max(1, blockBytes / Float.BYTES);
        for (long from = 0; from < n; from += block) {
            long count = Math.min(block, n - from);
            try (PointerScope scope = new PointerScope();
                 Float32Scratch.Widened wide = Float32Scratch.widen(flat.narrow(0, from, count), Float32Scratch.Slot.ELEMENTWISE)) {
                y.narrow(0, from, count).copy_(f.apply(wide.tensor()));
            }
        }
        return y.view(OpSupport.sizes(x));
    }
}
