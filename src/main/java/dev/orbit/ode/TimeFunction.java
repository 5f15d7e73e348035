package dev.orbit.ode;

import java.util.List;
import java.util.function.DoubleFunction;

import org.bytedeco.pytorch.Tensor;

/**
 * A tensor-valued function of time on [0, T] — the time-dependent coefficient w(t) or b(t) of a vector field.
 * Differentiable in its parameters through libtorch's autograd.
 */
public sealed interface TimeFunction permits GridFunction, NetFunction, TimeFunction.Derived {
    /** The value at time t (shape {@link #shape()}). */
    Tensor at(double t);

    long[] shape();

    /** The trainable leaf tensors (empty for derived functions). */
    List<Tensor> parameters();

    /** A function computed from others (a gauge-transformed coefficient); it has no parameters of its own. */
    record Derived(long[] shape, DoubleFunction<Tensor> f) implements TimeFunction {
        @Override public Tensor at(double t) { return f.apply(t); }

        @Override public List<Tensor> parameters() { return List.of(); }
    }
}
