package dev.orbit.ops.recurrent;

import static org.bytedeco.pytorch.global.torch.matmul;

import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * GRU, gates stacked z, r, h: z = f(…), r = f(…), h̃ = g(X Whᵀ + (r ⊙ H) Rhᵀ + Rbh + Wbh), or with
 * {@code linear_before_reset} g(X Whᵀ + r ⊙ (H Rhᵀ + Rbh) + Wbh); H' = (1 − z) ⊙ h̃ + z ⊙ H. f Sigmoid, g Tanh.
 */
public final class Gru extends RecurrentLayer {
    @Override
    public String opType() { return "GRU"; }

    @Override
    int states() { return 1; }

    @Override
    int gates() { return 3; }

    @Override
    List<String> defaultActivations() { return List.of("Sigmoid", "Tanh"); }

    @Override
    Tensor[] step(Cell c, Tensor x, Tensor[] prev) {
        Tensor h = prev[0];
        Tensor xw = matmul(x, c.w().t());
        if (c.wb() != null) xw = xw.add(c.wb());
        Tensor rz = c.recurrence(0);
        Tensor rr = c.recurrence(1);
        Tensor rh = c.recurrence(2);
        Tensor zPre = c.gate(xw, 0).add(matmul(h, rz.t()));
        Tensor rPre = c.gate(xw, 1).add(matmul(h, rr.t()));
        if (c.rb() != null) {
            zPre = zPre.add(c.gate(c.rb(), 0));
            rPre = rPre.add(c.gate(c.rb(), 1));
        }
        Tensor z = c.apply(0, zPre);
        Tensor r = c.apply(0, rPre);
        Tensor hPre;
        if (c.node().attributes().getInt("linear_before_reset", 0) != 0) {
            Tensor hh = matmul(h, rh.t());
            if (c.rb() != null) hh = hh.add(c.gate(c.rb(), 2));
            hPre = c.gate(xw, 2).add(r.mul(hh));
        } else {
            hPre = c.gate(xw, 2).add(matmul(r.mul(h), rh.t()));
            if (c.rb() != null) hPre = hPre.add(c.gate(c.rb(), 2));
        }
        Tensor candidate = c.apply(1, hPre);
        Tensor next = z.neg().add(new Scalar(1.0)).mul(candidate).add(z.mul(h));
        return new Tensor[] {next};
    }
}
