package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.gt;
import static org.bytedeco.pytorch.global.torch.lt;
import static org.bytedeco.pytorch.global.torch.sub;
import static org.bytedeco.pytorch.global.torch.where;
import static org.bytedeco.pytorch.global.torch.zeros_like;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.OpSupport;

/** Shrink: x − bias above λ, x + bias below −λ, 0 between (λ default 0.5, bias default 0); integer inputs keep their type. */
public final class Shrink extends FrozenActivationOp {
    public Shrink() { super("Shrink"); }

    @Override
    Tensor apply(Tensor x, Attributes at) {
        double lambd = at.getFloat("lambd", 0.5f);
        double bias = at.getFloat("bias", 0f);
        Tensor up = sub(x, OpSupport.scalar(bias)).to(x.scalar_type().intern());
        Tensor down = add(x, OpSupport.scalar(bias)).to(x.scalar_type().intern());
        return where(gt(x, OpSupport.scalar(lambd)), up, where(lt(x, OpSupport.scalar(-lambd)), down, zeros_like(x)));
    }
}
