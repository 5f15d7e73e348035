package dev.orbit.ops;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.constant_pad_nd;
import static org.bytedeco.pytorch.global.torch.convolution;
import static org.bytedeco.pytorch.global.torch.div;
import static org.bytedeco.pytorch.global.torch.max_pool1d;
import static org.bytedeco.pytorch.global.torch.max_pool2d;
import static org.bytedeco.pytorch.global.torch.max_pool3d;
import static org.bytedeco.pytorch.global.torch.ones;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool on N×C×D1…Dn inputs. The windows' geometry (pads,
 * auto_pad, ceil_mode, dilations) is {@link ConvOps.Geometry}; the input is padded explicitly to exactly the
 * extent the windows cover, so libtorch pools without padding or ceil mode of its own.
 */
public final class PoolOps implements OpFamily {
    @Override
    public Set<String> opTypes() { return Set.of("MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool"); }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int rank = x.rank();
        if (rank < 3) throw ConvOps.shapeError(node, "input X must be N×C×D1…Dn, got " + x.shape());
        List<Dim> out = new ArrayList<>(x.shape().dims().subList(0, 2));
        if (node.opType().startsWith("Global")) {
            for (int i = 2; i < rank; i++) out.add(Dim.of(1));
        } else {
            ConvOps.Geometry g = ConvOps.Geometry.of(node, kernel(node, rank - 2), true);
            for (int i = 0; i < rank - 2; i++) out.add(g.outDim(i, x.shape().dim(i + 2)));
        }
        ValueType y = new ValueType(x.dtype(), new Shape(out));
        if (node.opType().equals("MaxPool") && node.outputs().size() > 1) {
            return List.of(y, new ValueType(DType.INT64, y.shape()));
        }
        return OpSupport.one(y);
    }

    private static long[] kernel(Node node, int spatial) {
        long[] k = node.attributes().getInts("kernel_shape", null);
        if (k == null) throw ConvOps.shapeError(node, "the kernel_shape attribute is required");
        if (k.length != spatial) {
            throw ConvOps.shapeError(node, "kernel_shape " + Arrays.toString(k) + " does not match the "
                    + spatial + " spatial axes of the input");
        }
        return k;
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        int rank = (int) x.dim();
        if (rank < 3) throw ConvOps.shapeError(node, "input X must be N×C×D1…Dn, got rank " + rank);
        long[] spatialAxes = new long[rank - 2];
        for (int i = 0; i < spatialAxes.length; i++) spatialAxes[i] = i + 2;
        Tensor y = switch (node.opType()) {
            case "GlobalAveragePool" -> x.mean(spatialAxes, true, new org.bytedeco.pytorch.ScalarTypeOptional());
            case "GlobalMaxPool" -> x.amax(spatialAxes, true);
            case "MaxPool" -> maxPool(node, x);
            default -> averagePool(node, x);
        };
        return OpSupport.one(y);
    }

    /** {pad_begin, pad_end, out} per spatial axis, where pad_end is what the last window needs (may crop). */
    private static long[][] windows(Node node, ConvOps.Geometry g, Tensor x) {
        int n = g.kernel().length;
        long[][] r = new long[n][];
        for (int i = 0; i < n; i++) {
            long in = x.size(i + 2);
            long[] w = g.resolve(i, in);
            if (w[2] <= 0) {
                throw ConvOps.shapeError(node, "the pooling window is larger than the padded input (" + in + ")");
            }
            long covered = (w[2] - 1) * g.strides()[i] + g.effectiveKernel(i);
            r[i] = new long[] {w[0], covered - in - w[0], w[2], w[1]};
        }
        return r;
    }

    private static Tensor maxPool(Node node, Tensor x) {
        if (node.outputs().size() > 1 && !node.output(1).isEmpty()) {
            throw new UnsupportedOpException("MaxPool node '" + node.label()
                    + "': the Indices output is not supported; drop the second output");
        }
        if (!isFloat(x)) {
            throw new UnsupportedOpException("MaxPool node '" + node.label() + "': only float inputs are supported");
        }
        int n = (int) x.dim() - 2;
        ConvOps.Geometry g = ConvOps.Geometry.of(node, kernel(node, n), true);
        long[][] w = windows(node, g, x);
        Tensor padded = pad(x, w, new Scalar(Double.NEGATIVE_INFINITY));
        long[] zeros = new long[n];
        return switch (n) {
            case 1 -> max_pool1d(padded, g.kernel(), g.strides(), zeros, g.dilations(), false);
            case 2 -> max_pool2d(padded, g.kernel(), g.strides(), zeros, g.dilations(), false);
            case 3 -> max_pool3d(padded, g.kernel(), g.strides(), zeros, g.dilations(), false);
            default -> throw new UnsupportedOpException("MaxPool node '" + node.label() + "': " + n
                    + " spatial axes are not supported (1 to 3 are)");
        };
    }

    /**
     * Window sums as a depthwise convolution with a ones kernel (which also handles dilations), divided by
     * each window's count: the taps inside the input, or with count_include_pad also those in the explicit
     * pads (never those in the extra ceil_mode overhang), as ONNX Runtime counts them.
     */
    private static Tensor averagePool(Node node, Tensor x) {
        if (!isFloat(x)) {
            throw new UnsupportedOpException("AveragePool node '" + node.label() + "': needs a float input");
        }
        long[] shape = ConvOps.sizes(x);
        int n = shape.length - 2;
        ConvOps.Geometry g = ConvOps.Geometry.of(node, kernel(node, n), true);
        boolean includePad = node.attributes().getInt("count_include_pad", 0) != 0;
        long[][] w = windows(node, g, x);
        Tensor padded = pad(x, w, new Scalar(0.0));
        long[] paddedShape = ConvOps.sizes(padded);
        long[] flat = new long[n + 2];
        flat[0] = shape[0] * shape[1];
        flat[1] = 1;
        System.arraycopy(paddedShape, 2, flat, 2, n);
        long[] kshape = new long[n + 2];
        kshape[0] = 1;
        kshape[1] = 1;
        System.arraycopy(g.kernel(), 0, kshape, 2, n);
        Tensor kernel = ones(kshape, new TensorOptions(x.scalar_type().intern()));
        Tensor sums = convolution(padded.reshape(flat), kernel, new TensorOptional(), g.strides(), new long[n],
                g.dilations(), false, new long[n], 1);
        long[] outShape = new long[n + 2];
        outShape[0] = shape[0];
        outShape[1] = shape[1];
        for (int i = 0; i < n; i++) outShape[i + 2] = w[i][2];
        return div(sums.reshape(outShape), counts(node, g, w, shape, includePad).to(x.scalar_type().intern()));
    }

    /** The number of counted taps of every window, the product of per-axis counts (1×1×out1×…×outn). */
    private static Tensor counts(Node node, ConvOps.Geometry g, long[][] w, long[] shape, boolean includePad) {
        int n = w.length;
        long[] outShape = new long[n + 2];
        outShape[0] = 1;
        outShape[1] = 1;
        for (int i = 0; i < n; i++) outShape[i + 2] = w[i][2];
        double[] total = {1};
        for (int i = 0; i < n; i++) {
            long in = shape[i + 2];
            long lo = includePad ? -w[i][0] : 0;
            long hi = includePad ? in + w[i][3] : in;
            double[] c = new double[(int) w[i][2]];
            for (int o = 0; o < c.length; o++) {
                long start = o * g.strides()[i] - w[i][0];
                for (int k = 0; k < g.kernel()[i]; k++) {
                    long pos = start + k * g.dilations()[i];
                    if (pos >= lo && pos < hi) c[o]++;
                }
            }
            double[] next = new double[total.length * c.length];
            for (int a = 0; a < total.length; a++) {
                for (int b = 0; b < c.length; b++) next[a * c.length + b] = total[a] * c[b];
            }
            total = next;
        }
        for (double v : total) {
            if (v == 0) throw ConvOps.shapeError(node, "a pooling window covers no input element");
        }
        return NdArray.ofDoubles(total, outShape).toTorch();
    }

    private static Tensor pad(Tensor x, long[][] w, Scalar value) {
        int n = w.length;
        long[] begin = new long[n];
        long[] end = new long[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            begin[i] = w[i][0];
            end[i] = w[i][1];
            any |= begin[i] != 0 || end[i] != 0;
        }
        return any ? constant_pad_nd(x, ConvOps.torchPads(begin, end), value) : x;
    }

    private static boolean isFloat(Tensor t) {
        String name = t.scalar_type().intern().name();
        return name.equals("Float") || name.equals("Double") || name.equals("Half") || name.equals("BFloat16");
    }

    // ---------------------------------------------------------------- symmetry

    /** Pooling keeps the channels; max pooling only allows positive factors. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        switch (node.opType()) {
            case "MaxPool", "GlobalMaxPool" -> {
                rules.pass(node);
                rules.positiveScalingOnly(rules.layout(node.input(0)),
                        label(node) + ": a negative factor would turn max into min");
            }
            case "AveragePool", "GlobalAveragePool" -> rules.pass(node);
            default -> rules.freezeUnknown(node);
        }
    }
}
