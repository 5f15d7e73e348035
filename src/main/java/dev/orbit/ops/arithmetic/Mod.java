package dev.orbit.ops.arithmetic;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.fmod;
import static org.bytedeco.pytorch.global.torch.remainder;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * Mod, broadcasting: with fmod = 0 (integers only) the remainder takes the divisor's sign, as Python's %; with
 * fmod = 1 the dividend's, as C's fmod. Symmetry: the inputs freeze (a remainder does not commute with scaling).
 */
public final class Mod implements Op {
    @Override
    public String opType() { return "Mod"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType a = ctx.require(node, 0);
        ValueType b = ctx.require(node, 1);
        return OpSupport.one(new ValueType(a.dtype(), OpSupport.broadcast(node, a.shape(), b.shape()), foldInts(node, ctx)));
    }

    /**
     * On small integer vectors of known numbers (shape arithmetic: Swin's window padding (w − W mod w) mod w), the
     * remainders; a symbol or a zero divisor leaves no values.
     */
    private static List<Dim> foldInts(Node node, InferContext ctx) {
        List<Dim> x = ctx.intValues(0);
        List<Dim> y = ctx.intValues(1);
        if (x == null || y == null) return null;
        int n = Math.max(x.size(), y.size());
        if (!(x.size() == n || x.size() == 1) || !(y.size() == n || y.size() == 1)) return null;
        boolean cStyle = node.attributes().getInt("fmod", 0) != 0;
        List<Dim> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Dim p = x.get(x.size() == 1 ? 0 : i);
            Dim q = y.get(y.size() == 1 ? 0 : i);
            if (!p.isKnown() || !q.isKnown() || q.size() == 0) return null;
            out.add(Dim.of(cStyle ? p.size() % q.size() : Math.floorMod(p.size(), q.size())));
        }
        return out;
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor a = ctx.require(node, 0);
        Tensor b = ctx.require(node, 1);
        boolean cStyle = node.attributes().getInt("fmod", 0) != 0;
        return OpSupport.one(cStyle ? fmod(a, b) : remainder(a, b));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": a remainder does not commute with a rescaling");
    }
}
