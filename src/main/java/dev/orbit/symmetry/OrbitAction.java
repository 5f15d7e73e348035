package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.OpRegistry;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * The action of an element ({@link SymmetryElement}) on a model: a pure function (model, element) → model. For the
 * neuron-space kind ({@link GroupElement}), parameters move as
 * the analysis lists (rows ×τ, columns ÷τ, per-channel constants permuted), computed in float64 and stored in
 * the parameter's own type. Activation regions that do not commute with the factors are rewritten as
 * τ·f(x/τ), exported as plain per-channel {@code Mul} nodes named {@code orbit_tp_in_*} / {@code orbit_tp_out_*}
 * and tagged {@link Node#REWRITE_IN} / {@link Node#REWRITE_OUT} in their doc_string (the tag, not the name,
 * is what later moves recognise); moving such a model again updates those constants instead of stacking new
 * ones, and drops them when they return to 1 — so the inverse element restores the original graph. Clip, Max and
 * Min regions under positive factors take the factors into their bounds instead ({@link BoundScaling}: a Clip such
 * as ReLU6 becomes Max/Min with per-channel bounds), so positive scaling adds no node there.
 */
public final class OrbitAction {
    /** Name prefixes of the rewrite Muls and their constants: for readers of the file only, never tested. */
    private static final String IN_PREFIX = "orbit_tp_in_";
    private static final String OUT_PREFIX = "orbit_tp_out_";
    /** A rewrite constant this close to 1 everywhere is removed (float32 rounding of τ·(1/τ)). */
    private static final double ONE_TOLERANCE = 1e-6;

    private OrbitAction() {}

    /** The action of any element; the symmetry analysis is computed only for the kinds that are indexed by it. */
    public static Model apply(Model model, SymmetryElement e) {
        return e instanceof IsometryElement i ? IsometryAction.apply(model, i) : apply(model, SpaceAnalyzer.analyze(model), e);
    }

    public static Model apply(Model model, SymmetryAnalysis a, SymmetryElement e) { return apply(model, a, e, StandardOps.registry()); }

    /**
     * The one action of every kind of element on a model whose ops (for the shapes of rewrite constants) come from
     * {@code registry}: neuron-space elements as described above, isometries on their length-product layers, ODE
     * gauges as the scalings of the unrolled model's states ({@link GaugeElement#discrete()}).
     */
    public static Model apply(Model model, SymmetryAnalysis a, SymmetryElement e, OpRegistry registry) {
        return switch (e) {
            case GroupElement g -> act(model, a, g, registry);
            case IsometryElement i -> IsometryAction.apply(model, i);
            case GaugeElement gauge -> act(model, a, gauge.discrete(), registry);
        };
    }

    private static Model act(Model model, SymmetryAnalysis a, GroupElement g, OpRegistry registry) {
        g.validate(a);
        Graph graph = model.graph();
        Map<String, NdArray> params = new LinkedHashMap<>(graph.parameters());
        Map<String, List<AxisMove>> moves = new LinkedHashMap<>();
        for (NeuronSpace s : a.spaces()) {
            boolean permuted = g.permutations().containsKey(s.permClass());
            boolean scaled = g.scales().containsKey(s.id());
            if (!permuted && !scaled) continue;
            int[] p = g.channelPermutation(s);
            double[] t = g.scale(s.id(), s.size());
            for (ParamTouch touch : s.touches()) {
                moves.computeIfAbsent(touch.parameter(), k -> new ArrayList<>()).add(new AxisMove(touch, p, t));
            }
        }
        for (var e : moves.entrySet()) params.put(e.getKey(), ParameterMove.apply(graph.parameter(e.getKey()), e.getValue()));
        if (!g.matrices().isEmpty()) params = new LinkedHashMap<>(MatrixAction.apply(params, a, g.matrices()));
        Graph moved = new RegionRewriter(graph, params, a, g, ShapeInference.infer(model, registry)).rewrite();
        return model.withGraph(moved).withInfo(model.info().withMetadata("orbit.moved_by", "orbit " + dev.orbit.graph.OrbitVersion.VERSION));
    }

    /**
     * Moves tensors shaped like parameters that transform like gradients (momentum buffers, Adam's first moment):
     * keyed by parameter name; parameters the element does not touch come back unchanged. Diagonal parts divide
     * where the weights were multiplied; a matrix part M on a parameter axis acts on the gradient by M⁻ᵀ.
     */
    public static Map<String, NdArray> moveGradients(Map<String, NdArray> grads, SymmetryAnalysis a, GroupElement g) {
        Map<String, NdArray> out = diagonal(grads, a, g, false);
        if (g.matrices().isEmpty()) return out;
        return MatrixAction.apply(out, a, g.matrices().stream().map(OrbitAction::dual).toList());
    }

    /**
     * Moves tensors that transform like squared gradients, entry by entry (Adam's second moment, AdaGrad's sum):
     * permuted like the parameters, divided by τ² where the weights were multiplied by τ. A matrix part mixes
     * entries, so no entrywise state follows it: such elements are refused (the optimiser resets that state).
     */
    public static Map<String, NdArray> moveSquaredGradients(Map<String, NdArray> squares, SymmetryAnalysis a, GroupElement g) {
        if (!g.matrices().isEmpty()) throw new IllegalArgumentException("entrywise squared gradients do not follow a matrix part");
        return diagonal(squares, a, g, true);
    }

    private static Map<String, NdArray> diagonal(Map<String, NdArray> grads, SymmetryAnalysis a, GroupElement g, boolean squared) {
        Map<String, List<AxisMove>> moves = new LinkedHashMap<>();
        for (NeuronSpace s : a.spaces()) {
            if (!g.permutations().containsKey(s.permClass()) && !g.scales().containsKey(s.id())) continue;
            int[] p = g.channelPermutation(s);
            double[] t = g.scale(s.id(), s.size());
            for (ParamTouch touch : s.touches()) {
                moves.computeIfAbsent(touch.parameter(), k -> new ArrayList<>()).add(new AxisMove(touch, p, t));
            }
        }
        Map<String, NdArray> out = new LinkedHashMap<>(grads);
        for (var e : grads.entrySet()) {
            List<AxisMove> m = moves.get(e.getKey());
            if (m != null) out.put(e.getKey(), ParameterMove.apply(e.getValue(), m, true, squared));
        }
        return out;
    }

    /** The part that moves gradients: pairs by A⁻ᵀ, rotations by Q itself, per-head scalings by the reciprocals. */
    private static MatrixPart dual(MatrixPart m) {
        return switch (m) {
            case PairTransform p -> {
                double[][][] d = new double[p.blocks().length][][];
                for (int h = 0; h < d.length; h++) d[h] = dev.orbit.numeric.Matrices.transpose(dev.orbit.numeric.Matrices.inverse(p.blocks()[h]));
                yield new PairTransform(p.pair(), d);
            }
            case StreamRotation r -> r;
            case HeadScaling s -> s.inverse();
        };
    }

    /** One touch with the permutation and factors of its space. */
    record AxisMove(ParamTouch touch, int[] permutation, double[] scale) {}

    /** Inserts, updates or removes the τ·f(x/τ) Mul pairs around activation regions. */
    private static final class RegionRewriter {
        private final Graph graph;
        private final Map<String, NdArray> params;
        private final SymmetryAnalysis analysis;
        private final GroupElement g;
        private final Map<String, ValueType> types;
        private final List<Node> nodes;
        private final Set<String> names = new HashSet<>();
        private int counter;

        RegionRewriter(Graph graph, Map<String, NdArray> params, SymmetryAnalysis a, GroupElement g, Map<String, ValueType> types) {
            this.graph = graph;
            this.params = params;
            this.analysis = a;
            this.g = g;
            this.types = types;
            this.nodes = new ArrayList<>(graph.nodes());
            names.addAll(graph.allValueNames());
            for (Node n : graph.nodes()) names.add(n.name());
        }

        Graph rewrite() {
            for (ActivationRegion r : analysis.regions()) rewrite(r);
            dropUnitMuls();
            return graph.withNodes(nodes, params);
        }

        private void rewrite(ActivationRegion r) {
            double[] tau = channelFactors(r);
            Set<String> labels = new HashSet<>(r.nodes());
            Set<Integer> members = new HashSet<>();
            for (int i = 0; i < nodes.size(); i++) if (labels.contains(nodes.get(i).label())) members.add(i);
            boolean hasMuls = members.stream().map(nodes::get)
                    .anyMatch(Node::isRewrite);
            boolean trivial = true;
            boolean positive = true;
            for (double v : tau) {
                trivial &= v == 1.0;
                positive &= v > 0;
            }
            if (!hasMuls && (trivial || r.positivelyHomogeneous() && positive)) return;
            BoundScaling bounds = new BoundScaling(nodes, params, types, this::fresh);
            if (!hasMuls && positive && bounds.applies(members)) {
                bounds.scale(members, r.axis(), tau); // Clip/Max/Min: the bounds take the factors, no Mul pair
                return;
            }
            double[] inv = new double[tau.length];
            for (int i = 0; i < tau.length; i++) inv[i] = 1.0 / tau[i];
            for (String entry : r.entries()) wrapEntry(r, members, entry, inv);
            for (String exit : r.exits()) wrapExit(r, members, exit, tau);
        }

        /** τ per position of the channel axis (new order), over every segment of the region. */
        private double[] channelFactors(ActivationRegion r) {
            long length = 0;
            for (int i = 0; i < r.spaces().size(); i++) length += r.sizes().get(i) * r.repeats().get(i);
            double[] v = new double[Math.toIntExact(length)];
            int pos = 0;
            for (int i = 0; i < r.spaces().size(); i++) {
                NeuronSpace s = analysis.space(r.spaces().get(i));
                double[] t = g.scale(s.id(), s.size());
                long rep = r.repeats().get(i);
                for (double x : t) for (long k = 0; k < rep; k++) v[pos++] = x;
            }
            return v;
        }

        private void wrapEntry(ActivationRegion r, Set<Integer> members, String entry, double[] inv) {
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                if (members.contains(i) && n.isRewriteIn() && n.input(0).equals(entry)) {
                    scaleConstant(n.input(1), inv);
                    return;
                }
            }
            String scaled = fresh(entry + "_orbit_in");
            String constant = fresh(IN_PREFIX + "c");
            params.put(constant, constantFor(entry, r.axis(), inv));
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                if (!members.contains(i)) continue;
                List<String> ins = new ArrayList<>(n.inputs());
                ins.replaceAll(x -> x.equals(entry) ? scaled : x);
                nodes.set(i, n.withInputs(ins));
            }
            nodes.add(new Node(fresh(IN_PREFIX), "Mul", "", List.of(entry, constant), List.of(scaled), Attributes.NONE,
                    Node.REWRITE_IN));
        }

        private void wrapExit(ActivationRegion r, Set<Integer> members, String exit, double[] tau) {
            for (int i : members) {
                Node n = nodes.get(i);
                if (n.isRewriteOut() && n.output(0).equals(exit)) {
                    scaleConstant(n.input(1), tau);
                    return;
                }
            }
            String pre = fresh(exit + "_orbit_pre");
            String constant = fresh(OUT_PREFIX + "c");
            params.put(constant, constantFor(exit, r.axis(), tau));
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                if (!members.contains(i)) continue;
                List<String> ins = new ArrayList<>(n.inputs());
                ins.replaceAll(x -> x.equals(exit) ? pre : x);
                List<String> outs = new ArrayList<>(n.outputs());
                outs.replaceAll(x -> x.equals(exit) ? pre : x);
                nodes.set(i, new Node(n.name(), n.opType(), n.domain(), ins, outs, n.attributes(), n.docString()));
            }
            nodes.add(new Node(fresh(OUT_PREFIX), "Mul", "", List.of(pre, constant), List.of(exit), Attributes.NONE,
                    Node.REWRITE_OUT));
        }

        /** Multiplies an existing rewrite constant (already permuted by the parameter move) by new factors. */
        private void scaleConstant(String name, double[] factors) {
            NdArray c = params.get(name);
            double[] v = c.toDoubleArray();
            for (int i = 0; i < v.length; i++) v[i] *= factors[i];
            params.put(name, make(c.dtype(), v, c.shape()));
        }

        private NdArray constantFor(String value, int axis, double[] v) {
            ValueType t = types.get(value);
            int rank = t == null || t.shape() == null ? axis + 1 : t.shape().rank();
            long[] shape = new long[Math.max(1, rank - axis)];
            java.util.Arrays.fill(shape, 1);
            shape[0] = v.length;
            return make(t == null ? DType.FLOAT32 : t.dtype(), v, shape);
        }

        private static NdArray make(DType dtype, double[] v, long[] shape) {
            if (dtype == DType.FLOAT64) return NdArray.ofDoubles(v, shape);
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
            return NdArray.ofFloats(f, shape);
        }

        /** Rewrite Muls whose constant is back to 1 disappear, so undo restores the original graph. */
        private void dropUnitMuls() {
            Set<String> outputs = new HashSet<>();
            graph.outputs().forEach(o -> outputs.add(o.name()));
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int i = 0; i < nodes.size(); i++) {
                    Node n = nodes.get(i);
                    if (!n.isRewrite() || !isOne(params.get(n.input(1)))) continue;
                    String from = n.output(0);
                    String to = n.input(0);
                    if (outputs.contains(from)) {
                        // keep the graph output's name: rename its producer's output instead
                        Node producer = nodes.stream().filter(x -> x.outputs().contains(to)).findFirst().orElse(null);
                        if (producer == null || graph.consumers(to).size() > 1) continue;
                        int pi = nodes.indexOf(producer);
                        List<String> outs = new ArrayList<>(producer.outputs());
                        outs.replaceAll(x -> x.equals(to) ? from : x);
                        nodes.set(pi, new Node(producer.name(), producer.opType(), producer.domain(), producer.inputs(), outs,
                                producer.attributes(), producer.docString()));
                        renameUses(to, from);
                    } else {
                        renameUses(from, to);
                    }
                    params.remove(n.input(1));
                    nodes.remove(n);
                    changed = true;
                    break;
                }
            }
        }

        private void renameUses(String from, String to) {
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                if (!n.inputs().contains(from)) continue;
                List<String> ins = new ArrayList<>(n.inputs());
                ins.replaceAll(x -> x.equals(from) ? to : x);
                nodes.set(i, n.withInputs(ins));
            }
        }

        private static boolean isOne(NdArray c) {
            if (c == null) return false;
            for (long i = 0; i < c.size(); i++) if (Math.abs(c.getAsDouble(i) - 1.0) > ONE_TOLERANCE) return false;
            return true;
        }

        private String fresh(String base) {
            String n = base;
            while (names.contains(n)) n = base + "_" + (counter++);
            names.add(n);
            return n;
        }
    }
}
