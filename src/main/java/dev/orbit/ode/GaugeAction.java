package dev.orbit.ode;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.symmetry.GaugeElement;

/**
 * Closed-form gauge actions on the coefficients of a linear field (column-vector convention, ẋ = w x + b):
 * spatial x' = G x gives w' = G w G⁻¹ + Ġ G⁻¹, b' = G b (scalar: w' = w + ġ, b' = e^g b); the time gauge
 * t = s − f(s) gives w'(s) = (1 − ḟ) w(s − f), b'(s) = (1 − ḟ) b(s − f). They must agree with the generic
 * {@link GaugedField} wrappers, which transform the field itself; the tests check both ways. A {@link GaugeElement}
 * (Orbit's element of the gauge group, which also acts on the unrolled model) acts through the same formulas.
 */
public final class GaugeAction {
    private GaugeAction() {}

    public static LinearField spatial(LinearField f, MatrixGauge gauge) {
        TimeFunction w = new TimeFunction.Derived(f.w().shape(), t -> {
            MatrixGauge.Frame fr = gauge.at(t);
            return torch.add(torch.matmul(torch.matmul(fr.g(), f.w().at(t)), fr.gInv()), torch.matmul(fr.gDot(), fr.gInv()));
        });
        TimeFunction b = new TimeFunction.Derived(f.b().shape(), t -> torch.mv(gauge.at(t).g(), f.b().at(t)));
        return new LinearField(w, b);
    }

    /** The element's spatial gauge on a linear field: each factor in turn, first to last (closed form). */
    public static LinearField spatial(LinearField f, GaugeElement g) {
        LinearField out = f;
        for (int i = 0; i < g.factors().size(); i++) out = spatial(out, MatrixGauge.of(g.endTime(), g.factors().get(i)));
        return out;
    }

    /** The element's spatial gauge on any field: the generic {@link GaugedField.Spatial} wrapper per factor, first to last. */
    public static VectorField act(VectorField f, GaugeElement g) {
        VectorField out = f;
        for (int i = 0; i < g.factors().size(); i++) out = new GaugedField.Spatial(out, MatrixGauge.of(g.endTime(), g.factors().get(i)));
        return out;
    }

    public static LinearField temporal(LinearField f, TimeReparametrisation r) {
        return new LinearField(temporal(f.w(), r), temporal(f.b(), r));
    }

    private static TimeFunction temporal(TimeFunction c, TimeReparametrisation r) {
        return new TimeFunction.Derived(c.shape(), s -> Tensors.times(c.at(r.time(s)), r.rate(s)));
    }

    /** w'(t) sampled at several times: [M, d, d] (for plots and gauge fixing; differentiable in the gauge). */
    public static Tensor spatialWeights(Tensor w, MatrixGauge.Frames fr) {
        return torch.add(torch.matmul(torch.matmul(fr.g(), w), fr.gInv()), torch.matmul(fr.gDot(), fr.gInv()));
    }

    /** b'(t) sampled at several times: [M, d]. */
    public static Tensor spatialBiases(Tensor b, MatrixGauge.Frames fr) {
        return torch.matmul(fr.g(), b.unsqueeze(2)).squeeze(2);
    }
}
