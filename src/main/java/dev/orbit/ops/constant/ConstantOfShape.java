package dev.orbit.ops.constant;

import static org.bytedeco.pytorch.global.torch.full;

import java.util.Collections;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;

import dev.orbit.graph.Attr;
import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpArgs;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.NdArray;

/** ConstantOfShape: a tensor of the given shape filled with one value (float32 zero by default). */
public final class ConstantOfShape implements Op {
    @Override
    public String opType() { return "ConstantOfShape"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return OpSupport.one(inferOne(node, ctx));
    }

    private static ValueType inferOne(Node node, InferContext ctx) {
        NdArray fill = fillValue(node);
        List<Dim> dims = ctx.intValues(0);
        if (dims == null) return new ValueType(fill.dtype(), OpArgs.unknownOfLength(ctx.require(node, 0)));
        for (Dim d : dims) {
            if (d instanceof Dim.Known(long v) && v < 0) {
                throw new ShapeException("ConstantOfShape node '" + node.label() + "': negative dimension in " + dims);
            }
        }
        Shape s = new Shape(dims);
        List<Dim> values = null;
        long n = s.knownCount();
        if (!fill.dtype().isFloating() && n >= 0 && n <= ValueType.TRACKED_INT_SIZE) {
            values = Collections.nCopies((int) n, Dim.of(fill.getAsLong(0)));
        }
        return new ValueType(fill.dtype(), s, values);
    }

    /** The fill value: a one-element tensor, float32 zero by default. */
    private static NdArray fillValue(Node node) {
        NdArray v = node.attributes().get("value").orElse(null) instanceof Attr.TensorValue(NdArray t) ? t
                : NdArray.ofFloats(new float[] {0f});
        if (v.size() != 1) {
            throw new ModelFormatException("ConstantOfShape node '" + node.label() + "': value must hold one element, not "
                    + v.size());
        }
        return v;
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        long[] shape = ctx.longs(0);
        if (shape == null) throw new ModelFormatException("ConstantOfShape node '" + node.label() + "' needs a shape");
        NdArray v = fillValue(node);
        Scalar fill = v.dtype().isFloating() ? new Scalar(v.getAsDouble(0)) : new Scalar(v.getAsLong(0));
        return OpSupport.one(full(shape, fill, new TensorOptions(v.dtype().torchType)));
    }

    /** Constants carry no channel space. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) { }
}
