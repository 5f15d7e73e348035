package dev.orbit.ops.constant;

import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.arange;
import static org.bytedeco.pytorch.global.torch.mul;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/** Range: start + i·delta below the limit, computed in int64 or double and cast to the input type. */
public final class Range implements Op {
    @Override
    public String opType() { return "Range"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return OpSupport.one(inferOne(node, ctx));
    }

    private static ValueType inferOne(Node node, InferContext ctx) {
        DType dtype = ctx.require(node, 0).dtype();
        double[] sld = new double[3];
        List<Dim> ints = new ArrayList<>(3);
        boolean known = true;
        for (int i = 0; i < 3; i++) {
            NdArray c = ctx.constant(i);
            List<Dim> v = ctx.intValues(i);
            if (c != null) sld[i] = c.getAsDouble(0);
            else if (v != null && v.size() == 1 && v.getFirst().isKnown()) sld[i] = v.getFirst().size();
            else known = false;
            ints.add(v != null && v.size() == 1 ? v.getFirst() : Dim.unknown());
        }
        if (!known) return new ValueType(dtype, Shape.of(Dim.unknown()));
        long n = rangeLength(node, dtype, sld[0], sld[1], sld[2]);
        List<Dim> values = null;
        if (!dtype.isFloating() && n <= ValueType.TRACKED_INT_SIZE) {
            values = new ArrayList<>();
            for (long i = 0; i < n; i++) values.add(Dim.of(ints.get(0).size() + i * ints.get(2).size()));
        }
        return new ValueType(dtype, Shape.of(n), values);
    }

    /** max(ceil((limit - start) / delta), 0), in float32 when the inputs are float32 as the runtime computes it. */
    private static long rangeLength(Node node, DType dtype, double start, double limit, double delta) {
        if (delta == 0) throw new ShapeException("Range node '" + node.label() + "': delta is 0");
        double n = dtype == DType.FLOAT32 ? Math.ceil(((float) limit - (float) start) / (float) delta)
                : Math.ceil((limit - start) / delta);
        return Math.max(0, (long) n);
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return OpSupport.one(range(node, ctx)); }

    /** start + i·delta for i below the length, computed in int64 or double and cast to the input type. */
    private static Tensor range(Node node, EvalContext ctx) {
        Tensor start = ctx.require(node, 0);
        Tensor limit = ctx.require(node, 1);
        Tensor delta = ctx.require(node, 2);
        DType dtype = DType.fromTorch(start.scalar_type());
        long n = rangeLength(node, dtype, start.item_double(), limit.item_double(), delta.item_double());
        if (dtype.isFloating()) {
            Tensor i = arange(new Scalar(n), new TensorOptions(ScalarType.Double));
            return add(mul(i, new Scalar(delta.item_double())), new Scalar(start.item_double())).to(dtype.torchType);
        }
        Tensor i = arange(new Scalar(n), new TensorOptions(ScalarType.Long));
        return add(mul(i, new Scalar(delta.item_long())), new Scalar(start.item_long())).to(dtype.torchType);
    }

    /** Constants carry no channel space. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) { }
}
