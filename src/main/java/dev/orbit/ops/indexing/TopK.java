package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.topk;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;

/**
 * TopK: the k largest (largest = 1, default) or smallest values along {@code axis} (default −1) and their int64
 * indices; k is an input from opset 10, an attribute before. Values are differentiable.
 */
public final class TopK implements Op {
    @Override
    public String opType() { return "TopK"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int a = OpSupport.axis(node, node.attributes().getInt("axis", -1), x.rank());
        List<Dim> out = new ArrayList<>(x.shape().dims());
        Dim k = Dim.unknown();
        if (node.attributes().has("k")) k = Dim.of(node.attributes().getInt("k", 0));
        else if (ctx.intValues(1) != null && ctx.intValues(1).size() == 1) k = ctx.intValues(1).getFirst();
        out.set(a, k);
        Shape s = new Shape(out);
        return List.of(new ValueType(x.dtype(), s), new ValueType(DType.INT64, s));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        int a = OpSupport.axis(node, node.attributes().getInt("axis", -1), (int) x.dim());
        long k;
        if (node.attributes().has("k")) {
            k = node.attributes().getInt("k", 0);
        } else {
            long[] kv = ctx.longs(1);
            if (kv == null || kv.length != 1) throw new ModelFormatException("TopK node '" + node.label() + "' needs k");
            k = kv[0];
        }
        boolean largest = node.attributes().getInt("largest", 1) != 0;
        var r = topk(x, k, a, largest, true);
        return List.of(r.get0(), r.get1());
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": orders elements by value and returns their indices");
    }
}
