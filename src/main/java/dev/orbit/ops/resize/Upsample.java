package dev.orbit.ops.resize;

/** Upsample: scales as attribute before opset 9, as input 1 from 9; the legacy coordinate mapping. */
public final class Upsample extends ResizeOp {
    @Override
    public String opType() { return "Upsample"; }

    @Override
    boolean legacy() { return true; }

    @Override
    int scalesInput(long opset) { return opset < 9 ? -1 : 1; }
}
