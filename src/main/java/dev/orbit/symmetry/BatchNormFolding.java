package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueInfo;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Folds an inference-mode BatchNormalization into the Conv before it, as every quantizer does before it rounds
 * weights: with k = γ/√(σ² + ε), W'[o] = k_o·W[o] and b' = k·(b − μ) + β. Exact in real arithmetic (computed in
 * float64, stored as float32); applies only where the Conv's output feeds nothing but the BatchNorm.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {}

    /** The model with every foldable Conv → BatchNorm pair folded, and how many were. */
    public record Result(Model model, int folded) {}

    public static Result fold(Model model) {
        Graph g = model.graph();
        Map<String, NdArray> params = new LinkedHashMap<>(g.parameters());
        List<Node> nodes = new ArrayList<>(g.nodes());
        Set<String> outputs = new HashSet<>();
        for (ValueInfo v : g.outputs()) outputs.add(v.name());
        int folded = 0;
        for (int i = 0; i < nodes.size(); i++) {
            Node bn = nodes.get(i);
            if (!bn.opType().equals("BatchNormalization") || bn.outputs().size() != 1 || !bn.isStandardDomain()) continue;
            String y = bn.input(0);
            Node conv = producer(nodes, y);
            if (conv == null || !conv.opType().equals("Conv") || outputs.contains(y) || consumers(nodes, y) != 1) continue;
            if (!allFloat32(params, conv.input(1), bn.input(1), bn.input(2), bn.input(3), bn.input(4))) continue;
            if (!conv.input(2).isEmpty() && !allFloat32(params, conv.input(2))) continue;
            double eps = bn.attributes().getFloat("epsilon", 1e-5f);
            double[] gamma = params.get(bn.input(1)).toDoubleArray();
            double[] beta = params.get(bn.input(2)).toDoubleArray();
            double[] mean = params.get(bn.input(3)).toDoubleArray();
            double[] var = params.get(bn.input(4)).toDoubleArray();
            NdArray w = params.get(conv.input(1));
            int out = Math.toIntExact(w.dim(0));
            if (gamma.length != out) continue;
            double[] wv = w.toDoubleArray();
            int per = wv.length / out;
            double[] b = conv.input(2).isEmpty() ? new double[out] : params.get(conv.input(2)).toDoubleArray();
            float[] nw = new float[wv.length];
            float[] nb = new float[out];
            for (int o = 0; o < out; o++) {
                double k = gamma[o] / Math.sqrt(var[o] + eps);
                for (int j = 0; j < per; j++) nw[o * per + j] = (float) (wv[o * per + j] * k);
                nb[o] = (float) (k * (b[o] - mean[o]) + beta[o]);
            }
            String wName = fresh(params, conv.input(1) + "_bnfolded");
            String bName = fresh(params, (conv.input(2).isEmpty() ? conv.label() + ".bias" : conv.input(2)) + "_bnfolded");
            params.put(wName, NdArray.ofFloats(nw, w.shape()));
            params.put(bName, NdArray.ofFloats(nb, out));
            int ci = nodes.indexOf(conv);
            nodes.set(ci, new Node(conv.name(), conv.opType(), conv.domain(), List.of(conv.input(0), wName, bName), bn.outputs(),
                    conv.attributes(), conv.docString()));
            nodes.remove(i);
            i--;
            folded++;
        }
        // parameters nothing reads any more (the BatchNorm statistics, the unfolded weights)
        Set<String> read = new HashSet<>();
        for (Node n : nodes) read.addAll(n.readValues());
        params.keySet().removeIf(p -> !read.contains(p) && !outputs.contains(p));
        return new Result(model.withGraph(g.withNodes(nodes, params)), folded);
    }

    private static boolean allFloat32(Map<String, NdArray> params, String... names) {
        for (String n : names) if (n.isEmpty() || !params.containsKey(n) || params.get(n).dtype() != DType.FLOAT32) return false;
        return true;
    }

    private static Node producer(List<Node> nodes, String value) {
        for (Node n : nodes) if (n.outputs().contains(value)) return n;
        return null;
    }

    private static int consumers(List<Node> nodes, String value) {
        int c = 0;
        for (Node n : nodes) if (n.readValues().contains(value)) c++;
        return c;
    }

    static String fresh(Map<String, NdArray> params, String base) {
        String n = base;
        for (int i = 1; params.containsKey(n); i++) n = base + "_" + i;
        return n;
    }
}
