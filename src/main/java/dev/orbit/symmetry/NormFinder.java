package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.NdArray;

/**
 * Recognises LayerNorm and RMSNorm over the last axis: the {@code LayerNormalization} op, and the sub-graphs
 * PyTorch and other exporters write — ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div for LayerNorm,
 * Pow/ReduceMean/Add/Sqrt/Div (or Mul by Reciprocal, or by Div(1, ·)) for RMSNorm — each with an optional per-channel gain
 * (Mul) and bias (Add).
 */
final class NormFinder {
    private final Graph graph;
    private final Map<String, ValueType> types;

    private NormFinder(Graph graph, Map<String, ValueType> types) {
        this.graph = graph;
        this.types = types;
    }

    static List<Norm> find(Graph graph, Map<String, ValueType> types) { return new NormFinder(graph, types).run(); }

    private List<Norm> run() {
        List<Norm> out = new ArrayList<>();
        for (Node n : graph.nodes()) {
            Norm norm = switch (n.opType()) {
                case "LayerNormalization" -> single(n);
                case "ReduceMean" -> decomposed(n);
                default -> null;
            };
            if (norm != null) out.add(norm);
        }
        return out;
    }

    private int rank(String v) {
        ValueType t = types.get(v);
        return t == null || t.shape() == null ? -1 : t.shape().rank();
    }

    private long lastDim(String v) {
        ValueType t = types.get(v);
        if (t == null || t.shape() == null || t.shape().rank() == 0 || !t.shape().dim(-1).isKnown()) return -1;
        return t.shape().dim(-1).size();
    }

    private boolean isParam(String v) { return !v.isEmpty() && graph.isParameter(v); }

    private Node only(String value) {
        List<Node> c = graph.consumers(value);
        boolean isOutput = graph.outputs().stream().anyMatch(o -> o.name().equals(value));
        return c.size() == 1 && !isOutput ? c.getFirst() : null;
    }

    private boolean scalar(String v, double want) {
        if (!isParam(v)) return false;
        NdArray a = graph.parameter(v);
        return a.size() == 1 && a.getAsDouble(0) == want;
    }

    private boolean reducesLastAxis(Node n) {
        long[] axes = n.attributes().getInts("axes", null);
        if (axes == null && isParam(n.input(1))) axes = graph.parameter(n.input(1)).toLongArray();
        int r = rank(n.input(0));
        return axes != null && axes.length == 1 && (axes[0] == -1 || axes[0] == r - 1) && r > 0
                && n.attributes().getInt("keepdims", 1) != 0;
    }

    private Norm single(Node n) {
        int r = rank(n.input(0));
        long axis = n.attributes().getInt("axis", -1);
        if (r <= 0 || axis != -1 && axis != r - 1) return null;
        for (int k = 1; k < n.outputs().size(); k++) if (!n.output(k).isEmpty() && !graph.consumers(n.output(k)).isEmpty()) return null;
        String gain = isParam(n.input(1)) ? n.input(1) : null;
        String bias = n.inputs().size() > 2 && isParam(n.input(2)) ? n.input(2) : null;
        if (gain == null || n.inputs().size() > 2 && !n.input(2).isEmpty() && bias == null) return null;
        return new Norm(Norm.Kind.LAYER_NORM, n.input(0), null, n.output(0), gain, bias,
                n.attributes().getFloat("epsilon", 1e-5f), List.of(n), true, n.label());
    }

    /** {@code n} is the ReduceMean of the squares: mean(z²) with z = x (RMS) or x − mean x (LayerNorm). */
    private Norm decomposed(Node meanSquare) {
        if (!reducesLastAxis(meanSquare)) return null;
        Node square = graph.producer(meanSquare.input(0));
        if (square == null) return null;
        String z;
        if (square.opType().equals("Pow") && scalar(square.input(1), 2.0)) z = square.input(0);
        else if (square.opType().equals("Mul") && square.input(0).equals(square.input(1))) z = square.input(0);
        else return null;
        List<Node> nodes = new ArrayList<>();
        Node sub = graph.producer(z);
        Norm.Kind kind = Norm.Kind.RMS_NORM;
        String x = z;
        if (sub != null && sub.opType().equals("Sub")) {
            Node mean = graph.producer(sub.input(1));
            if (mean != null && mean.opType().equals("ReduceMean") && mean.input(0).equals(sub.input(0)) && reducesLastAxis(mean)) {
                kind = Norm.Kind.LAYER_NORM;
                x = sub.input(0);
                nodes.add(mean);
                nodes.add(sub);
            }
        }
        nodes.add(square);
        nodes.add(meanSquare);
        Node addEps = only(meanSquare.output(0));
        if (addEps == null || !addEps.opType().equals("Add")) return null;
        String epsName = addEps.input(0).equals(meanSquare.output(0)) ? addEps.input(1) : addEps.input(0);
        if (!isParam(epsName) || graph.parameter(epsName).size() != 1) return null;
        double eps = graph.parameter(epsName).getAsDouble(0);
        Node sqrt = only(addEps.output(0));
        if (sqrt == null || !sqrt.opType().equals("Sqrt")) return null;
        nodes.add(addEps);
        nodes.add(sqrt);
        Node divide = only(sqrt.output(0));
        if (divide == null) return null;
        if (divide.opType().equals("Div") && divide.input(0).equals(z) && divide.input(1).equals(sqrt.output(0))) {
            nodes.add(divide);
        } else if (divide.opType().equals("Reciprocal")
                || divide.opType().equals("Div") && scalar(divide.input(0), 1.0) && divide.input(1).equals(sqrt.output(0))) {
            // 1/√(…) then x·(1/√(…)): Reciprocal, or Div(1, ·) as PyTorch exports torch.rsqrt
            Node mul = only(divide.output(0));
            if (mul == null || !mul.opType().equals("Mul") || !(mul.input(0).equals(z) || mul.input(1).equals(z))) return null;
            nodes.add(divide);
            nodes.add(mul);
            divide = mul;
        } else {
            return null;
        }
        // the centred value and the mean must feed only the norm (x itself may feed anything, e.g. a residual)
        if (kind == Norm.Kind.LAYER_NORM) {
            for (Node c : graph.consumers(z)) if (!nodes.contains(c)) return null;
            for (Node c : graph.consumers(nodes.getFirst().output(0))) if (!nodes.contains(c)) return null;
        }
        String core = divide.output(0);
        String output = core;
        String gain = null;
        String bias = null;
        long d = lastDim(x);
        Node g = only(core);
        if (g != null && g.opType().equals("Mul")) {
            String k = g.input(0).equals(core) ? g.input(1) : g.input(0);
            if (perChannel(k, d)) {
                gain = k;
                nodes.add(g);
                output = g.output(0);
            }
        }
        Node b = only(output);
        if (b != null && b.opType().equals("Add")) {
            String k = b.input(0).equals(output) ? b.input(1) : b.input(0);
            if (perChannel(k, d)) {
                bias = k;
                nodes.add(b);
                output = b.output(0);
            }
        }
        return new Norm(kind, x, core, output, gain, bias, eps, nodes, false, divide.label());
    }

    /** A constant of shape [d] (or [1, …, d]). */
    private boolean perChannel(String v, long d) {
        if (!isParam(v) || d <= 0) return false;
        NdArray a = graph.parameter(v);
        if (a.rank() == 0 || a.dim(-1) != d || !a.dtype().isFloating()) return false;
        for (int i = 0; i < a.rank() - 1; i++) if (a.dim(i) != 1) return false;
        return true;
    }
}
