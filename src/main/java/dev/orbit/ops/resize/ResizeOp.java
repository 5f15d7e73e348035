package dev.orbit.ops.resize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.UnsupportedOpException;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * What Resize (opset 10, and 11+ with roi, scales, sizes, axes and keep_aspect_ratio_policy) and Upsample (scales
 * as attribute before opset 9, as input from 9) share. Modes nearest, linear and cubic with every coordinate
 * transformation mode, including tf_crop_and_resize's extrapolation.
 *
 * <p>Source coordinates, tap indices and weights are computed on the host in float arithmetic, in the same
 * order ONNX Runtime uses, so nearest picks exactly the same pixels and linear/cubic round the same way;
 * the tensors then only gather (index_select) and blend, which autograd differentiates. Linear blends all
 * interpolated axes at once (2^k terms summed in ONNX Runtime's order) rather than axis by axis, because
 * the two round differently where outputs cancel to near zero.
 */
abstract class ResizeOp implements Op {
    private static final Set<String> MODES = Set.of("nearest", "linear", "bilinear", "cubic");
    private static final Set<String> COORDINATE_MODES = Set.of("half_pixel", "half_pixel_symmetric",
            "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn", "tf_crop_and_resize");
    private static final Set<String> NEAREST_MODES = Set.of("", "round_prefer_floor", "round_prefer_ceil", "floor",
            "ceil");

    /** Resize before opset 11 and Upsample: asymmetric coordinates, "simple" nearest, no roi or sizes. */
    abstract boolean legacy();

    /** Where the scales come from: an input index, or −1 for the attribute. */
    abstract int scalesInput(long opset);

    /** The node's attributes, with the pre-opset-11 behaviour (asymmetric, "simple" nearest) made explicit. */
    private record Request(String mode, String coordinates, String nearest, float cubicA, boolean excludeOutside,
                           float extrapolation, int[] axes, String policy) {
        static Request of(Node node, boolean legacy, int rank) {
            var at = node.attributes();
            String mode = at.getString("mode", "nearest");
            if (!MODES.contains(mode)) throw unsupported(node, "mode '" + mode + "'");
            if (mode.equals("bilinear")) mode = "linear";
            String coordinates = legacy ? "asymmetric" : at.getString("coordinate_transformation_mode", "half_pixel");
            if (!COORDINATE_MODES.contains(coordinates)) {
                throw unsupported(node, "coordinate_transformation_mode '" + coordinates + "'");
            }
            String nearest = legacy || !mode.equals("nearest") ? "" : at.getString("nearest_mode", "round_prefer_floor");
            if (!NEAREST_MODES.contains(nearest)) throw unsupported(node, "nearest_mode '" + nearest + "'");
            if (at.getInt("antialias", 0) != 0) throw unsupported(node, "antialias=1");
            boolean exclude = at.getInt("exclude_outside", 0) != 0;
            if (exclude && !mode.equals("cubic")) throw unsupported(node, "exclude_outside=1 outside cubic mode");
            String policy = at.getString("keep_aspect_ratio_policy", "stretch");
            if (!Set.of("stretch", "not_larger", "not_smaller").contains(policy)) {
                throw unsupported(node, "keep_aspect_ratio_policy '" + policy + "'");
            }
            long[] rawAxes = at.getInts("axes", null);
            int[] axes = new int[rawAxes == null ? rank : rawAxes.length];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = rawAxes == null ? i : OpSupport.axis(node, rawAxes[i], rank);
            }
            return new Request(mode, coordinates, nearest, at.getFloat("cubic_coeff_a", -0.75f), exclude,
                    at.getFloat("extrapolation_value", 0f), axes, policy);
        }
    }

    /** Output sizes and the per-axis scales the coordinate maps use. */
    private record Plan(long[] out, float[] scales) {}

    // ---------------------------------------------------------------- shape inference

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int rank = x.rank();
        Request r = Request.of(node, legacy(), rank);
        Shape in = x.shape();
        List<Dim> out = new ArrayList<>(in.dims());
        if (!legacy() && ctx.input(3) != null && !isEmpty(ctx.input(3))) {
            List<Dim> sizes = ctx.intValues(3);
            if (sizes != null && sizes.size() != r.axes().length) {
                throw OpSupport.shapeError(node, "sizes has " + sizes.size() + " entries for " + r.axes().length + " axes");
            }
            if (sizes != null && r.policy().equals("stretch")) {
                for (int i = 0; i < sizes.size(); i++) out.set(r.axes()[i], sizes.get(i));
            } else if (sizes != null && in.isFullyKnown() && sizes.stream().allMatch(Dim::isKnown)) {
                long[] s = sizes.stream().mapToLong(Dim::size).toArray();
                return typed(x, Shape.of(plan(node, r, in.sizes(), null, s).out()));
            } else {
                for (int a : r.axes()) out.set(a, Dim.unknown());
            }
            return typed(x, new Shape(out));
        }
        float[] scales = constantScales(node, ctx);
        if (scales == null) {
            for (int a : r.axes()) out.set(a, Dim.unknown());
            return typed(x, new Shape(out));
        }
        float[] full = fullScales(node, r, scales, rank);
        for (int a = 0; a < rank; a++) {
            Dim d = in.dim(a);
            if (d instanceof Dim.Known(long n)) out.set(a, Dim.of((long) (full[a] * (float) n)));
            else if (full[a] != 1f) out.set(a, Dim.unknown());
        }
        return typed(x, new Shape(out));
    }

    private static boolean isEmpty(ValueType t) {
        return t.shape() != null && t.shape().knownCount() == 0;
    }

    private float[] constantScales(Node node, InferContext ctx) {
        int idx = scalesInput(ctx.opset());
        if (idx < 0) return node.attributes().getFloats("scales", null);
        NdArray c = ctx.constant(idx);
        if (c == null) return null;
        float[] v = new float[(int) c.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) c.getAsDouble(i);
        return v;
    }

    private static List<ValueType> typed(ValueType x, Shape s) { return OpSupport.one(new ValueType(x.dtype(), s)); }

    // ---------------------------------------------------------------- output size

    /** Scales for every axis (1 where axes leaves an axis out). */
    private static float[] fullScales(Node node, Request r, float[] given, int rank) {
        if (given.length != r.axes().length) {
            throw OpSupport.shapeError(node, "scales has " + given.length + " entries for " + r.axes().length
                    + " axes of the rank-" + rank + " input");
        }
        float[] full = new float[rank];
        Arrays.fill(full, 1f);
        for (int i = 0; i < given.length; i++) {
            if (!(given[i] > 0)) throw OpSupport.shapeError(node, "scales must be positive, got " + Arrays.toString(given));
            full[r.axes()[i]] = given[i];
        }
        return full;
    }

    /** Output shape and effective scales, computed in float as ONNX Runtime does (floor(scale·in) etc.). */
    private static Plan plan(Node node, Request r, long[] in, float[] scales, long[] sizes) {
        int rank = in.length;
        long[] out = in.clone();
        float[] full;
        if (sizes == null) {
            full = fullScales(node, r, scales, rank);
            for (int a = 0; a < rank; a++) out[a] = (long) (full[a] * (float) in[a]);
            return new Plan(out, full);
        }
        if (sizes.length != r.axes().length) {
            throw OpSupport.shapeError(node, "sizes " + Arrays.toString(sizes) + " has " + sizes.length + " entries for "
                    + r.axes().length + " axes");
        }
        for (int i = 0; i < sizes.length; i++) out[r.axes()[i]] = sizes[i];
        full = new float[rank];
        for (int a = 0; a < rank; a++) full[a] = in[a] == 0 ? 1f : (float) out[a] / (float) in[a];
        if (!r.policy().equals("stretch")) {
            boolean larger = r.policy().equals("not_smaller");
            float p = larger ? Float.MIN_VALUE : Float.MAX_VALUE;
            for (int a : r.axes()) p = larger ? Math.max(p, full[a]) : Math.min(p, full[a]);
            Arrays.fill(full, 1f);
            out = in.clone();
            for (int a : r.axes()) {
                full[a] = p;
                out[a] = Math.round(p * (float) in[a]);
            }
        }
        return new Plan(out, full);
    }

    // ---------------------------------------------------------------- evaluation

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        long[] in = OpSupport.sizes(x);
        int rank = in.length;
        if (rank == 0) throw OpSupport.shapeError(node, "cannot resize a scalar");
        Request r = Request.of(node, legacy(), rank);
        long[] sizes = null;
        if (!legacy() && ctx.input(3) != null && ctx.input(3).numel() > 0) sizes = ctx.longs(3);
        float[] scales = null;
        if (sizes == null) {
            int idx = scalesInput(ctx.opset());
            scales = idx < 0 ? node.attributes().getFloats("scales", null) : floats(ctx.input(idx));
            if (scales == null) {
                throw new ModelFormatException(node.opType() + " node '" + node.label() + "' needs scales or sizes");
            }
        }
        Plan p = plan(node, r, in, scales, sizes);
        // an unchanged shape is a copy in ONNX Runtime, whatever the coordinate mode
        if (Arrays.equals(p.out(), in)) return OpSupport.one(x.alias());
        float[] roi = roi(node, ctx, r, rank);
        Tensor y = switch (r.mode()) {
            case "nearest" -> nearest(x, r, p, in, roi);
            case "linear" -> linear(node, x, r, p, in, roi);
            default -> cubic(x, r, p, in, roi);
        };
        return OpSupport.one(y);
    }

    private static float[] floats(Tensor t) {
        if (t == null || t.numel() == 0) return null;
        return NdArray.fromTorch(t.to(org.bytedeco.pytorch.global.torch.ScalarType.Float)).toFloatArray();
    }

    /** roi as (starts…, ends…) over every axis; only tf_crop_and_resize reads it. */
    private static float[] roi(Node node, EvalContext ctx, Request r, int rank) {
        float[] full = new float[2 * rank];
        Arrays.fill(full, rank, 2 * rank, 1f);
        if (!r.coordinates().equals("tf_crop_and_resize")) return full;
        float[] given = floats(ctx.input(1));
        if (given == null) return full;
        int k = r.axes().length;
        if (given.length != 2 * k) {
            throw OpSupport.shapeError(node, "roi has " + given.length + " entries, expected " + 2 * k);
        }
        for (int i = 0; i < k; i++) {
            full[r.axes()[i]] = given[i];
            full[rank + r.axes()[i]] = given[k + i];
        }
        return full;
    }

    /** The source coordinate of output index o along one axis, in float as ONNX Runtime computes it. */
    private static float source(Request r, int o, float scale, long outLen, long inLen, float roiStart,
                                float roiEnd) {
        float x = o;
        float resized = outLen;
        float original = inLen;
        return switch (r.coordinates()) {
            case "asymmetric" -> x / scale;
            case "pytorch_half_pixel" -> resized > 1 ? (x + 0.5f) / scale - 0.5f : 0f;
            case "tf_half_pixel_for_nn" -> (x + 0.5f) / scale;
            case "align_corners" -> resized == 1 ? 0f : x * (original - 1) / (resized - 1);
            case "tf_crop_and_resize" -> resized > 1
                    ? roiStart * (original - 1) + (x * (roiEnd - roiStart) * (original - 1)) / (resized - 1)
                    : (float) (0.5 * (roiStart + roiEnd) * (original - 1));
            case "half_pixel_symmetric" -> {
                float outputWidth = scale * original;
                float adjustment = resized / outputWidth;
                float center = original / 2;
                float offset = center * (1 - adjustment);
                yield (float) (offset + (x + 0.5) / scale - 0.5);
            }
            default -> ((x + 0.5f) / scale) - 0.5f;
        };
    }

    /** Source coordinates of one axis: the identity where the scale is 1, as ONNX Runtime shortcuts it. */
    private static float[] sources(Request r, Plan p, long[] in, float[] roi, int a) {
        int n = (int) p.out()[a];
        float[] s = new float[n];
        for (int o = 0; o < n; o++) {
            s[o] = p.scales()[a] == 1f ? o
                    : source(r, o, p.scales()[a], p.out()[a], in[a], roi[a], roi[in.length + a]);
        }
        return s;
    }

    private static boolean outside(Request r, float c, long inLen) {
        return r.coordinates().equals("tf_crop_and_resize") && (c < 0 || c > (float) (inLen - 1));
    }

    private static long roundHalfAway(float v) {
        double a = Math.floor(Math.abs((double) v) + 0.5);
        return (long) (v < 0 ? -a : a);
    }

    private static long nearestIndex(String mode, float v, boolean downsampling) {
        return switch (mode) {
            case "" -> downsampling ? (long) Math.ceil(v) : (long) v;
            case "round_prefer_ceil" -> roundHalfAway(v);
            case "floor" -> (long) Math.floor(v);
            case "ceil" -> (long) Math.ceil(v);
            default -> v == (float) (long) v + 0.5f ? (long) Math.floor(v) : roundHalfAway(v);
        };
    }

    private static Tensor nearest(Tensor x, Request r, Plan p, long[] in, float[] roi) {
        Tensor y = x;
        List<Tensor> masks = new ArrayList<>();
        for (int a = 0; a < in.length; a++) {
            if (p.scales()[a] == 1f && p.out()[a] == in[a]) continue;
            float[] src = sources(r, p, in, roi, a);
            long[] idx = new long[src.length];
            boolean[] off = new boolean[src.length];
            for (int o = 0; o < src.length; o++) {
                off[o] = outside(r, src[o], in[a]);
                idx[o] = Math.clamp(nearestIndex(r.nearest(), src[o], p.scales()[a] < 1), 0, in[a] - 1);
            }
            y = y.index_select(a, indexTensor(idx));
            Tensor m = mask(off, a, in.length);
            if (m != null) masks.add(m);
        }
        return extrapolate(y, masks, r);
    }

    /**
     * ONNX Runtime interpolates the trailing 2 (rank 2, 4) or 3 (rank 3, 5) axes together, or the middle two
     * of a rank-4 NHWC input whose channel scale is 1; other ranks fall back to every resized axis.
     */
    private static int[] linearAxes(Plan p, long[] in) {
        int rank = in.length;
        float[] s = p.scales();
        if (rank == 4 && s[0] == 1 && s[1] != 1 && s[3] == 1) return new int[] {1, 2};
        if (rank == 2 || rank == 4) return new int[] {rank - 2, rank - 1};
        if (rank == 3 || rank == 5) return new int[] {rank - 3, rank - 2, rank - 1};
        return java.util.stream.IntStream.range(0, rank).filter(a -> p.out()[a] != in[a] || s[a] != 1f).toArray();
    }

    private static Tensor linear(Node node, Tensor x, Request r, Plan p, long[] in, float[] roi) {
        int rank = in.length;
        int[] axes = linearAxes(p, in);
        for (int a = 0; a < rank; a++) {
            final int axis = a;
            if (p.out()[a] != in[a] && Arrays.stream(axes).noneMatch(b -> b == axis)) {
                throw unsupported(node, "linear resizing of axis " + a + " together with axes " + Arrays.toString(axes));
            }
        }
        int k = axes.length;
        Tensor[] lo = new Tensor[k];
        Tensor[] hi = new Tensor[k];
        float[][] wLo = new float[k][];
        float[][] wHi = new float[k][];
        List<Tensor> masks = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            int a = axes[j];
            float[] src = sources(r, p, in, roi, a);
            long[] i1 = new long[src.length];
            long[] i2 = new long[src.length];
            wLo[j] = new float[src.length];
            wHi[j] = new float[src.length];
            boolean[] off = new boolean[src.length];
            float last = (float) (in[a] - 1);
            for (int o = 0; o < src.length; o++) {
                off[o] = outside(r, src[o], in[a]);
                float c = Math.max(0f, Math.min(src[o], last));
                i1[o] = Math.min((long) c, in[a] - 1);
                i2[o] = Math.min(i1[o] + 1, in[a] - 1);
                if (i1[o] == i2[o]) {
                    wLo[j][o] = 0.5f;
                    wHi[j][o] = 0.5f;
                } else {
                    wLo[j][o] = Math.abs(c - (float) i2[o]);
                    wHi[j][o] = Math.abs(c - (float) i1[o]);
                }
            }
            lo[j] = indexTensor(i1);
            hi[j] = indexTensor(i2);
            Tensor m = mask(off, a, rank);
            if (m != null) masks.add(m);
        }
        // terms in ONNX Runtime's order: the innermost axis switches fastest; weights multiply innermost first
        long[] wShape = new long[rank];
        Arrays.fill(wShape, 1);
        int cells = 1;
        for (int j = 0; j < k; j++) {
            wShape[axes[j]] = p.out()[axes[j]];
            cells *= (int) p.out()[axes[j]];
        }
        Tensor y = null;
        for (int combo = 0; combo < 1 << k; combo++) {
            Tensor g = x;
            for (int j = 0; j < k; j++) g = g.index_select(axes[j], bit(combo, j, k) ? hi[j] : lo[j]);
            float[] w = new float[cells];
            int[] pos = new int[k];
            for (int c = 0; c < cells; c++) {
                float v = 1f;
                boolean first = true;
                for (int j = k - 1; j >= 0; j--) {
                    float f = bit(combo, j, k) ? wHi[j][pos[j]] : wLo[j][pos[j]];
                    v = first ? f : v * f;
                    first = false;
                }
                w[c] = v;
                for (int j = k - 1; j >= 0 && ++pos[j] == p.out()[axes[j]]; j--) pos[j] = 0;
            }
            Tensor term = g.mul(weights(w, wShape, x));
            y = y == null ? term : y.add(term);
        }
        return castBack(extrapolate(y, masks, r), x);
    }

    private static boolean bit(int combo, int j, int k) { return ((combo >> (k - 1 - j)) & 1) != 0; }

    /**
     * Keys' cubic convolution axis by axis, innermost first. ONNX Runtime normalises the innermost axis's
     * weights before multiplying and divides the outer axes' products afterwards; both are kept.
     */
    private static Tensor cubic(Tensor x, Request r, Plan p, long[] in, float[] roi) {
        int rank = in.length;
        Tensor y = x;
        List<Tensor> masks = new ArrayList<>();
        for (int a = rank - 1; a >= 0; a--) {
            if (p.scales()[a] == 1f) continue;
            float[] src = sources(r, p, in, roi, a);
            int n = src.length;
            long[][] idx = new long[4][n];
            float[][] coeff = new float[4][n];
            float[] sums = new float[n];
            boolean[] off = new boolean[n];
            boolean normalised = true;
            for (int o = 0; o < n; o++) {
                off[o] = outside(r, src[o], in[a]);
                long base = (long) Math.floor(src[o]);
                float[] c = keys(src[o] - (float) base, r.cubicA());
                float sum = r.excludeOutside() ? 0f : 1f;
                for (int t = 0; t < 4; t++) {
                    long tap = base - 1 + t;
                    boolean inside = tap >= 0 && tap < in[a];
                    coeff[t][o] = r.excludeOutside() && !inside ? 0f : c[t];
                    if (r.excludeOutside()) sum += coeff[t][o];
                    idx[t][o] = Math.clamp(tap, 0, in[a] - 1);
                }
                sums[o] = sum;
                normalised &= sum == 1f;
            }
            boolean inner = a == rank - 1;
            long[] wShape = new long[rank];
            Arrays.fill(wShape, 1);
            wShape[a] = n;
            Tensor acc = null;
            for (int t = 0; t < 4; t++) {
                Tensor g = y.index_select(a, indexTensor(idx[t]));
                Tensor term;
                if (inner) {
                    float[] w = new float[n];
                    for (int o = 0; o < n; o++) w[o] = coeff[t][o] / sums[o];
                    term = g.mul(weights(w, wShape, x));
                } else {
                    term = g.mul(weights(coeff[t], wShape, x));
                    if (!normalised) term = term.div(weights(sums, wShape, x));
                }
                acc = acc == null ? term : acc.add(term);
            }
            y = acc;
            Tensor m = mask(off, a, rank);
            if (m != null) masks.add(m);
        }
        return castBack(extrapolate(y, masks, r), x);
    }

    /** Keys' cubic weights of the four taps around a point at fraction s, in float like ONNX Runtime. */
    private static float[] keys(float s, float a) {
        float t = Math.abs(s);
        return new float[] {
            ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a,
            ((a + 2) * t - (a + 3)) * t * t + 1,
            ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1,
            ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a,
        };
    }

    // ---------------------------------------------------------------- tensor helpers

    private static Tensor indexTensor(long[] idx) { return NdArray.ofLongs(idx, idx.length).toTorch(); }

    /** A float weight tensor broadcastable against x (in x's floating type when x is floating). */
    private static Tensor weights(float[] w, long[] shape, Tensor x) {
        Tensor t = NdArray.ofFloats(w, shape).toTorch();
        return isDouble(x) ? t.to(org.bytedeco.pytorch.global.torch.ScalarType.Double) : t;
    }

    /** Integer inputs blend in float; the result is truncated back to their type as ONNX Runtime casts. */
    private static Tensor castBack(Tensor y, Tensor x) {
        return y.scalar_type().intern().value == x.scalar_type().intern().value ? y : y.to(x.scalar_type().intern());
    }

    private static boolean isDouble(Tensor t) { return t.scalar_type().intern().name().equals("Double"); }

    /** A boolean mask shaped to broadcast along axis a, or null when nothing is outside. */
    private static Tensor mask(boolean[] off, int a, int rank) {
        boolean any = false;
        byte[] bytes = new byte[off.length];
        for (int i = 0; i < off.length; i++) {
            bytes[i] = (byte) (off[i] ? 1 : 0);
            any |= off[i];
        }
        if (!any) return null;
        long[] shape = new long[rank];
        Arrays.fill(shape, 1);
        shape[a] = off.length;
        return NdArray.ofBytes(DType.BOOL, shape, bytes).toTorch();
    }

    /** tf_crop_and_resize: outputs whose source lies outside the input on any axis take extrapolation_value. */
    private static Tensor extrapolate(Tensor y, List<Tensor> masks, Request r) {
        for (Tensor m : masks) y = y.masked_fill(m, new Scalar((double) r.extrapolation()));
        return y;
    }

    private static UnsupportedOpException unsupported(Node node, String what) {
        return new UnsupportedOpException(node.opType() + " node '" + node.label() + "': " + what + " is not supported");
    }

    // ---------------------------------------------------------------- symmetry

    /** Resizing acts on spatial axes only: the channels pass through. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) { rules.pass(node); }
}
