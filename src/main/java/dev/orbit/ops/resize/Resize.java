package dev.orbit.ops.resize;

/** Resize from opset 11: roi, scales or sizes, axes, every coordinate transformation and nearest mode. */
public final class Resize extends ResizeOp {
    @Override
    public String opType() { return "Resize"; }

    @Override
    public long sinceVersion() { return 11; }

    @Override
    boolean legacy() { return false; }

    @Override
    int scalesInput(long opset) { return 2; }
}
