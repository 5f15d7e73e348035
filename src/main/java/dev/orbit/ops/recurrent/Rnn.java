package dev.orbit.ops.recurrent;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

/** RNN: H_t = f(X_t Wᵀ + H_{t−1} Rᵀ + Wb + Rb), f Tanh by default. */
public final class Rnn extends RecurrentLayer {
    @Override
    public String opType() { return "RNN"; }

    @Override
    int states() { return 1; }

    @Override
    int gates() { return 1; }

    @Override
    List<String> defaultActivations() { return List.of("Tanh"); }

    @Override
    Tensor[] step(Cell c, Tensor x, Tensor[] prev) { return new Tensor[] {c.apply(0, affine(c, x, prev[0]))}; }
}
