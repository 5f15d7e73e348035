package dev.orbit.ode;

import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.train.Gradients;
import dev.orbit.train.Optimizer;

/**
 * Picks one point on the gauge orbit of a linear field by minimising a gauge-dependent functional over spatial
 * gauges G(t) = exp(Σ_k C_k sin(kπt/T)) (Adam on the C_k through autograd, matrix exponential included):
 * <ul>
 * <li>weight decay ∫‖w'(t)‖² dt — the gauge mass term; for d = 1 its minimiser is the constant
 * w' ≡ (1/T)∫w (ġ = mean − w), which the tests use as the exact reference;</li>
 * <li>the linear-transport regulariser ∫ ‖ẇ' + w'²‖² + ‖ḃ' + w'b'‖² dt.</li>
 * </ul>
 * Integrals use M equal intervals: trapezoid for weight decay, the interval midpoint (with w' averaged and ẇ'
 * as the difference quotient) for the transport term. x(T) never changes: only the gauge moves.
 */
public final class GaugeFixing {
    private GaugeFixing() {}

    public enum Objective {
        WEIGHT_DECAY("weight decay ∫‖w‖²"),
        TRANSPORT("transport ∫‖ẇ+w²‖²+‖(∂t+w)b‖²");

        public final String label;

        Objective(String label) { this.label = label; }
    }

    /** The gauge found, with the objective before (identity gauge) and after. */
    public record Result(MatrixGauge gauge, double before, double after) {}

    /** w(t_i), b(t_i) at the M+1 sample times, detached: [M+1, d, d] and [M+1, d]. */
    record Samples(double[] times, Tensor w, Tensor b) {
        static Samples of(LinearField f, double endTime, int intervals) {
            double[] t = new double[intervals + 1];
            TensorVector ws = new TensorVector();
            TensorVector bs = new TensorVector();
            try (NoGradGuard ng = new NoGradGuard()) {
                for (int i = 0; i <= intervals; i++) {
                    t[i] = endTime * i / intervals;
                    ws.push_back(f.w().at(t[i]).detach());
                    bs.push_back(f.b().at(t[i]).detach());
                }
                return new Samples(t, torch.stack(ws), torch.stack(bs));
            }
        }
    }

    public static Result fix(LinearField f, Objective objective, int modes, int iterations, double lr, double endTime, int intervals) {
        int d = f.dimension();
        Samples s = Samples.of(f, endTime, intervals);
        Tensor c = Tensors.leaf(Tensors.zeros(modes, d, d));
        double before;
        try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            before = value(s, new MatrixGauge(endTime, c), objective, endTime).item_double();
        }
        try (Optimizer opt = new Optimizer.Adam(0.9, 0.999, 1e-8, 0)) {
            for (int it = 0; it < iterations; it++) {
                try (PointerScope scope = new PointerScope()) {
                    Tensor loss = value(s, new MatrixGauge(endTime, c), objective, endTime);
                    Tensor grad = Gradients.grad(loss, java.util.List.of(c), false).getFirst();
                    opt.step(Map.of("c", c), Map.of("c", grad), lr);
                }
            }
        }
        MatrixGauge found = new MatrixGauge(endTime, c.detach().clone());
        double after;
        try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            after = value(s, found, objective, endTime).item_double();
        }
        return new Result(found, before, after);
    }

    /** The objective of f seen in gauge g. */
    public static double value(LinearField f, MatrixGauge g, Objective objective, double endTime, int intervals) {
        try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            return value(Samples.of(f, endTime, intervals), g, objective, endTime).item_double();
        }
    }

    static Tensor value(Samples s, MatrixGauge g, Objective objective, double endTime) {
        MatrixGauge.Frames fr = g.frames(s.times());
        Tensor w = GaugeAction.spatialWeights(s.w(), fr);
        int m = s.times().length - 1;
        double dt = endTime / m;
        return switch (objective) {
            case WEIGHT_DECAY -> {
                Tensor sq = torch.sum(torch.square(w), new long[] {1, 2}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
                Tensor ends = torch.add(sq.select(0, 0), sq.select(0, m));
                yield Tensors.times(torch.sub(torch.sum(sq), Tensors.times(ends, 0.5)), dt);
            }
            case TRANSPORT -> {
                Tensor b = GaugeAction.spatialBiases(s.b(), fr);
                Tensor wMid = Tensors.times(torch.add(w.narrow(0, 0, m), w.narrow(0, 1, m)), 0.5);
                Tensor bMid = Tensors.times(torch.add(b.narrow(0, 0, m), b.narrow(0, 1, m)), 0.5);
                Tensor wDot = Tensors.times(torch.sub(w.narrow(0, 1, m), w.narrow(0, 0, m)), 1 / dt);
                Tensor bDot = Tensors.times(torch.sub(b.narrow(0, 1, m), b.narrow(0, 0, m)), 1 / dt);
                Tensor curvature = torch.add(wDot, torch.matmul(wMid, wMid));
                Tensor covariant = torch.add(bDot, torch.matmul(wMid, bMid.unsqueeze(2)).squeeze(2));
                yield Tensors.times(torch.add(torch.sum(torch.square(curvature)), torch.sum(torch.square(covariant))), dt);
            }
        };
    }
}
