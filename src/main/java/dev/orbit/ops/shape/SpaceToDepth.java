package dev.orbit.ops.shape;

import static dev.orbit.ops.SpaceRules.label;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** SpaceToDepth on N×C×H×W: b×b spatial blocks become C·b² channels of (H/b)×(W/b) (DepthToSpace's DCR inverse). */
public final class SpaceToDepth implements Op {
    @Override
    public String opType() { return "SpaceToDepth"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        long b = DepthToSpace.blocksize(node);
        if (!x.hasShape()) return OpSupport.one(ValueType.unknown(x.dtype()));
        DepthToSpace.requireRank4(node, x.rank());
        var d = x.shape().dims();
        return OpSupport.one(new ValueType(x.dtype(), new dev.orbit.graph.Shape(List.of(d.get(0),
                OpSupport.affine(d.get(1), b * b, 0), DepthToSpace.divide(d.get(2), b), DepthToSpace.divide(d.get(3), b)))));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        long b = DepthToSpace.blocksize(node);
        long[] s = OpSupport.sizes(x);
        DepthToSpace.requireRank4(node, s.length);
        long n = s[0], c = s[1], h = s[2], w = s[3];
        Tensor y = x.reshape(n, c, h / b, b, w / b, b).permute(0, 3, 5, 1, 2, 4);
        return OpSupport.one(y.reshape(n, c * b * b, h / b, w / b));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": moves space into channels (rule not written yet)");
    }
}
