package dev.orbit.ops;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.cat;
import static org.bytedeco.pytorch.global.torch.flip;
import static org.bytedeco.pytorch.global.torch.index_select;
import static org.bytedeco.pytorch.global.torch.lt;
import static org.bytedeco.pytorch.global.torch.split_with_sizes;
import static org.bytedeco.pytorch.global.torch.where;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;

/**
 * Ops that pick or join parts of tensors: Concat, Split (sizes as attribute before opset 13, as input from 13,
 * num_outputs from 18), Slice (attributes before opset 10, inputs from 10, with steps and clamping) and Gather.
 * Each also works on tracked integer values, so slicing or picking from a Shape output keeps symbols.
 */
public final class IndexingOps implements OpFamily {
    @Override
    public Set<String> opTypes() { return Set.of("Concat", "Split", "Slice", "Gather"); }

    // ---------------------------------------------------------------- inference

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return switch (node.opType()) {
            case "Concat" -> OpSupport.one(inferConcat(node, ctx));
            case "Split" -> inferSplit(node, ctx);
            case "Slice" -> OpSupport.one(inferSlice(node, ctx));
            case "Gather" -> OpSupport.one(inferGather(node, ctx));
            default -> throw new IllegalStateException(node.opType());
        };
    }

    private static ValueType inferConcat(Node node, InferContext ctx) {
        List<ValueType> ins = new ArrayList<>();
        for (int i = 0; i < ctx.inputCount(); i++) if (ctx.input(i) != null) ins.add(ctx.require(node, i));
        if (ins.isEmpty()) throw new ShapeException("Concat node '" + node.label() + "' has no inputs");
        int rank = ins.getFirst().rank();
        int a = OpSupport.axis(node, concatAxis(node), rank);
        List<Dim> out = new ArrayList<>(ins.getFirst().shape().dims());
        List<Dim> along = new ArrayList<>();
        List<Dim> values = new ArrayList<>();
        for (ValueType t : ins) {
            if (t.rank() != rank) {
                throw new ShapeException("Concat node '" + node.label() + "': inputs of rank " + rank + " and "
                        + t.rank() + " (" + t.shape() + ")");
            }
            for (int j = 0; j < rank; j++) if (j != a) out.set(j, ShapeOps.unify(node, out.get(j), t.shape().dim(j)));
            along.add(t.shape().dim(a));
            if (values != null && t.hasIntValues()) values.addAll(t.intValues());
            else values = null;
        }
        out.set(a, sum(along));
        return new ValueType(ins.getFirst().dtype(), new Shape(out), rank == 1 ? values : null);
    }

    private static long concatAxis(Node node) {
        if (!node.attributes().has("axis")) {
            throw new ModelFormatException("Concat node '" + node.label() + "' has no 'axis' attribute");
        }
        return node.attributes().getInt("axis", 0);
    }

    /** Sum of dimensions: a number when all are numbers, the lone symbol when the rest are empty. */
    private static Dim sum(List<Dim> dims) {
        long s = 0;
        Dim open = null;
        for (Dim d : dims) {
            if (d instanceof Dim.Known(long v)) s += v;
            else if (open == null) open = d;
            else return Dim.unknown();
        }
        if (open == null) return Dim.of(s);
        return s == 0 ? open : Dim.unknown();
    }

    private static List<ValueType> inferSplit(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int a = OpSupport.axis(node, node.attributes().getInt("axis", 0), x.rank());
        int n = node.outputs().size();
        Dim d = x.shape().dim(a);
        List<Dim> sizes;
        ShapeOps.IntArg given = ShapeOps.intArg(node, ctx, "split", 1);
        if (given.present()) {
            if (given.values() == null) {
                sizes = new ArrayList<>();
                for (int i = 0; i < n; i++) sizes.add(Dim.unknown());
            } else {
                sizes = given.values();
                if (sizes.size() != n) {
                    throw new ShapeException("Split node '" + node.label() + "': " + sizes.size() + " sizes for " + n + " outputs");
                }
                Dim total = sum(sizes);
                if (total.isKnown() && d.isKnown() && total.size() != d.size()) {
                    throw new ShapeException("Split node '" + node.label() + "': sizes " + sizes + " do not add up to "
                            + d + " (axis " + a + " of " + x.shape() + ")");
                }
            }
        } else if (d instanceof Dim.Known(long len)) {
            sizes = Arrays.stream(equalSizes(node, len, n)).mapToObj(Dim::of).toList();
        } else {
            sizes = new ArrayList<>();
            for (int i = 0; i < n; i++) sizes.add(n == 1 ? d : Dim.unknown());
        }
        List<ValueType> outs = new ArrayList<>(n);
        long offset = 0;
        for (Dim s : sizes) {
            List<Dim> values = null;
            if (x.rank() == 1 && x.hasIntValues() && s.isKnown() && offset >= 0) {
                values = x.intValues().subList((int) offset, (int) (offset + s.size()));
            }
            offset = s.isKnown() && offset >= 0 ? offset + s.size() : -1;
            outs.add(new ValueType(x.dtype(), x.shape().with(a, s), values));
        }
        return outs;
    }

    /** Equal parts; with num_outputs (opset 18) a dimension that does not divide leaves the last part smaller. */
    private static long[] equalSizes(Node node, long len, int outputs) {
        long n = node.attributes().getInt("num_outputs", outputs);
        if (n != outputs) {
            throw new ShapeException("Split node '" + node.label() + "': num_outputs " + n + " but " + outputs + " outputs");
        }
        long chunk = Math.ceilDiv(len, n);
        if (!node.attributes().has("num_outputs") && len % n != 0) {
            throw new ShapeException("Split node '" + node.label() + "': dimension " + len + " does not split into "
                    + n + " equal parts");
        }
        long[] sizes = new long[(int) n];
        for (int i = 0; i < n; i++) sizes[i] = Math.max(0, Math.min(chunk, len - i * chunk));
        return sizes;
    }

    private static ValueType inferSlice(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int r = x.rank();
        ShapeOps.IntArg starts = ShapeOps.intArg(node, ctx, "starts", 1);
        ShapeOps.IntArg ends = ShapeOps.intArg(node, ctx, "ends", 2);
        ShapeOps.IntArg axesArg = ShapeOps.intArg(node, ctx, "axes", 3);
        ShapeOps.IntArg stepsArg = ctx.opset() >= 10 ? ShapeOps.intArg(node, ctx, "steps", 4) : ShapeOps.IntArg.ABSENT;
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
        ShapeOps.axisMask(node, axes, r); // rejects repeated axes
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
                out.set(a, Dim.of(s.length()));
                if (values != null && r == 1) values = s.pick(values);
            } else {
                out.set(a, wholeAxis(dim, start, end, step) ? dim : Dim.unknown());
                values = null;
            }
        }
        return new ValueType(x.dtype(), new Shape(out), r == 1 ? values : null);
    }

    /** True when the slice keeps a whole axis of unknown size: [0, ∞) forwards or [-1, -∞) backwards. */
    private static boolean wholeAxis(Dim dim, Dim start, Dim end, Dim step) {
        if (!(step instanceof Dim.Known(long st)) || Math.abs(st) != 1) return false;
        if (st == 1) return start.equals(Dim.of(0)) && (end.equals(dim) || end instanceof Dim.Known(long e) && e >= Integer.MAX_VALUE);
        return start.equals(Dim.of(-1)) && end instanceof Dim.Known(long e) && e <= Integer.MIN_VALUE;
    }

    private static Shape slicedUnknown(Node node, ValueType x, ShapeOps.IntArg axesArg) {
        long[] axes = axesArg.present() ? axesArg.knownValues() : null;
        int r = x.rank();
        boolean[] touched = axes == null ? null : ShapeOps.axisMask(node, axes, r);
        Shape s = x.shape();
        for (int a = 0; a < r; a++) if (touched == null || touched[a]) s = s.with(a, Dim.unknown());
        return s;
    }

    private static long[] range(int k) {
        long[] r = new long[k];
        for (int i = 0; i < k; i++) r[i] = i;
        return r;
    }

    /**
     * One axis of a slice after ONNX's normalisation: negative start/end count from the back, then clamp to
     * [0, dim] (forward) or [0, dim-1] and [-1, dim-1] (backward). Picks {@code length} elements from
     * {@code start} on, {@code step} apart.
     */
    record Span(long start, long length, long step) {
        static Span of(long start, long end, long step, long dim) {
            if (start < 0) start += dim;
            if (end < 0) end += dim;
            long len;
            if (step > 0) {
                start = Math.clamp(start, 0, dim);
                end = Math.clamp(end, 0, dim);
                len = end > start ? Math.ceilDiv(end - start, step) : 0;
            } else {
                start = Math.clamp(start, 0, dim - 1);
                end = Math.clamp(end, -1, dim - 1);
                len = start > end ? Math.ceilDiv(start - end, -step) : 0;
            }
            return new Span(start, len, step);
        }

        <T> List<T> pick(List<T> items) {
            List<T> out = new ArrayList<>((int) length);
            for (long i = 0; i < length; i++) out.add(items.get((int) (start + i * step)));
            return out;
        }
    }

    private static ValueType inferGather(Node node, InferContext ctx) {
        ValueType data = ctx.require(node, 0);
        ValueType idx = ctx.require(node, 1);
        int r = data.rank();
        int a = OpSupport.axis(node, node.attributes().getInt("axis", 0), r);
        List<Dim> out = new ArrayList<>(data.shape().dims().subList(0, a));
        out.addAll(idx.shape().dims());
        out.addAll(data.shape().dims().subList(a + 1, r));
        List<Dim> picks = ctx.intValues(1);
        if (picks == null || !picks.stream().allMatch(Dim::isKnown)) return new ValueType(data.dtype(), new Shape(out));
        Dim len = data.shape().dim(a);
        List<Dim> values = r == 1 && data.hasIntValues() ? new ArrayList<>(picks.size()) : null;
        for (Dim p : picks) {
            if (!(len instanceof Dim.Known(long n))) break;
            long i = p.size() < 0 ? p.size() + n : p.size();
            if (i < 0 || i >= n) {
                throw new ShapeException("Gather node '" + node.label() + "': index " + p + " is out of range for "
                        + "axis " + a + " of " + data.shape());
            }
            if (values != null) values.add(data.intValues().get((int) i));
        }
        return new ValueType(data.dtype(), new Shape(out), len.isKnown() ? values : null);
    }

    // ---------------------------------------------------------------- evaluation

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        return switch (node.opType()) {
            case "Concat" -> {
                TensorVector parts = new TensorVector();
                for (int i = 0; i < ctx.inputCount(); i++) if (ctx.input(i) != null) parts.push_back(ctx.input(i));
                yield OpSupport.one(cat(parts, OpSupport.axis(node, concatAxis(node), (int) x.dim())));
            }
            case "Split" -> split(node, ctx, x);
            case "Slice" -> OpSupport.one(slice(node, ctx, x));
            case "Gather" -> OpSupport.one(gather(node, x, ctx.require(node, 1)));
            default -> throw new IllegalStateException(node.opType());
        };
    }

    private static List<Tensor> split(Node node, EvalContext ctx, Tensor x) {
        int a = OpSupport.axis(node, node.attributes().getInt("axis", 0), (int) x.dim());
        long[] sizes = ShapeOps.longsArg(node, ctx, "split", 1);
        long len = x.size(a);
        if (sizes == null) {
            sizes = equalSizes(node, len, node.outputs().size());
        } else if (Arrays.stream(sizes).sum() != len || sizes.length != node.outputs().size()) {
            throw new ShapeException("Split node '" + node.label() + "': sizes " + Arrays.toString(sizes)
                    + " do not split " + len + " into " + node.outputs().size() + " outputs");
        }
        TensorVector parts = split_with_sizes(x, sizes, a);
        List<Tensor> outs = new ArrayList<>(sizes.length);
        for (long i = 0; i < parts.size(); i++) outs.add(parts.get(i));
        return outs;
    }

    private static Tensor slice(Node node, EvalContext ctx, Tensor x) {
        long[] starts = ShapeOps.longsArg(node, ctx, "starts", 1);
        long[] ends = ShapeOps.longsArg(node, ctx, "ends", 2);
        if (starts == null || ends == null) throw new ModelFormatException("Slice node '" + node.label() + "' needs starts and ends");
        long[] axes = ShapeOps.longsArg(node, ctx, "axes", 3);
        long[] steps = ctx.opset() >= 10 ? ctx.longs(4) : null;
        int k = starts.length;
        if (axes == null) axes = range(k);
        if (ends.length != k || axes.length != k || steps != null && steps.length != k) {
            throw new ShapeException("Slice node '" + node.label() + "': starts, ends, axes and steps differ in length");
        }
        int r = (int) x.dim();
        ShapeOps.axisMask(node, axes, r);
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

    private static Tensor gather(Node node, Tensor data, Tensor indices) {
        int r = (int) data.dim();
        int a = OpSupport.axis(node, node.attributes().getInt("axis", 0), r);
        Tensor idx = indices.to(ScalarType.Long);
        // negative indices count from the back
        idx = where(lt(idx, new Scalar(0L)), add(idx, new Scalar(data.size(a))), idx);
        long[] ds = ShapeOps.sizes(data);
        long[] is = ShapeOps.sizes(indices);
        long[] out = new long[r - 1 + is.length];
        System.arraycopy(ds, 0, out, 0, a);
        System.arraycopy(is, 0, out, a, is.length);
        System.arraycopy(ds, a + 1, out, a + is.length, r - a - 1);
        return index_select(data, a, idx.reshape(-1)).reshape(out);
    }

    // ---------------------------------------------------------------- symmetry

    /** Concat along the channel axis chains layouts; across it, it merges them. Split, Slice, Gather freeze. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        switch (node.opType()) {
            case "Concat" -> concatRule(rules, node);
            default -> rules.freezeUnknown(node);
        }
    }

    private static void concatRule(SpaceRules rules, Node n) {
        int r = rules.rank(n.output(0));
        long axis = n.attributes().getInt("axis", 0);
        if (axis < 0) axis += r;
        List<Layout> ins = new ArrayList<>();
        boolean anyVariable = false;
        for (String in : n.inputs()) {
            Layout l = rules.layout(in);
            ins.add(l);
            anyVariable |= l != null;
        }
        if (!anyVariable) return;
        Integer channel = null;
        for (Layout l : ins) if (l != null) channel = channel == null ? l.axis() : channel;
        if (channel != null && channel == axis) {
            List<Segment> segs = new ArrayList<>();
            for (int i = 0; i < ins.size(); i++) {
                Layout l = ins.get(i);
                if (l != null && l.axis() == channel) {
                    segs.addAll(l.segments());
                } else {
                    long size = rules.dim(n.input(i), (int) axis);
                    if (size < 0) {
                        rules.freezeInputs(n, label(n) + ": a part of unknown size");
                        return;
                    }
                    int fixed = rules.newSpace(size, label(n) + " fixed part");
                    rules.freezeSpace(fixed, label(n) + ": this part is a network input or constant");
                    segs.add(new Segment(fixed, size, 1));
                }
            }
            rules.setLayout(n.output(0), new Layout(channel, segs));
            return;
        }
        Layout first = null;
        for (int i = 0; i < ins.size(); i++) {
            Layout l = ins.get(i);
            if (l == null) {
                for (Layout o : ins) rules.forbidScaling(o, label(n) + ": joined with a fixed tensor");
                continue;
            }
            if (first == null) first = l;
            else if (!rules.mergeLayouts(first, l)) {
                rules.freezeInputs(n, label(n) + ": joins tensors whose channels do not line up");
                return;
            }
        }
        rules.setLayout(n.output(0), first);
    }
}
