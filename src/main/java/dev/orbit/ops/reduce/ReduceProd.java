package dev.orbit.ops.reduce;

import static org.bytedeco.pytorch.global.torch.prod;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

/** ReduceProd: the product, one axis at a time (libtorch's prod takes one dimension). */
public final class ReduceProd extends FrozenReduceOp {
    public ReduceProd() { super("ReduceProd", "a product of k entries scales by τᵏ, not τ"); }

    @Override
    Tensor reduce(Tensor x, long[] dims, boolean keep) {
        Tensor y = x;
        // from the last axis down, so the indices of the axes still to reduce stay valid without keepdims
        for (int i = dims.length - 1; i >= 0; i--) y = prod(y, dims[i], keep, new ScalarTypeOptional());
        return y.to(x.scalar_type().intern());
    }
}
