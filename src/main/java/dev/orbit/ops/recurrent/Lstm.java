package dev.orbit.ops.recurrent;

import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * LSTM, gates stacked i, o, f, c: i = f(… + Pi ⊙ C), f = f(… + Pf ⊙ C) (with {@code input_forget}, f = 1 − i),
 * c̃ = g(…), C' = f ⊙ C + i ⊙ c̃, o = f(… + Po ⊙ C'), H' = o ⊙ h(C'). f Sigmoid, g and h Tanh; P the peepholes.
 */
public final class Lstm extends RecurrentLayer {
    @Override
    public String opType() { return "LSTM"; }

    @Override
    int states() { return 2; }

    @Override
    int gates() { return 4; }

    @Override
    List<String> defaultActivations() { return List.of("Sigmoid", "Tanh", "Tanh"); }

    @Override
    Tensor[] step(Cell c, Tensor x, Tensor[] prev) {
        Tensor h = prev[0];
        Tensor cell = prev[1];
        Tensor pre = affine(c, x, h);
        Tensor iPre = c.gate(pre, 0);
        Tensor oPre = c.gate(pre, 1);
        Tensor fPre = c.gate(pre, 2);
        Tensor cPre = c.gate(pre, 3);
        if (c.p() != null) {
            iPre = iPre.add(c.gate(c.p(), 0).mul(cell));
            fPre = fPre.add(c.gate(c.p(), 2).mul(cell));
        }
        Tensor i = c.apply(0, iPre);
        Tensor f = c.node().attributes().getInt("input_forget", 0) != 0 ? i.neg().add(new Scalar(1.0)) : c.apply(0, fPre);
        Tensor nextCell = f.mul(cell).add(i.mul(c.apply(1, cPre)));
        if (c.p() != null) oPre = oPre.add(c.gate(c.p(), 1).mul(nextCell));
        Tensor o = c.apply(0, oPre);
        return new Tensor[] {o.mul(c.apply(2, nextCell)), nextCell};
    }
}
