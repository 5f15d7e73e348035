package dev.orbit.ode;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** A vector field seen through a gauge transformation; x(T) is unchanged because both gauges are trivial at 0 and T. */
public sealed interface GaugedField extends VectorField {
    VectorField base();

    @Override default int dimension() { return base().dimension(); }

    @Override default List<Tensor> parameters() { return base().parameters(); }

    /**
     * x' = G(t)·x: F'(t, x') = Ġ G⁻¹ x' + G·F(t, G⁻¹ x'), for any field (linear or not). In row form:
     * x'·(Ġ G⁻¹)ᵀ + F(t, x'·G⁻ᵀ)·Gᵀ.
     */
    record Spatial(VectorField base, MatrixGauge gauge) implements GaugedField {
        @Override
        public Tensor at(double t, Tensor x) {
            MatrixGauge.Frame f = gauge.at(t);
            Tensor inner = base.at(t, torch.matmul(x, f.gInv().t()));
            Tensor connection = torch.matmul(f.gDot(), f.gInv());
            return torch.add(torch.matmul(x, connection.t()), torch.matmul(inner, f.g().t()));
        }
    }

    /** t = s − f(s): F'(s, x) = (1 − ḟ(s))·F(s − f(s), x). */
    record Temporal(VectorField base, TimeReparametrisation reparametrisation) implements GaugedField {
        @Override
        public Tensor at(double s, Tensor x) {
            return Tensors.times(base.at(reparametrisation.time(s), x), reparametrisation.rate(s));
        }
    }
}
