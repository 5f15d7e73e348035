package dev.orbit.ops.constant;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;

/** EyeLike: a 2-D tensor of the input's shape with ones on diagonal k (default 0), of type {@code dtype} (default the input's). */
public final class EyeLike implements Op {
    @Override
    public String opType() { return "EyeLike"; }

    private static DType type(Node node, DType input) {
        return node.attributes().has("dtype") ? DType.fromOnnx((int) node.attributes().getInt("dtype", 1)) : input;
    }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        return OpSupport.one(new ValueType(type(node, x.dtype()), x.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        long k = node.attributes().getInt("k", 0);
        long rows = x.size(0);
        long cols = x.size(1);
        Tensor eye = torch.ones(new long[] {Math.min(rows, cols)}, new TensorOptions(torch.ScalarType.Double));
        Tensor y = torch.zeros(new long[] {rows, cols}, new TensorOptions(torch.ScalarType.Double));
        // the k-th diagonal of a rows×cols matrix through diag_embed's offset, cut to the shape
        Tensor d = torch.diag_embed(eye, k, -2, -1);
        long h = Math.min(rows, d.size(0));
        long w = Math.min(cols, d.size(1));
        y.narrow(0, 0, h).narrow(1, 0, w).copy_(d.narrow(0, 0, h).narrow(1, 0, w));
        DType dt = type(node, DType.fromTorch(x.scalar_type()));
        return OpSupport.one(y.to(dt.torchType));
    }

    /** Reads only the input's shape. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) { }
}
