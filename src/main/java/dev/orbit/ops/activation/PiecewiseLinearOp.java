package dev.orbit.ops.activation;

import dev.orbit.ops.Activation;
import dev.orbit.ops.ElementwiseOp;
import dev.orbit.ops.KernelRule;

/**
 * φ(x) = x for x > 0 and a·x below (ReLU a = 0, LeakyReLU a = slope, identity a = 1): positively homogeneous,
 * with the arc-cosine closed forms for its kernel and mean-field expectations (E[φ²] = q·(a² + 1)/2).
 */
abstract class PiecewiseLinearOp extends ElementwiseOp {
    PiecewiseLinearOp(String opType) { super(opType); }

    /** The slope a below zero. */
    abstract double negativeSlope(double parameter);

    @Override
    public double derivative(double x, double parameter) { return x > 0 ? 1 : negativeSlope(parameter); }

    @Override
    public boolean positivelyHomogeneous() { return true; }

    @Override
    public KernelRule kernelRule(Activation a, int quadratureOrder) {
        return new ReluFamilyKernel(negativeSlope(a.parameter()), 1);
    }

    /** (a² + 1)/2: E[φ′²], and E[φ²]/q. */
    private double evenPart(Activation a) {
        double s = negativeSlope(a.parameter());
        return (s * s + 1) / 2;
    }

    @Override
    public double meanSquare(Activation a, double q) { return q * evenPart(a); }

    @Override
    public double meanSquareDq(Activation a, double q) { return evenPart(a); }

    @Override
    public double meanSlopeSquared(Activation a, double q) { return evenPart(a); }
}
