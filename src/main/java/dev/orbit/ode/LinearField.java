package dev.orbit.ode;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The linear field F(t, x) = w(t)·x + b(t): w(t) is d×d (the gauge field), b(t) a d-vector (the Higgs field). */
public record LinearField(TimeFunction w, TimeFunction b) implements VectorField {
    public LinearField {
        long[] ws = w.shape();
        long[] bs = b.shape();
        if (ws.length != 2 || ws[0] != ws[1] || bs.length != 1 || bs[0] != ws[0]) {
            throw new IllegalArgumentException("w(t) must be d×d and b(t) a d-vector");
        }
    }

    @Override
    public Tensor at(double t, Tensor x) {
        return torch.add(torch.matmul(x, w.at(t).t()), b.at(t));
    }

    @Override public int dimension() { return (int) w.shape()[0]; }

    @Override
    public List<Tensor> parameters() {
        List<Tensor> p = new ArrayList<>(w.parameters());
        p.addAll(b.parameters());
        return p;
    }
}
