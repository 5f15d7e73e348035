package dev.orbit.quant;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.orbit.graph.Attributes;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.tensor.NdArray;

/**
 * A simulated-quantisation copy of a model (for ONNX Runtime): every linear layer's weight replaced by its
 * per-channel RTN value and, when activation scales are given, its input passed through
 * Mul(Clip(Round(x/s), −q, q), s) with the per-tensor scale s from a calibration batch.
 */
final class FakeQuant {
    private FakeQuant() {}

    static Model of(Model m, int bits, Map<String, Double> activationScales) {
        Graph g = m.graph();
        Map<String, NdArray> params = new LinkedHashMap<>(g.parameters());
        List<Node> nodes = new ArrayList<>(g.nodes());
        Set<String> names = new HashSet<>(g.allValueNames());
        int[] counter = {0};
        java.util.function.Function<String, String> fresh = base -> {
            String n = base;
            while (names.contains(n)) n = base + "_" + counter[0]++;
            names.add(n);
            return n;
        };
        for (Linear l : Linear.find(g)) {
            NdArray w = g.parameter(l.weight());
            int rows = Math.toIntExact(w.dim(0));
            int cols = Math.toIntExact(w.dim(1));
            double[] q = Rtn.perChannel(w.toDoubleArray(), rows, cols, l.channelAxis(), bits);
            String wq = fresh.apply(l.weight() + "_rtn" + bits);
            params.put(wq, floats(q, w.shape()));
            String input = l.input();
            if (activationScales != null) {
                double s = activationScales.get(l.input());
                int levels = Rtn.levels(bits);
                String sName = fresh.apply("orbit_fq_scale");
                String lo = fresh.apply("orbit_fq_min");
                String hi = fresh.apply("orbit_fq_max");
                params.put(sName, floats(new double[] {s}, new long[0]));
                params.put(lo, floats(new double[] {-levels}, new long[0]));
                params.put(hi, floats(new double[] {levels}, new long[0]));
                String div = fresh.apply(input + "_fq_div");
                String round = fresh.apply(input + "_fq_round");
                String clip = fresh.apply(input + "_fq_clip");
                String deq = fresh.apply(input + "_fq");
                nodes.add(new Node(fresh.apply("orbit_fq_div"), "Div", List.of(input, sName), List.of(div), Attributes.NONE));
                nodes.add(new Node(fresh.apply("orbit_fq_round"), "Round", List.of(div), List.of(round), Attributes.NONE));
                nodes.add(new Node(fresh.apply("orbit_fq_clip"), "Clip", List.of(round, lo, hi), List.of(clip), Attributes.NONE));
                nodes.add(new Node(fresh.apply("orbit_fq_mul"), "Mul", List.of(clip, sName), List.of(deq), Attributes.NONE));
                input = deq;
            }
            List<String> ins = new ArrayList<>(l.node().inputs());
            ins.set(0, input);
            ins.set(1, wq);
            nodes.set(nodes.indexOf(l.node()), l.node().withInputs(ins));
        }
        return m.withGraph(g.withNodes(nodes, params));
    }

    private static NdArray floats(double[] v, long[] shape) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return NdArray.ofFloats(f, shape);
    }
}
