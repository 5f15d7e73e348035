package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;

import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * ReverseSequence: for each batch entry b (along {@code batch_axis}, default 1), the first sequence_lens[b] steps
 * along {@code time_axis} (default 0) reversed, the rest kept. A gather with index t ↦ len−1−t below len.
 */
public final class ReverseSequence implements Op {
    @Override
    public String opType() { return "ReverseSequence"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) { return OpSupport.one(ctx.require(node, 0)); }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        Tensor lens = ctx.require(node, 1).to(ScalarType.Long);
        int rank = (int) x.dim();
        int time = OpSupport.axis(node, node.attributes().getInt("time_axis", 0), rank);
        int batch = OpSupport.axis(node, node.attributes().getInt("batch_axis", 1), rank);
        long steps = x.size(time);
        Tensor t = torch.arange(new Scalar(steps), new TensorOptions(ScalarType.Long)).reshape(-1, 1);
        Tensor len = lens.reshape(1, -1);
        Tensor index = torch.where(torch.lt(t, len), len.sub(new Scalar(1L)).sub(t), t.expand(new long[] {steps, lens.size(0)}));
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[time] = steps;
        shape[batch] = lens.size(0);
        // index is [time, batch]; put its axes where x has them, then broadcast over the others
        Tensor placed = time < batch ? index.reshape(shape) : index.t().reshape(shape);
        return OpSupport.one(torch.gather(x, time, placed.expand(OpSupport.sizes(x))));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": reorders steps per batch entry by data-dependent lengths");
    }
}
