package dev.orbit.ops.signal;

/** HammingWindow with ONNX's coefficients: 25/46 − 21/46 cos(2πn/N) (not the rounded 0.54 / 0.46). */
public final class HammingWindow extends WindowFunction {
    @Override
    public String opType() { return "HammingWindow"; }

    @Override
    public long sinceVersion() { return 17; }

    @Override
    double[] coefficients() { return new double[] {25.0 / 46, -21.0 / 46}; }
}
