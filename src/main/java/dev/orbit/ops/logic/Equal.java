package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.eq;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;

/** Equal: elementwise equal (numbers, bools), broadcasting, with a bool result. */
public final class Equal extends BinaryLogicOp {
    public Equal() { super("Equal"); }

    @Override
    Tensor apply(Tensor a, Tensor b) { return eq(a, b); }

    /** Two numbers, one symbol with itself, or a dimension symbol (never negative) with a negative number. */
    @Override
    Boolean fold(Dim a, Dim b) {
        if (a.isKnown() && b.isKnown()) return a.size() == b.size();
        if (a instanceof Dim.Symbolic(String p) && b instanceof Dim.Symbolic(String q) && p.equals(q)) return true;
        if (a instanceof Dim.Symbolic && b.isKnown() && b.size() < 0 || b instanceof Dim.Symbolic && a.isKnown() && a.size() < 0) return false;
        return null;
    }
}
