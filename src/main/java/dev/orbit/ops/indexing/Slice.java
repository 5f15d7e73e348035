package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.flip;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Layout;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpArgs;
import dev.orbit.ops.OpSupport;

/**
 * Slice: attributes before opset 10, inputs from 10, with steps and ONNX's clamping. Symmetry: slicing other axes
 * passes the channels; slicing the channel axis keeps whole neuron spaces only (a fused projection's parts).
 */
public final class Slice implements Op {
    @Override
    public String opType() { return "Slice"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return OpSupport.one(inferOne(node, ctx));
    }

    private static ValueType inferOne(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int r = x.rank();
        OpArgs.IntArg starts = OpArgs.intArg(node, ctx, "starts", 1);
        OpArgs.IntArg ends = OpArgs.intArg(node, ctx, "ends", 2);
        OpArgs.IntArg axesArg = OpArgs.intArg(node, ctx, "axes", 3);
        OpArgs.IntArg stepsArg = ctx.opset() >= 10 ? OpArgs.intArg(node, ctx, "steps", 4) : OpArgs.IntArg.ABSENT;
        if (starts.values() == null || ends.values() == null) {
            if (!starts.present() || !ends.present()) {
                throw new ModelFormatException("Slice node '" + node.label() + "' needs starts and ends");
            }
            return new ValueType(x.dtype(), slicedUnknown(node, x, axesArg));
        }
        int k = starts.values().size();
        if (ends.values().size() != k) {
            throw new ShapeException("Slice node '" + node.label() + "': " + k + " starts but " + ends.values().size() + " ends");
        }
        long[] axes = axesArg.present() ? axesArg.knownValues() : range(k);
        if (axes == null || stepsArg.present() && stepsArg.values() == null) {
            return new ValueType(x.dtype(), slicedUnknown(node, x, axesArg));
        }
        if (axes.length != k || stepsArg.present() && stepsArg.values().size() != k) {
            throw new ShapeException("Slice node '" + node.label() + "': starts, ends, axes and steps differ in length");
        }
        OpArgs.axisMask(node, axes, r); // rejects repeated axes
        List<Dim> out = new ArrayList<>(x.shape().dims());
        List<Dim> values = x.intValues();
        for (int i = 0; i < k; i++) {
            int a = OpSupport.axis(node, axes[i], r);
            Dim step = stepsArg.present() ? stepsArg.values().get(i) : Dim.of(1);
            Dim dim = x.shape().dim(a);
            Dim start = starts.values().get(i);
            Dim end = ends.values().get(i);
            if (step instanceof Dim.Known(long st) && st == 0) {
                throw new ShapeException("Slice node '" + node.label() + "': step 0 on axis " + a);
            }
            if (dim.isKnown() && start.isKnown() && end.isKnown() && step.isKnown()) {
                Span s = Span.of(start.size(), end.size(), step.size(), dim.size());
                // values of any rank (a [pairs, 2] pad table reversed by F.pad's export), while every axis is known
                long[] known = knownSizes(out, values);
                values = known == null ? null : s.pick(values, known, a);
                out.set(a, Dim.of(s.length()));
            } else {
                out.set(a, wholeAxis(dim, start, end, step) ? dim : Dim.unknown());
                values = null;
            }
        }
        return new ValueType(x.dtype(), new Shape(out), values);
    }

    /** The sizes of {@code dims} when all are known and hold exactly the tracked values; else null. */
    private static long[] knownSizes(List<Dim> dims, List<Dim> values) {
        if (values == null) return null;
        long[] s = new long[dims.size()];
        long n = 1;
        for (int i = 0; i < s.length; i++) {
            if (!dims.get(i).isKnown()) return null;
            s[i] = dims.get(i).size();
            n *= s[i];
        }
        return n == values.size() ? s : null;
    }

    /** True when the slice keeps a whole axis of unknown size: [0, ∞) forwards or [-1, -∞) backwards. */
    private static boolean wholeAxis(Dim dim, Dim start, Dim end, Dim step) {
        if (!(step instanceof Dim.Known(long st)) || Math.abs(st) != 1) return false;
        if (st == 1) return start.equals(Dim.of(0)) && (end.equals(dim) || end instanceof Dim.Known(long e) && e >= Integer.MAX_VALUE);
        return start.equals(Dim.of(-1)) && end instanceof Dim.Known(long e) && e <= Integer.MIN_VALUE;
    }

    private static Shape slicedUnknown(Node node, ValueType x, OpArgs.IntArg axesArg) {
        long[] axes = axesArg.present() ? axesArg.knownValues() : null;
        int r = x.rank();
        boolean[] touched = axes == null ? null : OpArgs.axisMask(node, axes, r);
        Shape s = x.shape();
        for (int a = 0; a < r; a++) if (touched == null || touched[a]) s = s.with(a, Dim.unknown());
        return s;
    }

    private static long[] range(int k) {
        long[] r = new long[k];
        for (int i = 0; i < k; i++) r[i] = i;
        return r;
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return OpSupport.one(slice(node, ctx, ctx.require(node, 0))); }

    private static Tensor slice(Node node, EvalContext ctx, Tensor x) {
        long[] starts = OpArgs.longsArg(node, ctx, "starts", 1);
        long[] ends = OpArgs.longsArg(node, ctx, "ends", 2);
        if (starts == null || ends == null) throw new ModelFormatException("Slice node '" + node.label() + "' needs starts and ends");
        long[] axes = OpArgs.longsArg(node, ctx, "axes", 3);
        long[] steps = ctx.opset() >= 10 ? ctx.longs(4) : null;
        int k = starts.length;
        if (axes == null) axes = range(k);
        if (ends.length != k || axes.length != k || steps != null && steps.length != k) {
            throw new ShapeException("Slice node '" + node.label() + "': starts, ends, axes and steps differ in length");
        }
        int r = (int) x.dim();
        OpArgs.axisMask(node, axes, r);
        Tensor y = x;
        for (int i = 0; i < k; i++) {
            int a = OpSupport.axis(node, axes[i], r);
            long step = steps == null ? 1 : steps[i];
            if (step == 0) throw new ShapeException("Slice node '" + node.label() + "': step 0 on axis " + a);
            long dim = y.size(a);
            Span s = Span.of(starts[i], ends[i], step, dim);
            long from = s.start();
            long by = step;
            if (step < 0) {
                // libtorch slices only forwards: walk the flipped axis instead
                y = flip(y, a);
                from = dim - 1 - from;
                by = -step;
            }
            long to = s.length() == 0 ? from : from + (s.length() - 1) * by + 1;
            y = y.slice(a, new LongOptional(from), new LongOptional(to), by);
        }
        return y == x ? new Tensor(x) : y;
    }

    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        int r = rules.rank(n.input(0));
        long[] starts = ChannelSelection.intArgument(rules, n, "starts", 1);
        long[] ends = ChannelSelection.intArgument(rules, n, "ends", 2);
        long[] axes = ChannelSelection.intArgument(rules, n, "axes", 3);
        long[] steps = rules.opset() >= 10 ? ChannelSelection.intArgument(rules, n, "steps", 4) : null;
        boolean axesGiven = ChannelSelection.hasArgument(n, "axes", 3);
        boolean stepsGiven = rules.opset() >= 10 && ChannelSelection.hasArgument(n, "steps", 4);
        if (starts == null || ends == null || r < 0 || axesGiven && axes == null || stepsGiven && steps == null) {
            rules.freeze(n.input(0), label(n) + ": its bounds are computed from values, not known in advance");
            return;
        }
        Layout out = l;
        for (int i = 0; i < starts.length; i++) {
            long axis = axes == null ? i : axes[i] < 0 ? axes[i] + r : axes[i];
            if (axis != l.axis()) continue;
            long step = steps == null ? 1 : steps[i];
            long len = l.length();
            long start = Math.clamp(starts[i] < 0 ? starts[i] + len : starts[i], 0, len);
            long end = Math.clamp(ends[i] < 0 ? ends[i] + len : ends[i], 0, len);
            if (step == 1 && start == 0 && end == len) continue;
            out = step == 1 ? ChannelSelection.range(l, start, end) : null;
            if (out == null) {
                rules.freeze(n.input(0), label(n) + ": selects part of a neuron space on the channel axis");
                return;
            }
        }
        rules.setLayout(n.output(0), out);
    }
}
