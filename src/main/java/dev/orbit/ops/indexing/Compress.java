package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.index_select;
import static org.bytedeco.pytorch.global.torch.nonzero;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * Compress: the slices along {@code axis} whose condition is true (a condition shorter than the axis selects from
 * its prefix); without an axis the input is flattened first. The output length depends on the data.
 */
public final class Compress implements Op {
    @Override
    public String opType() { return "Compress"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        if (!node.attributes().has("axis")) return OpSupport.one(new ValueType(x.dtype(), new Shape(List.of(Dim.unknown()))));
        int a = OpSupport.axis(node, node.attributes().getInt("axis", 0), x.rank());
        List<Dim> out = new ArrayList<>(x.shape().dims());
        out.set(a, Dim.unknown());
        return OpSupport.one(new ValueType(x.dtype(), new Shape(out)));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        Tensor cond = ctx.require(node, 1).to(ScalarType.Bool).reshape(-1);
        boolean flat = !node.attributes().has("axis");
        Tensor data = flat ? x.reshape(-1) : x;
        int a = flat ? 0 : OpSupport.axis(node, node.attributes().getInt("axis", 0), (int) x.dim());
        long n = Math.min(cond.size(0), data.size(a));
        Tensor picks = nonzero(cond.narrow(0, 0, n)).reshape(-1);
        return OpSupport.one(index_select(data, a, picks));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": keeps a data-dependent subset of slices");
    }
}
