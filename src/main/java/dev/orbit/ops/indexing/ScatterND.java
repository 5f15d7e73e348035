package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.index_add;
import static org.bytedeco.pytorch.global.torch.index_copy;

import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * ScatterND: a copy of data with update slices written at index tuples [m…, k]; reduction "none" (default),
 * "add", "mul" (opset 16), "max", "min" (opset 18). Evaluated on data viewed as rows.
 */
public final class ScatterND implements Op {
    @Override
    public String opType() { return "ScatterND"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType data = ctx.require(node, 0);
        return OpSupport.one(new ValueType(data.dtype(), data.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor data = ctx.require(node, 0);
        Tensor indices = ctx.require(node, 1);
        Tensor updates = ctx.require(node, 2);
        long[] ds = OpSupport.sizes(data);
        long[] is = OpSupport.sizes(indices);
        int k = (int) is[is.length - 1];
        long rows = 1;
        for (int i = 0; i < k; i++) rows *= ds[i];
        long[] rowShape = new long[ds.length - k + 1];
        rowShape[0] = rows;
        System.arraycopy(ds, k, rowShape, 1, ds.length - k);
        long[] updateRows = rowShape.clone();
        updateRows[0] = -1;
        Tensor linear = IndexingSupport.linearRows(data, indices, 0).reshape(-1);
        Tensor d = data.reshape(rowShape);
        Tensor u = updates.reshape(updateRows);
        String reduction = node.attributes().getString("reduction", "none");
        Tensor out = switch (reduction) {
            case "none" -> index_copy(d, 0, linear, u);
            case "add" -> index_add(d, 0, linear, u);
            case "mul", "max", "min" -> {
                try (BytePointer name = new BytePointer(reduction.equals("mul") ? "prod" : "a" + reduction)) {
                    yield org.bytedeco.pytorch.global.torch.index_reduce(d, 0, linear, u, name, true);
                }
            }
            default -> throw new ModelFormatException("ScatterND node '" + node.label() + "': unknown reduction '" + reduction + "'");
        };
        return OpSupport.one(out.reshape(ds));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": writes slices at computed indices");
    }
}
