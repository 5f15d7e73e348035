package dev.orbit.ops.quantize;

import static org.bytedeco.pytorch.global.torch.clamp;
import static org.bytedeco.pytorch.global.torch.round;

import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;

/**
 * What the quantization ops share: the integer grid of uint8/int8 (round half to even, then saturate), scales and
 * zero points per tensor or per axis, and the integer products computed exactly (in float64: every sum of 8-bit
 * products an ONNX model can hold stays far below 2⁵³).
 */
final class Quantization {
    private Quantization() {}

    /** The integer type a zero point (or its absence: uint8) quantizes to. */
    static ScalarType gridOf(Tensor zeroPoint) {
        if (zeroPoint == null) return ScalarType.Byte;
        ScalarType t = zeroPoint.scalar_type().intern();
        if (t != ScalarType.Byte && t != ScalarType.Char) {
            throw new ModelFormatException("a zero point of type " + t + " is not uint8 or int8");
        }
        return t;
    }

    static DType dtypeOf(ValueType zeroPoint) { return zeroPoint == null ? DType.UINT8 : zeroPoint.dtype(); }

    /** round(v) + zero point, saturated to the grid, in the grid's type; v is float32. */
    static Tensor saturate(Tensor v, Tensor zeroPoint, ScalarType grid) {
        Tensor q = round(v);
        if (zeroPoint != null) q = q.add(zeroPoint.to(ScalarType.Float));
        double lo = grid == ScalarType.Byte ? 0 : -128;
        double hi = grid == ScalarType.Byte ? 255 : 127;
        return clamp(q, new ScalarOptional(new Scalar(lo)), new ScalarOptional(new Scalar(hi))).to(grid);
    }

    /** Like {@link #saturate} on the 4-bit grid of {@code grid} (int4 [−8, 7], uint4 [0, 15]), held as int8/uint8. */
    static Tensor saturate4(Tensor v, Tensor zeroPoint, DType grid) {
        Tensor q = round(v);
        if (zeroPoint != null) q = q.add(zeroPoint.to(ScalarType.Float));
        double lo = grid == DType.UINT4 ? 0 : -8;
        double hi = grid == DType.UINT4 ? 15 : 7;
        return clamp(q, new ScalarOptional(new Scalar(lo)), new ScalarOptional(new Scalar(hi))).to(grid.torchType);
    }

    /**
     * A scale or zero point lined up with {@code axis} of a rank-{@code rank} tensor: a scalar (or one-element
     * vector) as it is, a vector of the axis' length reshaped to broadcast along it.
     */
    static Tensor along(Node node, Tensor p, long axis, int rank) {
        if (p == null || p.numel() == 1 && p.dim() <= 1) return p == null ? null : p.reshape();
        if (p.dim() != 1) throw new ModelFormatException(node.opType() + " node '" + node.label() + "': a per-axis scale or zero point must be a vector");
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        // the axis matters only here: a per-tensor scale leaves it unused, whatever the rank
        shape[dev.orbit.ops.OpSupport.axis(node, axis, rank)] = p.size(0);
        return p.reshape(shape);
    }

    /**
     * A blocked scale or zero point (opset 21) expanded to x's shape: entry i of {@code axis} takes block i / size.
     * The scale must have x's rank, x's size on every other axis and ⌈n / size⌉ entries on the axis.
     */
    static Tensor blocked(Node node, Tensor p, Tensor x, long axis, long size) {
        int rank = (int) x.dim();
        int a = dev.orbit.ops.OpSupport.axis(node, axis, rank);
        long n = x.size(a);
        if (p.dim() != rank || p.size(a) != (n + size - 1) / size) {
            throw new ModelFormatException(node.opType() + " node '" + node.label() + "': a blocked scale or zero point needs rank " + rank
                    + " and " + ((n + size - 1) / size) + " blocks on axis " + a);
        }
        for (int d = 0; d < rank; d++) {
            if (d != a && p.size(d) != x.size(d)) {
                throw new ModelFormatException(node.opType() + " node '" + node.label() + "': a blocked scale must match the input off the block axis");
            }
        }
        long[] idx = new long[Math.toIntExact(n)];
        for (int i = 0; i < idx.length; i++) idx[i] = i / size;
        return p.index_select(a, dev.orbit.tensor.NdArray.ofLongs(idx, idx.length).toTorch());
    }

    /** x − zero point in float64 (exact for 8- and 32-bit integers). */
    static Tensor centred(Tensor x, Tensor zeroPoint) {
        Tensor d = x.to(ScalarType.Double);
        return zeroPoint == null ? d : d.sub(zeroPoint.to(ScalarType.Double));
    }

    /** An evaluation context offering the given tensors as inputs 0, 1, 2… (to reuse MatMul's and Conv's rooms). */
    static EvalContext inputs(EvalContext outer, Tensor... ts) {
        return new EvalContext() {
            @Override public Tensor input(int i) { return i < ts.length ? ts[i] : null; }
            @Override public int inputCount() { return ts.length; }
            @Override public long opset() { return outer.opset(); }
        };
    }

    /** An inference context offering some of the node's inputs, in the given order. */
    static InferContext inputs(InferContext outer, int... picks) {
        return new InferContext() {
            @Override public ValueType input(int i) { return i < picks.length ? outer.input(picks[i]) : null; }
            @Override public int inputCount() { return picks.length; }
            @Override public dev.orbit.tensor.NdArray constant(int i) { return i < picks.length ? outer.constant(picks[i]) : null; }
            @Override public long opset() { return outer.opset(); }
        };
    }

    static List<ValueType> withType(List<ValueType> types, DType dtype) {
        return types.stream().map(t -> t == null ? null : new ValueType(dtype, t.shape())).toList();
    }

    /**
     * Quantized values sit on a fixed integer grid: a channel's rescaling moves it off the grid (rounding is not
     * equivariant), and a permutation would have to permute per-axis scales and zero points too (not modelled).
     */
    static void freeze(Node node, SpaceRules rules) {
        rules.freezeInputs(node, SpaceRules.label(node) + ": quantized values sit on a fixed integer grid (rounding does not commute"
                + " with a channel's rescaling; per-axis scales would have to be permuted too)");
    }
}
