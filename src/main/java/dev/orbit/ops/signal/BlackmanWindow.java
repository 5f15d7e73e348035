package dev.orbit.ops.signal;

/** BlackmanWindow: 0.42 − 0.5 cos(2πn/N) + 0.08 cos(4πn/N). */
public final class BlackmanWindow extends WindowFunction {
    @Override
    public String opType() { return "BlackmanWindow"; }

    @Override
    public long sinceVersion() { return 17; }

    @Override
    double[] coefficients() { return new double[] {0.42, -0.5, 0.08}; }
}
