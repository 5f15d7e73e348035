package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.erf;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.numeric.SpecialFunctions;
import dev.orbit.ops.Activation;
import dev.orbit.ops.ElementwiseOp;
import dev.orbit.ops.KernelRule;

/** Erf, with the closed-form kernel of Williams (1997) and closed-form mean-field expectations. */
public final class Erf extends ElementwiseOp {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    public Erf() { super("Erf"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) { return erf(x); }

    @Override
    public double phi(double x, double parameter) { return SpecialFunctions.erf(x); }

    @Override
    public double derivative(double x, double parameter) { return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x); }

    @Override
    public Tensor derivative(Tensor x, double parameter) {
        return x.mul(x).neg_().exp_().mul_(new Scalar(TWO_OVER_SQRT_PI));
    }

    @Override
    public KernelRule kernelRule(Activation a, int quadratureOrder) { return ErfKernel.ERF; }

    @Override
    public double meanSquare(Activation a, double q) { return 2 / Math.PI * Math.asin(2 * q / (1 + 2 * q)); }

    @Override
    public double meanSquareDq(Activation a, double q) { return 2 / Math.PI / ((1 + 2 * q) * Math.sqrt(1 + 4 * q)) * 2; }

    @Override
    public double meanSlopeSquared(Activation a, double q) { return 4 / Math.PI / Math.sqrt(1 + 4 * q); }
}
