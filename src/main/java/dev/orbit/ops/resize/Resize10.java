package dev.orbit.ops.resize;

/** Resize in opset 10: scales as input 1, asymmetric coordinates and "simple" nearest rounding. */
public final class Resize10 extends ResizeOp {
    @Override
    public String opType() { return "Resize"; }

    @Override
    public long sinceVersion() { return 10; }

    @Override
    boolean legacy() { return true; }

    @Override
    int scalesInput(long opset) { return 1; }
}
