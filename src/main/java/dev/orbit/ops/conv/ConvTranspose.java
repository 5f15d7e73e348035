package dev.orbit.ops.conv;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.cat;
import static org.bytedeco.pytorch.global.torch.constant_pad_nd;
import static org.bytedeco.pytorch.global.torch.slow_conv_transpose2d;
import static org.bytedeco.pytorch.global.torch.slow_conv_transpose3d;

import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.ops.Layout;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.Role;
import dev.orbit.ops.Segment;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.UnsupportedOpException;
import dev.orbit.tensor.NdArray;

/**
 * ConvTranspose over up to three spatial axes: a full transposed convolution, then a crop (or zero-extension) to
 * the output window, then the bias. Ungrouped with a constant kernel, it creates a neuron space on its output
 * channels.
 */
public final class ConvTranspose extends ConvolutionOp {
    @Override
    public String opType() { return "ConvTranspose"; }

    @Override
    boolean transposed() { return true; }

    /**
     * Full transposed convolution (no padding), then a crop (or zero-extension, for output_padding and a
     * large output_shape) to the window [pad_begin, pad_begin + out) on each axis, then the bias.
     */
    @Override
    Tensor compute(Node node, Tensor x, Tensor w, Tensor b, long[] kernel, long group) {
        int n = kernel.length;
        if (x.size(1) != w.size(0)) {
            throw OpSupport.shapeError(node, "X has " + x.size(1) + " channels but W " + Arrays.toString(OpSupport.sizes(w))
                    + " expects " + w.size(0));
        }
        WindowGeometry g = WindowGeometry.of(node, kernel, false);
        Tensor full = fullTransposed(x, w, kernel, g.strides(), g.dilations(), group);
        long[] crop0 = new long[n];
        long[] crop1 = new long[n];
        for (int i = 0; i < n; i++) {
            long in = x.size(i + 2);
            long[] r = transposePads(node, kernel, i, in);
            long fullSize = (in - 1) * g.strides()[i] + (kernel[i] - 1) * g.dilations()[i] + 1;
            crop0[i] = -r[0];
            crop1[i] = r[0] + r[2] - fullSize;
        }
        Tensor y = constant_pad_nd(full, WindowGeometry.torchPads(crop0, crop1), new Scalar(0.0));
        if (b != null) {
            long[] shape = new long[n + 2];
            Arrays.fill(shape, 1);
            shape[1] = b.numel();
            y = add(y, b.reshape(shape));
        }
        return y;
    }

    /** {pad_begin, pad_end, out} of ConvTranspose along spatial axis i, as ONNX Runtime computes them. */
    private static long[] transposePads(Node node, long[] kernel, int i, long in) {
        var at = node.attributes();
        int n = kernel.length;
        WindowGeometry g = WindowGeometry.of(node, kernel, false);
        long s = g.strides()[i];
        long adj = WindowGeometry.vector(node, "output_padding", n, 0)[i];
        long natural = (in - 1) * s + adj + (kernel[i] - 1) * g.dilations()[i] + 1;
        long[] outputShape = at.getInts("output_shape", null);
        String autoPad = at.getString("auto_pad", "NOTSET");
        if (outputShape != null) {
            if (outputShape.length != n && outputShape.length != n + 2) {
                throw OpSupport.shapeError(node, "output_shape " + Arrays.toString(outputShape) + " must have " + n + " entries");
            }
            long out = outputShape[outputShape.length - n + i];
            long[] split = splitTranspose(autoPad, Math.max(0, natural - out));
            return new long[] {split[0], split[1], out};
        }
        long[] split = switch (autoPad) {
            case "SAME_UPPER", "SAME_LOWER" -> splitTranspose(autoPad, Math.max(0, natural - in * s));
            case "VALID" -> new long[2];
            default -> new long[] {g.pads()[i], g.pads()[i + n]};
        };
        return new long[] {split[0], split[1], natural - split[0] - split[1]};
    }

    /** As the spec says (and ONNX Runtime 1.29 does): an odd pad goes at the end for SAME_UPPER, else at the start. */
    private static long[] splitTranspose(String autoPad, long total) {
        long head = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
        return new long[] {head, total - head};
    }

    static Dim outDim(Node node, long[] kernel, int i, Dim in) {
        if (in instanceof Dim.Known(long s)) return Dim.of(transposePads(node, kernel, i, s)[2]);
        long[] outputShape = node.attributes().getInts("output_shape", null);
        if (outputShape != null) return Dim.of(outputShape[outputShape.length - kernel.length + i]);
        // with stride 1 the output is the input plus a constant: probe it on a size where nothing clamps
        WindowGeometry g = WindowGeometry.of(node, kernel, false);
        if (g.strides()[i] != 1) return Dim.unknown();
        long probe = 1L << 20;
        return OpSupport.affine(in, 1, transposePads(node, kernel, i, probe)[2] - probe);
    }

    /**
     * The unpadded transposed convolution through libtorch's reference kernels, one group at a time. Why not
     * {@code convolution(..., transposed=true)}: on this libtorch build it dispatches to oneDNN's deconvolution,
     * which returns different (sometimes NaN) values from call to call on AMD EPYC machines (docs/NOTES.md).
     */
    private static Tensor fullTransposed(Tensor x, Tensor w, long[] kernel, long[] strides, long[] dilations, long group) {
        int n = kernel.length;
        boolean oneD = n == 1;
        if (oneD) {
            x = x.unsqueeze(-1);
            w = w.unsqueeze(-1);
            kernel = new long[] {kernel[0], 1};
            strides = new long[] {strides[0], 1};
            dilations = new long[] {dilations[0], 1};
        }
        int m = kernel.length;
        if (m > 3) throw new UnsupportedOpException("ConvTranspose over " + m + " spatial axes (at most 3 are evaluated)");
        long inPerGroup = x.size(1) / group;
        TensorVector parts = new TensorVector();
        for (long gi = 0; gi < group; gi++) {
            Tensor xg = group == 1 ? x : x.narrow(1, gi * inPerGroup, inPerGroup);
            Tensor wg = group == 1 ? w : w.narrow(0, gi * inPerGroup, inPerGroup);
            parts.push_back(m == 2
                    ? slow_conv_transpose2d(xg, wg, kernel, new TensorOptional(), strides, new long[m], new long[m], dilations)
                    : slow_conv_transpose3d(xg, wg, kernel, new TensorOptional(), strides, new long[m], new long[m], dilations));
        }
        Tensor full = group == 1 ? parts.get(0) : cat(parts, 1);
        return oneD ? full.squeeze(-1) : full;
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { convTransposeRule(rules, node); }

    private static void convTransposeRule(SpaceRules rules, Node n) {
        String w = n.input(1);
        if (!rules.isParam(w) || n.attributes().getInt("group", 1) != 1) {
            rules.freezeInputs(n, label(n) + ": only ungrouped ConvTranspose with a constant kernel is moved");
            return;
        }
        NdArray k = rules.parameter(w);
        Layout lx = rules.layout(n.input(0));
        if (lx != null && (lx.axis() != 1 || lx.length() != k.dim(0))) {
            rules.freeze(n.input(0), label(n) + ": input channels do not line up with the kernel");
            lx = null;
        }
        int s = rules.newSpace(k.dim(1), label(n));
        rules.touch(s, w, 1, Role.COVARIANT, 0, 1);
        if (lx != null) rules.touchLayout(lx, w, 0, Role.CONTRAVARIANT);
        Layout lo = new Layout(1, List.of(new Segment(s, k.dim(1), 1)));
        rules.bias(n, n.input(2), lo, 0, 1);
        rules.setLayout(n.output(0), lo);
    }
}
