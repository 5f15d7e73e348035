package dev.orbit.ops.shape;

import static dev.orbit.ops.SpaceRules.label;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.UnsupportedOpException;
import dev.orbit.tensor.DType;

/** Cast to the type {@code to}; channels pass through casts to float types. */
public final class Cast implements Op {
    @Override
    public String opType() { return "Cast"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        DType to = castTarget(node);
        // only integer-to-integer casts keep tracked values; a float view of a shape is not shape arithmetic
        boolean keep = x.hasIntValues() && (to == DType.INT64 || to == DType.INT32) && !x.dtype().isFloating();
        return OpSupport.one(new ValueType(to, x.shape(), keep ? x.intValues() : null));
    }

    private static DType castTarget(Node node) {
        long code = node.attributes().getInt("to", -1);
        if (code < 0) throw new ModelFormatException("Cast node '" + node.label() + "' has no 'to' attribute");
        try {
            return DType.fromOnnx((int) code);
        } catch (DType.UnsupportedDTypeException e) {
            throw new UnsupportedOpException("Cast node '" + node.label() + "': " + e.getMessage());
        }
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return OpSupport.one(ctx.require(node, 0).to(castTarget(node).torchType)); }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { rule(rules, node); }

    private static void rule(SpaceRules rules, Node n) {
        ValueType t = rules.type(n.output(0));
        if (t != null && t.dtype().isFloating()) rules.pass(n);
        else rules.freeze(n.input(0), label(n) + " casts to a non-float type");
    }
}
