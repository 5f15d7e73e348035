package dev.orbit.ops;

import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.arange;
import static org.bytedeco.pytorch.global.torch.full;
import static org.bytedeco.pytorch.global.torch.mul;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Attr;
import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Ops that make tensors from attributes or scalars: Constant (value, value_float(s), value_int(s); the
 * importer turns most into parameters, hand-built graphs may keep them), ConstantOfShape and Range.
 */
public final class ConstantOps implements OpFamily {
    /** Integer outputs up to this many elements carry their values through shape inference. */
    private static final int TRACKED = 64;

    @Override
    public Set<String> opTypes() { return Set.of("Constant", "ConstantOfShape", "Range"); }

    // ---------------------------------------------------------------- inference

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return switch (node.opType()) {
            case "Constant" -> OpSupport.one(ValueType.of(constantValue(node)));
            case "ConstantOfShape" -> OpSupport.one(inferConstantOfShape(node, ctx));
            case "Range" -> OpSupport.one(inferRange(node, ctx));
            default -> throw new IllegalStateException(node.opType());
        };
    }

    private static NdArray constantValue(Node node) {
        var at = node.attributes();
        for (String name : at.map().keySet()) {
            NdArray v = switch (name) {
                case "value" -> at.getTensor("value");
                case "value_float" -> NdArray.ofFloats(new float[] {at.getFloat(name, 0)});
                case "value_floats" -> {
                    float[] f = at.getFloats(name, new float[0]);
                    yield NdArray.ofFloats(f, f.length);
                }
                case "value_int" -> NdArray.ofLongs(new long[] {at.getInt(name, 0)});
                case "value_ints" -> {
                    long[] v2 = at.getInts(name, new long[0]);
                    yield NdArray.ofLongs(v2, v2.length);
                }
                default -> null;
            };
            if (v != null) return v;
        }
        throw new UnsupportedOpException("Constant node '" + node.label() + "': Orbit reads value, value_float(s) and"
                + " value_int(s), not " + at.map().keySet());
    }

    private static ValueType inferConstantOfShape(Node node, InferContext ctx) {
        NdArray fill = fillValue(node);
        List<Dim> dims = ctx.intValues(0);
        if (dims == null) return new ValueType(fill.dtype(), ShapeOps.unknownOfLength(ctx.require(node, 0)));
        for (Dim d : dims) {
            if (d instanceof Dim.Known(long v) && v < 0) {
                throw new ShapeException("ConstantOfShape node '" + node.label() + "': negative dimension in " + dims);
            }
        }
        Shape s = new Shape(dims);
        List<Dim> values = null;
        long n = s.knownCount();
        if (!fill.dtype().isFloating() && n >= 0 && n <= TRACKED) {
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

    private static ValueType inferRange(Node node, InferContext ctx) {
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
        if (!dtype.isFloating() && n <= TRACKED) {
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

    // ---------------------------------------------------------------- evaluation

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        return switch (node.opType()) {
            case "Constant" -> OpSupport.one(constantValue(node).toTorch());
            case "ConstantOfShape" -> {
                long[] shape = ctx.longs(0);
                if (shape == null) throw new ModelFormatException("ConstantOfShape node '" + node.label() + "' needs a shape");
                NdArray v = fillValue(node);
                Scalar fill = v.dtype().isFloating() ? new Scalar(v.getAsDouble(0)) : new Scalar(v.getAsLong(0));
                yield OpSupport.one(full(shape, fill, new TensorOptions(v.dtype().torchType)));
            }
            case "Range" -> OpSupport.one(range(node, ctx));
            default -> throw new IllegalStateException(node.opType());
        };
    }

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

    // ---------------------------------------------------------------- symmetry

    /** Constants carry no channel space. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) { }
}
