package dev.orbit.ops;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.cat;
import static org.bytedeco.pytorch.global.torch.constant_pad_nd;
import static org.bytedeco.pytorch.global.torch.convolution;
import static org.bytedeco.pytorch.global.torch.slow_conv_transpose2d;
import static org.bytedeco.pytorch.global.torch.slow_conv_transpose3d;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.NdArray;

/**
 * Conv and ConvTranspose over any number of spatial axes (X is N×C×D1…Dn, W is M×C/group×k1…kn for Conv and
 * C×M/group×k1…kn for ConvTranspose). Window arithmetic follows ONNX Runtime where it is more specific than
 * the spec (SAME padding of pools, ceil_mode's last window), because models are checked against it.
 * Asymmetric or negative pads are applied to the input explicitly, so libtorch only sees symmetric padding;
 * ConvTranspose crops (or zero-extends) a full transposed convolution instead.
 */
public final class ConvOps implements OpFamily {
    @Override
    public Set<String> opTypes() { return Set.of("Conv", "ConvTranspose"); }

    // ---------------------------------------------------------------- shape inference

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        ValueType w = ctx.require(node, 1);
        int rank = x.rank();
        if (rank < 3) throw shapeError(node, "input X must be N×C×D1…Dn, got " + x.shape());
        if (w.rank() != rank) {
            throw shapeError(node, "weight W " + w.shape() + " must have the rank of X " + x.shape());
        }
        boolean transposed = node.opType().equals("ConvTranspose");
        long group = node.attributes().getInt("group", 1);
        Dim c = x.shape().dim(1);
        Dim inChannels = transposed ? w.shape().dim(0) : w.shape().dim(1);
        long perGroup = transposed ? 1 : group;
        if (c.isKnown() && inChannels.isKnown() && c.size() != inChannels.size() * perGroup) {
            throw shapeError(node, "X has " + c + " channels but W " + w.shape() + " with group " + group
                    + " expects " + inChannels.size() * perGroup);
        }
        Dim outChannels = transposed ? times(w.shape().dim(1), group) : w.shape().dim(0);
        ValueType b = ctx.input(2);
        if (b != null && b.shape() != null && (b.rank() != 1
                || b.shape().dim(0).isKnown() && outChannels.isKnown() && b.shape().dim(0).size() != outChannels.size())) {
            throw shapeError(node, "bias B " + b.shape() + " must be a vector of " + outChannels + " output channels");
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
                out.add(transposeOutDim(node, kernel, i, in));
            } else {
                out.add(Geometry.of(node, kernel, false).outDim(i, in));
            }
        }
        return OpSupport.one(new ValueType(x.dtype(), new Shape(out)));
    }

    /** kernel_shape if given (it must agree with W), else W's spatial dims; null when they are unknown. */
    private static long[] kernelShape(Node node, Shape w, int spatial) {
        long[] attr = node.attributes().getInts("kernel_shape", null);
        if (attr != null && attr.length != spatial) {
            throw shapeError(node, "kernel_shape " + Arrays.toString(attr) + " does not have " + spatial + " entries");
        }
        long[] k = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            Dim d = w.dim(i + 2);
            if (!d.isKnown()) return attr;
            k[i] = d.size();
            if (attr != null && attr[i] != k[i]) {
                throw shapeError(node, "kernel_shape " + Arrays.toString(attr) + " disagrees with W " + w);
            }
        }
        return k;
    }

    private static Dim times(Dim d, long factor) {
        if (d instanceof Dim.Known(long s)) return Dim.of(s * factor);
        return factor == 1 ? d : Dim.unknown();
    }

    /** in·mul + add, keeping a symbol only when the map is the identity. */
    static Dim affine(Dim in, long mul, long add) {
        if (in instanceof Dim.Known(long s)) return Dim.of(s * mul + add);
        return mul == 1 && add == 0 ? in : Dim.unknown();
    }

    static ShapeException shapeError(Node node, String message) {
        return new ShapeException(node.opType() + " node '" + node.label() + "': " + message);
    }

    // ---------------------------------------------------------------- evaluation

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        Tensor w = ctx.require(node, 1);
        Tensor b = ctx.input(2);
        if (x.dim() < 3 || w.dim() != x.dim()) {
            throw shapeError(node, "X " + Arrays.toString(sizes(x)) + " and W " + Arrays.toString(sizes(w))
                    + " must both be N×C×D1…Dn");
        }
        int n = (int) x.dim() - 2;
        long[] kernel = Arrays.copyOfRange(sizes(w), 2, n + 2);
        long[] declared = node.attributes().getInts("kernel_shape", null);
        if (declared != null && !Arrays.equals(declared, kernel)) {
            throw shapeError(node, "kernel_shape " + Arrays.toString(declared) + " disagrees with W "
                    + Arrays.toString(sizes(w)));
        }
        long group = node.attributes().getInt("group", 1);
        Tensor y = node.opType().equals("Conv") ? conv(node, x, w, b, kernel, group)
                : convTranspose(node, x, w, b, kernel, group);
        return OpSupport.one(y);
    }

    private static Tensor conv(Node node, Tensor x, Tensor w, Tensor b, long[] kernel, long group) {
        int n = kernel.length;
        if (x.size(1) != w.size(1) * group) {
            throw shapeError(node, "X has " + x.size(1) + " channels but W " + Arrays.toString(sizes(w))
                    + " with group " + group + " expects " + w.size(1) * group);
        }
        Geometry g = Geometry.of(node, kernel, false);
        long[] begin = new long[n];
        long[] end = new long[n];
        for (int i = 0; i < n; i++) {
            long[] r = g.resolve(i, x.size(i + 2));
            begin[i] = r[0];
            end[i] = r[1];
        }
        long[] padding = begin;
        if (!Arrays.equals(begin, end) || Arrays.stream(begin).anyMatch(p -> p < 0)) {
            x = constant_pad_nd(x, torchPads(begin, end), new Scalar(0.0));
            padding = new long[n];
        }
        return convolution(x, w, optional(b), g.strides(), padding, g.dilations(), false, new long[n], group);
    }

    /**
     * Full transposed convolution (no padding), then a crop (or zero-extension, for output_padding and a
     * large output_shape) to the window [pad_begin, pad_begin + out) on each axis, then the bias.
     */
    private static Tensor convTranspose(Node node, Tensor x, Tensor w, Tensor b, long[] kernel, long group) {
        int n = kernel.length;
        if (x.size(1) != w.size(0)) {
            throw shapeError(node, "X has " + x.size(1) + " channels but W " + Arrays.toString(sizes(w))
                    + " expects " + w.size(0));
        }
        Geometry g = Geometry.of(node, kernel, false);
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
        Tensor y = constant_pad_nd(full, torchPads(crop0, crop1), new Scalar(0.0));
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
        Geometry g = Geometry.of(node, kernel, false);
        long s = g.strides()[i];
        long adj = vector(node, "output_padding", n, 0)[i];
        long natural = (in - 1) * s + adj + (kernel[i] - 1) * g.dilations()[i] + 1;
        long[] outputShape = at.getInts("output_shape", null);
        String autoPad = at.getString("auto_pad", "NOTSET");
        if (outputShape != null) {
            if (outputShape.length != n && outputShape.length != n + 2) {
                throw shapeError(node, "output_shape " + Arrays.toString(outputShape) + " must have " + n + " entries");
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

    private static Dim transposeOutDim(Node node, long[] kernel, int i, Dim in) {
        if (in instanceof Dim.Known(long s)) return Dim.of(transposePads(node, kernel, i, s)[2]);
        long[] outputShape = node.attributes().getInts("output_shape", null);
        if (outputShape != null) return Dim.of(outputShape[outputShape.length - kernel.length + i]);
        // with stride 1 the output is the input plus a constant: probe it on a size where nothing clamps
        Geometry g = Geometry.of(node, kernel, false);
        if (g.strides()[i] != 1) return Dim.unknown();
        long probe = 1L << 20;
        return affine(in, 1, transposePads(node, kernel, i, probe)[2] - probe);
    }

    // ---------------------------------------------------------------- helpers shared with PoolOps

    /**
     * Sliding-window attributes along the spatial axes: kernel, strides, dilations, pads (begin…, end…),
     * auto_pad and ceil_mode. {@code pool} selects ONNX Runtime's pooling variant of SAME padding, which
     * sizes the pad with the undilated kernel.
     */
    record Geometry(long[] kernel, long[] strides, long[] dilations, long[] pads, String autoPad, boolean ceil,
                    boolean pool) {
        static Geometry of(Node node, long[] kernel, boolean pool) {
            int n = kernel.length;
            var at = node.attributes();
            String autoPad = at.getString("auto_pad", "NOTSET");
            if (!Set.of("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID").contains(autoPad)) {
                throw new UnsupportedOpException(node.opType() + " node '" + node.label() + "': auto_pad '"
                        + autoPad + "' is not an ONNX padding mode");
            }
            return new Geometry(kernel, vector(node, "strides", n, 1), vector(node, "dilations", n, 1),
                    vector(node, "pads", 2 * n, 0), autoPad, at.getInt("ceil_mode", 0) != 0, pool);
        }

        long effectiveKernel(int i) { return (kernel[i] - 1) * dilations[i] + 1; }

        /** {pad_begin, pad_end, out} along spatial axis i for an input of length in. */
        long[] resolve(int i, long in) {
            int n = kernel.length;
            long s = strides[i];
            long ek = effectiveKernel(i);
            long head;
            long tail;
            switch (autoPad) {
                case "VALID" -> { head = 0; tail = 0; }
                case "SAME_UPPER", "SAME_LOWER" -> {
                    long target = (in + s - 1) / s;
                    long needed = (target - 1) * s + (pool ? kernel[i] : ek) - in;
                    head = autoPad.equals("SAME_LOWER") ? (needed + 1) / 2 : needed / 2;
                    tail = needed - head;
                }
                default -> { head = pads[i]; tail = pads[i + n]; }
            }
            long span = in + head + tail - ek;
            long out;
            if (ceil) {
                out = Math.ceilDiv(span, s) + 1;
                // the last window must start inside the input or its leading pad (ONNX Runtime, onnx#5741)
                if ((out - 1) * s >= in + head) out--;
            } else {
                out = Math.floorDiv(span, s) + 1;
            }
            return new long[] {head, tail, out};
        }

        /** The output length along axis i; a symbolic input keeps its symbol only when the map is the identity. */
        Dim outDim(int i, Dim in) {
            if (in instanceof Dim.Known(long s)) return Dim.of(resolve(i, s)[2]);
            if (strides[i] != 1) return Dim.unknown();
            long probe = 1L << 20;
            return affine(in, 1, resolve(i, probe)[2] - probe);
        }
    }

    /** An integer-list attribute of exactly n entries, or n copies of dflt when absent. */
    static long[] vector(Node node, String name, int n, long dflt) {
        long[] v = node.attributes().getInts(name, null);
        if (v == null) {
            v = new long[n];
            Arrays.fill(v, dflt);
        } else if (v.length != n) {
            throw shapeError(node, name + " " + Arrays.toString(v) + " should have " + n + " entries");
        }
        return v;
    }

    /** libtorch's pad list (last axis first, begin then end) for the trailing begin.length axes. */
    static long[] torchPads(long[] begin, long[] end) {
        int n = begin.length;
        long[] p = new long[2 * n];
        for (int i = 0; i < n; i++) {
            p[2 * i] = begin[n - 1 - i];
            p[2 * i + 1] = end[n - 1 - i];
        }
        return p;
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

    static long[] sizes(Tensor t) { return t.sizes().vec().get(); }

    static TensorOptional optional(Tensor t) { return t == null ? new TensorOptional() : new TensorOptional(t); }

    // ---------------------------------------------------------------- symmetry

    /** Conv and ConvTranspose with a constant kernel create a neuron space on their output channels. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        switch (node.opType()) {
            case "Conv" -> convRule(rules, node);
            case "ConvTranspose" -> convTransposeRule(rules, node);
            default -> rules.freezeUnknown(node);
        }
    }

    private static void convRule(SpaceRules rules, Node n) {
        String x = n.input(0);
        String w = n.input(1);
        if (!rules.isParam(w)) {
            rules.freezeInputs(n, label(n) + ": kernel is not constant");
            return;
        }
        NdArray k = rules.parameter(w);
        long group = n.attributes().getInt("group", 1);
        long out = k.dim(0);
        long inPerGroup = k.dim(1);
        Layout lx = rules.layout(x);
        if (lx != null && (lx.axis() != 1 || lx.length() != inPerGroup * group)) {
            rules.freeze(x, label(n) + ": input channels do not line up with the kernel");
            lx = null;
        }
        int s = rules.newSpace(out, label(n));
        rules.touch(s, w, 0, Role.COVARIANT, 0, 1);
        Layout lo = new Layout(1, List.of(new Segment(s, out, 1)));
        if (group == 1) {
            if (lx != null) rules.touchLayout(lx, w, 1, Role.CONTRAVARIANT);
        } else if (lx != null && inPerGroup == 1 && lx.segments().size() == 1 && lx.segments().getFirst().repeat() == 1) {
            // depthwise: output channel o reads input channel o / (out/in); one kernel axis carries both sides
            long multiplier = out / group;
            Segment in = lx.segments().getFirst();
            rules.touch(in.space(), w, 0, Role.CONTRAVARIANT, 0, multiplier);
            if (multiplier == 1) {
                rules.linkPerm(s, in.space());
            } else {
                rules.forbidPermutation(s, label(n) + ": depthwise multiplier " + multiplier + " ties channels in blocks");
                rules.forbidPermutation(in.space(), label(n) + ": depthwise multiplier " + multiplier + " ties channels in blocks");
            }
        } else {
            String why = label(n) + ": grouped convolution (" + group + " groups) mixes channels only within groups";
            rules.forbidPermutation(s, why);
            rules.forbidPermutation(lx, why);
            rules.forbidScaling(lx, why);
        }
        rules.bias(n, n.input(2), lo, 0, 1);
        rules.setLayout(n.output(0), lo);
    }

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
