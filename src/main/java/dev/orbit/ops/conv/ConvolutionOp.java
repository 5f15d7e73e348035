package dev.orbit.ops.conv;

import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * What Conv and ConvTranspose share: X is N×C×D1…Dn; W is M×C/group×k1…kn (Conv) or C×M/group×k1…kn
 * (ConvTranspose); the shape checks and the kernel size. Window arithmetic follows ONNX Runtime where it is more
 * specific than the spec, because models are checked against it.
 */
abstract class ConvolutionOp implements Op {
    /** ConvTranspose: W's first axis is the input channels and the output grows with the stride. */
    abstract boolean transposed();

    abstract Tensor compute(Node node, Tensor x, Tensor w, Tensor b, long[] kernel, long group);

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        ValueType w = ctx.require(node, 1);
        int rank = x.rank();
        if (rank < 3) throw OpSupport.shapeError(node, "input X must be N×C×D1…Dn, got " + x.shape());
        if (w.rank() != rank) {
            throw OpSupport.shapeError(node, "weight W " + w.shape() + " must have the rank of X " + x.shape());
        }
        boolean transposed = transposed();
        long group = node.attributes().getInt("group", 1);
        Dim c = x.shape().dim(1);
        Dim inChannels = transposed ? w.shape().dim(0) : w.shape().dim(1);
        long perGroup = transposed ? 1 : group;
        if (c.isKnown() && inChannels.isKnown() && c.size() != inChannels.size() * perGroup) {
            throw OpSupport.shapeError(node, "X has " + c + " channels but W " + w.shape() + " with group " + group
                    + " expects " + inChannels.size() * perGroup);
        }
        Dim outChannels = transposed ? times(w.shape().dim(1), group) : w.shape().dim(0);
        ValueType b = ctx.input(2);
        if (b != null && b.shape() != null && (b.rank() != 1
                || b.shape().dim(0).isKnown() && outChannels.isKnown() && b.shape().dim(0).size() != outChannels.size())) {
            throw OpSupport.shapeError(node, "bias B " + b.shape() + " must be a vector of " + outChannels + " output channels");
        }
        List<Dim> out = new ArrayList<>(rank);
        out.add(x.shape().dim(0));
        out.add(outChannels);
        long[] kernel = kernelShape(node, w.shape(), rank - 2);
        for (int i = 0; i < rank - 2; i++) {
            Dim in = x.shape().dim(i + 2);
            if (kernel == null) {
                out.add(Dim.unknown());
            } else if (transposed) {
                out.add(ConvTranspose.outDim(node, kernel, i, in));
            } else {
                out.add(WindowGeometry.of(node, kernel, false).outDim(i, in));
            }
        }
        return OpSupport.one(new ValueType(x.dtype(), new Shape(out)));
    }

    /** kernel_shape if given (it must agree with W), else W's spatial dims; null when they are unknown. */
    private static long[] kernelShape(Node node, Shape w, int spatial) {
        long[] attr = node.attributes().getInts("kernel_shape", null);
        if (attr != null && attr.length != spatial) {
            throw OpSupport.shapeError(node, "kernel_shape " + Arrays.toString(attr) + " does not have " + spatial + " entries");
        }
        long[] k = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            Dim d = w.dim(i + 2);
            if (!d.isKnown()) return attr;
            k[i] = d.size();
            if (attr != null && attr[i] != k[i]) {
                throw OpSupport.shapeError(node, "kernel_shape " + Arrays.toString(attr) + " disagrees with W " + w);
            }
        }
        return k;
    }

    private static Dim times(Dim d, long factor) {
        if (d instanceof Dim.Known(long s)) return Dim.of(s * factor);
        return factor == 1 ? d : Dim.unknown();
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        dev.orbit.tensor.NativeSetup.initConvolution(); // oneDNN capped at SSE4.1 before its first primitive; NNPACK off
        Tensor x = ctx.require(node, 0);
        Tensor w = ctx.require(node, 1);
        Tensor b = ctx.input(2);
        if (x.dim() < 3 || w.dim() != x.dim()) {
            throw OpSupport.shapeError(node, "X " + Arrays.toString(OpSupport.sizes(x)) + " and W " + Arrays.toString(OpSupport.sizes(w))
                    + " must both be N×C×D1…Dn");
        }
        int n = (int) x.dim() - 2;
        long[] kernel = Arrays.copyOfRange(OpSupport.sizes(w), 2, n + 2);
        long[] declared = node.attributes().getInts("kernel_shape", null);
        if (declared != null && !Arrays.equals(declared, kernel)) {
            throw OpSupport.shapeError(node, "kernel_shape " + Arrays.toString(declared) + " disagrees with W "
                    + Arrays.toString(OpSupport.sizes(w)));
        }
        long group = node.attributes().getInt("group", 1);
        return OpSupport.one(compute(node, x, w, b, kernel, group));
    }
}
