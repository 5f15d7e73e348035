package dev.orbit.ops.arithmetic;

import static org.bytedeco.pytorch.global.torch.log;

import org.bytedeco.pytorch.Tensor;

/** Log (natural). */
public final class Log extends UnaryArithmeticOp {
    public Log() { super("Log", false); }

    @Override
    Tensor apply(Tensor a) { return log(a); }
}
