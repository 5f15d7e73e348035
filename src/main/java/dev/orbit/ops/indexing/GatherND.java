package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.index_select;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

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
 * GatherND: indices [b…, m…, k] pick slices data[b…, i₁, …, i_k, :] after {@code batch_dims} shared leading axes;
 * the output is [b…, m…, rest of data]. Evaluated as one index_select on data viewed as rows.
 */
public final class GatherND implements Op {
    @Override
    public String opType() { return "GatherND"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType data = ctx.require(node, 0);
        ValueType idx = ctx.require(node, 1);
        if (!data.hasShape() || !idx.hasShape()) throw new InferContext.UnknownShapeSignal();
        int b = batchDims(node, data.rank(), idx.rank());
        Dim k = idx.shape().dim(idx.rank() - 1);
        if (!(k instanceof Dim.Known(long kk))) throw new InferContext.UnknownShapeSignal();
        checkDepth(node, kk, b, data.rank());
        List<Dim> out = new ArrayList<>(idx.shape().dims().subList(0, idx.rank() - 1));
        out.addAll(data.shape().dims().subList(b + (int) kk, data.rank()));
        return OpSupport.one(new ValueType(data.dtype(), new Shape(out)));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor data = ctx.require(node, 0);
        Tensor indices = ctx.require(node, 1);
        long[] ds = OpSupport.sizes(data);
        long[] is = OpSupport.sizes(indices);
        int b = batchDims(node, ds.length, is.length);
        checkDepth(node, is[is.length - 1], b, ds.length);
        int k = (int) is[is.length - 1];
        long rows = 1;
        for (int i = 0; i < b + k; i++) rows *= ds[i];
        long[] rowShape = new long[ds.length - b - k + 1];
        rowShape[0] = rows;
        System.arraycopy(ds, b + k, rowShape, 1, ds.length - b - k);
        Tensor linear = IndexingSupport.linearRows(data, indices, b);
        Tensor picked = index_select(data.reshape(rowShape), 0, linear.reshape(-1));
        long[] out = new long[is.length - 1 + ds.length - b - k];
        System.arraycopy(is, 0, out, 0, is.length - 1);
        System.arraycopy(ds, b + k, out, is.length - 1, ds.length - b - k);
        return OpSupport.one(picked.reshape(out));
    }

    /** batch_dims b with 0 ≤ b < rank of both inputs (a fuzz finding: b and k beyond data's rank indexed past its dims). */
    private static int batchDims(Node node, int dataRank, int indicesRank) {
        long b = node.attributes().getInt("batch_dims", 0);
        if (indicesRank < 1) throw OpSupport.shapeError(node, "indices need rank 1 or more");
        if (b < 0 || b >= Math.min(dataRank, indicesRank)) {
            throw OpSupport.shapeError(node, "batch_dims " + b + " must be below the ranks of data (" + dataRank + ") and indices (" + indicesRank + ")");
        }
        return (int) b;
    }

    /** The last index axis k addresses axes b … b+k−1 of data: 1 ≤ k ≤ rank − b. */
    private static void checkDepth(Node node, long k, int b, int dataRank) {
        if (k < 1 || k > dataRank - b) {
            throw OpSupport.shapeError(node, "indices address " + k + " axes, data has " + (dataRank - b) + " after batch_dims " + b);
        }
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": picks slices by computed indices");
    }
}
