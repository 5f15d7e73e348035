package dev.orbit.ops;

import org.bytedeco.pytorch.Tensor;

/**
 * An elementwise op used as a network's nonlinearity, with its parameter (NaN when it has none): the one
 * activation vocabulary. Obtained by name from an {@link OpRegistry} ("relu", "leakyrelu0.1", "tanh",
 * "hard-tanh", "erf", "linear", ...); everything it knows comes from its {@link ElementwiseOp}.
 */
public record Activation(ElementwiseOp op, double parameter) {
    public double phi(double x) { return op.phi(x, parameter); }

    public double derivative(double x) { return op.derivative(x, parameter); }

    /** φ on a tensor (libtorch). */
    public Tensor apply(Tensor x) { return op.apply(x, parameter); }

    /** φ′ on a tensor (libtorch). */
    public Tensor derivative(Tensor x) { return op.derivative(x, parameter); }

    public boolean positivelyHomogeneous() { return op.positivelyHomogeneous(); }

    /** φ′ ∈ {0, 1}. */
    public boolean kinked() { return op.kinked(parameter); }

    public double gain() { return op.gain(parameter); }

    public KernelRule kernelRule(int quadratureOrder) { return op.kernelRule(this, quadratureOrder); }

    /** E[φ(√q·u)²], u ~ N(0, 1); for q ≤ 0, φ(0)². */
    public double meanSquare(double q) { return q <= 0 ? phi(0) * phi(0) : op.meanSquare(this, q); }

    public double meanSquareDq(double q) { return op.meanSquareDq(this, q); }

    /** E[φ′(√q·u)²]. */
    public double meanSlopeSquared(double q) { return op.meanSlopeSquared(this, q); }

    /** The name analyses print, e.g. "hard-tanh". */
    public String label() { return op.label(parameter); }

    /** Writes the activation into a graph being built; returns the output value (x itself for the identity). */
    public String write(NodeWriter w, String name, String x) { return op.write(w, name, x, parameter); }

    /** The spec text, e.g. "leakyrelu0.1". */
    @Override
    public String toString() { return op.name(parameter); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Activation(ElementwiseOp p, double q) && p == op && Double.compare(q, parameter) == 0;
    }

    @Override
    public int hashCode() { return System.identityHashCode(op) * 31 + Double.hashCode(parameter); }
}
