package dev.orbit.ops.pool;

import static org.bytedeco.pytorch.global.torch.constant_pad_nd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.conv.WindowGeometry;
import dev.orbit.tensor.DType;

/**
 * Pooling on N×C×D1…Dn inputs. The windows' geometry (pads, auto_pad, ceil_mode, dilations) is
 * {@link WindowGeometry}; the input is padded explicitly to exactly the extent the windows cover, so libtorch
 * pools without padding or ceil mode of its own. Symmetry: the channels pass.
 */
abstract class PoolOp implements Op {
    /** Global pools reduce every spatial axis to 1. */
    abstract boolean global();

    abstract Tensor pool(Node node, Tensor x, long[] spatialAxes);

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int rank = x.rank();
        if (rank < 3) throw OpSupport.shapeError(node, "input X must be N×C×D1…Dn, got " + x.shape());
        List<Dim> out = new ArrayList<>(x.shape().dims().subList(0, 2));
        if (global()) {
            for (int i = 2; i < rank; i++) out.add(Dim.of(1));
        } else {
            WindowGeometry g = WindowGeometry.of(node, kernel(node, rank - 2), true);
            for (int i = 0; i < rank - 2; i++) out.add(g.outDim(i, x.shape().dim(i + 2)));
        }
        ValueType y = new ValueType(x.dtype(), new Shape(out));
        if (opType().equals("MaxPool") && node.outputs().size() > 1) {
            return List.of(y, new ValueType(DType.INT64, y.shape()));
        }
        return OpSupport.one(y);
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        int rank = (int) x.dim();
        if (rank < 3) throw OpSupport.shapeError(node, "input X must be N×C×D1…Dn, got rank " + rank);
        long[] spatialAxes = new long[rank - 2];
        for (int i = 0; i < spatialAxes.length; i++) spatialAxes[i] = i + 2;
        return OpSupport.one(pool(node, x, spatialAxes));
    }

    static long[] kernel(Node node, int spatial) {
        long[] k = node.attributes().getInts("kernel_shape", null);
        if (k == null) throw OpSupport.shapeError(node, "the kernel_shape attribute is required");
        if (k.length != spatial) {
            throw OpSupport.shapeError(node, "kernel_shape " + Arrays.toString(k) + " does not match the "
                    + spatial + " spatial axes of the input");
        }
        return k;
    }

    /** {pad_begin, pad_end, out} per spatial axis, where pad_end is what the last window needs (may crop). */
    static long[][] windows(Node node, WindowGeometry g, Tensor x) {
        int n = g.kernel().length;
        long[][] r = new long[n][];
        for (int i = 0; i < n; i++) {
            long in = x.size(i + 2);
            long[] w = g.resolve(i, in);
            if (w[2] <= 0) {
                throw OpSupport.shapeError(node, "the pooling window is larger than the padded input (" + in + ")");
            }
            long covered = (w[2] - 1) * g.strides()[i] + g.effectiveKernel(i);
            r[i] = new long[] {w[0], covered - in - w[0], w[2], w[1]};
        }
        return r;
    }

    static Tensor pad(Tensor x, long[][] w, Scalar value) {
        int n = w.length;
        long[] begin = new long[n];
        long[] end = new long[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            begin[i] = w[i][0];
            end[i] = w[i][1];
            any |= begin[i] != 0 || end[i] != 0;
        }
        return any ? constant_pad_nd(x, WindowGeometry.torchPads(begin, end), value) : x;
    }

    static boolean isFloat(Tensor t) {
        String name = t.scalar_type().intern().name();
        return name.equals("Float") || name.equals("Double") || name.equals("Half") || name.equals("BFloat16");
    }
}
