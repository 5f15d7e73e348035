package dev.orbit.ops.signal;

/** HannWindow: 0.5 − 0.5 cos(2πn/N). */
public final class HannWindow extends WindowFunction {
    @Override
    public String opType() { return "HannWindow"; }

    @Override
    public long sinceVersion() { return 17; }

    @Override
    double[] coefficients() { return new double[] {0.5, -0.5}; }
}
