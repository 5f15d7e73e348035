package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.ShapeInference;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.NdArray;

/**
 * The space analysis: one pass over the graph that gives every hidden channel axis a neuron space, merges
 * spaces that must move together (union-find), links spaces that must share a permutation, lists the
 * parameter axes each space touches and the activation regions teleportation must rewrite, and restricts
 * or freezes spaces wherever a move could change the function. When unsure it freezes, and says why.
 */
public final class SpaceAnalyzer {
    private final Model model;
    private final Graph graph;
    private final Map<String, ValueType> types;

    private final UnionFind merged = new UnionFind();
    private final UnionFind permLinked = new UnionFind();
    private final List<Long> sizes = new ArrayList<>();
    private final List<String> origins = new ArrayList<>();
    private final Map<Integer, String> frozen = new HashMap<>();
    private final Map<Integer, String> noPerm = new HashMap<>();
    private final Map<Integer, String> noScale = new HashMap<>();
    private final Map<Integer, String> positiveOnly = new HashMap<>();
    private final List<Touch> touches = new ArrayList<>();
    private final Map<String, Layout> layouts = new HashMap<>();
    private final Map<Integer, Boolean> regionNodes = new TreeMap<>(); // node index → positively homogeneous
    private final List<String> notes = new ArrayList<>();

    private record Touch(int space, ParamTouch touch) {}

    private SpaceAnalyzer(Model model) {
        this.model = model;
        this.graph = model.graph();
        this.types = ShapeInference.infer(model);
    }

    public static SymmetryAnalysis analyze(Model model) {
        return new SpaceAnalyzer(model).run();
    }

    private SymmetryAnalysis run() {
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) visit(i, nodes.get(i));
        for (ValueInfo out : graph.outputs()) freeze(out.name(), "network output '" + out.name() + "' is fixed");
        return resolve();
    }

    // ---- building blocks ----

    private int newSpace(long size, String origin) {
        int a = merged.add();
        int b = permLinked.add();
        assert a == b;
        sizes.add(size);
        origins.add(origin);
        return a;
    }

    private void touch(int space, String param, int axis, Role role, long offset, long repeat) {
        touches.add(new Touch(space, new ParamTouch(param, axis, role, offset, repeat)));
    }

    private void touchLayout(Layout l, String param, int axis, Role role) {
        long offset = 0;
        for (Segment s : l.segments()) {
            touch(s.space(), param, axis, role, offset, s.repeat());
            offset += s.length();
        }
    }

    private Layout layout(String value) { return value.isEmpty() ? null : layouts.get(value); }

    private void freeze(String value, String reason) {
        Layout l = layout(value);
        if (l != null) for (Segment s : l.segments()) frozen.putIfAbsent(s.space(), reason);
    }

    private void restrict(Layout l, Map<Integer, String> kind, String reason) {
        if (l != null) for (Segment s : l.segments()) kind.putIfAbsent(s.space(), reason);
    }

    private void freezeInputs(Node n, String reason) {
        for (String in : n.inputs()) freeze(in, reason);
    }

    private boolean isParam(String v) { return !v.isEmpty() && graph.isParameter(v); }

    private int rank(String v) {
        ValueType t = types.get(v);
        return t == null || t.shape() == null ? -1 : t.shape().rank();
    }

    private long dim(String v, int axis) {
        ValueType t = types.get(v);
        if (t == null || t.shape() == null) return -1;
        Dim d = t.shape().dim(axis);
        return d.isKnown() ? d.size() : -1;
    }

    /** Merges two layouts segment by segment; false if their structures differ. */
    private boolean mergeLayouts(Layout a, Layout b) {
        if (a.axis() != b.axis() || a.segments().size() != b.segments().size()) return false;
        for (int i = 0; i < a.segments().size(); i++) {
            Segment x = a.segments().get(i);
            Segment y = b.segments().get(i);
            if (x.size() != y.size() || x.repeat() != y.repeat()) return false;
        }
        for (int i = 0; i < a.segments().size(); i++) {
            int x = a.segments().get(i).space();
            int y = b.segments().get(i).space();
            merged.union(x, y);
            permLinked.union(x, y);
        }
        return true;
    }

    private void linkPerm(Layout a, Layout b) {
        for (int i = 0; i < a.segments().size(); i++) {
            permLinked.union(a.segments().get(i).space(), b.segments().get(i).space());
        }
    }

    private static String label(Node n) { return n.opType() + " '" + n.label() + "'"; }

    // ---- the rules, by op ----

    private void visit(int index, Node n) {
        if (!n.isStandardDomain()) {
            freezeInputs(n, "op " + n.domain() + "::" + n.opType() + " is unknown to the symmetry analysis");
            return;
        }
        switch (n.opType()) {
            case "Gemm" -> gemm(n);
            case "MatMul" -> matmul(n);
            case "Conv" -> conv(n);
            case "ConvTranspose" -> convTranspose(n);
            case "BatchNormalization" -> batchNorm(n);
            case "Relu", "LeakyRelu", "Abs" -> region(index, n, true);
            case "PRelu" -> prelu(index, n);
            case "Elu", "Selu", "Sigmoid", "Tanh", "Erf", "Gelu", "Softplus", "Softsign", "HardSigmoid", "HardSwish",
                 "Clip", "Sqrt", "Exp", "Log", "Reciprocal", "Sin", "Cos" -> region(index, n, false);
            case "Identity", "Dropout", "Neg" -> pass(n);
            case "Cast" -> cast(n);
            case "Add", "Sub" -> addSub(index, n);
            case "Mul" -> mul(index, n);
            case "Div" -> div(index, n);
            case "Pow" -> pow(index, n);
            case "MaxPool", "GlobalMaxPool" -> {
                pass(n);
                restrict(layout(n.input(0)), positiveOnly, label(n) + ": a negative factor would turn max into min");
            }
            case "AveragePool", "GlobalAveragePool", "Resize", "Upsample" -> pass(n);
            case "Pad" -> pad(n);
            case "Flatten" -> flatten(n, (int) n.attributes().getInt("axis", 1));
            case "Reshape" -> reshape(n);
            case "Squeeze", "Unsqueeze" -> squeeze(n);
            case "Concat" -> concat(n);
            case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin" -> reduce(n);
            case "Softmax", "LogSoftmax" -> softmax(n);
            case "Shape", "Constant", "ConstantOfShape", "Range" -> { } // no channel space flows through
            default -> freezeInputs(n, label(n) + " is not understood by the symmetry analysis");
        }
    }

    /** Output keeps the first input's layout unchanged. */
    private void pass(Node n) {
        Layout l = layout(n.input(0));
        if (l != null) layouts.put(n.output(0), l);
    }

    private void cast(Node n) {
        ValueType t = types.get(n.output(0));
        if (t != null && t.dtype().isFloating()) pass(n);
        else freeze(n.input(0), label(n) + " casts to a non-float type");
    }

    private void gemm(Node n) {
        String a = n.input(0);
        String w = n.input(1);
        var at = n.attributes();
        if (!isParam(w) || at.getInt("transA", 0) != 0 || graph.parameter(w).rank() != 2) {
            freezeInputs(n, label(n) + ": only x·W with a constant W is a linear map Orbit moves");
            return;
        }
        boolean tb = at.getInt("transB", 0) != 0;
        NdArray wt = graph.parameter(w);
        long out = wt.dim(tb ? 0 : 1);
        long in = wt.dim(tb ? 1 : 0);
        Layout la = layout(a);
        if (la != null && (la.axis() != 1 || la.length() != in)) {
            freeze(a, label(n) + ": input channels do not line up with W");
            la = null;
        }
        int s = newSpace(out, label(n));
        touch(s, w, tb ? 0 : 1, Role.COVARIANT, 0, 1);
        if (la != null) touchLayout(la, w, tb ? 1 : 0, Role.CONTRAVARIANT);
        Layout lo = new Layout(1, List.of(new Segment(s, out, 1)));
        bias(n, n.input(2), lo, 1, 2);
        layouts.put(n.output(0), lo);
    }

    /** A bias added along the output channels: per-channel → covariant; broadcast scalar → no scaling. */
    private void bias(Node n, String b, Layout out, int axis, int outRank) {
        if (b.isEmpty()) return;
        if (!isParam(b)) {
            restrict(out, noScale, label(n) + ": bias is computed, not constant");
            return;
        }
        NdArray c = graph.parameter(b);
        int aligned = axis - (outRank - c.rank());
        if (aligned >= 0 && c.dim(aligned) == out.length()) touchLayout(out, b, aligned, Role.COVARIANT);
        else if (c.size() != 0) restrict(out, noScale, label(n) + ": bias is shared across channels");
    }

    private void matmul(Node n) {
        String a = n.input(0);
        String w = n.input(1);
        if (!isParam(w) || graph.parameter(w).rank() != 2 || isParam(a)) {
            freezeInputs(n, label(n) + ": MatMul of two activations (attention) is handled by a later analysis");
            return;
        }
        NdArray wt = graph.parameter(w);
        int r = rank(a);
        Layout la = layout(a);
        if (la != null && (la.axis() != r - 1 || la.length() != wt.dim(0))) {
            freeze(a, label(n) + ": the contracted axis is not the channel axis");
            la = null;
        }
        if (r < 1) {
            freezeInputs(n, label(n) + ": rank of the input is unknown");
            return;
        }
        int s = newSpace(wt.dim(1), label(n));
        touch(s, w, 1, Role.COVARIANT, 0, 1);
        if (la != null) touchLayout(la, w, 0, Role.CONTRAVARIANT);
        layouts.put(n.output(0), new Layout(Math.max(r - 1, 0), List.of(new Segment(s, wt.dim(1), 1))));
    }

    private void conv(Node n) {
        String x = n.input(0);
        String w = n.input(1);
        if (!isParam(w)) {
            freezeInputs(n, label(n) + ": kernel is not constant");
            return;
        }
        NdArray k = graph.parameter(w);
        long group = n.attributes().getInt("group", 1);
        long out = k.dim(0);
        long inPerGroup = k.dim(1);
        Layout lx = layout(x);
        if (lx != null && (lx.axis() != 1 || lx.length() != inPerGroup * group)) {
            freeze(x, label(n) + ": input channels do not line up with the kernel");
            lx = null;
        }
        int s = newSpace(out, label(n));
        touch(s, w, 0, Role.COVARIANT, 0, 1);
        Layout lo = new Layout(1, List.of(new Segment(s, out, 1)));
        if (group == 1) {
            if (lx != null) touchLayout(lx, w, 1, Role.CONTRAVARIANT);
        } else if (lx != null && inPerGroup == 1 && lx.segments().size() == 1 && lx.segments().getFirst().repeat() == 1) {
            // depthwise: output channel o reads input channel o / (out/in); one kernel axis carries both sides
            long multiplier = out / group;
            Segment in = lx.segments().getFirst();
            touch(in.space(), w, 0, Role.CONTRAVARIANT, 0, multiplier);
            if (multiplier == 1) {
                permLinked.union(s, in.space());
            } else {
                noPerm.putIfAbsent(s, label(n) + ": depthwise multiplier " + multiplier + " ties channels in blocks");
                noPerm.putIfAbsent(in.space(), label(n) + ": depthwise multiplier " + multiplier + " ties channels in blocks");
            }
        } else {
            String why = label(n) + ": grouped convolution (" + group + " groups) mixes channels only within groups";
            noPerm.putIfAbsent(s, why);
            restrict(lx, noPerm, why);
            restrict(lx, noScale, why);
        }
        bias(n, n.input(2), lo, 0, 1);
        layouts.put(n.output(0), lo);
    }

    private void convTranspose(Node n) {
        String w = n.input(1);
        if (!isParam(w) || n.attributes().getInt("group", 1) != 1) {
            freezeInputs(n, label(n) + ": only ungrouped ConvTranspose with a constant kernel is moved");
            return;
        }
        NdArray k = graph.parameter(w);
        Layout lx = layout(n.input(0));
        if (lx != null && (lx.axis() != 1 || lx.length() != k.dim(0))) {
            freeze(n.input(0), label(n) + ": input channels do not line up with the kernel");
            lx = null;
        }
        int s = newSpace(k.dim(1), label(n));
        touch(s, w, 1, Role.COVARIANT, 0, 1);
        if (lx != null) touchLayout(lx, w, 0, Role.CONTRAVARIANT);
        Layout lo = new Layout(1, List.of(new Segment(s, k.dim(1), 1)));
        bias(n, n.input(2), lo, 0, 1);
        layouts.put(n.output(0), lo);
    }

    /**
     * Inference BatchNorm y = γ(x−μ)/√(v+ε) + β passes the space: with x → τx, setting μ → τμ and β → τβ
     * gives y → τy exactly (ε untouched); γ and v are only permuted.
     */
    private void batchNorm(Node n) {
        Layout l = layout(n.input(0));
        if (l == null) return;
        if (l.axis() != 1) {
            freeze(n.input(0), label(n) + ": channel axis is not axis 1");
            return;
        }
        for (int i = 1; i <= 4; i++) {
            if (!isParam(n.input(i))) {
                freeze(n.input(0), label(n) + ": statistics are not constant");
                return;
            }
        }
        touchLayout(l, n.input(1), 0, Role.PERMUTE_ONLY);
        touchLayout(l, n.input(2), 0, Role.COVARIANT);
        touchLayout(l, n.input(3), 0, Role.COVARIANT);
        touchLayout(l, n.input(4), 0, Role.PERMUTE_ONLY);
        layouts.put(n.output(0), l);
    }

    /** A per-channel elementwise op that teleportation rewrites as τ·f(x/τ). */
    private void region(int index, Node n, boolean positivelyHomogeneous) {
        Layout l = null;
        for (String in : n.inputs()) {
            Layout li = layout(in);
            if (li == null) continue;
            if (l == null) l = li;
            else if (!l.sameSpaces(li, merged)) {
                freezeInputs(n, label(n) + ": combines different neuron spaces elementwise");
                return;
            }
        }
        if (l == null) return;
        for (int i = 0; i < n.inputs().size(); i++) {
            String c = n.input(i);
            if (isParam(c) && !perChannelOrScalar(n, n.input(0), c, l, Role.PERMUTE_ONLY)) return;
        }
        regionNodes.put(index, positivelyHomogeneous);
        layouts.put(n.output(0), l);
    }

    private void prelu(int index, Node n) { region(index, n, true); }

    /**
     * A constant operand of an elementwise op: per-channel along the channel axis → touched with {@code role};
     * constant along it → nothing to do. Anything else freezes. Returns false when it froze.
     */
    private boolean perChannelOrScalar(Node n, String x, String c, Layout l, Role role) {
        NdArray k = graph.parameter(c);
        int r = Math.max(rank(x), k.rank());
        int aligned = l.axis() - (r - k.rank());
        if (aligned < 0 || k.dim(aligned) == 1) return true;
        if (k.dim(aligned) == l.length()) {
            touchLayout(l, c, aligned, role);
            return true;
        }
        freezeInputs(n, label(n) + ": constant does not line up with the channels");
        return false;
    }

    private void addSub(int index, Node n) {
        String a = n.input(0);
        String b = n.input(1);
        Layout la = layout(a);
        Layout lb = layout(b);
        if (la != null && lb != null) {
            if (!mergeLayouts(la, lb)) {
                freezeInputs(n, label(n) + ": adds tensors whose channels do not line up");
                return;
            }
            layouts.put(n.output(0), la);
            return;
        }
        Layout l = la != null ? la : lb;
        String other = la != null ? b : a;
        if (l == null) return;
        if (!isParam(other)) {
            restrict(l, noScale, label(n) + ": adds a fixed tensor");
            layouts.put(n.output(0), l);
            return;
        }
        NdArray k = graph.parameter(other);
        int r = Math.max(rank(la != null ? a : b), k.rank());
        int aligned = l.axis() - (r - k.rank());
        if (aligned >= 0 && k.dim(aligned) == l.length()) {
            touchLayout(l, other, aligned, Role.COVARIANT); // x + c → τx + τc
            layouts.put(n.output(0), l);
        } else {
            region(index, n, false); // x + shared constant: affine, rewritten like an activation
        }
    }

    private void mul(int index, Node n) {
        String a = n.input(0);
        String b = n.input(1);
        boolean rewriteMul = n.name().startsWith(OrbitAction.IN_PREFIX) || n.name().startsWith(OrbitAction.OUT_PREFIX);
        if (rewriteMul && isParam(b) && layout(a) != null) {
            region(index, n, true); // an earlier teleport's τ·f(x/τ) wrapper belongs to its activation region
            return;
        }
        Layout la = layout(a);
        Layout lb = layout(b);
        if (la != null && lb != null) {
            if (la.sameSpaces(lb, merged) && rank(a) == rank(b) && sameShape(a, b)) {
                region(index, n, false); // x·h(x): part of a decomposed activation
                return;
            }
            // a gate: the operand broadcast over more positions keeps its scale, both share the permutation
            boolean bIsGate = broadcastCount(b) >= broadcastCount(a);
            Layout main = bIsGate ? la : lb;
            Layout gate = bIsGate ? lb : la;
            if (main.axis() != gate.axis() || main.segments().size() != gate.segments().size()
                    || main.length() != gate.length()) {
                freezeInputs(n, label(n) + ": multiplies tensors whose channels do not line up");
                return;
            }
            linkPerm(main, gate);
            restrict(gate, noScale, label(n) + ": a multiplicative gate must keep its scale");
            if (sameShape(a, b)) restrict(main, noScale, label(n) + ": product of two neuron spaces");
            layouts.put(n.output(0), main);
            return;
        }
        Layout l = la != null ? la : lb;
        if (l == null) return;
        String other = la != null ? b : a;
        if (!isParam(other)) {
            restrict(l, noScale, label(n) + ": multiplies by a fixed tensor");
            layouts.put(n.output(0), l);
            return;
        }
        if (perChannelOrScalar(n, la != null ? a : b, other, l, Role.PERMUTE_ONLY)) layouts.put(n.output(0), l);
    }

    private void div(int index, Node n) {
        Layout la = layout(n.input(0));
        Layout lb = layout(n.input(1));
        if (la != null && lb == null && isParam(n.input(1))) {
            if (perChannelOrScalar(n, n.input(0), n.input(1), la, Role.PERMUTE_ONLY)) layouts.put(n.output(0), la);
        } else if (la != null && lb == null && !isParam(n.input(1))) {
            restrict(la, noScale, label(n) + ": divides by a fixed tensor");
            layouts.put(n.output(0), la);
        } else {
            region(index, n, false); // c/x or x/h(x): elementwise, rewritten
        }
    }

    private void pow(int index, Node n) {
        if (layout(n.input(1)) != null) freezeInputs(n, label(n) + ": variable exponent");
        else region(index, n, false);
    }

    private void pad(Node n) {
        Layout l = layout(n.input(0));
        if (l == null) return;
        long[] pads = n.attributes().getInts("pads", null);
        if (pads == null && isParam(n.input(1))) pads = graph.parameter(n.input(1)).toLongArray();
        int r = rank(n.input(0));
        if (pads == null || r < 0 || pads.length != 2L * r || pads[l.axis()] != 0 || pads[l.axis() + r] != 0) {
            freeze(n.input(0), label(n) + ": pads are unknown or pad the channel axis");
            return;
        }
        String mode = n.attributes().getString("mode", "constant");
        double value = n.attributes().getFloat("value", 0f);
        if (isParam(n.input(2))) value = graph.parameter(n.input(2)).getAsDouble(0);
        if (mode.equals("constant") && value != 0) restrict(l, noScale, label(n) + ": pads with a non-zero constant");
        layouts.put(n.output(0), l);
    }

    /** [N, C, H, W] → [N, C·H·W]: each channel's factor repeats over its H·W positions. */
    private void flatten(Node n, int axis) {
        Layout l = layout(n.input(0));
        if (l == null) return;
        int r = rank(n.input(0));
        if (axis < 0) axis += r;
        if (l.axis() < axis) {
            freeze(n.input(0), label(n) + ": flattens the channel axis into the batch");
            return;
        }
        long inner = 1;
        for (int i = l.axis() + 1; i < r; i++) {
            long d = dim(n.input(0), i);
            if (d < 0) {
                freeze(n.input(0), label(n) + ": spatial size unknown");
                return;
            }
            inner *= d;
        }
        long outer = 1;
        for (int i = axis; i < l.axis(); i++) {
            long d = dim(n.input(0), i);
            outer = d < 0 ? -1 : outer * d;
        }
        if (outer != 1) {
            freeze(n.input(0), label(n) + ": axes before the channel axis are flattened with it");
            return;
        }
        List<Segment> segs = new ArrayList<>();
        for (Segment s : l.segments()) segs.add(new Segment(s.space(), s.size(), s.repeat() * inner));
        layouts.put(n.output(0), new Layout(axis, segs));
    }

    private void reshape(Node n) {
        Layout l = layout(n.input(0));
        if (l == null) return;
        int rin = rank(n.input(0));
        int rout = rank(n.output(0));
        long outDim = rout == 2 ? dim(n.output(0), 1) : -1;
        long flat = 1;
        for (int i = 1; i < rin && flat > 0; i++) {
            long d = dim(n.input(0), i);
            flat = d < 0 ? -1 : flat * d;
        }
        if (l.axis() == 1 && rout == 2 && outDim > 0 && outDim == flat) {
            flatten(n, 1);
        } else {
            freeze(n.input(0), label(n) + ": reshape does not keep channels whole");
        }
    }

    private void squeeze(Node n) {
        Layout l = layout(n.input(0));
        if (l == null) return;
        long[] axes = n.attributes().getInts("axes", null);
        if (axes == null && isParam(n.input(1))) axes = graph.parameter(n.input(1)).toLongArray();
        int rin = rank(n.input(0));
        int rout = rank(n.output(0));
        if (axes == null || rin < 0 || rout < 0) {
            freeze(n.input(0), label(n) + ": axes unknown");
            return;
        }
        boolean squeeze = n.opType().equals("Squeeze");
        int r = squeeze ? rin : rout;
        int axis = l.axis();
        int shift = 0;
        for (long a : axes) {
            long na = a < 0 ? a + r : a;
            if (squeeze && na == axis) {
                freeze(n.input(0), label(n) + ": removes the channel axis");
                return;
            }
            if (squeeze && na < axis) shift--;
        }
        if (!squeeze) {
            // positions in the output: count inserted axes at or before the (moving) channel position
            java.util.TreeSet<Long> sorted = new java.util.TreeSet<>();
            for (long a : axes) sorted.add(a < 0 ? a + r : a);
            int pos = axis;
            for (long a : sorted) if (a <= pos) pos++;
            shift = pos - axis;
        }
        layouts.put(n.output(0), l.withAxis(axis + shift));
    }

    private void concat(Node n) {
        int r = rank(n.output(0));
        long axis = n.attributes().getInt("axis", 0);
        if (axis < 0) axis += r;
        List<Layout> ins = new ArrayList<>();
        boolean anyVariable = false;
        for (String in : n.inputs()) {
            Layout l = layout(in);
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
                    long size = dim(n.input(i), (int) axis);
                    if (size < 0) {
                        freezeInputs(n, label(n) + ": a part of unknown size");
                        return;
                    }
                    int fixed = newSpace(size, label(n) + " fixed part");
                    frozen.put(fixed, label(n) + ": this part is a network input or constant");
                    segs.add(new Segment(fixed, size, 1));
                }
            }
            layouts.put(n.output(0), new Layout(channel, segs));
            return;
        }
        Layout first = null;
        for (int i = 0; i < ins.size(); i++) {
            Layout l = ins.get(i);
            if (l == null) {
                for (Layout o : ins) restrict(o, noScale, label(n) + ": joined with a fixed tensor");
                continue;
            }
            if (first == null) first = l;
            else if (!mergeLayouts(first, l)) {
                freezeInputs(n, label(n) + ": joins tensors whose channels do not line up");
                return;
            }
        }
        layouts.put(n.output(0), first);
    }

    private void reduce(Node n) {
        Layout l = layout(n.input(0));
        if (l == null) return;
        long[] axes = n.attributes().getInts("axes", null);
        if (axes == null && isParam(n.input(1))) axes = graph.parameter(n.input(1)).toLongArray();
        int r = rank(n.input(0));
        if (axes == null || axes.length == 0 || r < 0) {
            freeze(n.input(0), label(n) + ": reduces over every axis, the channel axis included");
            return;
        }
        boolean keep = n.attributes().getInt("keepdims", 1) != 0;
        int shift = 0;
        for (long a : axes) {
            long na = a < 0 ? a + r : a;
            if (na == l.axis()) {
                freeze(n.input(0), label(n) + ": reduces over the channel axis");
                return;
            }
            if (na < l.axis() && !keep) shift--;
        }
        if (n.opType().equals("ReduceMax") || n.opType().equals("ReduceMin")) {
            restrict(l, positiveOnly, label(n) + ": a negative factor would swap max and min");
        }
        layouts.put(n.output(0), l.withAxis(l.axis() + shift));
    }

    private void softmax(Node n) {
        Layout l = layout(n.input(0));
        if (l == null) return;
        int r = rank(n.input(0));
        long axis = n.attributes().getInt("axis", model.opset() >= 13 ? -1 : 1);
        if (axis < 0) axis += r;
        if (axis == l.axis() || model.opset() < 13) {
            freeze(n.input(0), label(n) + ": normalises across the channel axis");
            return;
        }
        restrict(l, noScale, label(n) + ": softmax is not homogeneous");
        layouts.put(n.output(0), l);
    }

    private boolean sameShape(String a, String b) {
        ValueType ta = types.get(a);
        ValueType tb = types.get(b);
        return ta != null && tb != null && ta.shape() != null && ta.shape().equals(tb.shape());
    }

    private int broadcastCount(String v) {
        ValueType t = types.get(v);
        if (t == null || t.shape() == null) return 0;
        int c = 0;
        for (Dim d : t.shape().dims()) if (d.isKnown() && d.size() == 1) c++;
        return c;
    }

    // ---- resolution: roots, restrictions, regions ----

    private SymmetryAnalysis resolve() {
        // renumber merged roots in creation order
        Map<Integer, Integer> index = new LinkedHashMap<>();
        for (int s = 0; s < sizes.size(); s++) index.putIfAbsent(merged.find(s), index.size());
        int count = index.size();
        long[] size = new long[count];
        String[] origin = new String[count];
        String[] freezeWhy = new String[count];
        String[] permWhy = new String[count];
        String[] scaleWhy = new String[count];
        String[] positiveWhy = new String[count];
        for (int s = 0; s < sizes.size(); s++) {
            int id = index.get(merged.find(s));
            if (origin[id] == null) {
                origin[id] = origins.get(s);
                size[id] = sizes.get(s);
            } else if (size[id] != sizes.get(s)) {
                freezeWhy[id] = "merged spaces of different sizes (" + size[id] + ", " + sizes.get(s) + ")";
            }
        }
        copyReasons(frozen, freezeWhy, index);
        copyReasons(noPerm, permWhy, index);
        copyReasons(noScale, scaleWhy, index);
        copyReasons(positiveOnly, positiveWhy, index);

        // permutation classes: a class is permutable only if every member is
        Map<Integer, Integer> permClassOf = new HashMap<>();
        Map<Integer, String> classBlock = new HashMap<>();
        for (int s = 0; s < sizes.size(); s++) {
            int id = index.get(merged.find(s));
            int pc = permLinked.find(s);
            permClassOf.put(id, pc);
            String why = freezeWhy[id] != null ? freezeWhy[id] : permWhy[id];
            if (why != null) classBlock.putIfAbsent(pc, why);
        }
        Map<Integer, Integer> classIndex = new LinkedHashMap<>();
        for (int id = 0; id < count; id++) classIndex.putIfAbsent(permClassOf.get(id), classIndex.size());

        // activation regions
        List<ActivationRegion> regions = buildRegions(index);
        Map<Integer, List<Integer>> regionsOf = new HashMap<>();
        Map<Integer, Boolean> homogeneous = new HashMap<>();
        for (ActivationRegion r : regions) {
            for (int s : r.spaces()) {
                regionsOf.computeIfAbsent(s, k -> new ArrayList<>()).add(r.id());
                homogeneous.merge(s, r.positivelyHomogeneous(), Boolean::logicalAnd);
            }
        }

        Map<Integer, Set<ParamTouch>> touchesOf = new HashMap<>();
        for (Touch t : touches) {
            touchesOf.computeIfAbsent(index.get(merged.find(t.space())), k -> new LinkedHashSet<>()).add(t.touch());
        }
        List<NeuronSpace> spaces = new ArrayList<>();
        for (int id = 0; id < count; id++) {
            int pc = permClassOf.get(id);
            String block = classBlock.get(pc);
            Scaling scaling;
            String scaleReason;
            if (freezeWhy[id] != null) {
                scaling = Scaling.NONE;
                scaleReason = freezeWhy[id];
            } else if (scaleWhy[id] != null) {
                scaling = Scaling.NONE;
                scaleReason = scaleWhy[id];
            } else if (positiveWhy[id] != null) {
                scaling = Scaling.POSITIVE;
                scaleReason = positiveWhy[id];
            } else {
                scaling = Scaling.NONZERO;
                scaleReason = "";
            }
            spaces.add(new NeuronSpace(id, size[id], origin[id], classIndex.get(pc), block == null,
                    block == null ? "" : block, scaling, scaleReason, homogeneous.getOrDefault(id, true),
                    List.copyOf(touchesOf.getOrDefault(id, Set.of())), regionsOf.getOrDefault(id, List.of())));
        }
        AttentionAnalyzer.Result attention = AttentionAnalyzer.analyze(model);
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(attention.notes());
        List<ResidualStream> streams = StreamAnalyzer.streams(model);
        for (ResidualStream st : streams) {
            if (!st.rotatable()) allNotes.add("residual stream " + st.id() + " (width " + st.size() + ") cannot be rotated: " + st.reason());
        }
        return new SymmetryAnalysis(spaces, regions, allNotes, attention.pairs(), attention.attentions(), streams);
    }

    private void copyReasons(Map<Integer, String> from, String[] to, Map<Integer, Integer> index) {
        for (var e : new TreeMap<>(from).entrySet()) {
            int id = index.get(merged.find(e.getKey()));
            if (to[id] == null) to[id] = e.getValue();
        }
    }

    private List<ActivationRegion> buildRegions(Map<Integer, Integer> index) {
        List<Node> nodes = graph.nodes();
        UnionFind uf = new UnionFind();
        Map<Integer, Integer> slot = new HashMap<>();
        for (int i : regionNodes.keySet()) slot.put(i, uf.add());
        Map<String, Integer> producer = new HashMap<>();
        for (int i : regionNodes.keySet()) for (String o : nodes.get(i).outputs()) producer.put(o, i);
        for (int i : regionNodes.keySet()) {
            for (String in : nodes.get(i).inputs()) {
                Integer p = producer.get(in);
                if (p != null) uf.union(slot.get(i), slot.get(p));
            }
        }
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        for (int i : regionNodes.keySet()) groups.computeIfAbsent(uf.find(slot.get(i)), k -> new ArrayList<>()).add(i);
        Set<String> graphOutputs = new java.util.HashSet<>();
        for (ValueInfo v : graph.outputs()) graphOutputs.add(v.name());
        List<ActivationRegion> out = new ArrayList<>();
        for (List<Integer> members : groups.values()) {
            Set<Integer> memberSet = new java.util.HashSet<>(members);
            Set<String> produced = new LinkedHashSet<>();
            for (int i : members) produced.addAll(nodes.get(i).outputs());
            Set<String> entries = new LinkedHashSet<>();
            Set<String> exits = new LinkedHashSet<>();
            boolean homogeneous = true;
            for (int i : members) {
                homogeneous &= regionNodes.get(i);
                for (String in : nodes.get(i).inputs()) if (layout(in) != null && !produced.contains(in)) entries.add(in);
            }
            for (String v : produced) {
                if (graphOutputs.contains(v)) exits.add(v);
                for (int j = 0; j < nodes.size(); j++) {
                    if (!memberSet.contains(j) && nodes.get(j).inputs().contains(v)) exits.add(v);
                }
            }
            Layout l = layout(entries.iterator().next());
            List<Integer> spaces = new ArrayList<>();
            List<Long> segSizes = new ArrayList<>();
            List<Long> repeats = new ArrayList<>();
            for (Segment s : l.segments()) {
                spaces.add(index.get(merged.find(s.space())));
                segSizes.add(s.size());
                repeats.add(s.repeat());
            }
            out.add(new ActivationRegion(out.size(), members.stream().map(i -> nodes.get(i).label()).toList(),
                    List.copyOf(entries), List.copyOf(exits), l.axis(), spaces, segSizes, repeats, homogeneous));
        }
        return out;
    }
}
