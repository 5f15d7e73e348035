package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.arange;
import static org.bytedeco.pytorch.global.torch.eq;
import static org.bytedeco.pytorch.global.torch.where;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;

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

/**
 * OneHot(indices, depth, values = [off, on]): a new axis of length depth at {@code axis} (default −1) holding on at
 * each index (negative indices count back from depth; out-of-range ones give a row of off), off elsewhere.
 */
public final class OneHot implements Op {
    @Override
    public String opType() { return "OneHot"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType idx = ctx.require(node, 0);
        ValueType values = ctx.require(node, 2);
        int r = idx.rank() + 1;
        int a = OpSupport.axis(node, node.attributes().getInt("axis", -1), r);
        List<Dim> out = new ArrayList<>(idx.shape().dims());
        List<Dim> depth = ctx.intValues(1);
        out.add(a, depth != null && depth.size() == 1 ? depth.getFirst() : Dim.unknown());
        return OpSupport.one(new ValueType(values.dtype(), new Shape(out)));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor idx = ctx.require(node, 0).to(ScalarType.Double);
        Tensor depthT = ctx.require(node, 1);
        Tensor values = ctx.require(node, 2);
        if (values.numel() != 2) throw new ModelFormatException("OneHot node '" + node.label() + "' needs values [off, on]");
        long depth = (long) depthT.item_double();
        int r = (int) idx.dim() + 1;
        int a = OpSupport.axis(node, node.attributes().getInt("axis", -1), r);
        // indices may be floats: truncated toward zero, then negative ones counted back from depth
        Tensor i = idx.trunc().to(ScalarType.Long);
        i = where(org.bytedeco.pytorch.global.torch.lt(i, new Scalar(0L)), i.add(new Scalar(depth)), i);
        long[] view = new long[r];
        Arrays.fill(view, 1);
        view[a] = depth;
        Tensor positions = arange(new Scalar(depth), new TensorOptions(ScalarType.Long)).reshape(view);
        Tensor hot = eq(i.unsqueeze(a), positions);
        Tensor flat = values.reshape(-1);
        return OpSupport.one(where(hot, flat.select(0, 1), flat.select(0, 0)));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": builds a tensor from indices");
    }
}
