package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.NdArray;

/**
 * The exact preparatory rewrite that makes a pre-norm transformer's residual stream rotatable, done once:
 * <ol>
 * <li>every norm whose output only reaches linear maps (through ops that keep the channel axis) loses its gain γ
 * and bias β: the readers take them, W → diag(γ)·W and bias → bias + β·W;</li>
 * <li>a stream whose every reader is a LayerNorm gets centred writers, W → W·(I − 11ᵀ/d) (biases likewise), so the
 * stream has zero mean and each LayerNorm becomes an RMSNorm with the same ε.</li>
 * </ol>
 * Post-norm models keep their gains (the normalised stream itself carries them: diag(γ) does not commute with
 * rotations), and a stream read directly (not only through LayerNorms) is not centred; the notes say so.
 */
public final class NormFolding {
    /** The rewritten model and what was done or refused, one line each. */
    public record Result(Model model, int foldedGains, int centredStreams, int layerNormsReplaced, List<String> notes) {
        public boolean changed() { return foldedGains + centredStreams + layerNormsReplaced > 0; }
    }

    private Graph graph;
    private Map<String, ValueType> types;
    private final Model model;
    private final List<String> notes = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private int counter;

    private NormFolding(Model model) {
        this.model = model;
        this.graph = model.graph();
        names.addAll(graph.allValueNames());
        for (Node n : graph.nodes()) names.add(n.name());
    }

    public static Result fold(Model model) { return new NormFolding(model).run(); }

    private Result run() {
        types = ShapeInference.infer(model);
        int folded = 0;
        for (Norm n : NormFinder.find(graph, types)) {
            if (!n.hasAffine()) continue;
            String why = foldAffine(n);
            if (why == null) folded++;
            else notes.add(n.describe() + ": gain kept, " + why);
        }
        Model m = model.withGraph(graph);
        int centred = 0;
        int replaced = 0;
        for (StreamAnalyzer.Component c : StreamAnalyzer.beforeNorms(m)) {
            List<Norm> lns = c.terminalNorms().stream().filter(n -> n.kind() == Norm.Kind.LAYER_NORM).toList();
            if (lns.isEmpty()) continue;
            String why = !c.blockers().isEmpty() ? c.blockers().getFirst()
                    : !c.readers().isEmpty() ? "the stream is also read without a LayerNorm, so its mean matters"
                    : lns.size() != c.terminalNorms().size() ? "an RMSNorm reads the same stream (it would see the mean removed)"
                    : c.writers().isEmpty() ? "nothing linear writes into it" : null;
            if (why != null) {
                notes.add("LayerNorm mean subtraction kept for " + lns.size() + " norm(s) reading " + label(c) + ": " + why);
                continue;
            }
            Map<String, NdArray> params = new LinkedHashMap<>(graph.parameters());
            for (BlockTouch t : c.writers()) {
                NdArray w = params.get(t.parameter());
                params.put(t.parameter(), AxisTransform.apply(w, t.axis(), 0, AxisTransform.centring(Math.toIntExact(w.dim(t.axis())))));
            }
            graph = graph.withNodes(graph.nodes(), params);
            centred++;
            for (Norm ln : lns) {
                replaceByRms(findAgain(ln));
                replaced++;
            }
        }
        Model out = model.withGraph(graph);
        if (folded + centred > 0) {
            out = out.withInfo(out.info().withMetadata("orbit.norms_folded",
                    folded + " gains folded, " + centred + " streams centred, " + replaced + " LayerNorms now RMSNorms"));
        }
        return new Result(out, folded, centred, replaced, notes);
    }

    private static String label(StreamAnalyzer.Component c) { return c.origin().isEmpty() ? "a stream" : "the stream written by " + c.origin(); }

    /** The same norm in the current graph (nodes are records: equal by value, but inputs may have been renamed). */
    private Norm findAgain(Norm n) {
        for (Norm m : NormFinder.find(graph, ShapeInference.infer(model.withGraph(graph)))) {
            if (m.label().equals(n.label()) && m.kind() == n.kind()) return m;
        }
        throw new IllegalStateException("norm " + n.label() + " vanished during folding");
    }

    private String fresh(String base) {
        String n = base;
        while (names.contains(n)) n = base + "_" + (counter++);
        names.add(n);
        return n;
    }

    private boolean isParam(String v) { return !v.isEmpty() && graph.isParameter(v); }

    private int rank(String v) {
        ValueType t = types.get(v);
        return t == null || t.shape() == null ? -1 : t.shape().rank();
    }

    /** A linear map reading the norm: the node, its weight and the weight axis that meets the channels. */
    private record Reader(Node node, String weight, int axis) {}

    /** The linear readers of a value, through ops that keep the channel axis; null (and a reason) otherwise. */
    private String readers(String value, List<Reader> out, Set<String> seen) { return readers(value, rank(value) - 1, out, seen); }

    /**
     * The same with the channels on {@code axis}: off the last axis (a head that permutes NHWC to NCHW, pools and
     * flattens) only ops that follow the channel axis may read it, until a linear map reads them last again.
     */
    private String readers(String value, int axis, List<Reader> out, Set<String> seen) {
        if (!seen.add(value)) return null;
        if (graph.outputs().stream().anyMatch(o -> o.name().equals(value))) return "it is a network output";
        int r = rank(value);
        for (Node c : graph.consumers(value)) {
            if (axis != r - 1) {
                if (c.opType().equals("Shape")) continue;
                int next = ChannelAxis.through(c, value, axis, graph, types);
                if (next < 0) return c.opType() + " '" + c.label() + "' reads it with the channels on axis " + axis + " (not the last)";
                String why = readers(c.output(0), next, out, seen);
                if (why != null) return why;
                continue;
            }
            String w = c.input(1);
            switch (c.opType()) {
                case "MatMul" -> {
                    if (!c.input(0).equals(value) || !isParam(w) || graph.parameter(w).rank() != 2) return "MatMul '" + c.label() + "' is not x·W";
                    out.add(new Reader(c, w, 0));
                }
                case "Gemm" -> {
                    if (!c.input(0).equals(value) || !isParam(w) || c.attributes().getInt("transA", 0) != 0) return "Gemm '" + c.label() + "' is not x·W";
                    out.add(new Reader(c, w, c.attributes().getInt("transB", 0) != 0 ? 1 : 0));
                }
                case "Transpose", "Flatten", "GlobalAveragePool", "Reshape", "Identity", "Dropout", "ReduceMean", "Squeeze", "Unsqueeze" -> {
                    int next = ChannelAxis.through(c, value, axis, graph, types);
                    if (next < 0) return c.opType() + " '" + c.label() + "' touches the channel axis";
                    String why = readers(c.output(0), next, out, seen);
                    if (why != null) return why;
                }
                case "Gather" -> {
                    if (!keepsChannels(c, value, r)) return c.opType() + " '" + c.label() + "' touches the channel axis";
                    String why = readers(c.output(0), out, seen);
                    if (why != null) return why;
                }
                case "Pad" -> {
                    // β would be missing from padded positions: only a Pad that pads nothing (Swin's windows here) passes
                    if (!ZeroPadding.isIdentity(c, graph, types)) return "Pad '" + c.label() + "' pads it (the bias would not reach the padding)";
                    String why = readers(c.output(0), out, seen);
                    if (why != null) return why;
                }
                case "Slice" -> {
                    if (!keepsChannels(c, value, r)) return "Slice '" + c.label() + "' touches the channel axis";
                    String why = readers(c.output(0), out, seen);
                    if (why != null) return why;
                }
                case "Concat" -> {
                    // torch.roll: the slices of one value put back together along a token axis
                    long joined = c.attributes().getInt("axis", 0);
                    if ((joined < 0 ? joined + r : joined) == r - 1 || !slicesOfOneValue(c)) return "Concat '" + c.label() + "' joins it with other values";
                    String why = readers(c.output(0), out, seen);
                    if (why != null) return why;
                }
                case "Shape" -> { }
                default -> {
                    return c.opType() + " '" + c.label() + "' reads it (post-norm: the normalised values are the stream)";
                }
            }
        }
        return null;
    }

    /** Every input of the Concat is a Slice of the same value (what torch.roll exports). */
    private boolean slicesOfOneValue(Node concat) {
        String source = null;
        for (String in : concat.inputs()) {
            Node p = graph.producer(in);
            if (p == null || !p.opType().equals("Slice") || source != null && !source.equals(p.input(0))) return false;
            source = p.input(0);
        }
        return source != null;
    }

    private boolean keepsChannels(Node c, String value, int r) {
        ValueType in = types.get(value);
        ValueType out = types.get(c.output(0));
        if (in == null || out == null || in.shape() == null || out.shape() == null) return false;
        if (!in.shape().dim(-1).equals(out.shape().dim(-1))) return false;
        return switch (c.opType()) {
            case "Gather" -> {
                long a = c.attributes().getInt("axis", 0);
                yield (a < 0 ? a + r : a) != r - 1;
            }
            case "Slice" -> {
                long[] axes = c.inputs().size() > 3 && isParam(c.input(3)) ? graph.parameter(c.input(3)).toLongArray() : null;
                boolean ok = axes != null;
                if (ok) for (long a : axes) ok &= (a < 0 ? a + r : a) != r - 1;
                yield ok;
            }
            default -> true;
        };
    }

    /** Moves γ and β into the readers; returns why not when it cannot. */
    private String foldAffine(Norm n) {
        List<Reader> rs = new ArrayList<>();
        String why = readers(n.output(), rs, new HashSet<>());
        if (why != null) return why;
        if (rs.isEmpty()) return "nothing linear reads it";
        for (Reader r : rs) {
            if (graph.consumers(r.weight()).size() != 1) return "weight '" + r.weight() + "' is shared by several nodes";
        }
        Map<String, NdArray> params = new LinkedHashMap<>(graph.parameters());
        List<Node> nodes = new ArrayList<>(graph.nodes());
        double[] gamma = n.gain() == null ? null : graph.parameter(n.gain()).toDoubleArray();
        double[] beta = n.bias() == null ? null : graph.parameter(n.bias()).toDoubleArray();
        for (Reader r : rs) {
            NdArray w = graph.parameter(r.weight());
            if (beta != null) addBias(r, biasThroughWeight(w, r.axis(), beta), params, nodes);
            if (gamma != null) params.put(r.weight(), AxisTransform.apply(w, r.axis(), 0, AxisTransform.diagonal(gamma)));
        }
        // the readers now read the normalised value itself
        if (n.singleOp()) {
            Node op = n.nodes().getFirst();
            String ones = fresh(n.label() + "_orbit_unit_scale");
            NdArray g = graph.parameter(n.gain());
            double[] one = new double[Math.toIntExact(g.size())];
            java.util.Arrays.fill(one, 1.0);
            params.put(ones, AxisTransform.make(g.dtype(), one, g.shape()));
            nodes.set(nodes.indexOf(op), op.withInputs(List.of(op.input(0), ones)));
        } else {
            Set<Node> affine = new HashSet<>();
            for (Node x : n.nodes()) {
                boolean gainMul = n.gain() != null && x.opType().equals("Mul") && x.inputs().contains(n.gain());
                boolean biasAdd = n.bias() != null && x.opType().equals("Add") && x.inputs().contains(n.bias());
                if (gainMul || biasAdd) affine.add(x);
            }
            nodes.removeAll(affine);
            rename(nodes, n.output(), n.core());
        }
        graph = graph.withNodes(nodes, params);
        prune();
        types = ShapeInference.infer(model.withGraph(graph));
        return null;
    }

    /** β·W over the reader's output channels. */
    private static double[] biasThroughWeight(NdArray w, int axis, double[] beta) {
        long rows = w.dim(0);
        long cols = w.dim(1);
        double[] out = new double[Math.toIntExact(axis == 0 ? cols : rows)];
        for (long i = 0; i < rows; i++) {
            for (long j = 0; j < cols; j++) {
                double v = w.getAsDouble(i * cols + j);
                if (axis == 0) out[(int) j] += beta[(int) i] * v;
                else out[(int) i] += beta[(int) j] * v;
            }
        }
        return out;
    }

    private void addBias(Reader r, double[] extra, Map<String, NdArray> params, List<Node> nodes) {
        Node c = r.node();
        var dtype = graph.parameter(r.weight()).dtype();
        if (c.opType().equals("Gemm")) {
            String b = c.input(2);
            if (!b.isEmpty() && isParam(b) && graph.parameter(b).rank() == 1 && graph.parameter(b).dim(0) == extra.length
                    && graph.consumers(b).size() == 1) {
                params.put(b, plus(graph.parameter(b), extra));
                return;
            }
            if (b.isEmpty()) {
                String nb = fresh(c.label() + "_orbit_bias");
                params.put(nb, AxisTransform.make(dtype, extra, new long[] {extra.length}));
                List<String> ins = new ArrayList<>(c.inputs());
                while (ins.size() < 3) ins.add("");
                ins.set(2, nb);
                replace(nodes, c, c.withInputs(ins));
                return;
            }
        } else {
            List<Node> next = graph.consumers(c.output(0));
            if (next.size() == 1 && next.getFirst().opType().equals("Add")) {
                Node add = next.getFirst();
                String b = add.input(0).equals(c.output(0)) ? add.input(1) : add.input(0);
                if (isParam(b) && graph.parameter(b).rank() == 1 && graph.parameter(b).dim(0) == extra.length && graph.consumers(b).size() == 1) {
                    params.put(b, plus(graph.parameter(b), extra));
                    return;
                }
            }
        }
        // a new Add after the reader
        String nb = fresh(c.label() + "_orbit_bias");
        String pre = fresh(c.output(0) + "_orbit_nobias");
        params.put(nb, AxisTransform.make(dtype, extra, new long[] {extra.length}));
        List<String> outs = new ArrayList<>(c.outputs());
        outs.set(0, pre);
        replace(nodes, c, new Node(c.name(), c.opType(), c.domain(), c.inputs(), outs, c.attributes(), c.docString()));
        nodes.add(new Node(fresh("orbit_folded_bias"), "Add", List.of(pre, nb), List.of(c.output(0)), Attributes.NONE));
    }

    private static NdArray plus(NdArray b, double[] extra) {
        double[] v = b.toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] += extra[i];
        return AxisTransform.make(b.dtype(), v, b.shape());
    }

    private static void replace(List<Node> nodes, Node old, Node now) {
        int i = nodes.indexOf(old);
        if (i < 0) throw new IllegalStateException("node " + old.label() + " is gone");
        nodes.set(i, now);
    }

    private static void rename(List<Node> nodes, String from, String to) {
        for (int i = 0; i < nodes.size(); i++) {
            Node x = nodes.get(i);
            if (!x.inputs().contains(from)) continue;
            List<String> ins = new ArrayList<>(x.inputs());
            ins.replaceAll(v -> v.equals(from) ? to : v);
            nodes.set(i, x.withInputs(ins));
        }
    }

    /** Drops parameters no node reads any more (the folded gains and biases). */
    private void prune() {
        Set<String> used = new HashSet<>();
        for (Node n : graph.nodes()) used.addAll(n.readValues());
        graph.outputs().forEach(o -> used.add(o.name()));
        Map<String, NdArray> params = new LinkedHashMap<>();
        for (var e : graph.parameters().entrySet()) if (used.contains(e.getKey())) params.put(e.getKey(), e.getValue());
        graph = graph.withNodes(graph.nodes(), params);
    }

    /** LayerNorm of a zero-mean stream = RMSNorm: drop the mean subtraction (decomposed) or rebuild the op as x/√(mean x² + ε). */
    private void replaceByRms(Norm ln) {
        List<Node> nodes = new ArrayList<>(graph.nodes());
        Map<String, NdArray> params = new LinkedHashMap<>(graph.parameters());
        String x = ln.input();
        if (!ln.singleOp()) {
            Node mean = ln.nodes().get(0);
            Node sub = ln.nodes().get(1);
            nodes.remove(mean);
            nodes.remove(sub);
            rename(nodes, sub.output(0), x);
        } else {
            Node op = ln.nodes().getFirst();
            int at = nodes.indexOf(op);
            nodes.remove(at);
            var dtype = types.get(x) == null ? dev.orbit.tensor.DType.FLOAT32 : types.get(x).dtype();
            String base = op.label() + "_orbit_rms";
            String two = fresh(base + "_two");
            String eps = fresh(base + "_eps");
            params.put(two, AxisTransform.make(dtype, new double[] {2}, new long[0]));
            params.put(eps, AxisTransform.make(dtype, new double[] {ln.epsilon()}, new long[0]));
            String sq = fresh(base + "_square");
            String ms = fresh(base + "_mean_square");
            String plus = fresh(base + "_plus_eps");
            String root = fresh(base + "_rms");
            String core = fresh(base + "_normalised");
            List<Node> rms = new ArrayList<>();
            rms.add(new Node(fresh(base + "_pow"), "Pow", List.of(x, two), List.of(sq), Attributes.NONE));
            if (model.opset() >= 18) {
                String axes = fresh(base + "_axes");
                params.put(axes, NdArray.ofLongs(new long[] {-1}, 1));
                rms.add(new Node(fresh(base + "_mean"), "ReduceMean", List.of(sq, axes), List.of(ms),
                        Attributes.NONE.with("keepdims", new Attr.Int(1))));
            } else {
                rms.add(new Node(fresh(base + "_mean"), "ReduceMean", List.of(sq), List.of(ms),
                        Attributes.NONE.with("axes", new Attr.Ints(new long[] {-1})).with("keepdims", new Attr.Int(1))));
            }
            rms.add(new Node(fresh(base + "_add"), "Add", List.of(ms, eps), List.of(plus), Attributes.NONE));
            rms.add(new Node(fresh(base + "_sqrt"), "Sqrt", List.of(plus), List.of(root), Attributes.NONE));
            String last = core;
            String gain = op.input(1);
            String bias = op.inputs().size() > 2 ? op.input(2) : "";
            boolean unitGain = isOnes(gain);
            boolean noBias = bias.isEmpty() || isZeros(bias);
            if (unitGain && noBias) core = op.output(0);
            rms.add(new Node(fresh(base + "_div"), "Div", List.of(x, root), List.of(core), Attributes.NONE));
            if (!unitGain || !noBias) {
                String scaled = noBias ? op.output(0) : fresh(base + "_scaled");
                rms.add(new Node(fresh(base + "_gain"), "Mul", List.of(last, gain), List.of(scaled), Attributes.NONE));
                if (!noBias) rms.add(new Node(fresh(base + "_bias"), "Add", List.of(scaled, bias), List.of(op.output(0)), Attributes.NONE));
            }
            nodes.addAll(at, rms);
        }
        graph = graph.withNodes(nodes, params);
        prune();
        types = ShapeInference.infer(model.withGraph(graph));
    }

    private boolean isOnes(String v) {
        if (!isParam(v)) return false;
        NdArray a = graph.parameter(v);
        for (long i = 0; i < a.size(); i++) if (a.getAsDouble(i) != 1.0) return false;
        return true;
    }

    private boolean isZeros(String v) {
        if (!isParam(v)) return false;
        NdArray a = graph.parameter(v);
        for (long i = 0; i < a.size(); i++) if (a.getAsDouble(i) != 0.0) return false;
        return true;
    }
}
