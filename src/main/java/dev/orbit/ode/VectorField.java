package dev.orbit.ode;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

/**
 * A time-dependent vector field F(t, x) of the ODE ẋ = F(t, x) on [0, T]. States are batches of row vectors
 * x ∈ ℝ^{B×d}; the maths in the docs uses column vectors, so a matrix w acts here as x·wᵀ.
 */
public sealed interface VectorField permits LinearField, NonlinearField, GaugedField {
    Tensor at(double t, Tensor x);

    int dimension();

    /** The trainable leaf tensors. */
    List<Tensor> parameters();
}
