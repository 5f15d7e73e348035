package dev.orbit.ops.pool;

import static org.bytedeco.pytorch.global.torch.convolution;
import static org.bytedeco.pytorch.global.torch.div;
import static org.bytedeco.pytorch.global.torch.ones;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;

import dev.orbit.graph.Node;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.UnsupportedOpException;
import dev.orbit.ops.conv.WindowGeometry;
import dev.orbit.tensor.NdArray;

/** AveragePool: window sums divided by the counted taps, as ONNX Runtime counts them. */
public final class AveragePool extends PoolOp {
    @Override
    public String opType() { return "AveragePool"; }

    @Override
    boolean global() { return false; }

    /**
     * Window sums as a depthwise convolution with a ones kernel (which also handles dilations), divided by
     * each window's count: the taps inside the input, or with count_include_pad also those in the explicit
     * pads (never those in the extra ceil_mode overhang), as ONNX Runtime counts them.
     */
    @Override
    Tensor pool(Node node, Tensor x, long[] spatialAxes) {
        if (!isFloat(x)) {
            throw new UnsupportedOpException("AveragePool node '" + node.label() + "': needs a float input");
        }
        dev.orbit.tensor.NativeSetup.initConvolution(); // oneDNN capped at SSE4.1 before its first primitive; NNPACK off
        long[] shape = OpSupport.sizes(x);
        int n = shape.length - 2;
        WindowGeometry g = WindowGeometry.of(node, kernel(node, n), true);
        boolean includePad = node.attributes().getInt("count_include_pad", 0) != 0;
        long[][] w = windows(node, g, x);
        Tensor padded = pad(x, w, new Scalar(0.0));
        long[] paddedShape = OpSupport.sizes(padded);
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
    private static Tensor counts(Node node, WindowGeometry g, long[][] w, long[] shape, boolean includePad) {
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
            if (v == 0) throw OpSupport.shapeError(node, "a pooling window covers no input element");
        }
        return NdArray.ofDoubles(total, outShape).toTorch();
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { rules.pass(node); }
}
